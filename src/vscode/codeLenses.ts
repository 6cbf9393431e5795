import * as vscode from 'vscode';
import { worstStatus } from '../core/report/inline';
import { describeSupport, fewSamples, metricLabel } from '../core/report/describe';
import type { BudgetsRegistry } from './budgetsRegistry';
import type { HandlerLocator } from './handlerLocator';
import { handlerViews } from './handlerViews';
import { COMMANDS } from './ids';
import { readSettings, SETTINGS } from './settings';

/**
 * Above each handler: its verdict in words, "failing: p95 · regressed: p95", which opens the
 * comparison panel on it, and "Run benchmark" (perfBudgets.codeLens.enabled). No number: the
 * end-of-line text below it has that.
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
            // No number: the end-of-line text has it. The lens says the verdict in words and names the metrics behind it.
            const worst = worstStatus(v.result);
            const names = (pick: (x: (typeof v.result.verdicts)[number]) => boolean) => v.result.verdicts.filter(pick).map((x) => metricLabel(x.metric)).join(', ');
            const words: string[] = [];
            if (worst === 'fail') words.push(vscode.l10n.t('failing: {0}', names((x) => x.status === 'fail')));
            else if (worst === 'warn') {
              const undecided = names((x) => x.status === 'warn' && !!x.budgetInconclusive);
              const near = names((x) => x.status === 'warn' && !x.budgetInconclusive);
              if (near) words.push(vscode.l10n.t('passing, near the budget: {0}', near));
              if (undecided) words.push(vscode.l10n.t('cannot tell: {0} (the budget is inside a histogram bucket)', undecided));
            }
            else if (worst === 'missing') words.push(vscode.l10n.t('not measured: {0}', names((x) => x.status === 'missing')));
            else words.push(vscode.l10n.t('passing'));
            const regressed = names((x) => x.regression === 'regressed');
            if (regressed) words.push(vscode.l10n.t('regressed: {0}', regressed));
            const few = v.result.verdicts.filter(fewSamples);
            if (few.length) words.push(vscode.l10n.t('too few samples'));
            lenses.push(
              new vscode.CodeLens(range, {
                title: `${v.stale ? `${vscode.l10n.t('stale')}: ` : ''}${words.join(' · ')}`,
                command: summaryCommand,
                arguments: [{ folder: v.folder.folder.uri.toString(), handler: v.handler }],
                tooltip: few.length
                  ? vscode.l10n.t('Perf Budgets: {0}. Too few samples to be sure: {1}', v.handler, few.map((x) => describeSupport(x) ?? '').join('; '))
                  : vscode.l10n.t('Perf Budgets: {0} — open it in the comparison panel', v.handler),
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
