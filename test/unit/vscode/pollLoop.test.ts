import * as assert from 'node:assert/strict';
import { PollLoop, type PollTimers } from '../../../src/vscode/pollLoop';

/** A clock that moves only when told: each timer fires at its due time, in order. */
class FakeClock implements PollTimers {
  now = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  /** Every wait asked for, in ms, in order. */
  readonly waits: number[] = [];
  setTimeout(fn: () => void, ms: number): number {
    this.waits.push(ms);
    const id = this.next++;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.due.delete(handle as number);
  }
  get pending(): number {
    return this.due.size;
  }
  /** Fires the earliest timer (moving the clock to it); false when none is set. */
  fire(): boolean {
    const first = [...this.due.entries()].sort((a, b) => a[1].at - b[1].at)[0];
    if (!first) return false;
    this.due.delete(first[0]);
    this.now = first[1].at;
    first[1].fn();
    return true;
  }
}

/** A poll the test settles by hand: `calls` counts polls started, `inFlight` those not settled. */
function manualPoll() {
  const open: Array<{ resolve: (v: number) => void; reject: (e: Error) => void; signal: AbortSignal }> = [];
  let calls = 0;
  return {
    poll: (signal: AbortSignal) =>
      new Promise<number>((resolve, reject) => {
        calls++;
        open.push({ resolve, reject, signal });
      }),
    get calls() {
      return calls;
    },
    get inFlight() {
      return open.length;
    },
    /** Settles the oldest open poll; resolves once the loop has seen it (microtasks drained). */
    async settle(outcome: number | Error) {
      const p = open.shift()!;
      if (outcome instanceof Error) p.reject(outcome);
      else p.resolve(outcome);
      for (let i = 0; i < 5; i++) await Promise.resolve();
    },
    lastSignal: () => open[open.length - 1]?.signal,
  };
}

describe('PollLoop: one production poll at a time, with backoff', () => {
  it('polls at once, then the interval after each poll ends: never two in flight', async () => {
    const clock = new FakeClock();
    const p = manualPoll();
    const seen: unknown[] = [];
    const loop = new PollLoop({ poll: p.poll, onResult: (o) => seen.push(o.ok ? o.value : o.error.message), allowed: () => true, intervalMs: 60_000, maxBackoffMs: 900_000, timers: clock });
    assert.deepEqual(clock.waits, [0]);
    clock.fire();
    assert.equal(p.inFlight, 1);
    // While the poll runs, no timer is set: nothing can start a second one.
    assert.equal(clock.pending, 0);
    await p.settle(7);
    assert.deepEqual(seen, [7]);
    assert.deepEqual(clock.waits, [0, 60_000]);
    clock.fire();
    assert.equal(p.calls, 2);
    await p.settle(8);
    assert.deepEqual(seen, [7, 8]);
    loop.stop('test over');
    assert.equal(clock.pending, 0);
  });

  it('backs off 2×, 4×, 8× the interval after failures in a row, capped, and resets on success', async () => {
    const clock = new FakeClock();
    const p = manualPoll();
    const loop = new PollLoop({ poll: p.poll, onResult: () => {}, allowed: () => true, intervalMs: 60_000, maxBackoffMs: 300_000, timers: clock });
    for (let i = 0; i < 4; i++) {
      clock.fire();
      await p.settle(new Error('unreachable'));
    }
    assert.equal(loop.failuresInARow, 4);
    clock.fire();
    await p.settle(1);
    clock.fire();
    await p.settle(2);
    // 120 s, 240 s, then 480 s and 960 s capped at 300 s; after the success the plain interval.
    assert.deepEqual(clock.waits, [0, 120_000, 240_000, 300_000, 300_000, 60_000, 60_000]);
    assert.equal(loop.failuresInARow, 0);
    loop.stop('test over');
  });

  it('stop aborts the poll in flight and drops its outcome; a disallowed poll ends the loop', async () => {
    const clock = new FakeClock();
    const p = manualPoll();
    const seen: unknown[] = [];
    const loop = new PollLoop({ poll: p.poll, onResult: (o) => seen.push(o), allowed: () => true, intervalMs: 15_000, maxBackoffMs: 900_000, timers: clock });
    clock.fire();
    const signal = p.lastSignal()!;
    loop.stop('the folder was removed');
    assert.equal(signal.aborted, true);
    assert.equal((signal.reason as Error).message, 'the folder was removed');
    await p.settle(5);
    assert.deepEqual(seen, []);
    assert.equal(clock.pending, 0);

    let allowed = true;
    const q = manualPoll();
    new PollLoop({ poll: q.poll, onResult: () => {}, allowed: () => allowed, intervalMs: 15_000, maxBackoffMs: 900_000, timers: clock });
    clock.fire();
    await q.settle(1);
    allowed = false;
    assert.equal(clock.fire(), true);
    assert.equal(q.calls, 1, 'no poll once it is not allowed');
    assert.equal(clock.pending, 0, 'and no timer either');
  });
});
