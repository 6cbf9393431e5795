import * as hdr from 'hdr-histogram-js';

/**
 * The one wrapper around hdr-histogram-js. Values are recorded as integer nanoseconds
 * (hdr-histogram-js cannot record fractions) with 3 significant digits, so every
 * percentile read back is within 0.1% of the recorded value; callers speak milliseconds.
 */
export class LatencyHistogram {
  private constructor(private readonly h: hdr.Histogram) {}

  static create(): LatencyHistogram {
    return new LatencyHistogram(
      hdr.build({
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
    const raw = hdr.decodeFromCompressedBase64(base64, 64, false);
    if (unitNs === 1) return new LatencyHistogram(raw);
    const out = LatencyHistogram.create();
    out.addRaw(raw, unitNs);
    return out;
  }

  /** Adds every recorded value of a histogram of another unit, rescaled to nanoseconds. */
  addRaw(raw: hdr.Histogram, unitNs = 1): void {
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
    const interval = Math.round(expectedIntervalMs * 1e6);
    this.h.recordValueWithExpectedInterval(Math.round(ms * 1e6), interval > 0 ? interval : 0);
  }

  /** Records a raw integer nanosecond value. */
  recordNs(ns: number, count = 1): void {
    this.h.recordValueWithCount(ns, count);
  }

  add(other: LatencyHistogram): void {
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
    if (total === 0 || p >= 100) return this.h.getValueAtPercentile(Math.min(Math.max(p, 0), 100)) / 1e6;
    const rank = Math.max(1, Math.ceil(Number(((Math.max(p, 0) / 100) * total).toPrecision(12))));
    return this.h.getValueAtPercentile(((rank - 0.5) / total) * 100) / 1e6;
  }

  get maxMs(): number {
    return this.h.maxValue / 1e6;
  }

  get minMs(): number {
    return this.h.totalCount === 0 ? 0 : this.h.minNonZeroValue / 1e6;
  }

  get meanMs(): number {
    return this.h.mean / 1e6;
  }

  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h);
  }

  /** Every distinct recorded bucket: value (ms, highest equivalent) and its count, ascending. */
  buckets(): Array<[valueMs: number, count: number]> {
    const out: Array<[number, number]> = [];
    forEachBucket(this.h, (v, c) => out.push([v / 1e6, c]));
    return out;
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
