import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { InputError } from '../core/errors';
import { decodeHead, HEAD_BYTES, readSeries } from '../core/formats/index';
import type { ReadOptions } from '../core/formats/reader';
import type { FormatId, Series } from '../core/series';

/** Most files one glob may match; more is almost certainly a mistake (e.g. "**"). */
export const MAX_GLOB_MATCHES = 10_000;

/**
 * Expands result globs relative to `cwd`, without following symlinks and never outside `cwd`.
 * Returns absolute paths, sorted, without duplicates.
 */
export async function expandResults(patterns: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    const matches = await glob(pattern, { cwd, absolute: true, onlyFiles: true, followSymbolicLinks: false, dot: true, expandDirectories: false });
    if (matches.length > MAX_GLOB_MATCHES) {
      throw new InputError(pattern, `glob matches more than ${MAX_GLOB_MATCHES} files`);
    }
    for (const m of matches) found.add(path.resolve(m));
  }
  return [...found].sort();
}

export interface FileReadOptions extends Omit<ReadOptions, 'fileName'> {
  format?: FormatId | 'auto';
  /** How the file is named in errors and series sources (default: the path as given). */
  displayName?: string;
}

/** Reads one result file from disk, streaming. Errors are InputErrors naming the file. */
export async function readResultFile(file: string, options: FileReadOptions = {}): Promise<Series[]> {
  const fileName = options.displayName ?? file;
  let head: string;
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new InputError(fileName, 'not a regular file');
    const fh = await open(file, 'r');
    try {
      const buf = Buffer.alloc(Math.min(HEAD_BYTES, st.size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = decodeHead(buf.subarray(0, bytesRead));
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(fileName, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const stream = createReadStream(file, { highWaterMark: 1 << 20, signal: options.signal });
  try {
    const readOptions: ReadOptions & { format?: FormatId | 'auto' } = { fileName };
    if (options.format) readOptions.format = options.format;
    if (options.unit) readOptions.unit = options.unit;
    if (options.column) readOptions.column = options.column;
    if (options.signal) readOptions.signal = options.signal;
    return await readSeries(stream, head, readOptions);
  } finally {
    stream.destroy();
  }
}
