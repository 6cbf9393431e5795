import * as vscode from 'vscode';
import type { BenchmarkRunner } from './benchmarkRunner';
import type { BudgetsRegistry } from './budgetsRegistry';
import { fewSamples } from '../core/report/describe';
import { Disposable } from './dispose';
import { COMMANDS } from './ids';

/** "Budgets 4/5 ✓ · 1 ✗" for all folders; a spinner while a run is in progress. */
export class BudgetStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('perfBudgets.status', vscode.StatusBarAlignment.Left, 50));

  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly runner: BenchmarkRunner,
    command: string = COMMANDS.showLog,
  ) {
    super();
    this.item.name = 'Perf Budgets';
    this.item.command = command;
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
    const verdicts = folders.flatMap((f) => f.model?.results.flatMap((r) => r.verdicts) ?? []);
    const errors = folders.filter((f) => f.error).map((f) => `${f.folder.name}: ${f.error!.message}`);
    const n = (s: string) => verdicts.filter((v) => v.status === s).length;
    const ok = n('pass') + n('warn');
    const fail = n('fail');
    const regressed = verdicts.filter((v) => v.regression === 'regressed').length;
    const spin = this.runner.running ? '$(sync~spin) ' : '';
    if (verdicts.length === 0) {
      this.item.text = `${spin}$(dashboard) Budgets${errors.length ? ' $(error)' : ''}`;
    } else {
      this.item.text = `${spin}$(dashboard) Budgets ${ok}/${verdicts.length} $(check)${fail ? ` · ${fail} $(x)` : ''}${regressed ? ` · ${regressed} $(arrow-up)` : ''}`;
    }
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**Perf Budgets**${this.runner.running ? ' — running…' : ''}\n\n`);
    md.appendText(`${n('pass')} pass, ${n('warn')} warn, ${fail} fail, ${n('missing')} missing; ${regressed} regressed`);
    const few = verdicts.filter(fewSamples).length;
    if (few) md.appendText(`\n\n${vscode.l10n.t('{0} from too few samples to be sure (the hover says why)', few)}`);
    for (const e of errors) md.appendText(`\n\nLast read failed — ${e}`);
    this.item.tooltip = md;
    this.item.backgroundColor = fail || regressed || errors.length ? new vscode.ThemeColor('statusBarItem.errorBackground') : n('warn') || n('missing') ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }
}
