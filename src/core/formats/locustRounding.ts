import type { PercentileMap, QuantileBucket } from '../series';

/**
 * Locust's response-time rounding (locust/stats.py `StatsEntry._log_response_time`, the same in
 * 0.13, 2.12 and 2.3x): every response time is stored in the `response_times` histogram under a
 * rounded key, and every percentile Locust prints is one of those keys:
 *
 * - below 100 ms: to the integer (Python `round(t)`),
 * - 100 - 999 ms: to the nearest 10 (`round(t, -1)`: 147 -> 150),
 * - 1000 - 9999 ms: to the nearest 100 (3432 -> 3400),
 * - 10000 ms and more: to the nearest 1000 (169 664 -> 170 000).
 *
 * So a printed percentile k of 100 ms or more stands for any time the rounding sends to k:
 * `keyInterval` gives that interval (the union over the bands that can give k: 100 comes from
 * [99.5, 105], 1000 from [995, 1050]). Below 100 ms the key is the integer millisecond, as
 * printed (kept like any tool's whole-millisecond figure: no interval).
 */

/** [lowest ms, highest ms, rounding step] of each band. */
const BANDS: ReadonlyArray<readonly [number, number, number]> = [
  [0, 100, 1],
  [100, 1000, 10],
  [1000, 10000, 100],
  [10000, Infinity, 1000],
];

/** Keys from here up are rounded to 10 ms or coarser. */
export const ROUNDED_FROM_MS = 100;

/** The times (ms) Locust's rounding sends to key k, or null when k is no key it can produce. */
export function keyInterval(k: number): QuantileBucket | null {
  let lower = Infinity;
  let upper = -Infinity;
  for (const [lo, hi, step] of BANDS) {
    if (!Number.isInteger(k / step)) continue;
    const a = Math.max(lo, k - step / 2);
    const b = Math.min(hi, k + step / 2);
    if (a > b || (a === b && b === hi)) continue;
    lower = Math.min(lower, a);
    upper = Math.max(upper, b);
  }
  return lower <= upper ? { lower, upper } : null;
}

/**
 * Locust-rounded percentiles (key -> ms, as Locust printed or as the nearest rank over its
 * histogram gives them) made honest: each value clamped to the exact max response time the file
 * states (a rounded p95 of 170 000 ms above a 169 664 ms max is the max), and, for each value of
 * 100 ms or more, the interval its rounding allows in `buckets`, clamped to [min, max].
 * `exact` is false when any value has such an interval. The "100" key is left as given (callers
 * put the exact max there).
 */
export function roundedPercentiles(
  rounded: PercentileMap,
  minMs: number | null,
  maxMs: number | null,
): { percentiles: PercentileMap; buckets: Record<string, QuantileBucket>; exact: boolean } {
  const percentiles: PercentileMap = {};
  const buckets: Record<string, QuantileBucket> = {};
  for (const [key, v] of Object.entries(rounded)) {
    if (key === '100') {
      percentiles[key] = v;
      continue;
    }
    const toMax = (x: number) => Math.min(maxMs ?? Infinity, x);
    percentiles[key] = toMax(v);
    const interval = v >= ROUNDED_FROM_MS ? keyInterval(v) : null;
    if (interval) {
      const upper = toMax(interval.upper);
      buckets[key] = { lower: Math.min(upper, Math.max(minMs ?? 0, interval.lower)), upper };
    }
  }
  return { percentiles, buckets, exact: Object.keys(buckets).length === 0 };
}
