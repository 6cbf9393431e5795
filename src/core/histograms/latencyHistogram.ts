import type * as hdr from 'hdr-histogram-js';
import { build } from 'hdr-histogram-js/dist/HistogramBuilder';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js/dist/encoding';

// The two modules above rather than the package's index, which also loads its log reader/writer
// and Recorder: HistogramLogWriter builds an Intl.NumberFormat at load (~10 ms of a CLI start).

/**
 * The one wrapper around hdr-histogram-js. Values are recorded as integer nanoseconds
 * (hdr-histogram-js cannot record fractions) with 3 significant digits, so every
 * percentile read back is within 0.1% of the recorded value; callers speak milliseconds.
 */
export class LatencyHistogram {
  /** Built on the first percentile/mean query, dropped by every record/add (see `cumulative()`). */
  private cache: CumulativeCounts | undefined;

  private constructor(private readonly h: hdr.Histogram) {}

  static create(): LatencyHistogram {
    return new LatencyHistogram(
      build({
        bitBucketSize: 64,
        autoResize: true,
        lowestDiscernibleValue: 1,
        highestTrackableValue: 2 ** 40,
        numberOfSignificantValueDigits: 3,
        useWebAssembly: false,
      }),
    );
  }

  /** Decodes hdr-histogram-js's compressed base64 (V2 encoding); `unitNs` rescales raw values. */
  static decode(base64: string, unitNs = 1): LatencyHistogram {
    const raw = decodeFromCompressedBase64(base64, 64, false);
    if (unitNs === 1) return new LatencyHistogram(raw);
    const out = LatencyHistogram.create();
    out.addRaw(raw, unitNs);
    return out;
  }

  /** Adds every recorded value of a histogram of another unit, rescaled to nanoseconds. */
  addRaw(raw: hdr.Histogram, unitNs = 1): void {
    this.cache = undefined;
    if (unitNs === 1) {
      this.h.add(raw);
      return;
    }
    // Re-record each bucket at its rescaled median-equivalent value: the error stays within
    // one bucket's half-width of the source plus one of ours.
    const median = (raw as unknown as { medianEquivalentValue(v: number): number }).medianEquivalentValue.bind(raw);
    forEachBucket(raw, (value, count) => this.h.recordValueWithCount(Math.round(median(value) * unitNs), count));
  }

  recordMs(ms: number, count = 1): void {
    this.cache = undefined;
    this.h.recordValueWithCount(Math.round(ms * 1e6), count);
  }

  /**
   * Records a latency measured at a fixed request rate, correcting for coordinated omission
   * exactly like HdrHistogram's recordValueWithExpectedInterval: when the response took longer
   * than the expected interval between requests, the requests that would have been sent in the
   * meantime are recorded too, at `ms - k·interval` for every k while that is at least the
   * interval (100 ms at a 30 ms interval records 100, 70 and 40 ms). An interval ≤ 0 records
   * the value alone.
   */
  recordMsWithExpectedInterval(ms: number, expectedIntervalMs: number): void {
    this.cache = undefined;
    const interval = Math.round(expectedIntervalMs * 1e6);
    this.h.recordValueWithExpectedInterval(Math.round(ms * 1e6), interval > 0 ? interval : 0);
  }

  /** Records a raw integer nanosecond value. */
  recordNs(ns: number, count = 1): void {
    this.cache = undefined;
    this.h.recordValueWithCount(ns, count);
  }

  add(other: LatencyHistogram): void {
    this.cache = undefined;
    this.h.add(other.h);
  }

  get count(): number {
    return this.h.totalCount;
  }

  /**
   * p in 0..100; the highest value equivalent to the nearest-rank sample (HdrHistogram).
   * The rank is computed here because hdr-histogram-js computes it in floating point:
   * 99.9% of 2000 becomes 1998.0000000000002 and rounds up to the wrong rank.
   */
  percentileMs(p: number): number {
    const total = this.h.totalCount;
    if (total === 0 || p >= 100) return valueAtPercentile(this.h, this.cumulative(), Math.min(Math.max(p, 0), 100)) / 1e6;
    const rank = Math.max(1, Math.ceil(Number(((Math.max(p, 0) / 100) * total).toPrecision(12))));
    return valueAtPercentile(this.h, this.cumulative(), ((rank - 0.5) / total) * 100) / 1e6;
  }

  /**
   * The non-empty buckets with their running counts, so that a percentile is a binary search
   * instead of a walk over every bucket (tens of thousands at this precision and range) and the
   * mean is computed once. Rebuilt after any record/add; also when the total count no longer
   * matches, in case the histogram was changed through `raw`.
   */
  private cumulative(): CumulativeCounts {
    if (this.cache?.totalCount !== this.h.totalCount) this.cache = buildCumulative(this.h);
    return this.cache;
  }

  get maxMs(): number {
    return this.h.maxValue / 1e6;
  }

  get minMs(): number {
    return this.h.totalCount === 0 ? 0 : this.h.minNonZeroValue / 1e6;
  }

  get meanMs(): number {
    const cc = this.cumulative();
    cc.mean ??= meanOf(this.h, cc);
    return cc.mean / 1e6;
  }

  encode(): string {
    return encodeIntoCompressedBase64(this.h);
  }

  /** Every distinct recorded bucket: value (ms, highest equivalent) and its count, ascending. */
  buckets(): Array<[valueMs: number, count: number]> {
    const cc = this.cumulative();
    if (!cc.ascending) {
      const out: Array<[number, number]> = [];
      forEachBucket(this.h, (v, c) => out.push([v / 1e6, c]));
      return out;
    }
    // From the cached running counts: no iterator object per bucket.
    const h = this.h as unknown as JsHistogramInternals;
    return cc.indexes.map((index, k) => [h.highestEquivalentValue(h.valueFromIndex(index)) / 1e6, cc.cumulative[k]! - (k > 0 ? cc.cumulative[k - 1]! : 0)]);
  }

  /** The underlying hdr-histogram-js object, for code that must speak its API. */
  get raw(): hdr.Histogram {
    return this.h;
  }
}

/** Calls fn(value, count) for each non-empty bucket, value being the bucket's highest-equivalent. */
function forEachBucket(h: hdr.Histogram, fn: (value: number, count: number) => void): void {
  const js = h as unknown as {
    recordedValuesIterator?: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } };
  };
  const it = js.recordedValuesIterator;
  if (!it) throw new Error('hdr-histogram-js: recorded values iterator unavailable');
  it.reset();
  while (it.hasNext()) {
    const v = it.next();
    fn(v.valueIteratedTo, v.countAtValueIteratedTo);
  }
}

/** The parts of hdr-histogram-js's JsHistogram the cumulative counts read (not in its typings). */
interface JsHistogramInternals {
  totalCount: number;
  countsArrayLength: number;
  /** TypedArrayHistogram's counts (Float64Histogram: a Float64Array). */
  _counts?: unknown;
  getCountAtIndex(index: number): number;
  valueFromIndex(index: number): number;
  lowestEquivalentValue(value: number): number;
  highestEquivalentValue(value: number): number;
  medianEquivalentValue(value: number): number;
}

interface CumulativeCounts {
  /** The histogram's totalCount when this was built. */
  totalCount: number;
  /** Counts-array index of each non-empty bucket, ascending. */
  indexes: number[];
  /** Running count up to and including each of those buckets. */
  cumulative: number[];
  /** hdr-histogram-js's `mean` (same terms, same order), on first use: a call chain per bucket. */
  mean?: number;
  /** False when a count is negative (only after hdr-histogram-js's subtract): search linearly. */
  ascending: boolean;
}

function buildCumulative(histogram: hdr.Histogram): CumulativeCounts {
  const h = histogram as unknown as JsHistogramInternals;
  const indexes: number[] = [];
  const cumulative: number[] = [];
  let running = 0;
  let ascending = true;
  const n = h.countsArrayLength;
  // The typed array behind TypedArrayHistogram (our 64-bit buckets) when it is there: the same
  // numbers getCountAtIndex returns, read without a call per bucket on a cold start.
  const typed = h._counts instanceof Float64Array && h._counts.length >= n ? h._counts : undefined;
  for (let i = 0; i < n; i++) {
    const c = typed ? typed[i]! : h.getCountAtIndex(i);
    if (c === 0) continue;
    if (c < 0) ascending = false;
    running += c;
    indexes.push(i);
    cumulative.push(running);
  }
  return { totalCount: h.totalCount, indexes, cumulative, ascending };
}

/**
 * JsHistogram.mean over the cumulative counts: the sum of medianEquivalentValue(bucket value) x
 * count over the recorded values (its RecordedValuesIterator stops once the running count reaches
 * totalCount), / totalCount.
 */
function meanOf(histogram: hdr.Histogram, cc: CumulativeCounts): number {
  const h = histogram as unknown as JsHistogramInternals;
  const total = h.totalCount;
  if (total === 0) return 0;
  let sum = 0;
  let before = 0;
  for (let k = 0; k < cc.indexes.length && before < total; k++) {
    const index = cc.indexes[k]!;
    sum += h.medianEquivalentValue(h.highestEquivalentValue(h.valueFromIndex(index))) * h.getCountAtIndex(index);
    before = cc.cumulative[k]!;
  }
  return sum / total;
}

/** hdr-histogram-js's ulp (JsHistogram.getValueAtPercentile rounds the count with it). */
const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);

/**
 * JsHistogram.getValueAtPercentile over the cumulative counts: the same count at the percentile,
 * the first bucket whose running count reaches it found by binary search instead of a walk.
 */
function valueAtPercentile(histogram: hdr.Histogram, cc: CumulativeCounts, percentile: number): number {
  const h = histogram as unknown as JsHistogramInternals;
  const requestedPercentile = Math.min(percentile, 100);
  const fpCountAtPercentile = (requestedPercentile / 100.0) * h.totalCount;
  const countAtPercentile = Math.max(Math.ceil(fpCountAtPercentile - ulp(fpCountAtPercentile)), 1);
  const { cumulative } = cc;
  let lo = 0;
  if (cc.ascending) {
    // Not reached (NaN, or beyond the counts): JsHistogram's loop ends and returns 0.
    if (cumulative.length === 0 || !(cumulative[cumulative.length - 1]! >= countAtPercentile)) return 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid]! >= countAtPercentile) hi = mid;
      else lo = mid + 1;
    }
  } else {
    while (lo < cumulative.length && !(cumulative[lo]! >= countAtPercentile)) lo++;
    if (lo === cumulative.length) return 0;
  }
  const valueAtIndex = h.valueFromIndex(cc.indexes[lo]!);
  return percentile === 0.0 ? h.lowestEquivalentValue(valueAtIndex) : h.highestEquivalentValue(valueAtIndex);
}
