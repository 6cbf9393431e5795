import { realpathSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** The real path of a file that may be opened, or why it may not (for a one-line message). */
export type FileInside = { ok: true; path: string } | { ok: false; reason: string };

/**
 * `file` (relative to `root`, or absolute) when it is a regular file whose real path, all
 * symlinks resolved, lies inside the real path of `root`: what a link from the workspace (the
 * hover's "Open result file") may open. Anything else, a FIFO or a folder too, is refused.
 */
export function realFileInside(root: string, file: string): FileInside {
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
  } catch {
    return { ok: false, reason: 'the workspace folder is not there' };
  }
  try {
    real = realpathSync(path.resolve(root, file));
  } catch {
    return { ok: false, reason: 'no such file' };
  }
  const rel = path.relative(realRoot, real);
  if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) return { ok: false, reason: 'it is outside the workspace folder' };
  try {
    if (!statSync(real).isFile()) return { ok: false, reason: 'it is not a regular file' };
  } catch {
    return { ok: false, reason: 'no such file' };
  }
  return { ok: true, path: real };
}
