import * as vscode from 'vscode';
import { addBudgetText, BudgetEditError, type BudgetTextEdit, setBudgetSeriesText } from './budgetEditText';
import { CONFIG_FILE } from './ids';
import { tell } from './userLog';

/**
 * The one way the editor writes a budget into perf-budgets.json (the "Why no p95 here?" buttons,
 * the panel's "Add budget", the code action): a WorkspaceEdit of the document, so comments stay,
 * undo works and an open editor follows; saved at once when it had no unsaved changes (the file
 * watcher then re-reads the results), and the file is shown at the budget's key.
 */
export async function addBudget(folder: vscode.WorkspaceFolder, key: string, budget: Record<string, string> | undefined, log: vscode.LogOutputChannel): Promise<boolean> {
  return editConfig(folder, log, (text) => addBudgetText(text, key, budget));
}

/** Sets a budget's "series" to the series its numbers should come from. */
export async function useSeries(folder: vscode.WorkspaceFolder, handler: string, series: string, log: vscode.LogOutputChannel): Promise<boolean> {
  return editConfig(folder, log, (text) => setBudgetSeriesText(text, handler, series));
}

/** The WorkspaceEdit that turns the document's text into `edit.text` (for a code action, which applies it itself). */
export function workspaceEditOf(doc: vscode.TextDocument, edit: BudgetTextEdit): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edit.edits) we.replace(doc.uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
  return we;
}

async function editConfig(folder: vscode.WorkspaceFolder, log: vscode.LogOutputChannel, make: (text: string) => BudgetTextEdit): Promise<boolean> {
  const uri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE);
  try {
    const doc = await vscode.workspace.openTextDocument(uri);
    const wasDirty = doc.isDirty;
    const edit = make(doc.getText());
    if (!(await vscode.workspace.applyEdit(workspaceEditOf(doc, edit)))) throw new BudgetEditError(`${CONFIG_FILE} could not be edited`);
    if (!wasDirty && !(await doc.save())) throw new BudgetEditError(`${CONFIG_FILE} could not be saved`);
    const at = doc.positionAt(edit.keyOffset);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(at, at), preview: false });
    log.info(`${folder.name}: ${CONFIG_FILE} edited (${doc.getText(doc.lineAt(at.line).range).trim()})`);
    return true;
  } catch (e) {
    void tell(log, 'error', vscode.l10n.t('Perf Budgets: {0}', e instanceof BudgetEditError ? e.message : `${CONFIG_FILE}: ${(e as Error).message}`));
    return false;
  }
}
