import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import * as path from 'node:path';

/** A temporary file of a writer that died (killed mid-write) is removed once it is this old. */
export const STALE_TEMP_MS = 10 * 60 * 1000;

/** `.<name>.<pid>.<random>.tmp`: the temporary file writeFileAtomic writes beside `<name>`. */
function tempName(base: string): string {
  return `.${base}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
}

const TEMP_RE = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary files of earlier writes of `file` whose writer is gone (its process no
 * longer exists) or that are older than STALE_TEMP_MS (a pid may have been reused). A writer
 * killed between creating its temporary file and the rename leaves one behind; the next write
 * cleans it up, so they never accumulate.
 */
export function removeStaleTemps(file: string, now = Date.now()): number {
  const dir = path.dirname(file);
  const base = path.basename(file);
  let removed = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || m[1] !== base) continue;
    const full = path.join(dir, name);
    let stale = !alive(Number(m[2]));
    if (!stale) {
      try {
        stale = now - statSync(full).mtimeMs > STALE_TEMP_MS;
      } catch {
        continue; // gone already
      }
    }
    if (stale) {
      rmSync(full, { force: true });
      removed++;
    }
  }
  return removed;
}

/**
 * Writes a file so that readers (and a crash) see either the old or the new content, never a
 * torn one: write a temporary file beside it, fsync, rename over the target, fsync the folder.
 * Temporary files left by writers that were killed mid-write are removed first. It trusts the
 * path: a file inside a workspace is written through writeFileInside (safeFs.ts), which first
 * checks that no symlink on the way leads out of it.
 */
export function writeFileAtomic(file: string, content: string): void {
  const dir = path.dirname(file);
  mkdirSync(dir, { recursive: true });
  removeStaleTemps(file);
  const tmp = path.join(dir, tempName(path.basename(file)));
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    const bytes = Buffer.from(content, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the rename is still atomic.
  }
}
