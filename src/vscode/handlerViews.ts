import * as vscode from 'vscode';
import type { HandlerResult } from '../core/budgets/verdict';
import type { BudgetsRegistry } from './budgetsRegistry';
import type { FolderBudgets } from './folderBudgets';
import type { HandlerLocator, PlacedHandler } from './handlerLocator';

/** A placed handler with its evaluation: what decorations, hovers, lenses and diagnostics show. */
export interface HandlerView extends PlacedHandler {
  folder: FolderBudgets;
  result: HandlerResult;
  /** Why the numbers may not describe this code any more; undefined when they are current. */
  stale?: string;
}

/** Joins placements with the latest verdicts for one document. */
export async function handlerViews(registry: BudgetsRegistry, locator: HandlerLocator, doc: vscode.TextDocument): Promise<HandlerView[]> {
  const folder = registry.forUri(doc.uri);
  const model = folder?.model;
  if (!folder || !model) return [];
  const placed = await locator.inFile(doc.uri);
  const views: HandlerView[] = [];
  for (const p of placed) {
    const result = model.results.find((r) => r.budget.handler === p.handler);
    if (!result) continue;
    const view: HandlerView = { ...p, folder, result };
    const stale = staleReason(folder, doc, locator.savedAt(doc.uri));
    if (stale) view.stale = stale;
    views.push(view);
  }
  return views;
}

/** Results are stale when the last run failed, or when the code changed after they were read. */
function staleReason(folder: FolderBudgets, doc: vscode.TextDocument, saved: number | undefined): string | undefined {
  if (folder.staleReason) return folder.staleReason;
  if (doc.isDirty) return 'the code has unsaved changes since these results';
  // Only saves seen in this session count: file times after a checkout or copy say nothing.
  const written = folder.model?.resultsWrittenAt;
  if (written !== undefined && saved !== undefined && saved > written) return 'the code was saved after these results were written';
  return undefined;
}
