import type { SampleSupport } from '../kinds';
import type { Series } from '../series';
import { Ecdf } from './ecdf';

/**
 * Whether n requests can support a percentile, without assuming anything about the latency
 * distribution (only that the requests are independent draws from it).
 *
 * 1. Too few: the nearest-rank q-quantile of n samples is the sample at rank ceil(nq). It is a
 *    sample below the maximum only when ceil(nq) ≤ n − 1, that is n(1 − q) ≥ 1: n ≥ ceil(1/(1 − q)).
 *    Below that, "p95" is the maximum under another name (p50 needs 2, p90 10, p95 20, p99 100,
 *    p99.9 1000).
 * 2. The interval: B, the number of samples at or below the true q-quantile ξ, is Binomial(n, q),
 *    and X(l) ≤ ξ < X(u) exactly when l ≤ B < u. The ranks are the innermost l and u with
 *    P(B < l) ≤ α/2 and P(B ≥ u) ≤ α/2, so [X(l), X(u)] covers ξ with probability ≥ 1 − α
 *    (exactly, not by a normal approximation; ties in the data only make it more). When
 *    (1 − q)^n > α/2 no rank bounds ξ from below, and when q^n > α/2 none from above (p95 needs
 *    72 requests for an upper bound): that end is null, unbounded.
 * 3. The budget inside the interval: the verdict could go either way ("straddles").
 */

/** Requests a percentile p (0 < p < 100) needs before it is more than the maximum: ceil(1/(1 − p/100)). */
export function samplesNeeded(p: number): number {
  // 100 / (100 − 99.9) is 1000.00000000006 in floating point: round before the ceiling.
  return Math.ceil(Number((100 / (100 - p)).toPrecision(12)));
}

/** The 1-based ranks of the order statistics bounding the q-quantile; null where no rank does. */
export interface QuantileRanks {
  lower: number | null;
  upper: number | null;
  /** P(lower ≤ B < upper), B ~ Binomial(n, q), with a missing end as 0 or n + 1. */
  coverage: number;
}

/** The distribution-free confidence ranks of the q-quantile (0 < q < 1) of n samples (see above). */
export function quantileRanks(n: number, q: number, confidence = 0.95): QuantileRanks {
  const tail = (1 - confidence) / 2;
  const { window, from, to } = binomial(n, q);
  // Below `from` and above `to` the probabilities are 0 (to double precision): start at the window.
  let below = 0;
  let lower: number | null = from > 0 ? from : null;
  for (let k = from; k < n; k++) {
    below += k > to ? 0 : window[k - from]!;
    // P(B < k + 1) = P(B ≤ k): rank k + 1 works while that is within the tail.
    if (below <= tail) lower = k + 1;
    else break;
  }
  let above = 0;
  let upper: number | null = to < n ? to + 1 : null;
  for (let k = to; k >= 1; k--) {
    above += k < from ? 0 : window[k - from]!;
    // P(B ≥ k) within the tail: rank k works.
    if (above <= tail) upper = k;
    else break;
  }
  let coverage = 0;
  for (let k = Math.max(from, lower ?? 0), end = Math.min(to + 1, upper ?? n + 1); k < end; k++) coverage += window[k - from]!;
  return { lower, upper, coverage: Math.min(1, coverage) };
}

/**
 * Binomial(n, q) probabilities; 0 far out in the tails, beyond 12σ + 40 of the mean, where all of
 * them together are below 1e-25 and would only cost time. The window is filled once: the pmf at
 * the mode from log-factorials (no overflow at millions of requests), then outwards by the ratio
 * of neighbours, pmf(k + 1) = pmf(k) · (n − k) / (k + 1) · q / (1 − q), a multiplication per k
 * (one log and one exp per k cost four times as much, log-factorials at every k forty). Inside the
 * window nothing underflows: the smallest value is near e^−72 / σ. Each step rounds by at most an
 * ulp: at a million requests the 2,700 steps to either edge leave a relative error near 1e-13.
 * Against the log-space fill on 18,582 (n, q) pairs: identical ranks, coverage within 1.6e-14.
 */
/** `window[k − from]` is P(B = k) for k in [from, to]; 0 outside. */
function binomial(n: number, q: number): { window: Float64Array; from: number; to: number } {
  const logQ = Math.log(q);
  const log1Q = Math.log1p(-q);
  const sd = Math.sqrt(n * q * (1 - q));
  // Bernstein's inequality, P(|B − nq| ≥ t) ≤ 2·exp(−t² / (2σ² + 2t/3)), bounds the mass left
  // out at t = 12σ + 40 by 2e^−60 (below 1e-25) whatever σ: the exponent is
  // (144σ² + 960σ + 1600) / (2σ² + 8σ + 80/3), 60 at σ = 0 (few requests, q near 1) and tending
  // to 72. That is below the last bit of every tail sum here (0.025 has ulps of 3.5e-18); the
  // ranks and coverage were identical to the ±40σ window's on 18,582 (n, q) pairs.
  const from = Math.max(0, Math.floor(n * q - 12 * sd - 40));
  const to = Math.min(n, Math.ceil(n * q + 12 * sd + 40));
  const window = new Float64Array(to - from + 1);
  const mode = Math.min(to, Math.max(from, Math.floor((n + 1) * q)));
  const atMode = logFactorial(n) - logFactorial(mode) - logFactorial(n - mode) + mode * logQ + (n - mode) * log1Q;
  const peak = Math.exp(atMode);
  window[mode - from] = peak;
  const odds = q / (1 - q);
  let p = peak;
  for (let k = mode; k < to; k++) {
    p *= ((n - k) / (k + 1)) * odds;
    window[k + 1 - from] = p;
  }
  p = peak;
  for (let k = mode; k > from; k--) {
    p *= k / (n - k + 1) / odds;
    window[k - 1 - from] = p;
  }
  return { window, from, to };
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log(k!), exactly summed for small k, by the Lanczos approximation (g = 7) above. */
function logFactorial(k: number): number {
  if (k < 2) return 0;
  if (k < 30) {
    let s = 0;
    for (let i = 2; i <= k; i++) s += Math.log(i);
    return s;
  }
  const x = k; // log Γ(k + 1) = log Γ(x + 1)
  let a = LANCZOS[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * How far the series supports its percentile p (0 < p < 100) against `budget`: null for max (p
 * 100) and when the request count is unknown. The interval is read off the histogram (the
 * histogram's value at each rank, within its 0.1% resolution); a summary-only series (the tool's
 * printed percentiles, no distribution) has only the count rule, and `ci` null.
 */
export function sampleSupport(series: Series, p: number, budget: number, confidence = 0.95): SampleSupport | null {
  if (!(p > 0 && p < 100)) return null;
  const h = series.histogram && series.histogram.count > 0 ? series.histogram : null;
  const n = h ? h.count : series.count;
  if (n === null || !(n > 0)) return null;
  const needed = samplesNeeded(p);
  let ci: SampleSupport['ci'] = null;
  if (h) {
    const ecdf = Ecdf.of(h);
    const r = quantileRanks(ecdf.count, p / 100, confidence);
    ci = [r.lower === null ? null : ecdf.atRank(r.lower), r.upper === null ? null : ecdf.atRank(r.upper)];
  }
  const straddles = ci !== null && (ci[0] === null || ci[0] < budget) && (ci[1] === null || budget < ci[1]);
  return { n, needed, ci, enough: n >= needed, straddles };
}

/**
 * The verdict may not hold: the budget lies inside the interval, or there are too few requests
 * and no distribution to draw an interval from. (Too few requests with an interval that clears
 * the budget is still a verdict: every request was far enough from it.)
 */
export function supportInDoubt(s: SampleSupport | undefined): boolean {
  return !!s && (s.straddles || (!s.enough && s.ci === null));
}
