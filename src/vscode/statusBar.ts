import * as vscode from 'vscode';
import { NoResultsYet } from '../core/errors';
import { handlerCounts } from '../core/report/inline';
import { fewSamples } from '../core/report/describe';
import type { BenchmarkRunner } from './benchmarkRunner';
import type { BudgetsRegistry } from './budgetsRegistry';
import { Disposable } from './dispose';
import { COMMANDS } from './ids';

/**
 * Counts handlers, not metrics: "Budgets: 1 of 4 failing" (a handler fails when any of its
 * budgeted metrics does), "Budgets: 4 of 4 passing", "· 1 regressed"; "Budgets: not run" (neutral,
 * click to run) before the first run; a spinner while a run is in progress. The tooltip names the
 * failing and regressed handlers and says when the results were written.
 */
export class BudgetStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('perfBudgets.status', vscode.StatusBarAlignment.Left, 50));

  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly runner: BenchmarkRunner,
    private readonly command: string = COMMANDS.showLog,
  ) {
    super();
    this.item.name = 'Perf Budgets';
    this.register(registry.onDidChange(() => this.render()));
    this.register(runner.onDidChangeRunning(() => this.render()));
    this.render();
  }

  private render(): void {
    const folders = this.registry.all();
    if (folders.length === 0) {
      this.item.hide();
      return;
    }
    const withResults = folders.filter((f) => f.model);
    const results = withResults.flatMap((f) => f.model!.results);
    const notRun = folders.filter((f) => !f.model && f.error instanceof NoResultsYet);
    const errors = folders.filter((f) => f.error && !(f.error instanceof NoResultsYet)).map((f) => `${f.folder.name}: ${f.error!.message}`);
    const stale = withResults.filter((f) => f.staleReason);
    const c = handlerCounts(results);
    const spin = this.runner.running ? '$(sync~spin) ' : '';
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Perf Budgets**${this.runner.running ? ` — ${vscode.l10n.t('running…')}` : ''}\n\n`);
    if (c.measured === 0) {
      const label = notRun.length > 0 && errors.length === 0 ? vscode.l10n.t('Budgets: not run') : vscode.l10n.t('Budgets');
      this.item.text = `${spin}$(dashboard) ${label}${errors.length ? ' $(error)' : ''}`;
      // Never run is the normal first state: a neutral item that runs them.
      this.item.command = notRun.length > 0 && errors.length === 0 ? { command: COMMANDS.runBenchmarks, title: vscode.l10n.t('Run Benchmarks') } : this.command;
      if (notRun.length > 0) md.appendText(vscode.l10n.t('No benchmark has run yet in {0}. Click to run the benchmarks.', notRun.map((f) => f.folder.name).join(', ')));
      else if (results.length > 0) md.appendText(vscode.l10n.t('The results measure none of the {0} budgeted handlers.', results.length));
    } else {
      const parts = [c.failing > 0 ? vscode.l10n.t('{0} of {1} failing', c.failing, c.measured) : vscode.l10n.t('{0} of {1} passing', c.passing, c.measured)];
      if (c.regressed > 0) parts.push(vscode.l10n.t('{0} regressed', c.regressed));
      const prefix = stale.length > 0 ? vscode.l10n.t('Budgets (stale)') : vscode.l10n.t('Budgets');
      this.item.text = `${spin}$(dashboard) ${prefix}: ${parts.join(' · ')}`;
      this.item.command = this.command;
      const line = (what: string, handlers: string[]) => md.appendText(`${what}: ${handlers.slice(0, 10).join(', ')}${handlers.length > 10 ? ', …' : ''}\n\n`);
      if (c.failingHandlers.length) line(vscode.l10n.t('Failing'), c.failingHandlers);
      if (c.regressedHandlers.length) line(vscode.l10n.t('Regressed'), c.regressedHandlers);
      if (c.warnHandlers.length) line(vscode.l10n.t('Near the budget'), c.warnHandlers);
      if (c.failing === 0 && c.regressed === 0) md.appendText(vscode.l10n.t('Every measured handler is within its budgets.') + '\n\n');
      if (c.unmeasured > 0) md.appendText(vscode.l10n.t('Budgeted handlers without results: {0} of {1}.', c.unmeasured, results.length) + '\n\n');
      for (const f of withResults) {
        const at = f.model!.resultsWrittenAt > 0 ? new Date(f.model!.resultsWrittenAt) : f.model!.readAt;
        md.appendText(`${withResults.length > 1 ? `${f.folder.name}: ` : ''}${vscode.l10n.t('results written {0}', at.toLocaleString())}\n\n`);
      }
      const few = results.flatMap((r) => r.verdicts).filter(fewSamples).length;
      if (few) md.appendText(`${vscode.l10n.t('{0} from too few samples to be sure (the hover says why)', few)}\n\n`);
      for (const f of stale) md.appendText(`${vscode.l10n.t('Stale')}: ${f.folder.name}: ${f.staleReason}\n\n`);
    }
    for (const e of errors) md.appendText(`\n\n${vscode.l10n.t('Last read failed — {0}', e)}`);
    this.item.tooltip = md;
    const bad = c.failing > 0 || c.regressed > 0 || errors.length > 0;
    this.item.backgroundColor = bad ? new vscode.ThemeColor('statusBarItem.errorBackground') : c.warnHandlers.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}
