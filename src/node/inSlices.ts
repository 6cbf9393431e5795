import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long a slice may run before the event loop gets a turn (well under the 50 ms the host allows a stall). */
export const SLICE_MS = 8;

/**
 * Runs a generator of steps to its result in slices of about `sliceMs`, giving the event loop a
 * turn between slices, so no slice blocks the thread much longer than one step plus `sliceMs`.
 * Between slices `stale()` is asked: when it says true, the rest is not run and the answer is
 * undefined (a newer build superseded this one).
 */
export async function inSlices<T>(steps: Generator<void, T, void>, stale: () => boolean = () => false, sliceMs = SLICE_MS): Promise<T | undefined> {
  let started = performance.now();
  for (let step = steps.next(); ; step = steps.next()) {
    if (step.done) return step.value;
    if (performance.now() - started < sliceMs) continue;
    await nextTurn();
    if (stale()) return undefined;
    started = performance.now();
  }
}
