/**
 * Readable budget numbers. A budget proposed from a measurement is the measured value times a
 * headroom, rounded UP to the next number on the ladder 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k:
 * 87 ms × 1.5 = 130.5 ms → 150 ms; 200 ms × 1.5 = 300 ms → 300 ms (already on the ladder);
 * 0.7 ms × 1.5 = 1.05 ms → 1.5 ms. A human reads "150ms" and edits it; "130.5ms" looks measured.
 */

export const READABLE_LADDER: readonly number[] = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

/** The smallest ladder value at or above `x` (x > 0); 1 for x <= 0 or not finite. */
export function readableCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  let k = Math.floor(Math.log10(x));
  for (let step = 0; step < 3; step++, k++) {
    for (const m of READABLE_LADDER) {
      const v = Number((m * 10 ** k).toPrecision(12));
      // A value on the ladder stays itself despite float noise (0.1 * 3 = 0.30000000000000004).
      if (v >= x * (1 - 1e-12)) return v;
    }
  }
  return Number((10 ** k).toPrecision(12));
}

/** The proposed budget for a measured value: readableCeil(measured × headroom). */
export function proposedBudget(measured: number, headroom: number): number {
  return readableCeil(measured * headroom);
}

/** Milliseconds as perf-budgets.json writes a duration: "850us", "150ms", "1.5s". */
export function durationText(ms: number): string {
  const clean = (v: number) => String(Number(v.toPrecision(6)));
  if (ms >= 1000) return `${clean(ms / 1000)}s`;
  if (ms < 1) return `${clean(ms * 1000)}us`;
  return `${clean(ms)}ms`;
}

/** A fraction as perf-budgets.json writes a percentage: 0.01 → "1%", 0.005 → "0.5%". */
export function percentText(fraction: number): string {
  return `${String(Number((fraction * 100).toPrecision(6)))}%`;
}

/** Milliseconds for a comment: "87 ms", "1.62 s", "450 us", three significant digits. */
export function measuredText(ms: number): string {
  const three = (v: number) => String(Number(v.toPrecision(3)));
  if (ms >= 1000) return `${three(ms / 1000)} s`;
  if (ms < 1) return `${three(ms * 1000)} us`;
  return `${three(ms)} ms`;
}
