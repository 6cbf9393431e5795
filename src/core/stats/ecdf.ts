import type { LatencyHistogram } from '../histograms/latencyHistogram';

// Keyed by the histogram object, so it lives exactly as long as the histogram does.
const CACHE = new WeakMap<LatencyHistogram, Ecdf>();

/**
 * The empirical distribution of a histogram as sorted bucket values with cumulative counts:
 * the value at any rank in O(log buckets). Values are the histogram's highest-equivalent
 * values (the same convention as LatencyHistogram.percentileMs).
 */
export class Ecdf {
  private constructor(
    private readonly values: Float64Array,
    private readonly cumulative: Float64Array,
    readonly count: number,
  ) {}

  /** The distribution of a histogram; cached while the histogram's count is unchanged. */
  static of(h: LatencyHistogram): Ecdf {
    const cached = CACHE.get(h);
    if (cached && cached.count === h.count) return cached;
    const e = Ecdf.build(h);
    CACHE.set(h, e);
    return e;
  }

  private static build(h: LatencyHistogram): Ecdf {
    const { valuesMs, cumulative } = h.distribution();
    return new Ecdf(valuesMs, cumulative, cumulative.length === 0 ? 0 : cumulative[cumulative.length - 1]!);
  }

  /** The value of the sample at 1-based rank r (clamped to 1..count). */
  atRank(r: number): number {
    const rank = Math.min(this.count, Math.max(1, Math.ceil(r)));
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! >= rank) hi = mid;
      else lo = mid + 1;
    }
    return this.values[lo]!;
  }

  /** Nearest-rank quantile, q in (0, 1]. */
  quantile(q: number): number {
    return this.atRank(Number((q * this.count).toPrecision(12)));
  }

  /** How many samples are at or below v. */
  countAtOrBelow(v: number): number {
    let lo = 0;
    let hi = this.values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.values[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : this.cumulative[lo - 1]!;
  }
}
