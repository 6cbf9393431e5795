import { linesOf, sourceHash } from '../sourceHash';

/**
 * The lines of a handler's code (0-based, inclusive): from the line discovery placed it on to the
 * line before the next placed handler of the file (or the end of the file), without the blank
 * lines that end it. Edits outside a span do not change its hash.
 */
export function handlerSpan(text: string, line: number, nextStart: number | undefined): { start: number; end: number } {
  const lines = text.split(/\r\n?|\n/);
  let end = Math.min(lines.length, nextStart ?? lines.length) - 1;
  while (end > line && lines[end]!.trim() === '') end--;
  return { start: line, end: Math.max(line, end) };
}

/** The span's code, hashed (sourceHash): what a run records and staleness compares. */
export function handlerCode(text: string, line: number, nextStart: number | undefined): { start: number; end: number; hash: string } {
  const span = handlerSpan(text, line, nextStart);
  return { ...span, hash: sourceHash(linesOf(text, span.start, span.end)) };
}
