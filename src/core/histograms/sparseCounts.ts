import type * as hdr from 'hdr-histogram-js';
import ByteBuffer from 'hdr-histogram-js/dist/ByteBuffer';
import { decompress } from 'hdr-histogram-js/dist/encoding';
import { build } from 'hdr-histogram-js/dist/HistogramBuilder';
import ZigZagEncoding from 'hdr-histogram-js/dist/ZigZagEncoding';
import { decodeBase64, encodeBase64 } from '../base64';

/**
 * The counts of a histogram with LatencyHistogram's layout (1 ns lowest discernible value, 3
 * significant digits), kept as a Map of its non-empty buckets: tens of bytes a bucket, where
 * hdr-histogram-js's Float64Histogram allocates its whole 256 KB counts array up front. A file
 * with thousands of handlers holding a few requests each is thousands of such histograms.
 *
 * The fields and methods are JsHistogram's own (same names, same arithmetic, down to how
 * maxValue and minNonZeroValue move), so `toDense()` is the very histogram the same calls would
 * have built, and the percentile and merge code reads either through `CountsView`.
 */
export class SparseCounts implements CountsTarget {
  /** Counts-array index -> count (a record with count 0 leaves a 0 here, as in the array). */
  readonly counts = new Map<number, number>();
  totalCount = 0;
  maxValue = 0;
  readonly countsArrayLength: number;
  readonly bucketCount: number;
  readonly subBucketCount: number;
  readonly unitMagnitude: number;
  /** Calls to recordCountAtValue so far (LatencyHistogram turns a much-recorded histogram dense). */
  records = 0;

  constructor(
    readonly highestTrackableValue: number,
    readonly autoResize: boolean,
    /** JsHistogram starts at MAX_SAFE_INTEGER; a decoded one at Number.MAX_VALUE. */
    public minNonZeroValue: number = Number.MAX_SAFE_INTEGER,
  ) {
    const l = layout();
    this.bucketCount = l.getBucketsNeededToCoverValue(highestTrackableValue);
    this.countsArrayLength = l.getLengthForNumberOfBuckets(this.bucketCount);
    this.subBucketCount = l.subBucketCount;
    this.unitMagnitude = l.unitMagnitude;
  }

  /**
   * hdr-histogram-js's decodeFromCompressedBase64 into a SparseCounts, without the counts array
   * it would allocate: the same decompress, header and ZigZag reads, and the same totals and
   * extremes as its establishInternalTackingValues. Null when the histogram is of another layout,
   * has more than `maxBuckets` non-empty buckets, the base64 is not canonical, or anything would
   * make hdr-histogram-js throw while building it: the caller decodes it with hdr-histogram-js.
   */
  static decode(base64: string, maxBuckets: number): SparseCounts | null {
    const text = base64.trim();
    const bytes = decodeBase64(text);
    // hdr-histogram-js decodes with base64-js, which reads canonical base64 as decodeBase64 does.
    if (encodeBase64(bytes) !== text) return null;
    const buffer = new ByteBuffer(decompress(bytes));
    const cookie = buffer.getInt32();
    if ((cookie & ~0xf0) !== V2_ENCODING_COOKIE) return null;
    const payloadLength = buffer.getInt32();
    buffer.getInt32(); // normalizingIndexOffset, not used
    const digits = buffer.getInt32();
    const lowest = buffer.getInt64();
    const highest = buffer.getInt64();
    buffer.getInt64(); // integerToDoubleValueConversionRatio, not used
    if (lowest !== 1 || digits !== SIGNIFICANT_DIGITS || !(highest >= 2)) return null;
    const out = new SparseCounts(highest, false, Number.MAX_VALUE);
    // fillCountsArrayFromSourceBuffer: a negative word is a run of zeros; counts beyond the array are dropped.
    const end = buffer.position + payloadLength;
    let index = 0;
    while (buffer.position < end) {
      const count = ZigZagEncoding.decode(buffer);
      if (count < 0) index -= count;
      else {
        if (count > Number.MAX_SAFE_INTEGER) return null;
        if (count > 0 && index < out.countsArrayLength) out.counts.set(index, count);
        if (out.counts.size > maxBuckets) return null;
        index++;
      }
    }
    // establishInternalTackingValues
    let maxIndex = -1;
    let minNonZeroIndex = -1;
    let total = 0;
    forEachNonZero(out, (i, count) => {
      total += count;
      maxIndex = i;
      if (minNonZeroIndex === -1 && i !== 0) minNonZeroIndex = i;
    });
    if (maxIndex >= 0) out.updatedMaxValue(out.highestEquivalentValue(out.valueFromIndex(maxIndex)));
    if (minNonZeroIndex >= 0) out.updateMinNonZeroValue(out.valueFromIndex(minNonZeroIndex));
    out.totalCount = total;
    return out;
  }

  /** The Float64Histogram holding exactly these counts, totals and extremes. */
  toDense(): hdr.Histogram {
    const histogram = build({
      bitBucketSize: 64,
      autoResize: this.autoResize,
      lowestDiscernibleValue: 1,
      highestTrackableValue: this.highestTrackableValue,
      numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
      useWebAssembly: false,
    });
    const h = histogram as unknown as JsHistogramInternals;
    if (h.countsArrayLength !== this.countsArrayLength) throw new Error('sparse histogram: layout mismatch');
    for (const [index, count] of this.counts) h.setCountAtIndex(index, count);
    h.setTotalCount(this.totalCount);
    h.maxValue = this.maxValue;
    h.minNonZeroValue = this.minNonZeroValue;
    return histogram;
  }

  /** The largest value recordable without a resize (JsHistogram.add compares it with the other's max). */
  get highestRecordableValue(): number {
    return this.highestEquivalentValue(this.valueFromIndex(this.countsArrayLength - 1));
  }

  /** JsHistogram.recordCountAtValue; false (and nothing changed) when the value needs a resize or is not a number. */
  tryRecord(count: number, value: number): boolean {
    const index = this.countsArrayIndex(value); // throws on a negative value, as JsHistogram does
    if (!(index < this.countsArrayLength)) return false;
    this.records++;
    this.addToCountAtIndex(index, count);
    this.updateMinAndMax(value);
    this.totalCount += count;
    return true;
  }

  recordCountAtValue(count: number, value: number): void {
    // JsHistogram.add only records values within the range it has checked.
    if (!this.tryRecord(count, value)) throw new Error(`sparse histogram: ${value} is out of range`);
  }

  resize(): void {
    throw new Error('sparse histogram: cannot resize (LatencyHistogram turns it dense first)');
  }

  addToCountAtIndex(index: number, count: number): void {
    const next = (this.counts.get(index) ?? 0) + count;
    // The same (string) throw as TypedArrayHistogram's.
    if (next < Number.MIN_SAFE_INTEGER || next > Number.MAX_SAFE_INTEGER) throw `${next} would overflow integer count`;
    this.counts.set(index, next);
  }

  setTotalCount(total: number): void {
    this.totalCount = total;
  }

  getCountAtIndex(index: number): number {
    return this.counts.get(index) ?? 0;
  }

  // JsHistogram's updates, with its unit magnitude mask 0 (lowest discernible value 1).
  updatedMaxValue(value: number): void {
    this.maxValue = value;
  }

  updateMinNonZeroValue(value: number): void {
    if (value <= 0) return;
    this.minNonZeroValue = Math.floor(value);
  }

  private updateMinAndMax(value: number): void {
    if (value > this.maxValue) this.updatedMaxValue(value);
    if (value < this.minNonZeroValue && value !== 0) this.updateMinNonZeroValue(value);
  }

  // The value arithmetic depends on the layout only: one small JsHistogram does it for all.
  countsArrayIndex(value: number): number {
    return layout().countsArrayIndex(value);
  }

  valueFromIndex(index: number): number {
    return layout().valueFromIndex(index);
  }

  lowestEquivalentValue(value: number): number {
    return layout().lowestEquivalentValue(value);
  }

  highestEquivalentValue(value: number): number {
    return layout().highestEquivalentValue(value);
  }

  medianEquivalentValue(value: number): number {
    return layout().medianEquivalentValue(value);
  }
}

const SIGNIFICANT_DIGITS = 3;
/** hdr-histogram-js's V2 (uncompressed) encoding cookie, without its word-size bits. */
const V2_ENCODING_COOKIE = 0x1c849303;

/** What the percentile, bucket and merge code reads of a histogram (JsHistogram members, not in its typings). */
export interface CountsView {
  readonly totalCount: number;
  readonly maxValue: number;
  readonly minNonZeroValue: number;
  readonly countsArrayLength: number;
  readonly bucketCount: number;
  readonly subBucketCount: number;
  readonly unitMagnitude: number;
  getCountAtIndex(index: number): number;
  countsArrayIndex(value: number): number;
  valueFromIndex(index: number): number;
  lowestEquivalentValue(value: number): number;
  highestEquivalentValue(value: number): number;
  medianEquivalentValue(value: number): number;
}

/** What JsHistogram.add changes of the histogram added to. */
export interface CountsTarget extends CountsView {
  readonly autoResize: boolean;
  resize(value: number): void;
  addToCountAtIndex(index: number, count: number): void;
  setTotalCount(total: number): void;
  updatedMaxValue(value: number): void;
  updateMinNonZeroValue(value: number): void;
  recordCountAtValue(count: number, value: number): void;
}

export interface JsHistogramInternals extends CountsTarget {
  lowestDiscernibleValue: number;
  numberOfSignificantValueDigits: number;
  highestTrackableValue: number;
  maxValue: number;
  minNonZeroValue: number;
  /** TypedArrayHistogram's counts (Float64Histogram: a Float64Array). */
  _counts?: unknown;
  setCountAtIndex(index: number, count: number): void;
  getBucketsNeededToCoverValue(value: number): number;
  getLengthForNumberOfBuckets(buckets: number): number;
}

/** The histogram `h` as the views above (what hdr-histogram-js's JsHistogram has). */
export function internals(h: hdr.Histogram): JsHistogramInternals {
  return h as unknown as JsHistogramInternals;
}

let layoutHistogram: JsHistogramInternals | undefined;

/** A JsHistogram of the layout for its value arithmetic: packed, so it holds almost no counts. */
function layout(): JsHistogramInternals {
  layoutHistogram ??= internals(
    build({ bitBucketSize: 'packed', autoResize: false, lowestDiscernibleValue: 1, highestTrackableValue: 2, numberOfSignificantValueDigits: SIGNIFICANT_DIGITS }),
  );
  return layoutHistogram;
}

/**
 * Calls fn(index, count) for each index whose count is not 0, ascending, until fn returns false.
 * A SparseCounts sorts its few indexes; a dense histogram is walked (its typed array when it has one).
 */
export function forEachNonZero(h: CountsView, fn: (index: number, count: number) => boolean | void): void {
  if (h instanceof SparseCounts) {
    const indexes = [...h.counts.keys()].sort((a, b) => a - b);
    for (const index of indexes) {
      const count = h.counts.get(index)!;
      if (count !== 0 && fn(index, count) === false) return;
    }
    return;
  }
  const n = h.countsArrayLength;
  const counts = (h as JsHistogramInternals)._counts;
  const typed = counts instanceof Float64Array && counts.length >= n ? counts : undefined;
  for (let i = 0; i < n; i++) {
    const count = typed ? typed[i]! : h.getCountAtIndex(i);
    if (count !== 0 && fn(i, count) === false) return;
  }
}

/**
 * JsHistogram.add(other) for a target or source that may be a SparseCounts: the same range
 * check, the same bucket-by-bucket path when both layouts match, and otherwise the same
 * value-by-value records (the other's max bucket first). The start/end timestamps it also
 * merges are not kept by a SparseCounts and never set by Perf Budgets.
 */
export function addCounts(target: CountsTarget, other: CountsView): void {
  const highestRecordable = target.highestEquivalentValue(target.valueFromIndex(target.countsArrayLength - 1));
  if (highestRecordable < other.maxValue) {
    if (!target.autoResize) throw new Error("The other histogram includes values that do not fit in this histogram's range.");
    target.resize(other.maxValue);
  }
  if (target.bucketCount === other.bucketCount && target.subBucketCount === other.subBucketCount && target.unitMagnitude === other.unitMagnitude) {
    let observed = 0;
    forEachNonZero(other, (index, count) => {
      if (count > 0) {
        target.addToCountAtIndex(index, count);
        observed += count;
      }
    });
    target.setTotalCount(target.totalCount + observed);
    target.updatedMaxValue(Math.max(target.maxValue, other.maxValue));
    target.updateMinNonZeroValue(Math.min(target.minNonZeroValue, other.minNonZeroValue));
    return;
  }
  const otherMaxIndex = other.countsArrayIndex(other.maxValue);
  target.recordCountAtValue(other.getCountAtIndex(otherMaxIndex), other.valueFromIndex(otherMaxIndex));
  forEachNonZero(other, (index, count) => {
    if (index >= otherMaxIndex) return false;
    if (count > 0) target.recordCountAtValue(count, other.valueFromIndex(index));
  });
}
