import type * as hdr from 'hdr-histogram-js';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js/dist/encoding';
import { addCounts, type CountsView, forEachNonZero, internals, SparseCounts } from './sparseCounts';

// hdr-histogram-js's encoding module (and HistogramBuilder, in sparseCounts.ts) rather than the
// package's index, which also loads its log reader/writer and Recorder: HistogramLogWriter
// builds an Intl.NumberFormat at load (~10 ms of a CLI start).

/**
 * Non-empty buckets a histogram keeps in a SparseCounts (a Map, tens of bytes each) before it takes
 * hdr-histogram-js's counts array, 256 KB at this precision and range however few values it holds.
 */
const SPARSE_MAX_BUCKETS = 1024;
/** Values recorded one by one after which it takes the array anyway: recording into it is faster. */
const SPARSE_MAX_RECORDS = 1 << 16;
/** Values above 2^40 ns (18 minutes) resize the histogram (hdr-histogram-js's autoResize). */
const HIGHEST_TRACKABLE = 2 ** 40;

/**
 * The one wrapper around hdr-histogram-js. Values are recorded as integer nanoseconds
 * (hdr-histogram-js cannot record fractions) with 3 significant digits, so every
 * percentile read back is within 0.1% of the recorded value; callers speak milliseconds.
 *
 * A histogram starts sparse (its few non-empty buckets in a Map, see sparseCounts.ts) and takes
 * hdr-histogram-js's dense counts array once it has many buckets or values, or when `raw` is
 * asked for. Both hold the same counts, totals and extremes, so every answer and every encoding
 * is the same either way; only the memory differs.
 */
export class LatencyHistogram {
  /** Built on the first percentile/mean query, dropped by every record/add (see `cumulative()`). */
  private cache: CumulativeCounts | undefined;
  /** Exactly one of the two is set. */
  private sparse: SparseCounts | null;
  private dense: hdr.Histogram | null;

  private constructor(counts: SparseCounts | hdr.Histogram) {
    this.sparse = counts instanceof SparseCounts ? counts : null;
    this.dense = counts instanceof SparseCounts ? null : counts;
  }

  static create(): LatencyHistogram {
    // What build({ bitBucketSize: 64, autoResize: true, lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 40,
    // numberOfSignificantValueDigits: 3 }) gives, once it turns dense.
    return new LatencyHistogram(new SparseCounts(HIGHEST_TRACKABLE, true));
  }

  /** Decodes hdr-histogram-js's compressed base64 (V2 encoding); `unitNs` rescales raw values. */
  static decode(base64: string, unitNs = 1): LatencyHistogram {
    if (unitNs === 1) return new LatencyHistogram(SparseCounts.decode(base64, SPARSE_MAX_BUCKETS) ?? decodeFromCompressedBase64(base64, 64, false));
    const raw = decodeFromCompressedBase64(base64, 64, false);
    const out = LatencyHistogram.create();
    out.addRaw(raw, unitNs);
    return out;
  }

  /** Adds every recorded value of a histogram of another unit, rescaled to nanoseconds. */
  addRaw(raw: hdr.Histogram, unitNs = 1): void {
    this.addCounts(internals(raw), unitNs);
  }

  /** Adds every recorded value of `other`; of another unit when `unitNs` is not 1, rescaled to nanoseconds. */
  add(other: LatencyHistogram, unitNs = 1): void {
    this.addCounts(other.view, unitNs);
  }

  private addCounts(other: CountsView, unitNs: number): void {
    this.cache = undefined;
    if (unitNs !== 1) {
      // Re-record each bucket at its rescaled median-equivalent value: the error stays within
      // one bucket's half-width of the source plus one of ours.
      forEachBucket(other, (value, count) => this.recordNs(Math.round(other.medianEquivalentValue(value) * unitNs), count));
      return;
    }
    const sparse = this.sparse;
    if (sparse && sparse.highestRecordableValue >= other.maxValue) {
      addCounts(sparse, other);
      this.densifyIfBig(sparse);
      return;
    }
    const dense = this.toDense();
    if (other instanceof SparseCounts) addCounts(internals(dense), other);
    else dense.add(other as unknown as hdr.Histogram);
  }

  recordMs(ms: number, count = 1): void {
    this.recordNs(Math.round(ms * 1e6), count);
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
    const value = Math.round(ms * 1e6);
    if (this.dense) {
      this.dense.recordValueWithExpectedInterval(value, interval > 0 ? interval : 0);
      return;
    }
    // hdr-histogram-js's recordSingleValueWithExpectedInterval, record by record.
    this.recordNs(value);
    if (interval <= 0) return;
    for (let missing = value - interval; missing >= interval; missing -= interval) this.recordNs(missing);
  }

  /** Records a raw integer nanosecond value. */
  recordNs(ns: number, count = 1): void {
    this.cache = undefined;
    const sparse = this.sparse;
    if (sparse?.tryRecord(count, ns)) {
      this.densifyIfBig(sparse);
      return;
    }
    this.toDense().recordValueWithCount(ns, count);
  }

  get count(): number {
    return this.view.totalCount;
  }

  /**
   * p in 0..100; the highest value equivalent to the nearest-rank sample (HdrHistogram).
   * The rank is computed here because hdr-histogram-js computes it in floating point:
   * 99.9% of 2000 becomes 1998.0000000000002 and rounds up to the wrong rank.
   */
  percentileMs(p: number): number {
    const h = this.view;
    const total = h.totalCount;
    if (total === 0 || p >= 100) return valueAtPercentile(h, this.cumulative(), Math.min(Math.max(p, 0), 100)) / 1e6;
    const rank = Math.max(1, Math.ceil(Number(((Math.max(p, 0) / 100) * total).toPrecision(12))));
    return valueAtPercentile(h, this.cumulative(), ((rank - 0.5) / total) * 100) / 1e6;
  }

  /**
   * The non-empty buckets with their running counts, so that a percentile is a binary search
   * instead of a walk over every bucket (tens of thousands at this precision and range) and the
   * mean is computed once. Rebuilt after any record/add; also when the total count no longer
   * matches, in case the histogram was changed through `raw`.
   */
  private cumulative(): CumulativeCounts {
    const h = this.view;
    if (this.cache?.totalCount !== h.totalCount) this.cache = buildCumulative(h);
    return this.cache;
  }

  get maxMs(): number {
    return this.view.maxValue / 1e6;
  }

  /** The largest value recorded, in the units recorded (hdr-histogram-js's maxValue; 0 when empty). */
  get maxRaw(): number {
    return this.view.maxValue;
  }

  get minMs(): number {
    const h = this.view;
    return h.totalCount === 0 ? 0 : h.minNonZeroValue / 1e6;
  }

  get meanMs(): number {
    const cc = this.cumulative();
    cc.mean ??= meanOf(this.view, cc);
    return cc.mean / 1e6;
  }

  encode(): string {
    return encodeIntoCompressedBase64(this.dense ?? this.sparse!.toDense());
  }

  /** Every distinct recorded bucket: value (ms, highest equivalent) and its count, ascending. */
  buckets(): Array<[valueMs: number, count: number]> {
    const cc = this.cumulative();
    const h = this.view;
    if (!cc.ascending) {
      const out: Array<[number, number]> = [];
      forEachBucket(h, (v, c) => out.push([v / 1e6, c]));
      return out;
    }
    // From the cached running counts: no iterator object per bucket, and each value
    // (highestEquivalentValue(valueFromIndex(index))) from its index.
    const half = h.subBucketCount / 2;
    const unit = h.unitMagnitude;
    return cc.indexes.map((index, k) => [highestMsAt(index, half, unit), cc.cumulative[k]! - (k > 0 ? cc.cumulative[k - 1]! : 0)]);
  }

  /**
   * What buckets() gives as two arrays, without a pair per bucket: each bucket's value (ms,
   * highest equivalent) and the running count up to and including it.
   */
  distribution(): { valuesMs: Float64Array; cumulative: Float64Array } {
    const cc = this.cumulative();
    if (!cc.ascending) {
      const buckets = this.buckets();
      const valuesMs = new Float64Array(buckets.length);
      const cumulative = new Float64Array(buckets.length);
      let running = 0;
      buckets.forEach(([v, c], i) => {
        valuesMs[i] = v;
        cumulative[i] = running += c;
      });
      return { valuesMs, cumulative };
    }
    const h = this.view;
    const half = h.subBucketCount / 2;
    const unit = h.unitMagnitude;
    const { indexes, cumulative: running } = cc;
    const n = indexes.length;
    const valuesMs = new Float64Array(n);
    const cumulative = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const index = indexes[k]!;
      valuesMs[k] = highestMsAt(index, half, unit);
      cumulative[k] = running[k]!;
    }
    return { valuesMs, cumulative };
  }

  /** The underlying hdr-histogram-js object, for code that must speak its API (the histogram turns dense). */
  get raw(): hdr.Histogram {
    return this.toDense();
  }

  /** Sparse or dense, whichever holds the counts now. */
  private get view(): CountsView {
    return this.sparse ?? internals(this.dense!);
  }

  private toDense(): hdr.Histogram {
    if (!this.dense) {
      this.dense = this.sparse!.toDense();
      this.sparse = null;
    }
    return this.dense;
  }

  private densifyIfBig(sparse: SparseCounts): void {
    if (sparse.counts.size > SPARSE_MAX_BUCKETS || sparse.records > SPARSE_MAX_RECORDS) this.toDense();
  }
}

/** Calls fn(value, count) for each non-empty bucket, value being the bucket's highest-equivalent. */
function forEachBucket(h: CountsView, fn: (value: number, count: number) => void): void {
  if (h instanceof SparseCounts) {
    // RecordedValuesIterator's walk: each non-empty bucket while the running count is below the total.
    let running = 0;
    forEachNonZero(h, (index, count) => {
      if (!(running < h.totalCount)) return false;
      running += count;
      fn(h.highestEquivalentValue(h.valueFromIndex(index)), count);
    });
    return;
  }
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

function buildCumulative(h: CountsView): CumulativeCounts {
  const indexes: number[] = [];
  const cumulative: number[] = [];
  let running = 0;
  let ascending = true;
  forEachNonZero(h, (i, c) => {
    if (c < 0) ascending = false;
    running += c;
    indexes.push(i);
    cumulative.push(running);
  });
  return { totalCount: h.totalCount, indexes, cumulative, ascending };
}

/**
 * JsHistogram.mean over the cumulative counts: the sum of medianEquivalentValue(bucket value) x
 * count over the recorded values (its RecordedValuesIterator stops once the running count reaches
 * totalCount), / totalCount.
 */
function meanOf(h: CountsView, cc: CumulativeCounts): number {
  const total = h.totalCount;
  if (total === 0) return 0;
  let sum = 0;
  let before = 0;
  const half = h.subBucketCount / 2;
  const unit = h.unitMagnitude;
  for (let k = 0; k < cc.indexes.length && before < total; k++) {
    const index = cc.indexes[k]!;
    // medianEquivalentValue(highestEquivalentValue(valueFromIndex(index))), from the index alone.
    const width = widthAt(index, half, unit);
    sum += (lowestAt(index, half, unit) + Math.floor(width / 2)) * h.getCountAtIndex(index);
    before = cc.cumulative[k]!;
  }
  return sum / total;
}

/**
 * valueFromIndex(index): the lowest value of the bucket at a counts-array index (`half`:
 * subBucketCount / 2). Its sub-bucket is below subBucketCount, so every value of the bucket
 * (up to highestEquivalentValue) has the same lowest value and the width widthAt gives; the
 * call chains of hdr-histogram-js recompute both from the value, per bucket.
 */
function lowestAt(index: number, half: number, unit: number): number {
  const bucket = Math.floor(index / half) - 1;
  return bucket < 0 ? index * pow2(unit) : ((index % half) + half) * pow2(bucket + unit);
}

/** highestEquivalentValue(valueFromIndex(index)), in ms: what buckets() and distribution() call a bucket's value. */
function highestMsAt(index: number, half: number, unit: number): number {
  return (lowestAt(index, half, unit) + widthAt(index, half, unit) - 1) / 1e6;
}

/** sizeOfEquivalentValueRange(valueFromIndex(index)). */
function widthAt(index: number, half: number, unit: number): number {
  return pow2(Math.max(0, Math.floor(index / half) - 1) + unit);
}

/** 2^n for the exponents a histogram's buckets have (a table: Math.pow per bucket was a third of an ECDF's build). */
const POW2 = Float64Array.from({ length: 1024 }, (_, n) => 2 ** n);
const pow2 = (n: number): number => (n < 1024 ? POW2[n]! : 2 ** n);

/** hdr-histogram-js's ulp (JsHistogram.getValueAtPercentile rounds the count with it). */
const ulp = (x: number): number => Math.pow(2, Math.floor(Math.log2(x)) - 52);

/**
 * JsHistogram.getValueAtPercentile over the cumulative counts: the same count at the percentile,
 * the first bucket whose running count reaches it found by binary search instead of a walk.
 */
function valueAtPercentile(h: CountsView, cc: CumulativeCounts, percentile: number): number {
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
