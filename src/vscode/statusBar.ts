import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { COMMANDS } from './ids';
import type { ResultsService } from './resultsService';

/** One status bar item telling the same story as the decorations: how many budgets hold. */
export class BudgetStatusBar extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem('perfBudgets.status', vscode.StatusBarAlignment.Left, 50));

  constructor(private readonly results: ResultsService) {
    super();
    this.item.name = 'Perf Budgets';
    this.item.command = COMMANDS.showLog;
    this.register(results.onDidChange(() => this.render()));
    this.render();
  }

  private render(): void {
    const model = this.results.model;
    const verdicts = model?.results.flatMap((r) => r.verdicts) ?? [];
    const count = (s: string) => verdicts.filter((v) => v.status === s).length;
    const fail = count('fail');
    const regressed = verdicts.filter((v) => v.regression === 'regressed').length;
    if (!model) {
      this.item.text = this.results.error ? '$(error) Perf Budgets' : '$(dashboard) Perf Budgets';
      this.item.tooltip = this.results.error ?? 'No results read yet';
    } else {
      this.item.text = `$(dashboard) ${count('pass')} $(pass) ${count('warn')} $(warning) ${fail} $(error)${regressed ? ` ${regressed} $(arrow-up)` : ''}`;
      this.item.tooltip = `Perf Budgets: ${count('pass')} pass, ${count('warn')} warn, ${fail} fail, ${count('missing')} missing; ${regressed} regressed${this.results.error ? `\nLast read failed: ${this.results.error}` : ''}`;
    }
    this.item.backgroundColor = fail || regressed || this.results.error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.show();
  }
}
