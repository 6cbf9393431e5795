import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { InputError } from '../core/errors';

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
