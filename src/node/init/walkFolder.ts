import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { inside } from '../safeFs';

/** Folders set-up never walks into: dependencies, build output, VCS and tool state. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set([
  'node_modules', '.git', '.hg', '.svn', '.perf-budgets', 'venv', '.venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache',
  'dist', 'build', 'target', 'out', '.next', '.nuxt', '.gradle', '.idea', '.vscode-test', 'coverage', 'vendor',
]);

export const WALK_MAX_FILES = 20_000;
const MAX_DEPTH = 12;

export interface WalkedFile {
  /** Workspace-relative, "/" separators. */
  rel: string;
  abs: string;
  size: number;
}

export interface Walk {
  files: WalkedFile[];
  /** True when the walk stopped at maxFiles. */
  truncated: boolean;
  /** Symlinks not followed because they lead outside the folder. */
  outsideLinks: string[];
}

/**
 * The regular files of a folder, breadth first (shallow files first), without the SKIPPED_FOLDERS,
 * at most `maxFiles`. A symlink is followed only when its real path lies inside the folder (each
 * real folder once, so a link cycle ends); one leading outside is listed and left alone.
 */
export async function walkFolder(root: string, options: { maxFiles?: number; signal?: AbortSignal } = {}): Promise<Walk> {
  const maxFiles = options.maxFiles ?? WALK_MAX_FILES;
  const realRoot = await realpath(root);
  const files: WalkedFile[] = [];
  const outsideLinks: string[] = [];
  const seenDirs = new Set<string>([realRoot]);
  let queue: Array<{ abs: string; rel: string; depth: number }> = [{ abs: root, rel: '', depth: 0 }];
  while (queue.length > 0) {
    const next: typeof queue = [];
    for (const dir of queue) {
      options.signal?.throwIfAborted();
      let entries: Dirent[];
      try {
        entries = await readdir(dir.abs, { withFileTypes: true });
      } catch {
        continue; // unreadable folder: nothing to propose from it
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const abs = path.join(dir.abs, e.name);
        const rel = dir.rel === '' ? e.name : `${dir.rel}/${e.name}`;
        let isDir = e.isDirectory();
        let isFile = e.isFile();
        let size = -1;
        if (e.isSymbolicLink()) {
          let real: string;
          try {
            real = await realpath(abs);
          } catch {
            continue; // dangling
          }
          if (!inside(realRoot, real)) {
            outsideLinks.push(rel);
            continue;
          }
          try {
            const st = await stat(real);
            isDir = st.isDirectory();
            isFile = st.isFile();
            size = st.size;
          } catch {
            continue;
          }
          if (isDir) {
            if (seenDirs.has(real)) continue;
            seenDirs.add(real);
          }
        }
        if (isDir) {
          if (SKIPPED_FOLDERS.has(e.name) || dir.depth + 1 > MAX_DEPTH) continue;
          if (!e.isSymbolicLink()) {
            // Registered, so a link to it met later is not walked twice.
            const real = await realpath(abs).catch(() => null);
            if (real === null || seenDirs.has(real)) continue;
            seenDirs.add(real);
          }
          next.push({ abs, rel, depth: dir.depth + 1 });
          continue;
        }
        if (!isFile) continue; // FIFOs, sockets, devices
        if (files.length >= maxFiles) return { files, truncated: true, outsideLinks };
        if (size < 0) {
          try {
            size = (await stat(abs)).size;
          } catch {
            continue;
          }
        }
        files.push({ rel, abs, size });
      }
    }
    queue = next;
  }
  return { files, truncated: false, outsideLinks };
}
