import * as vscode from 'vscode';
import type { HandlerResult } from '../core/budgets/verdict';
import { handlerCode } from '../core/discovery/handlerSpan';
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
  // A handler's code: from its line to the line before the next placed handler of the file.
  const starts = [...new Set(placed.map((p) => p.line))].sort((a, b) => a - b);
  const views: HandlerView[] = [];
  let text: string | undefined;
  for (const p of placed) {
    const result = model.results.find((r) => r.budget.handler === p.handler);
    if (!result) continue;
    const view: HandlerView = { ...p, folder, result };
    const next = starts.find((l) => l > p.line);
    const recorded = model.run?.handlers?.[p.handler];
    const stale = recorded
      ? // The run recorded this handler's code: stale exactly while the code differs from it.
        folder.staleReason ?? (handlerCode(doc.uri.path, (text ??= doc.getText()), p.line, next).hash !== recorded.hash ? vscode.l10n.t('code changed since this run') : undefined)
      : staleReason(folder, (since) => locator.editedSince(doc.uri, p.line, (next ?? doc.lineCount) - 1, since));
    if (stale) view.stale = stale;
    views.push(view);
  }
  return views;
}

/**
 * Results are stale when the last run failed (every handler), or when this handler's own code
 * differs from the code the run recorded (its hash: an undone edit is current again). For results
 * no recorded run wrote: when the handler's code was edited after they were written (edits seen
 * in this session only: file times after a checkout or a copy say nothing). Untouched handlers of
 * the same file stay current.
 */
function staleReason(folder: FolderBudgets, editedSince: (since: number) => boolean): string | undefined {
  if (folder.staleReason) return folder.staleReason;
  const written = folder.model?.resultsWrittenAt;
  if (written !== undefined && editedSince(written)) return vscode.l10n.t("this handler's code was edited after these results were written");
  return undefined;
}
