import * as vscode from 'vscode';
import { COMMANDS, OUTPUT_CHANNEL } from './ids';
import { ResultsService } from './resultsService';
import { BudgetStatusBar } from './statusBar';

/** The composition root: builds each service once and wires them; nothing else lives here. */
export function activate(context: vscode.ExtensionContext): { results: ResultsService } {
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  const results = new ResultsService(log);
  context.subscriptions.push(
    log,
    results,
    new BudgetStatusBar(results),
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
    vscode.commands.registerCommand(COMMANDS.rereadResults, async () => {
      try {
        const model = await results.reload();
        if (model) {
          const v = model.results.flatMap((r) => r.verdicts);
          const n = (s: string) => v.filter((x) => x.status === s).length;
          void vscode.window.showInformationMessage(`Perf Budgets: ${n('pass')} pass, ${n('warn')} warn, ${n('fail')} fail, ${n('missing')} missing`);
        } else {
          void vscode.window.showWarningMessage('Perf Budgets: no workspace folder with perf-budgets.json is open');
        }
      } catch (e) {
        void vscode.window.showErrorMessage(`Perf Budgets: ${(e as Error).message}`);
      }
    }),
  );
  log.info(`Perf Budgets ${context.extension.packageJSON.version} activated in VS Code ${vscode.version}`);
  results.reload().catch(() => {
    /* reported by the service: log and status bar */
  });
  return { results };
}

export function deactivate(): void {}
