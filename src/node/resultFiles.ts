import { statSync } from 'node:fs';
import * as path from 'node:path';
import { glob } from 'tinyglobby';
import { InputError } from '../core/errors';
import { inside, realOrNull } from './safeFs';

/** Most files one glob may match; more is almost certainly a mistake (e.g. "**"). */
export const MAX_GLOB_MATCHES = 10_000;

export interface ExpandOptions {
  /** Name in errors: the config file the globs come from (default: the glob itself). */
  source?: string;
  /**
   * Allow globs that reach outside `cwd` (`../x/*`, absolute paths): for paths a user typed on
   * the command line. Globs from a config never may.
   */
  allowOutside?: boolean;
}

/**
 * Expands result globs relative to `cwd`, without following symlinks and never outside `cwd`:
 * a glob that is absolute or climbs out with `..` is an InputError, and a match whose real path
 * (a symlinked folder named literally in the glob) lies outside `cwd` is dropped, and so is
 * anything but a regular file (a FIFO would make the read wait forever, a device never end). At most
 * MAX_GLOB_MATCHES files per glob. Returns absolute paths, sorted, without duplicates.
 */
export async function expandResults(patterns: readonly string[], cwd: string, options: ExpandOptions = {}): Promise<string[]> {
  const found = new Set<string>();
  const root = path.resolve(cwd);
  const realRoot = realOrNull(root) ?? root;
  for (const pattern of patterns) {
    const where = options.source ?? pattern;
    if (!options.allowOutside) {
      const normalized = path.posix.normalize(pattern.replace(/\\/g, '/'));
      if (path.isAbsolute(pattern) || path.posix.isAbsolute(normalized) || /^[A-Za-z]:/.test(pattern) || normalized === '..' || normalized.startsWith('../')) {
        throw new InputError(where, `results glob ${JSON.stringify(pattern)} points outside the workspace folder`);
      }
    }
    const matches = await glob(pattern, { cwd: root, absolute: true, onlyFiles: true, followSymbolicLinks: false, dot: true, expandDirectories: false });
    if (matches.length > MAX_GLOB_MATCHES) {
      throw new InputError(where, `results glob ${JSON.stringify(pattern)} matches more than ${MAX_GLOB_MATCHES} files`);
    }
    for (const m of matches) {
      const abs = path.resolve(m);
      const real = realOrNull(abs);
      if (real === null) continue;
      if (!options.allowOutside && !inside(realRoot, real)) continue; // a symlink out of the workspace
      if (!statSync(real, { throwIfNoEntry: false })?.isFile()) continue; // a FIFO, device, socket or folder
      found.add(abs);
    }
  }
  return [...found].sort();
}

/** The newest modification time (epoch ms) of `files` (relative to `root`); 0 when none exists. */
export function newestModification(root: string, files: readonly string[]): number {
  let newest = 0;
  for (const file of files) {
    try {
      newest = Math.max(newest, statSync(path.resolve(root, file)).mtimeMs);
    } catch {
      /* gone */
    }
  }
  return newest;
}
