import * as vscode from 'vscode';
import { percentileOf } from '../core/series';
import { addBudget, workspaceEditOf } from './addBudgetEdit';
import { addBudgetText, BudgetEditError, budgetForSeries, budgetsKeyRange } from './budgetEditText';
import type { BudgetsRegistry } from './budgetsRegistry';
import type { FolderBudgets } from './folderBudgets';
import { CONFIG_FILE } from './ids';

/** At most this many "Add budget for unclaimed series" code actions (a results file can hold thousands of series). */
const MAX_ACTIONS = 50;

/** The budget for one unclaimed series of the folder, from its numbers as last read. */
export function budgetForUnclaimed(folder: FolderBudgets, name: string): { key: string; budget: Record<string, string> } {
  const s = folder.model?.series.find((x) => x.name === name);
  return budgetForSeries(name, s ? percentileOf(s, 95) : null);
}

/** The panel's "Add budget": the same edit as the code action, saved and shown. */
export async function addBudgetForSeries(folder: FolderBudgets, name: string, log: vscode.LogOutputChannel): Promise<boolean> {
  const { key, budget } = budgetForUnclaimed(folder, name);
  return addBudget(folder.folder, key, budget, log);
}

/**
 * On the "budgets" key of perf-budgets.json, one quick fix per series in the folder's results
 * that no budget claims: "Add budget for unclaimed series 'GET /api/orders/42'".
 */
export function registerUnclaimedSeriesActions(registry: BudgetsRegistry): vscode.Disposable {
  return vscode.languages.registerCodeActionsProvider(
    { scheme: 'file', pattern: `**/${CONFIG_FILE}` },
    {
      provideCodeActions(doc, range) {
        const folder = registry.forUri(doc.uri);
        const unclaimed = folder?.model?.unclaimed ?? [];
        if (!folder || unclaimed.length === 0 || doc.uri.toString() !== folder.configUri.toString()) return [];
        const text = doc.getText();
        const key = budgetsKeyRange(text);
        if (!key || doc.positionAt(key.start).line !== range.start.line) return [];
        const actions: vscode.CodeAction[] = [];
        for (const name of unclaimed.slice(0, MAX_ACTIONS)) {
          const { key: budgetKey, budget } = budgetForUnclaimed(folder, name);
          try {
            const action = new vscode.CodeAction(`Add budget for unclaimed series '${name}'`, vscode.CodeActionKind.QuickFix);
            action.edit = workspaceEditOf(doc, addBudgetText(text, budgetKey, budget));
            actions.push(action);
          } catch (e) {
            if (!(e instanceof BudgetEditError)) throw e; // a budget of that key is already there (unsaved): nothing to offer
          }
        }
        return actions;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
  );
}
