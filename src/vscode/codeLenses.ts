import * as vscode from 'vscode';
import { worstStatus } from '../core/report/inline';
import { formatMetricValue } from '../core/report/describe';
import type { BudgetsRegistry } from './budgetsRegistry';
import type { HandlerLocator } from './handlerLocator';
import { handlerViews } from './handlerViews';
import { COMMANDS } from './ids';
import { readSettings, SETTINGS } from './settings';

const MARK = { pass: '✓', warn: '⚠', fail: '✗', missing: '?' } as const;

/** Above each handler: "p95 98 ms ✓ budget 150 ms" and "Run benchmark" (perfBudgets.codeLens.enabled). */
export function registerCodeLenses(registry: BudgetsRegistry, locator: HandlerLocator, summaryCommand: string = COMMANDS.showLog): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const subs = [
    changed,
    registry.onDidChange(() => changed.fire()),
    locator.onDidChange(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SETTINGS.codeLens) && changed.fire()),
    vscode.languages.registerCodeLensProvider(
      { scheme: 'file' },
      {
        onDidChangeCodeLenses: changed.event,
        async provideCodeLenses(doc) {
          if (!readSettings(doc.uri).codeLens) return [];
          const lenses: vscode.CodeLens[] = [];
          for (const v of await handlerViews(registry, locator, doc)) {
            const range = new vscode.Range(v.line, 0, v.line, 0);
            const main = v.result.verdicts.find((x) => x.metric === 'p95') ?? v.result.verdicts[0]!;
            const value = main.value === null ? 'missing' : formatMetricValue(main.metric, main.value);
            const mark = v.stale ? '(stale)' : MARK[worstStatus(v.result)];
            lenses.push(
              new vscode.CodeLens(range, {
                title: `${main.metric} ${value} ${mark} budget ${formatMetricValue(main.metric, main.budget)}`,
                command: summaryCommand,
                arguments: [{ folder: v.folder.folder.uri.toString(), handler: v.handler }],
                tooltip: `Perf Budgets: ${v.handler}`,
              }),
            );
            const bench = v.result.current?.benchmark;
            if (bench) {
              lenses.push(
                new vscode.CodeLens(range, {
                  title: 'Run benchmark',
                  command: COMMANDS.runBenchmark,
                  arguments: [{ folder: v.folder.folder.uri.toString(), benchmark: bench }],
                }),
              );
            }
          }
          return lenses;
        },
      },
    ),
  ];
  return vscode.Disposable.from(...subs);
}
