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

/**
 * Where each benchmark's "results" key is written (its own, or its "http" block's), by benchmark
 * name: where the editor says a benchmark has not written results yet. "benchmarks" may be an
 * object keyed by name or an array of objects with "name".
 */
export function benchmarkResultsPositions(text: string): Map<string, KeyPosition> {
  const out = new Map<string, KeyPosition>();
  const root = jsonc.parseTree(text, [], { allowTrailingComma: true });
  const benchmarks = root ? jsonc.findNodeAtLocation(root, ['benchmarks']) : undefined;
  const entries: Array<{ name: unknown; node: jsonc.Node | undefined; key: jsonc.Node | undefined }> =
    benchmarks?.type === 'object'
      ? (benchmarks.children ?? []).map((prop) => ({ name: prop.children?.[0]?.value, node: prop.children?.[1], key: prop.children?.[0] }))
      : benchmarks?.type === 'array'
        ? (benchmarks.children ?? []).map((node) => ({ name: jsonc.findNodeAtLocation(node, ['name'])?.value, node, key: undefined }))
        : [];
  for (const { name, node, key } of entries) {
    if (typeof name !== 'string' || node?.type !== 'object') continue;
    const results = jsonc.findNodeAtLocation(node, ['results']) ?? jsonc.findNodeAtLocation(node, ['http', 'results']);
    // The "results" property (key and value), else the benchmark's own key.
    const at = results?.parent ?? key?.parent ?? node;
    const start = lineColumn(text, at.offset);
    const end = lineColumn(text, at.offset + at.length);
    out.set(name, { line: start.line - 1, column: start.column - 1, endLine: end.line - 1, endColumn: end.column - 1 });
  }
  return out;
}
