/**
 * The one switch that decides whether Perf Budgets may start a process at all (git, a benchmark
 * command, the built-in HTTP benchmark's child or its service). The extension sets it once, in
 * activate(), to "only in a trusted workspace": an untrusted folder's .git/config or
 * perf-budgets.json must never get a command run. The CLI leaves it open (the user typed the
 * command). Every place in src/node that spawns calls `mayStartProcess` first, so a code path
 * that forgets the trust check still starts nothing.
 *
 * This is deliberately module state: it guards every spawn site, including those reached from
 * code that has no editor objects, and it is set only by the composition root.
 */

/** Why a process may not start now (shown to the user), or null when it may. */
export type ProcessPolicy = () => string | null;

let policy: ProcessPolicy = () => null;

/** Sets the policy; returns a function that restores the previous one (tests, deactivate). */
export function setProcessPolicy(next: ProcessPolicy): () => void {
  const previous = policy;
  policy = next;
  return () => {
    policy = previous;
  };
}

/** Thrown instead of starting a process the policy refuses. */
export class ProcessRefused extends Error {
  constructor(
    readonly what: string,
    readonly why: string,
  ) {
    super(`not running ${what}: ${why}`);
    this.name = 'ProcessRefused';
  }
}

/** Throws ProcessRefused when `what` (e.g. "git rev-parse") may not start now. */
export function mayStartProcess(what: string): void {
  const why = policy();
  if (why !== null) throw new ProcessRefused(what, why);
}

/** The refusal message when no process may start now, else null. */
export function processRefusal(): string | null {
  return policy();
}
