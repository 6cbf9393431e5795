import { parsePromFloat, percentilesInBuckets } from '../formats/prometheus';
import type { PercentileMap, QuantileBucket } from '../series';

/**
 * A native histogram as the query API writes it (Prometheus ≥ 2.40, docs "Native histograms" of
 * the HTTP API): numbers as strings; each bucket [boundary rule, lower, upper, count], rule 0 open
 * left, 1 open right, 2 open both, 3 closed both.
 */
export interface NativeHistogram {
  count: string;
  sum: string;
  buckets?: Array<[number, string, string, string]>;
}

/**
 * PromQL `histogram_quantile` of a native histogram as Prometheus 2.x computes it (promql/
 * quantile.go histogramQuantile): walk the buckets in order until the cumulative count reaches
 * rank = q × count, then interpolate linearly inside that bucket; a zero bucket straddling 0 of a
 * histogram without negative buckets starts at 0. NaN for an empty histogram. Returns the bucket too.
 */
export function nativeQuantile(q: number, h: NativeHistogram): { value: number; lower: number; upper: number } {
  const total = parsePromFloat(h.count) ?? NaN;
  const buckets = (h.buckets ?? [])
    .map(([, lo, up, c]) => ({ lower: parsePromFloat(lo) ?? NaN, upper: parsePromFloat(up) ?? NaN, count: parsePromFloat(c) ?? NaN }))
    .filter((b) => !Number.isNaN(b.lower) && !Number.isNaN(b.upper) && b.count >= 0)
    .sort((a, b) => a.lower - b.lower || a.upper - b.upper);
  if (!(total > 0) || buckets.length === 0 || Number.isNaN(q)) return { value: NaN, lower: NaN, upper: NaN };
  const rank = q * total;
  let count = 0;
  let bucket = buckets[0]!;
  for (const b of buckets) {
    bucket = b;
    count += b.count;
    if (count >= rank) break;
  }
  const noNegative = !buckets.some((b) => b.upper <= 0 && b.lower < 0);
  const lower = bucket.lower < 0 && bucket.upper > 0 && noNegative ? 0 : bucket.lower;
  if (count > total) count = total;
  if (count < rank) return { value: bucket.upper, lower, upper: bucket.upper };
  const inBucket = rank - (count - bucket.count);
  return { value: lower + (bucket.upper - lower) * (inBucket / bucket.count), lower, upper: bucket.upper };
}

/** Quantiles 50 … 99.9 of a native histogram in ms with their buckets, like `bucketedPercentiles`. */
export function nativeBucketed(h: NativeHistogram, toMs: (v: number) => number): { percentiles: PercentileMap; buckets: Record<string, QuantileBucket> } {
  return percentilesInBuckets((q) => nativeQuantile(q, h), toMs);
}
