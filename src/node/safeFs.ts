/**
 * File access inside a workspace that its files cannot turn against the user. A repository from
 * a stranger may commit symlinks (git stores them) and an extracted archive may hold FIFOs, so:
 * - writes: the real path of the deepest existing folder must lie inside the workspace's real
 *   path, the target must not be a symlink, and missing folders are made one level at a time,
 *   each checked to be a real folder (writeFileInside, prepareWriteInside);
 * - whole-file reads (config, baseline, run history): regular files only, a symlink only to one
 *   inside the workspace, opened without following links or waiting (O_NOFOLLOW | O_NONBLOCK),
 *   checked again on the open descriptor, and at most MAX_READ_BYTES (readSmallFile);
 * - streamed reads (result files, any size): regular files only (openRegularFile).
 * Every refusal is an InputError naming the file as shown to the user.
 */
import { closeSync, constants, fstatSync, lstatSync, mkdirSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { type FileHandle, lstat, open, realpath } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../core/errors';
import { writeFileAtomic } from './atomicWrite';

/** Most bytes readSmallFile reads: configs and baselines are kilobytes; 16 MiB is far beyond any. */
export const MAX_READ_BYTES = 16 << 20;

/**
 * Flags to open a file for reading without waiting for a FIFO's writer (reads of a FIFO then fail
 * with EAGAIN instead of blocking; regular files read as ever). 0 where the OS has no such flag.
 */
export const NONBLOCKING_READ = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** NONBLOCKING_READ, and not following a final symlink. */
const READ_FLAGS = NONBLOCKING_READ | (constants.O_NOFOLLOW ?? 0);

/** True when `target` is `root` or inside it (both absolute, already resolved). */
export function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/** realpathSync, or null when the path does not resolve. */
export function realOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

/** "a FIFO", "a character device", …: what a non-regular file is, for messages. */
function kindOf(st: Stats): string {
  if (st.isSymbolicLink()) return 'a symlink';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}

function code(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function notRegular(shown: string, st: Stats, verb: string): InputError {
  return new InputError(shown, `not a regular file (${kindOf(st)}); not ${verb}`);
}

// ---------- reads

export interface ReadSmallOptions {
  /**
   * The workspace folder: the file's real path must lie inside its real path. null for a path
   * the user typed (a CLI argument), which may lead anywhere.
   */
  root: string | null;
  /** The file's name in errors (default: the path as given). */
  shown?: string;
  /** Most bytes read (default MAX_READ_BYTES). */
  maxBytes?: number;
}

/**
 * The path to open for a whole-file read of `file`, given its lstat and real paths: a regular
 * file, or a symlink whose real path lies inside the workspace (its target's type is checked on
 * the open descriptor).
 */
function readablePath(link: Stats, real: string, realRoot: string | null, shown: string): string {
  if (!link.isSymbolicLink() && !link.isFile()) throw notRegular(shown, link, 'read');
  if (realRoot !== null && !inside(realRoot, real)) throw new InputError(shown, `leads outside the workspace folder through a symlink (to ${real}); not read`);
  return real;
}

/** The opened file's fstat: a regular file of at most `max` bytes. */
function checkOpened(st: Stats, shown: string, max: number): void {
  if (!st.isFile()) throw notRegular(shown, st, 'read');
  if (st.size > max) throw tooBig(shown, st.size, max);
}

function tooBig(shown: string, size: number, max: number): InputError {
  const mib = max / (1 << 20);
  return new InputError(shown, `larger than ${Number.isInteger(mib) ? `${mib} MiB` : `${max} bytes`}${size > max ? ` (${size} bytes)` : ''}; not read`);
}

/** A buffer for the whole file: one byte more than fstat's size, so a file that grew since is noticed. */
function readBuffer(size: number, max: number): Buffer {
  return Buffer.allocUnsafe(Math.min(size, max) + 1);
}

/** The text of the first `n` bytes read into `buf`; a full buffer means the file is bigger than fstat said. */
function textOf(buf: Buffer, n: number, max: number, shown: string): string {
  if (n === buf.length) throw n > max ? tooBig(shown, n, max) : new InputError(shown, 'changed while being read; not read');
  return buf.toString('utf8', 0, n);
}

/**
 * The whole of a small file inside `root`, as UTF-8: refused (InputError) unless it is a regular
 * file, or a symlink to one whose real path lies inside the workspace, of at most `maxBytes`.
 * Never waits on a FIFO and never reads more than maxBytes + 1 bytes (a device, a growing file).
 */
export async function readSmallFile(file: string, options: ReadSmallOptions): Promise<string> {
  const shown = options.shown ?? file;
  const max = options.maxBytes ?? MAX_READ_BYTES;
  let fh: FileHandle | undefined;
  try {
    const target = readablePath(await lstat(file), await realpath(file), options.root === null ? null : await realpath(options.root), shown);
    fh = await open(target, READ_FLAGS);
    const st = await fh.stat();
    checkOpened(st, shown, max);
    const buf = readBuffer(st.size, max);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = (await fh.read(buf, n, buf.length - n, n)).bytesRead;
    return textOf(buf, n, max, shown);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(shown, `cannot read: ${code(e)}`);
  } finally {
    await fh?.close();
  }
}

/** readSmallFile, synchronously: for the CLI and the few synchronous callers (run history). */
export function readSmallFileSync(file: string, options: ReadSmallOptions): string {
  const shown = options.shown ?? file;
  const max = options.maxBytes ?? MAX_READ_BYTES;
  let fd = -1;
  try {
    // realpath(3) (.native): the JS realpathSync lstats every path component, 30% of a 20k-file scan.
    fd = openSync(readablePath(lstatSync(file), realpathSync.native(file), options.root === null ? null : realpathSync.native(options.root), shown), READ_FLAGS);
    const st = fstatSync(fd);
    checkOpened(st, shown, max);
    const buf = readBuffer(st.size, max);
    let n = 0;
    for (let got = -1; got !== 0 && n < buf.length; n += got) got = readSync(fd, buf, n, buf.length - n, n);
    return textOf(buf, n, max, shown);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(shown, `cannot read: ${code(e)}`);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * Opens a file to stream (a result file: any size) without waiting on a FIFO, and checks on the
 * descriptor that it is a regular file; the caller closes the handle. Refusals are InputErrors.
 */
export async function openRegularFile(file: string, shown: string): Promise<FileHandle> {
  let fh: FileHandle;
  try {
    fh = await open(file, NONBLOCKING_READ);
  } catch (e) {
    throw new InputError(shown, `cannot read: ${code(e)}`);
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notRegular(shown, st, 'read');
    return fh;
  } catch (e) {
    await fh.close();
    if (e instanceof InputError) throw e;
    throw new InputError(shown, `cannot read: ${code(e)}`);
  }
}

/** True when `dir` is a real folder (not a symlink) whose real path lies inside `root`'s. */
export function isRealFolderInside(root: string, dir: string): boolean {
  try {
    if (!lstatSync(dir).isDirectory()) return false;
  } catch {
    return false;
  }
  const realRoot = realOrNull(root);
  const real = realOrNull(dir);
  return realRoot !== null && real !== null && inside(realRoot, real);
}

// ---------- writes

/** `p` relative to `root`, with forward slashes, for messages. */
function relativeName(root: string, p: string): string {
  return path.relative(root, p).split(path.sep).join('/') || '.';
}

function lstatOrNull(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * Checks that `file` may be written inside `root` without creating anything: it lies inside
 * `root`, the real path of its deepest existing folder lies inside root's real path, and the
 * file itself, if present, is a regular file (not a symlink). Returns the folders to create,
 * outermost first. Refusals are InputErrors naming `shown`.
 */
export function checkWriteInside(root: string, file: string, shown = file): string[] {
  const top = path.resolve(root);
  const abs = path.resolve(file);
  const rel = (p: string) => relativeName(top, p);
  if (abs === top || !inside(top, abs)) throw new InputError(shown, 'outside the workspace folder; not written');
  try {
    const realRoot = realpathSync(top);
    const missing: string[] = [];
    let dir = path.dirname(abs);
    while (dir !== top && lstatOrNull(dir) === null) {
      missing.unshift(dir);
      dir = path.dirname(dir);
    }
    const real = realOrNull(dir);
    if (real === null) throw new InputError(shown, `${rel(dir)} is a symlink that leads nowhere; not written`);
    if (!inside(realRoot, real)) throw new InputError(shown, `${rel(dir)} leads outside the workspace folder through a symlink (to ${real}); not written`);
    const st = lstatSync(real);
    if (!st.isDirectory()) throw new InputError(shown, `${rel(dir)} is not a folder; not written`);
    const existing = missing.length === 0 ? lstatOrNull(abs) : null;
    if (existing?.isSymbolicLink()) throw new InputError(shown, 'a symlink; not written');
    if (existing && !existing.isFile()) throw notRegular(shown, existing, 'written');
    return missing;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(shown, `cannot write: ${code(e)}`);
  }
}

/** checkWriteInside, then creates the missing folders one level at a time, each checked to be a real folder. */
export function prepareWriteInside(root: string, file: string, shown = file): void {
  for (const dir of checkWriteInside(root, file, shown)) {
    try {
      mkdirSync(dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new InputError(shown, `cannot create ${relativeName(root, dir)}: ${code(e)}; not written`);
    }
    const st = lstatSync(dir);
    if (!st.isDirectory()) throw new InputError(shown, `${relativeName(root, dir)} is ${kindOf(st)}, not a folder; not written`);
  }
}

/** Writes `file` inside `root` atomically (writeFileAtomic) after prepareWriteInside. */
export function writeFileInside(root: string, file: string, content: string, shown = file): void {
  prepareWriteInside(root, file, shown);
  writeFileAtomic(file, content);
}
