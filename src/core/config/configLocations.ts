import * as jsonc from 'jsonc-parser';
import { lineColumn } from '../textPosition';

/**
 * Where keys of perf-budgets.json are written, so the editor can point at a budget's line.
 * Positions are 0-based; tolerant of JSONC and of errors elsewhere in the file.
 */
export interface KeyPosition {
  line: number;
  column: number;
  /** 0-based end of the key's property (its value included). */
  endLine: number;
  endColumn: number;
}

export function budgetPositions(text: string): Map<string, KeyPosition> {
  const out = new Map<string, KeyPosition>();
  const root = jsonc.parseTree(text, [], { allowTrailingComma: true });
  const budgets = root ? jsonc.findNodeAtLocation(root, ['budgets']) : undefined;
  for (const prop of budgets?.type === 'object' ? (budgets.children ?? []) : []) {
    const key = prop.children?.[0];
    if (!key || typeof key.value !== 'string') continue;
    const start = lineColumn(text, key.offset);
    const end = lineColumn(text, prop.offset + prop.length);
    out.set(key.value, { line: start.line - 1, column: start.column - 1, endLine: end.line - 1, endColumn: end.column - 1 });
  }
  return out;
}

/** The text edit that adds `"at": "<value>"` to a budget object: insert after its opening brace. */
export function insertAtEdit(text: string, handler: string, at: string): { offset: number; length: number; text: string } | null {
  const root = jsonc.parseTree(text, [], { allowTrailingComma: true });
  const node = root ? jsonc.findNodeAtLocation(root, ['budgets', handler]) : undefined;
  if (!node || node.type !== 'object') return null;
  const existing = jsonc.findNodeAtLocation(node, ['at']);
  if (existing) return { offset: existing.offset, length: existing.length, text: JSON.stringify(at) };
  const hasProps = (node.children?.length ?? 0) > 0;
  return { offset: node.offset + 1, length: 0, text: ` "at": ${JSON.stringify(at)}${hasProps ? ',' : ''}` };
}
