// The stall benches' one instrument: this thread's event loop watched while `during` runs, by
// perf_hooks' delay histogram and by the drift of a 5 ms interval (the histogram alone can miss
// a stall shorter than its resolution).
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopWindow {
  ms: number;
  /** Longest stall: the larger of the histogram's max delay and the interval's max drift. */
  maxStallMs: number;
  histogramMaxMs: number;
  intervalMaxDriftMs: number;
  p99StallMs: number;
}

/** Watches this thread's event loop until `during` settles. */
export async function watchEventLoop(during: () => PromiseLike<unknown>, resolutionMs: number): Promise<EventLoopWindow> {
  const h = monitorEventLoopDelay({ resolution: resolutionMs });
  let last = performance.now();
  let drift = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    drift = Math.max(drift, now - last - 5);
    last = now;
  }, 5);
  h.enable();
  const started = performance.now();
  try {
    await during();
  } finally {
    h.disable();
    clearInterval(timer);
  }
  const ms = performance.now() - started;
  const histogramMaxMs = h.max / 1e6;
  return { ms, maxStallMs: Math.max(histogramMaxMs, drift), histogramMaxMs, intervalMaxDriftMs: drift, p99StallMs: h.percentile(99) / 1e6 };
}
