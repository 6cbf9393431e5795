import type { HandlerResult, Verdict } from '../budgets/evaluate';
import { LATENCY_METRICS, type LatencyMetric, type Metric } from '../kinds';
import { type RunSummary, runValues } from '../series';
import { formatDuration } from '../units';
import { compareRuns, runsNeeded, runsOutcome, type RunComparison } from './compareRuns';
import { Ecdf } from './ecdf';
import { holmAdjust } from './multipleTesting';
import { compareQuantile, quantileInterval, requestsToDecide, type RatioTest } from './quantileTest';

const PERCENTILE: Record<LatencyMetric, number> = { p50: 50, p90: 90, p95: 95, p99: 99, p999: 99.9, max: 100 };

/** How a regression verdict was reached, said beside it. */
export type RegressionMethod = 'histogram-ci' | 'runs-mann-whitney' | 'threshold';

export interface RegressionEvidence {
  method: RegressionMethod;
  /** Confidence interval of this run's value (latency percentiles from histograms). */
  valueCi?: [number, number];
  /** Confidence interval of current / baseline. */
  ratioCi?: [number, number];
  /** Holm-adjusted one-sided p-value of the verdict's direction. */
  pValue?: number;
  /** For inconclusive verdicts: roughly how many more requests per side would decide it. */
  moreRequests?: number | null;
  /** Why the plain threshold was used; or, within-run, why between-run noise was not measured. */
  note?: string;
  /** Between-run (method runs-mann-whitney): the rank test of the per-run values, p unadjusted. */
  runs?: RunComparison;
  /** Runs per side needed before the rank test can reach α at all (when these runs cannot). */
  runsNeeded?: number;
  /** The value is known only to a histogram bucket that holds the threshold-scaled baseline. */
  bucketHint?: string;
}

export interface StatsOptions {
  /** Regression threshold as a fraction (0.1 = 10%). */
  threshold: number;
  /** Family-wise false-alarm rate over all handlers and metrics of one evaluation. */
  alpha?: number;
  confidence?: number;
}

/**
 * Replaces the plain-threshold regression verdicts by statistical ones where both sides have
 * histograms: regressed only when the growth beyond the threshold is significant after
 * Holm–Bonferroni over every test of the run; inconclusive when the interval straddles the
 * threshold; unchanged or improved otherwise. Other metrics keep the threshold verdict, labelled.
 */
export function applyRegressionStatistics(results: HandlerResult[], options: StatsOptions): Map<Verdict, RegressionEvidence> {
  const alpha = options.alpha ?? 0.05;
  const confidence = options.confidence ?? 0.95;
  const evidence = new Map<Verdict, RegressionEvidence>();
  const tests: Array<{ verdict: Verdict; test: RatioTest }> = [];
  const runTests: Array<{ verdict: Verdict; test: RunComparison }> = [];
  for (const r of results) {
    const cur = r.current?.histogram && r.current.histogram.count > 1 ? Ecdf.of(r.current.histogram) : null;
    const base = r.baseline?.histogram && r.baseline.histogram.count > 1 ? Ecdf.of(r.baseline.histogram) : null;
    const curRuns = r.current?.runs ?? [];
    const baseRuns = r.baseline?.runs ?? [];
    for (const v of r.verdicts) {
      if (v.regression === null) continue;
      const latency = (LATENCY_METRICS as readonly string[]).includes(v.metric) && v.metric !== 'max' ? PERCENTILE[v.metric as LatencyMetric] : null;
      // Between-run noise when both sides were repeated: it is what a rerun would see.
      const runTest = betweenRuns(v.metric, latency, curRuns, baseRuns, options.threshold, alpha);
      if (runTest) {
        evidence.set(v, { method: 'runs-mann-whitney', runs: runTest });
        runTests.push({ verdict: v, test: runTest });
        continue;
      }
      if (latency === null || !cur || !base) {
        evidence.set(v, {
          method: 'threshold',
          note: latency === null ? `${v.metric}: compared with the plain threshold` : 'summary-only data (no histogram): compared with the plain threshold',
        });
        continue;
      }
      const test = compareQuantile(cur, base, latency, options.threshold, confidence);
      if (!test) {
        evidence.set(v, { method: 'threshold', note: 'too few requests for an interval: compared with the plain threshold' });
        continue;
      }
      const ci = quantileInterval(cur, latency, confidence);
      evidence.set(v, { method: 'histogram-ci', valueCi: [ci.lo, ci.hi], ratioCi: [test.lo, test.hi], note: unmeasuredRuns(curRuns, baseRuns) });
      tests.push({ verdict: v, test });
    }
  }
  // The family: both directions of every histogram test, and the two-sided p of every run test.
  const adjusted = holmAdjust([...tests.flatMap((t) => [t.test.pRegressed, t.test.pImproved]), ...runTests.map((t) => t.test.p)]);
  runTests.forEach(({ verdict, test }, i) => {
    const p = adjusted[2 * tests.length + i]!;
    verdict.regression = runsOutcome(test, p, options.threshold, alpha, verdict.metric === 'throughput');
    const e = evidence.get(verdict)!;
    e.pValue = p;
    const needed = runsNeeded(alpha);
    if (verdict.regression === 'inconclusive' && test.minP >= alpha) e.runsNeeded = needed;
  });
  tests.forEach(({ verdict, test }, i) => {
    const pReg = adjusted[2 * i]!;
    const pImp = adjusted[2 * i + 1]!;
    const e = evidence.get(verdict)!;
    const limit = 1 + options.threshold;
    if (pReg < alpha) {
      verdict.regression = 'regressed';
      e.pValue = pReg;
    } else if (pImp < alpha) {
      verdict.regression = 'improved';
      e.pValue = pImp;
    } else if (test.hi > limit) {
      verdict.regression = 'inconclusive';
      e.pValue = pReg;
      e.moreRequests = requestsToDecide(test, options.threshold, confidence);
    } else {
      verdict.regression = 'unchanged';
      e.pValue = pReg;
    }
  });
  for (const r of results) applyBucketPrecision(r, options.threshold, evidence);
  return evidence;
}

/** The rank test of per-run values when both sides have at least two runs with this metric. */
function betweenRuns(
  metric: Metric,
  latency: number | null,
  current: readonly RunSummary[],
  baseline: readonly RunSummary[],
  threshold: number,
  alpha: number,
): RunComparison | null {
  if (current.length < MIN_RUNS || baseline.length < MIN_RUNS) return null;
  const which = metric === 'errorRate' || metric === 'throughput' ? metric : latency === null ? null : { percentile: latency };
  if (which === null) return null;
  const cur = runValues(current, which);
  const base = runValues(baseline, which);
  if (!cur || !base) return null;
  return compareRuns(base, cur, threshold, alpha, metric === 'throughput');
}

/**
 * Runs per side before the between-run model is used. Two: with repeats on both sides the
 * between-run spread has been seen, and the within-run interval (which ignores it) would be
 * overconfident; below 4 + 4 runs the rank test cannot reach p < 0.05, so a move past the
 * threshold is inconclusive and the evidence says how many runs would decide it.
 */
export const MIN_RUNS = 2;

function unmeasuredRuns(current: readonly RunSummary[], baseline: readonly RunSummary[]): string {
  const runs = (n: number) => `${Math.max(1, n)} run${n > 1 ? 's' : ''}`;
  return `between-run noise not measured (current ${runs(current.length)}, baseline ${runs(baseline.length)}; "repeat" both to measure it)`;
}

/**
 * A quantile interpolated inside a histogram bucket (Prometheus) is known only to that bucket:
 * when the threshold-scaled baseline lies strictly inside the current value's bucket, whether
 * it grew past the threshold cannot be told, so the verdict is inconclusive, with where a bucket
 * boundary would decide it.
 */
function applyBucketPrecision(r: HandlerResult, threshold: number, evidence: Map<Verdict, RegressionEvidence>): void {
  for (const v of r.verdicts) {
    if (!v.bucket || v.baseline === null || v.regression === null || v.metric === 'throughput' || v.metric === 'errorRate') continue;
    const limit = v.baseline * (1 + threshold);
    if (!(v.bucket.lower < limit && limit < v.bucket.upper)) continue;
    v.regression = 'inconclusive';
    const e = evidence.get(v) ?? { method: 'threshold' as const };
    e.bucketHint = `baseline + ${Math.round(threshold * 100)}% = ${formatDuration(limit)} lies inside the bucket ${bucketText(v.bucket)}: add a bucket boundary at ${formatDuration(limit)}`;
    evidence.set(v, e);
  }
}

/** "100–250 ms", "500 ms–1 s", "above 10 s" (the +Inf bucket). */
export function bucketText(b: { lower: number; upper: number }): string {
  if (!Number.isFinite(b.upper)) return `above ${formatDuration(b.lower)}`;
  const lo = formatDuration(b.lower);
  const hi = formatDuration(b.upper);
  const unit = / \S+$/.exec(hi)![0];
  return `${lo.endsWith(unit) && b.lower !== 0 ? lo.slice(0, -unit.length) : lo === '0 ms' ? '0' : lo}–${hi}`;
}
