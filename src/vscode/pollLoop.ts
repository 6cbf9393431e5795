/** Timers as the loop uses them (the real ones in the editor, a fake clock in tests). */
export interface PollTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface PollLoopOptions<T> {
  /** One poll; it must settle, and stop early when `signal` aborts. */
  poll: (signal: AbortSignal) => Promise<T>;
  /** Told of every poll's outcome (not after stop). */
  onResult: (outcome: { ok: true; value: T } | { ok: false; error: Error }) => void;
  /** Asked before each poll: false skips it and ends the loop (an untrusted workspace, a removed folder). */
  allowed: () => boolean;
  intervalMs: number;
  /** The longest wait after failures (interval × 2^failures, capped here; never below the interval). */
  maxBackoffMs: number;
  timers?: PollTimers;
}

/**
 * Polls now, then `intervalMs` after each poll ENDS, so polls never overlap: the invariant is at
 * most one poll in flight, and a timer only while none is. After n failures in a row the next wait
 * is interval × 2^n, capped at `maxBackoffMs`; a success resets it. `stop` clears the timer and
 * aborts the poll in flight, whose outcome is then dropped. No vscode here: tests drive it in
 * plain Node.
 */
export class PollLoop<T> {
  private timer: unknown;
  private inFlight: AbortController | undefined;
  private failures = 0;
  private stopped = false;
  private readonly timers: PollTimers;

  constructor(private readonly o: PollLoopOptions<T>) {
    this.timers = o.timers ?? { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
    this.arm(0);
  }

  /** The interval from the next wait on (a setting changed). */
  set intervalMs(ms: number) {
    this.o.intervalMs = ms;
  }

  /** Failed polls in a row. */
  get failuresInARow(): number {
    return this.failures;
  }

  stop(reason: string): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight?.abort(new DOMException(reason, 'AbortError'));
  }

  private arm(ms: number): void {
    this.timer = this.timers.setTimeout(() => void this.run(), ms);
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (this.stopped || !this.o.allowed()) return;
    const abort = (this.inFlight = new AbortController());
    let outcome: { ok: true; value: T } | { ok: false; error: Error };
    try {
      outcome = { ok: true, value: await this.o.poll(abort.signal) };
      this.failures = 0;
    } catch (e) {
      outcome = { ok: false, error: e instanceof Error ? e : new Error(String(e)) };
      this.failures++;
    } finally {
      this.inFlight = undefined;
    }
    if (this.stopped) return;
    this.o.onResult(outcome);
    const backoff = Math.min(this.o.intervalMs * 2 ** this.failures, Math.max(this.o.maxBackoffMs, this.o.intervalMs));
    this.arm(this.failures === 0 ? this.o.intervalMs : backoff);
  }
}
