import { existsSync, readFileSync, statSync, watch, type FSWatcher } from 'node:fs';
import * as path from 'node:path';

/**
 * Where HEAD moves are seen without running git (nothing here starts a process, so it also holds
 * in Restricted Mode): the repository's git directory, found by walking up from a folder, and
 * HEAD's commit read from its files (HEAD, the branch's ref file, packed-refs).
 */

/** The git directory of the repository holding `start` (a `.git` folder, or the one a `.git` file names); null outside git. */
export function findGitDir(start: string): string | null {
  let dir = path.resolve(start);
  for (let i = 0; i < 100; i++) {
    const dotGit = path.join(dir, '.git');
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) return dotGit;
      if (st.isFile()) {
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8').slice(0, 4096));
        if (m) return path.resolve(dir, m[1]!);
      }
    } catch {
      /* none here: go up */
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
  return null;
}

/** Where refs live: a linked worktree's git directory names the common one. */
function commonDir(gitDir: string): string {
  try {
    return path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir;
  }
}

/** HEAD as its files say it: "ref: refs/heads/main -> <sha>", or a detached sha; null when unreadable. */
export function readHeadState(gitDir: string): string | null {
  try {
    const head = readFileSync(path.join(gitDir, 'HEAD'), 'utf8').slice(0, 1024).trim();
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref) return head;
    const common = commonDir(gitDir);
    const loose = path.join(common, ref);
    if (existsSync(loose)) return `${head} -> ${readFileSync(loose, 'utf8').slice(0, 256).trim()}`;
    const packed = existsSync(path.join(common, 'packed-refs')) ? readFileSync(path.join(common, 'packed-refs'), 'utf8') : '';
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    return `${head} -> ${line?.split(' ')[0] ?? 'unborn'}`;
  } catch {
    return null;
  }
}

/**
 * Calls `onMove` when HEAD's commit (or the branch it names) changes: a commit, a checkout, a
 * reset, a pull. Watches the git directory (HEAD, packed-refs) and the branch refs; events are
 * compared with the state last seen, so a burst of writes calls once per real move. `close()` stops.
 */
export function watchGitHead(gitDir: string, onMove: () => void): { close(): void } {
  let last = readHeadState(gitDir);
  const check = () => {
    const now = readHeadState(gitDir);
    if (now !== last) {
      last = now;
      onMove();
    }
  };
  const watchers: FSWatcher[] = [];
  const add = (dir: string, recursive: boolean) => {
    try {
      const w = watch(dir, { recursive, persistent: false }, () => check());
      w.on('error', () => w.close());
      watchers.push(w);
    } catch {
      /* no such folder (no branch yet) or no watch support: the other watchers still see moves */
    }
  };
  add(gitDir, false);
  const common = commonDir(gitDir);
  if (common !== gitDir) add(common, false);
  add(path.join(common, 'refs', 'heads'), true);
  return { close: () => watchers.forEach((w) => w.close()) };
}
