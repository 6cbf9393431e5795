import { Ecdf } from './ecdf';
import { normalCdf, normalQuantile } from './random';

/** A distribution-free confidence interval of a quantile from the order statistics. */
export interface QuantileInterval {
  estimate: number;
  lo: number;
  hi: number;
  confidence: number;
  n: number;
}

/**
 * The p-quantile's confidence interval from a histogram: the order statistics at ranks
 * np ∓ z·√(np(1−p)) (the binomial distribution of the rank, normal approximation; exact enough
 * for the thousands of requests a load test makes). No assumption about the latency distribution.
 */
export function quantileInterval(ecdf: Ecdf, p: number, confidence = 0.95): QuantileInterval {
  const n = ecdf.count;
  const q = p / 100;
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const center = n * q;
  const spread = z * Math.sqrt(n * q * (1 - q));
  return {
    estimate: ecdf.quantile(q),
    lo: ecdf.atRank(Math.floor(center - spread)),
    hi: ecdf.atRank(Math.ceil(center + spread) + 1),
    confidence,
    n,
  };
}

/** Relative precision of a histogram bucket (3 significant digits): the floor of any standard error. */
const RESOLUTION = 1 / 2048;

/**
 * Standard error of log(quantile), from the order statistics one binomial standard deviation
 * either side of the rank (a distribution-free density estimate at the quantile).
 */
function logQuantileSe(ecdf: Ecdf, q: number): number {
  const n = ecdf.count;
  const sd = Math.sqrt(n * q * (1 - q));
  const lo = ecdf.atRank(Math.floor(n * q - sd));
  const hi = ecdf.atRank(Math.ceil(n * q + sd) + 1);
  if (lo <= 0 || hi <= 0) return Infinity;
  return Math.max((Math.log(hi) - Math.log(lo)) / 2, RESOLUTION);
}

export interface RatioTest {
  /** current / baseline at the quantile. */
  ratio: number;
  /** Confidence interval of the ratio. */
  lo: number;
  hi: number;
  /** One-sided p-value of "the quantile grew by more than the threshold" (small = regression). */
  pRegressed: number;
  /** One-sided p-value of "the quantile shrank by more than the threshold". */
  pImproved: number;
  /** Standard error of log(ratio). */
  se: number;
  n: [current: number, baseline: number];
}

/**
 * Compares the p-quantile of two histograms: the log of the ratio with a standard error from
 * each side's order statistics (Wald interval on the log scale), tested against the regression
 * threshold t: H0 "ratio ≤ 1+t" for a regression, H0 "ratio ≥ 1/(1+t)" for an improvement.
 */
export function compareQuantile(current: Ecdf, baseline: Ecdf, p: number, threshold: number, confidence = 0.95): RatioTest | null {
  if (current.count < 2 || baseline.count < 2) return null;
  const q = p / 100;
  const c = current.quantile(q);
  const b = baseline.quantile(q);
  if (c <= 0 || b <= 0) return null;
  const se = Math.hypot(logQuantileSe(current, q), logQuantileSe(baseline, q));
  const logRatio = Math.log(c / b);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const up = Math.log(1 + threshold);
  return {
    ratio: c / b,
    lo: Math.exp(logRatio - z * se),
    hi: Math.exp(logRatio + z * se),
    pRegressed: Number.isFinite(se) ? 1 - normalCdf((logRatio - up) / se) : 1,
    pImproved: Number.isFinite(se) ? normalCdf((logRatio + up) / se) : 1,
    se,
    n: [current.count, baseline.count],
  };
}

/**
 * How many requests per side would likely make an inconclusive comparison decisive: the
 * standard error shrinks as 1/√n, so n grows by (z·se / distance-to-threshold)².
 */
export function requestsToDecide(test: RatioTest, threshold: number, confidence = 0.95): number | null {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const distance = Math.abs(Math.log(test.ratio) - Math.log(1 + threshold));
  if (distance < 1e-9 || !Number.isFinite(test.se)) return null;
  const factor = ((z * test.se) / distance) ** 2;
  const n = Math.max(...test.n);
  return Math.max(0, Math.ceil(n * factor - n));
}

export { Ecdf };
