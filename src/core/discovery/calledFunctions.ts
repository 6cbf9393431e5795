import { findSymbol } from './findSymbol';
import { handlerExtent } from './handlerExtent';

/** Names that look like calls but are the language's own words. */
const NOT_CALLS = new Set([
  'if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'typeof', 'await', 'new', 'super', 'this', 'def', 'print', 'len', 'range', 'str', 'int',
  'require', 'import', 'async', 'yield', 'elif', 'with', 'assert', 'not', 'and', 'or', 'in', 'lambda', 'func', 'go', 'defer', 'make', 'append', 'fn',
]);

/**
 * The functions a handler calls that are declared in the same file, outside the handler: each
 * called name (`name(`, not a method `x.name(`) that findSymbol finds in the file, with its
 * declaration's lines (0-based, inclusive; handlerExtent). At most `max`, in the order of the
 * first call. "What changed" lists changes to them as "called from here".
 */
export function calledFunctions(relPath: string, text: string, span: { start: number; end: number }, max = 5): Array<{ name: string; start: number; end: number }> {
  const lines = text.split(/\r\n?|\n/);
  const body = lines.slice(span.start, span.end + 1).join('\n');
  const out: Array<{ name: string; start: number; end: number }> = [];
  const seen = new Set<string>();
  for (const m of body.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\s*\(/g)) {
    const name = m[1]!;
    if (seen.has(name) || NOT_CALLS.has(name)) continue;
    seen.add(name);
    const at = findSymbol(relPath, text, name);
    if (!at || (at.line >= span.start && at.line <= span.end)) continue;
    const extent = handlerExtent(relPath, text, at.line);
    out.push({ name, start: extent.start, end: Math.max(extent.end, at.line) });
    if (out.length >= max) break;
  }
  return out;
}
