import * as vscode from 'vscode';
import { seriesFor } from '../core/budgets/evaluate';
import type { HandlerResult } from '../core/budgets/verdict';
import { type BudgetsModel, describeBaselineSource } from './folderBudgets';
import { type HoverFacts, hoverMarkdown } from './hoverMarkdown';

/**
 * The hover on a handler (hoverMarkdown.ts builds its text): trusted only for our own commands,
 * no HTML; theme icons on for the verdict marks.
 */
export function hoverFor(
  result: HandlerResult,
  model: BudgetsModel,
  benchmark: string | undefined,
  panelCommand?: string,
  production?: HoverFacts['production'],
): vscode.MarkdownString {
  // The sub-samples of the series this budget takes (JMeter sub-results), listed under it.
  const budgets = model.loaded.config.budgets;
  const parents = new Set(seriesFor(result.budget, model.series, budgets).map((s) => s.name));
  const subSamples = result.budget.allRequests ? [] : model.series.filter((s) => s.parent !== undefined && parents.has(s.parent));
  const { value, enabledCommands } = hoverMarkdown(result, {
    ...(subSamples.length ? { subSamples } : {}),
    folder: model.folder.uri.toString(),
    readAt: model.readAt,
    // Which baseline, as the panel header says it: a ref, or the working-tree file and why.
    baselineFrom: describeBaselineSource(model),
    ...(benchmark !== undefined ? { benchmark } : {}),
    ...(panelCommand !== undefined ? { panelCommand } : {}),
    ...(production ? { production } : {}),
  });
  const md = new vscode.MarkdownString(value, true);
  md.isTrusted = { enabledCommands };
  md.supportHtml = false;
  return md;
}
