import * as jsonc from 'jsonc-parser';
import { canonicalHandlerId, parseHandlerId } from '../core/budgets/handlerId';
import { durationText, proposedBudget } from '../core/init/readable';

/**
 * Edits of perf-budgets.json as text, without `vscode` (addBudgetEdit.ts applies them to the
 * document): jsonc-parser's `modify`, so comments, trailing commas and the rest of the file stay
 * as they are, and only the budget asked for is added or changed.
 */

/** The budget "Add Budget" writes: a default to edit, the same as `perf-budgets init` gives a handler with no results. */
export const DEFAULT_BUDGET = { p95: '500ms', errorRate: '1%' } as const;

export interface BudgetTextEdit {
  /** The file's text after the edit. */
  text: string;
  /** The edits, in the file's text before the edit (for a WorkspaceEdit). */
  edits: jsonc.Edit[];
  /** Offset of the budget's key (its opening quote) in `text`. */
  keyOffset: number;
}

/** Why an edit cannot be made, as one line. */
export class BudgetEditError extends Error {
  override name = 'BudgetEditError';
}

/** Indentation and line ends as the file already has them (two spaces and \n for an empty file). */
export function formattingOf(text: string): jsonc.FormattingOptions {
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  return indent.startsWith('\t') ? { insertSpaces: false, tabSize: 4, eol } : { insertSpaces: true, tabSize: indent.length, eol };
}

/** The budgets object's node, or undefined when the file has none (it may still be a valid object). */
function budgetsNode(text: string): { root: jsonc.Node | undefined; budgets: jsonc.Node | undefined } {
  if (text.trim() === '') return { root: undefined, budgets: undefined };
  const errors: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || (root && root.type !== 'object')) {
    const at = errors[0] ? ` at offset ${errors[0].offset}` : '';
    throw new BudgetEditError(`perf-budgets.json is not a valid JSON object${at}; fix it first`);
  }
  const budgets = root ? jsonc.findNodeAtLocation(root, ['budgets']) : undefined;
  if (budgets && budgets.type !== 'object') throw new BudgetEditError('"budgets" in perf-budgets.json is not an object');
  return { root, budgets };
}

/** The budget keys as written in the file. */
export function budgetKeys(text: string): string[] {
  const { budgets } = budgetsNode(text);
  return (budgets?.children ?? []).map((p) => p.children?.[0]?.value).filter((k): k is string => typeof k === 'string');
}

/**
 * Adds `"key": { "p95": "500ms", "errorRate": "1%" }` (on one line) after the last budget,
 * made when "budgets" is absent. Refuses a key that is there already.
 */
export function addBudgetText(text: string, key: string, budget: Record<string, string> = DEFAULT_BUDGET): BudgetTextEdit {
  const { budgets } = budgetsNode(text);
  if (budgets && budgets.children?.some((p) => p.children?.[0]?.value === key)) throw new BudgetEditError(`a budget "${key}" is already in perf-budgets.json`);
  if (budgets) return finish(text, appendProperty(text, budgets, ['budgets', key], key, inline(budget), budget), key);
  const source = text.trim() === '' ? '{}' : text;
  const edits = jsonc.modify(source, ['budgets', key], budget, { formattingOptions: formattingOf(text) });
  // An empty file: the one edit replaces the whole of it.
  const fixed = source === text ? edits : [{ offset: 0, length: text.length, content: jsonc.applyEdits(source, edits) }];
  return finish(text, fixed, key);
}

/** Sets the budget's "series" (the series its numbers come from) to `series`. */
export function setBudgetSeriesText(text: string, key: string, series: string): BudgetTextEdit {
  const { budgets } = budgetsNode(text);
  const prop = budgets?.children?.find((p) => p.children?.[0]?.value === key);
  if (!prop) throw new BudgetEditError(`no budget "${key}" in perf-budgets.json`);
  const value = prop.children?.[1];
  if (value?.type !== 'object') throw new BudgetEditError(`the budget "${key}" in perf-budgets.json is not an object`);
  const existing = value.children?.find((p) => p.children?.[0]?.value === 'series');
  const edits = existing ? jsonc.modify(text, ['budgets', key, 'series'], series, {}) : appendProperty(text, value, ['budgets', key, 'series'], 'series', JSON.stringify(series), series);
  return finish(text, edits, key);
}

/** A flat object on one line: `{ "p95": "500ms", "errorRate": "1%" }`. */
function inline(obj: Record<string, string>): string {
  return `{ ${Object.entries(obj).map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(', ')} }`;
}

/**
 * The edits that add a property after the object's last one, in the object's own layout: on the
 * same line when the object closes on the line its last one ends, else on a line of its own with the last one's indentation,
 * after any comment on that line (a trailing comma stays the file's style). An empty object is
 * left to jsonc's `modify`.
 */
function appendProperty(text: string, object: jsonc.Node, path: jsonc.JSONPath, key: string, valueText: string, value: unknown): jsonc.Edit[] {
  const last = object.children?.at(-1);
  if (!last) return jsonc.modify(text, path, value, { formattingOptions: formattingOf(text) });
  const prop = `${JSON.stringify(key)}: ${valueText}`;
  const lastEnd = last.offset + last.length;
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
  // The object closes on the line its last property ends on: add on that line.
  if (lineOf(lastEnd) === lineOf(object.offset + object.length - 1)) return [{ offset: lastEnd, length: 0, content: `, ${prop}` }];
  // A comma after the last property, past blanks and comments: the file writes trailing commas.
  const gap = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*,/.exec(text.slice(lastEnd));
  const comma = gap ? lastEnd + gap[0].length - 1 : -1;
  const from = comma >= 0 ? comma + 1 : lastEnd;
  const lineBreak = text.slice(from).search(/\r?\n/);
  const at = lineBreak < 0 ? text.length : from + lineBreak;
  const lineStart = text.lastIndexOf('\n', last.offset) + 1;
  const indent = /^[ \t]*/.exec(text.slice(lineStart))![0];
  const { eol } = formattingOf(text);
  const edits: jsonc.Edit[] = [{ offset: at, length: 0, content: `${eol}${indent}${prop}${comma >= 0 ? ',' : ''}` }];
  if (comma < 0) edits.unshift({ offset: lastEnd, length: 0, content: ',' });
  return edits;
}

function finish(before: string, edits: jsonc.Edit[], key: string): BudgetTextEdit {
  const text = jsonc.applyEdits(before, edits);
  const { budgets } = budgetsNode(text);
  const keyNode = budgets?.children?.find((p) => p.children?.[0]?.value === key)?.children?.[0];
  return { text, edits, keyOffset: keyNode?.offset ?? 0 };
}

/** The offset range of the "budgets" key (its quoted name), where the add-budget code actions are offered. */
export function budgetsKeyRange(text: string): { start: number; end: number } | undefined {
  let root: jsonc.Node | undefined;
  try {
    root = budgetsNode(text).root;
  } catch {
    return undefined;
  }
  const prop = root?.children?.find((p) => p.children?.[0]?.value === 'budgets');
  const k = prop?.children?.[0];
  return k ? { start: k.offset, end: k.offset + k.length } : undefined;
}

/** Headroom over a measured p95 for a proposed budget (as `perf-budgets init` proposes). */
export const SERIES_HEADROOM = 1.5;

/**
 * The budget "Add budget" writes for a series no budget claims: keyed by the series name, in the
 * canonical handler-id form when it is a path ("GET /api/orders/42" stays as it is: no template
 * is guessed from a concrete path; a full URL loses its host and query); p95 its measured p95 ×
 * 1.5 rounded up to a readable number, or 500ms when it has none; errorRate 1%.
 */
export function budgetForSeries(name: string, measuredP95: number | null): { key: string; budget: Record<string, string> } {
  const key = parseHandlerId(name).segments ? canonicalHandlerId(name) : name.trim();
  const p95 = measuredP95 !== null && measuredP95 > 0 && Number.isFinite(measuredP95) ? durationText(proposedBudget(measuredP95, SERIES_HEADROOM)) : DEFAULT_BUDGET.p95;
  return { key, budget: { p95, errorRate: DEFAULT_BUDGET.errorRate } };
}
