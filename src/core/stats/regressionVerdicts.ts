import type { HandlerResult, Verdict } from '../budgets/evaluate';
import { LATENCY_METRICS, type LatencyMetric } from '../kinds';
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
  /** Why the plain threshold was used. */
  note?: string;
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
  for (const r of results) {
    const cur = r.current?.histogram && r.current.histogram.count > 1 ? Ecdf.of(r.current.histogram) : null;
    const base = r.baseline?.histogram && r.baseline.histogram.count > 1 ? Ecdf.of(r.baseline.histogram) : null;
    for (const v of r.verdicts) {
      if (v.regression === null) continue;
      const latency = (LATENCY_METRICS as readonly string[]).includes(v.metric) && v.metric !== 'max' ? PERCENTILE[v.metric as LatencyMetric] : null;
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
      evidence.set(v, { method: 'histogram-ci', valueCi: [ci.lo, ci.hi], ratioCi: [test.lo, test.hi] });
      tests.push({ verdict: v, test });
    }
  }
  // Both directions of every test form the family.
  const adjusted = holmAdjust(tests.flatMap((t) => [t.test.pRegressed, t.test.pImproved]));
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
  return evidence;
}
