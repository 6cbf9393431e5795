import { linesOf, sourceHash } from '../sourceHash';
import { handlerExtent } from './handlerExtent';

/**
 * The lines of a handler's code (0-based, inclusive): its extent as the language gives it
 * (handlerExtent: the balanced statement or function, a Python def's body, decorators above it),
 * never past the line before the next placed handler of the file, without the blank lines that
 * end it. Edits outside a span do not change its hash.
 */
export function handlerSpan(relPath: string, text: string, line: number, nextStart: number | undefined): { start: number; end: number } {
  const lines = text.split(/\r\n?|\n/);
  const limit = Math.min(lines.length, nextStart ?? lines.length) - 1;
  const extent = handlerExtent(relPath, text, line);
  // A decorator above the line is part of the handler, but never a line of the handler before it.
  let start = Math.min(line, extent.start);
  let end = Math.min(limit, Math.max(line, extent.end));
  while (end > line && lines[end]!.trim() === '') end--;
  start = Math.max(0, start);
  end = Math.max(line, end);
  return { start, end };
}

/** The span's code, hashed (sourceHash): what a run records and staleness compares. */
export function handlerCode(relPath: string, text: string, line: number, nextStart: number | undefined): { start: number; end: number; hash: string } {
  const span = handlerSpan(relPath, text, line, nextStart);
  return { ...span, hash: sourceHash(linesOf(text, span.start, span.end)) };
}

/**
 * The first placed handler line after `line` in `file` (placements as matchBudgets gives them):
 * where the handler at `line` ends at the latest; undefined for the last one of its file.
 */
export function nextPlacedLine(placements: ReadonlyArray<{ locations: ReadonlyArray<{ file: string; line: number }> }>, file: string, line: number): number | undefined {
  let next: number | undefined;
  for (const p of placements) for (const l of p.locations) if (l.file === file && l.line > line && (next === undefined || l.line < next)) next = l.line;
  return next;
}
