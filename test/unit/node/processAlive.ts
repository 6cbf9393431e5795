import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

/** True while a process with this PID exists and is not a zombie (a zombie has stopped; it only waits to be reaped). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (process.platform !== 'linux') return true;
  try {
    // /proc/PID/stat: "PID (name) STATE …"; Z is a zombie.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Resolves once `pid` is gone; fails when it still runs `withinMs` later. */
export async function gone(pid: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (alive(pid)) {
    if (Date.now() > deadline) assert.fail(`PID ${pid} still runs ${withinMs} ms later`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
