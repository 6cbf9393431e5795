import { LATENCY_METRICS, type LatencyMetric, type Metric, type Regression } from '../kinds';
import { type QuantileBucket, type RunSummary, runValues, type Series } from '../series';
import { formatDuration } from '../units';
import { compareRuns, runsNeeded, runsOutcome, type RunComparison } from './compareRuns';
import { Ecdf } from './ecdf';
import type { RegressionEvidence } from './evidence';
import { holmAdjust } from './multipleTesting';
import { compareQuantile, quantileInterval, requestsToDecide, type RatioTest } from './quantileTest';

const PERCENTILE: Record<LatencyMetric, number> = { p50: 50, p90: 90, p95: 95, p99: 99, p999: 99.9, max: 100 };

export interface StatsOptions {
  /** Regression threshold as a fraction (0.1 = 10%). */
  threshold: number;
  /** Family-wise false-alarm rate over all handlers and metrics of one evaluation. */
  alpha?: number;
  confidence?: number;
}

/** One compared metric: what is known of it before the statistics. */
export interface RegressionInput {
  metric: Metric;
  /** The verdict of the plain threshold; null when either side has no value (no verdict, no evidence). */
  plain: Regression | null;
  /** The baseline's value of the metric. */
  baseline: number | null;
  /** The histogram bucket (ms) the current value was interpolated in (Prometheus), if any. */
  bucket: QuantileBucket | null;
}

/** The two sides of one handler and its compared metrics, in budget order. */
export interface RegressionGroup {
  current: Series | null;
  baseline: Series | null;
  metrics: readonly RegressionInput[];
}

/** The final regression verdict of one metric and how it was reached (absent when there is none). */
export interface RegressionOutcome {
  regression: Regression | null;
  evidence?: RegressionEvidence;
}

type Decided = { regression: Regression; evidence: RegressionEvidence };

/**
 * The regression verdicts of one evaluation, one outcome per input, grouped like the input.
 * The plain-threshold verdict is replaced by a statistical one where both sides have histograms
 * (or repeated runs): regressed only when the growth beyond the threshold is significant after
 * Holm–Bonferroni over every test of the evaluation (all groups, in order); inconclusive when
 * the interval straddles the threshold; unchanged or improved otherwise. Other metrics keep the
 * threshold verdict, labelled. The inputs are only read.
 */
export function regressionVerdicts(groups: readonly RegressionGroup[], options: StatsOptions): RegressionOutcome[][] {
  const alpha = options.alpha ?? 0.05;
  const confidence = options.confidence ?? 0.95;
  const tests: Array<{ outcome: Decided; test: RatioTest }> = [];
  const runTests: Array<{ outcome: Decided; metric: Metric; test: RunComparison }> = [];
  const outcomes = groups.map((g): RegressionOutcome[] => {
    const cur = g.current?.histogram && g.current.histogram.count > 1 ? Ecdf.of(g.current.histogram) : null;
    const base = g.baseline?.histogram && g.baseline.histogram.count > 1 ? Ecdf.of(g.baseline.histogram) : null;
    const curRuns = g.current?.runs ?? [];
    const baseRuns = g.baseline?.runs ?? [];
    const same = sameData(g.current, g.baseline);
    return g.metrics.map((m): RegressionOutcome => {
      if (m.plain === null) return { regression: null };
      // The baseline made from this very run: nothing to test, and nothing to be unsure of.
      if (same) return { regression: 'unchanged', evidence: { method: 'threshold', sameData: true, note: 'same data as the baseline' } };
      const latency = (LATENCY_METRICS as readonly string[]).includes(m.metric) && m.metric !== 'max' ? PERCENTILE[m.metric as LatencyMetric] : null;
      // Between-run noise when both sides were repeated: it is what a rerun would see.
      const runTest = betweenRuns(m.metric, latency, curRuns, baseRuns, options.threshold, alpha);
      if (runTest) {
        const outcome: Decided = { regression: m.plain, evidence: { method: 'runs-mann-whitney', runs: runTest } };
        runTests.push({ outcome, metric: m.metric, test: runTest });
        return outcome;
      }
      if (latency === null || !cur || !base) {
        return {
          regression: m.plain,
          evidence: {
            method: 'threshold',
            note: latency === null ? `${m.metric}: compared with the plain threshold` : 'summary-only data (no histogram): compared with the plain threshold',
          },
        };
      }
      const test = compareQuantile(cur, base, latency, options.threshold, confidence);
      if (!test) return { regression: m.plain, evidence: { method: 'threshold', note: 'too few requests for an interval: compared with the plain threshold' } };
      const ci = quantileInterval(cur, latency, confidence);
      const outcome: Decided = {
        regression: m.plain,
        evidence: {
          method: 'histogram-ci',
          valueCi: [ci.lo, ci.hi],
          ratioCi: [test.lo, test.hi],
          note: unmeasuredRuns(curRuns, baseRuns),
          requests: { current: g.current!.histogram!.count, baseline: g.baseline!.histogram!.count },
        },
      };
      tests.push({ outcome, test });
      return outcome;
    });
  });
  // The family: both directions of every histogram test, and the two-sided p of every run test.
  const adjusted = holmAdjust([...tests.flatMap((t) => [t.test.pRegressed, t.test.pImproved]), ...runTests.map((t) => t.test.p)]);
  runTests.forEach(({ outcome, metric, test }, i) => {
    const p = adjusted[2 * tests.length + i]!;
    outcome.regression = runsOutcome(test, p, options.threshold, alpha, metric === 'throughput');
    const e = outcome.evidence;
    e.pValue = p;
    const needed = runsNeeded(alpha);
    if (outcome.regression === 'inconclusive' && test.minP >= alpha) e.runsNeeded = needed;
  });
  tests.forEach(({ outcome, test }, i) => {
    const pReg = adjusted[2 * i]!;
    const pImp = adjusted[2 * i + 1]!;
    const e = outcome.evidence;
    const limit = 1 + options.threshold;
    if (pReg < alpha) {
      outcome.regression = 'regressed';
      e.pValue = pReg;
    } else if (pImp < alpha) {
      outcome.regression = 'improved';
      e.pValue = pImp;
    } else if (test.hi > limit) {
      outcome.regression = 'inconclusive';
      e.pValue = pReg;
      e.moreRequests = requestsToDecide(test, options.threshold, confidence);
    } else {
      outcome.regression = 'unchanged';
      e.pValue = pReg;
    }
  });
  groups.forEach((g, i) => g.metrics.forEach((m, j) => applyBucketPrecision(m, outcomes[i]![j]!, options.threshold)));
  return outcomes;
}

/**
 * True when both sides hold the same measurements: the same request and error counts, the same
 * runs, and the same value of every metric both have (to a stored baseline's rounding). A baseline
 * written from the run it is compared with reads "same data", not a statistical verdict.
 */
export function sameData(current: Series | null, baseline: Series | null): boolean {
  if (!current || !baseline) return false;
  if (current.count !== baseline.count || current.errors !== baseline.errors) return false;
  if ((current.runs?.length ?? 0) !== (baseline.runs?.length ?? 0)) return false;
  const close = (a: number | null | undefined, b: number | null | undefined) =>
    a == null || b == null ? a == b : a === b || Math.abs(a - b) <= 1e-6 * Math.max(Math.abs(a), Math.abs(b));
  if (current.histogram && baseline.histogram) {
    const ha = current.histogram;
    const hb = baseline.histogram;
    // Bucket values only: a histogram's exact min/max do not survive a baseline file.
    if (ha.count !== hb.count) return false;
    // Cheap first (two runs of one benchmark almost always differ here), the whole histogram last.
    for (const p of [50, 95, 99]) if (!close(ha.percentileMs(p), hb.percentileMs(p))) return false;
    const a = ha.buckets();
    const b = baseline.histogram.buckets();
    if (a.length !== b.length || a.some(([v, c], i) => c !== b[i]![1] || !close(v, b[i]![0]))) return false;
  } else if (!!current.histogram !== !!baseline.histogram) {
    return false;
  }
  for (const [k, v] of Object.entries(current.percentiles ?? {})) {
    const b = baseline.percentiles?.[k];
    if (b !== undefined && !close(v, b)) return false;
  }
  for (const [i, run] of (current.runs ?? []).entries()) {
    const b = baseline.runs![i]!;
    if (run.count !== b.count || run.errors !== b.errors) return false;
    for (const [k, v] of Object.entries(run.percentiles ?? {})) if (!close(v, b.percentiles?.[k])) return false;
  }
  return true;
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
function applyBucketPrecision(m: RegressionInput, outcome: RegressionOutcome, threshold: number): void {
  if (!m.bucket || m.baseline === null || outcome.regression === null || m.metric === 'throughput' || m.metric === 'errorRate') return;
  const limit = m.baseline * (1 + threshold);
  if (!(m.bucket.lower < limit && limit < m.bucket.upper)) return;
  outcome.regression = 'inconclusive';
  const e = outcome.evidence ?? { method: 'threshold' as const };
  e.bucketHint = `baseline + ${Math.round(threshold * 100)}% = ${formatDuration(limit)} lies inside the bucket ${bucketText(m.bucket)}: add a bucket boundary at ${formatDuration(limit)}`;
  outcome.evidence = e;
}

/** "100–250 ms", "500 ms–1 s", "above 10 s" (the +Inf bucket). */
export function bucketText(b: { lower: number; upper: number }): string {
  if (!Number.isFinite(b.upper)) return `above ${formatDuration(b.lower)}`;
  const lo = formatDuration(b.lower);
  const hi = formatDuration(b.upper);
  const unit = / \S+$/.exec(hi)![0];
  return `${lo.endsWith(unit) && b.lower !== 0 ? lo.slice(0, -unit.length) : lo === '0 ms' ? '0' : lo}–${hi}`;
}
