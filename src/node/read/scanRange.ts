/**
 * Reads one byte range of a file in large chunks and feeds its whole lines to a scanning
 * kernel. A range [start, end) owns the lines that START inside it (the last one may run
 * past `end`), so ranges cut anywhere cover every line exactly once.
 */
import { readSync } from 'node:fs';
import { InputError } from '../../core/errors';
import { MAX_LINE_BYTES } from '../../core/formats/lines';
import type { ScanKernel } from '../../core/formats/seriesAccumulator';

export const READ_CHUNK_BYTES = 4 * 1024 * 1024;

/** Per-thread scan state: a reusable read buffer (grown for very long lines). */
export interface ScanState {
  buf: Buffer;
  /** Byte offset of the first line of the range being scanned: the kernel's line numbers count from it. */
  lineStart: number;
}

/**
 * Scans the lines starting in [start, end) of the open file `fd` (of `size` bytes).
 * Returns the byte offset of the first such line (also kept in `rb.lineStart`, the base of
 * the kernel's line numbers), or `size` when no line starts in the range.
 */
export function scanRange(
  fd: number,
  size: number,
  kernel: ScanKernel,
  start: number,
  end: number,
  rb: ScanState,
  fileName: string,
): number {
  let pos = start;
  if (start > 0) {
    // The first line start at or after `start`: just after the first "\n" at or after start - 1.
    let at = start - 1;
    let found = -1;
    while (found < 0 && at < end) {
      const n = readSync(fd, rb.buf, 0, Math.min(rb.buf.length, 64 * 1024), at);
      if (n === 0) break;
      const i = rb.buf.indexOf(10);
      if (i >= 0 && i < n) found = at + i;
      else at += n;
    }
    if (found < 0 || found + 1 >= end) return size;
    pos = found + 1;
  }
  const lineStart = pos;
  rb.lineStart = pos;
  kernel.beginRange(pos === 0, pos);
  while (pos < end) {
    const buf = rb.buf;
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) break;
    const eof = pos + n >= size;
    const lim = end - pos; // lines starting before index `lim` are ours
    let stop = -1;
    if (lim <= n) {
      const nl = buf.indexOf(10, lim - 1);
      if (nl >= 0 && nl < n) stop = nl + 1;
      else if (eof) stop = n;
    } else {
      const nl = buf.lastIndexOf(10, n - 1);
      if (nl >= 0) stop = nl + 1;
      else if (eof) stop = n;
    }
    if (stop < 0) {
      // One line longer than the buffer: grow it (bounded).
      if (buf.length > MAX_LINE_BYTES) {
        throw new InputError(fileName, `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`, kernel.line + 1);
      }
      rb.buf = Buffer.allocUnsafe(buf.length * 2);
      continue;
    }
    kernel.scan(buf, 0, stop);
    pos += stop;
    if (stop >= lim) break;
  }
  return lineStart;
}
