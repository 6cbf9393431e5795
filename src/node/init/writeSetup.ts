import { randomBytes } from 'node:crypto';
import { closeSync, constants, copyFileSync, fsyncSync, linkSync, lstatSync, openSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../core/errors';
import { checkWriteInside, writeFileInside } from '../safeFs';

export const CONFIG_NAME = 'perf-budgets.json';

/** perf-budgets.json is there already and `force` was not given: nothing was written. */
export class ConfigExistsError extends Error {
  constructor(readonly file: string) {
    super(`${CONFIG_NAME} already exists; use --force (keeps a backup)`);
    this.name = 'ConfigExistsError';
  }
}

/** "20240501T101502Z": a backup's suffix, sortable, without characters some filesystems refuse. */
function stamp(now: Date): string {
  return now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '');
}

/**
 * Writes perf-budgets.json into `root`. Never overwrites by accident: without `force` it refuses
 * (ConfigExistsError) when the file exists, and the write itself cannot replace a file that
 * appeared meanwhile (a temporary file, fsynced, then hard-linked into place, which fails on an
 * existing name). With `force` the old file's bytes are copied to perf-budgets.json.bak-<time>
 * first, then the new text replaces it atomically. Paths go through safeFs's checks: a symlinked
 * perf-budgets.json or a folder leading outside `root` is refused (InputError).
 */
export async function writeSetup(root: string, text: string, options: { force?: boolean } = {}): Promise<{ file: string; backup: string | null }> {
  const file = path.join(root, CONFIG_NAME);
  checkWriteInside(root, file, CONFIG_NAME);
  const existing = lstatOrNull(file);
  if (existing && !options.force) throw new ConfigExistsError(file);
  if (!existing) {
    writeNew(file, text);
    return { file, backup: null };
  }
  const backup = `${file}.bak-${stamp(new Date())}`;
  checkWriteInside(root, backup, path.basename(backup));
  try {
    // COPYFILE_EXCL: a backup never replaces another file.
    copyFileSync(file, backup, constants.COPYFILE_EXCL);
  } catch (e) {
    throw new InputError(path.basename(backup), `cannot keep the backup: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; nothing written`);
  }
  writeFileInside(root, file, text, CONFIG_NAME);
  return { file, backup };
}

function lstatOrNull(p: string) {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(CONFIG_NAME, `cannot read: ${(e as NodeJS.ErrnoException).code}`);
  }
}

/** Writes a file that must not exist yet, atomically: temporary file, fsync, link (fails on EEXIST), unlink. */
function writeNew(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    const bytes = Buffer.from(text, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new ConfigExistsError(file);
    throw new InputError(CONFIG_NAME, `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  } finally {
    rmSync(tmp, { force: true });
  }
}
