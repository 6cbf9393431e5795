import * as vscode from 'vscode';
import { worstStatus } from '../core/report/inline';
import { describeSupport, fewSamples, formatMetricValue } from '../core/report/describe';
import type { BudgetsRegistry } from './budgetsRegistry';
import type { HandlerLocator } from './handlerLocator';
import { handlerViews } from './handlerViews';
import { COMMANDS } from './ids';
import { readSettings, SETTINGS } from './settings';

const MARK = { pass: '✓', warn: '⚠', fail: '✗', missing: '?' } as const;

/**
 * Above each handler: "p95 98 ms ✓ budget 150 ms" and "Run benchmark" (perfBudgets.codeLens.enabled);
 * "p95 ≈726 ms ✗ budget 500 ms (n=12)" when its sample does not support the percentile.
 */
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
            // The lens names one metric: the worst one (p95 on a tie), with that metric's own mark.
            const worst = worstStatus(v.result);
            const main = v.result.verdicts.find((x) => x.status === worst && x.metric === 'p95') ?? v.result.verdicts.find((x) => x.status === worst)!;
            const few = fewSamples(main);
            const value = main.value === null ? 'missing' : `${few ? '≈' : ''}${formatMetricValue(main.metric, main.value)}`;
            const others = v.result.verdicts.length - 1;
            const mark = v.stale ? `${MARK[main.status]} (stale)` : MARK[main.status];
            const more = `${few ? ` (n=${main.support!.n})` : ''}${others > 0 ? ` (+${others} more)` : ''}`;
            lenses.push(
              new vscode.CodeLens(range, {
                title: `${main.metric} ${value} ${mark} budget ${formatMetricValue(main.metric, main.budget)}${more}`,
                command: summaryCommand,
                arguments: [{ folder: v.folder.folder.uri.toString(), handler: v.handler }],
                tooltip: few
                  ? vscode.l10n.t('Perf Budgets: {0}. Too few samples to be sure: {1}', v.handler, describeSupport(main) ?? '')
                  : `Perf Budgets: ${v.handler}`,
              }),
            );
            const bench = v.result.current?.benchmark;
            if (bench) {
              lenses.push(
                new vscode.CodeLens(range, {
                  title: vscode.l10n.t('Run benchmark'),
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
