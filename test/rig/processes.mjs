// Child processes the rig starts, and stopping them by PID: the process and all of its
// descendants (code-server's extension host, pty host and task shells; Chromium's helpers).
// Every process started through here is stopped on normal exit, on failure and on SIGINT/SIGTERM.
import { readdirSync, readFileSync } from 'node:fs';

const started = new Set(); // pids of processes we started and have not yet stopped
const cleanups = new Set(); // async cleanup functions (browser close, temp dirs)

/** Remember a process we started so it is stopped even if the runner dies early. */
export function track(pid) {
  if (pid) started.add(pid);
}

/** Register an async cleanup to run on exit/signal; returns a function that unregisters it. */
export function onCleanup(fn) {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function parentOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ..." — comm may contain spaces/parens, so split after the last ')'.
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** pid and every descendant of it, parents before children. */
export function processTree(pid) {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const ppid = parentOf(Number(name));
    if (ppid === undefined) continue;
    if (!children.has(ppid)) children.set(ppid, []);
    children.get(ppid).push(Number(name));
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const p = queue.shift();
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    // a zombie still answers kill(0); treat it as gone
    return !/^\S+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Stop pid and all its descendants. The tree is collected first (so children re-parented to init
 * are still found); then the root gets SIGTERM and time to stop its own children (code-server and
 * Chromium do, and reap them); whatever is left of the tree gets SIGTERM, then SIGKILL.
 */
export async function stopTree(pid, { graceMs = 5000 } = {}) {
  if (!pid) return;
  const pids = processTree(pid);
  const signal = (list, sig) => {
    for (const p of list) {
      try {
        process.kill(p, sig);
      } catch {
        /* already gone */
      }
    }
  };
  const waitGone = async (list, ms) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && list.some(isAlive)) await sleep(100);
  };
  signal([pid], 'SIGTERM');
  await waitGone(pids, graceMs);
  const rest = pids.filter(isAlive);
  signal(rest.reverse(), 'SIGTERM'); // leaves first, so live parents reap their children
  await waitGone(rest, 1000);
  signal(rest.filter(isAlive), 'SIGKILL');
  await waitGone(rest, 1000);
  started.delete(pid);
}

let cleaning;
/** Run every cleanup and stop every tracked process. Safe to call more than once. */
export function cleanupAll() {
  cleaning ??= (async () => {
    for (const fn of [...cleanups].reverse()) {
      try {
        await fn();
      } catch (e) {
        console.error(`[rig] cleanup failed: ${e?.message ?? e}`);
      }
    }
    cleanups.clear();
    for (const pid of [...started]) await stopTree(pid, { graceMs: 2000 });
  })();
  return cleaning;
}

let installed = false;
/** On SIGINT/SIGTERM/uncaught errors, stop what we started, then exit non-zero. */
export function installSignalHandlers() {
  if (installed) return;
  installed = true;
  const die = (why, code) => {
    console.error(`[rig] ${why}: stopping started processes`);
    cleanupAll().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => die('SIGINT', 130));
  process.on('SIGTERM', () => die('SIGTERM', 143));
  process.on('uncaughtException', (e) => {
    console.error(e);
    die('uncaught exception', 1);
  });
  process.on('unhandledRejection', (e) => {
    console.error(e);
    die('unhandled rejection', 1);
  });
  // Last resort, synchronous: whatever is still tracked gets SIGKILL.
  process.on('exit', () => {
    for (const pid of started) for (const p of processTree(pid)) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  });
}
