import type { Budget, Config } from '../config/parseConfig';
import { type LatencyMetric, type Metric, LATENCY_METRICS, METRIC_PERCENTILE } from '../config/schema';
import { bucketOf, errorRateOf, percentileOf, type QuantileBucket, type Series } from '../series';
import { compileGlob } from '../glob';
import { handlerMatches } from './handlerId';
import { mergeSeries } from './mergeSeries';
import { applyRegressionStatistics, bucketText, type RegressionEvidence } from '../stats/regressionVerdicts';
import { formatDuration } from '../units';

import type { Regression, Status } from '../kinds';
export type { Regression, Status } from '../kinds';

/** One budgeted metric of one handler. Latencies in ms, errorRate a fraction, throughput per second. */
export interface Verdict {
  handler: string;
  metric: Metric;
  value: number | null;
  budget: number;
  status: Status;
  /** Headroom left, % of the budget (negative when over); null when missing. */
  marginPct: number | null;
  baseline: number | null;
  /** Change from the baseline, %; null without a baseline value. */
  deltaPct: number | null;
  regression: Regression | null;
  /** Names of the series the value came from. */
  series: string[];
  /** True when the value is the tool's own printed number, false when from a histogram or merged. */
  exact: boolean | null;
  /** The budget's explicit code location, if any. */
  at?: string;
  /** How the regression verdict was reached: intervals, p-value, or the plain threshold. */
  evidence?: RegressionEvidence;
  /** The histogram bucket (ms) the value was interpolated in (Prometheus buckets): the truth is somewhere in it. */
  bucket?: QuantileBucket;
  /**
   * Set when the budget lies inside that bucket: pass or fail cannot be told, so the status is
   * "warn" (exit 0; `check --strict` fails it), and this says where a boundary would decide it.
   */
  budgetInconclusive?: string;
}

export interface HandlerResult {
  budget: Budget;
  current: Series | null;
  baseline: Series | null;
  verdicts: Verdict[];
}

/** The series feeding one budget: its `series` glob if set, else those whose name is its handler. */
export function seriesFor(budget: Budget, all: readonly Series[]): Series[] {
  const matches = budget.series ? compileGlob(budget.series) : (name: string) => handlerMatches(budget.handler, name);
  return all.filter((s) => matches(s.name));
}

export function metricValue(series: Series, metric: Metric): number | null {
  if (metric === 'errorRate') return errorRateOf(series);
  if (metric === 'throughput') return series.throughputPerSec;
  return percentileOf(series, METRIC_PERCENTILE[metric as LatencyMetric]);
}

/** Higher is better only for throughput. */
export function higherIsBetter(metric: Metric): boolean {
  return metric === 'throughput';
}

/**
 * Budgets x series -> verdicts, and the comparison with the baseline series when given.
 * A budgeted metric absent from the results is "missing" (a warning, never a pass).
 */
export function evaluate(config: Config, current: readonly Series[], baseline: readonly Series[] | null): HandlerResult[] {
  const results = config.budgets.map((budget) => {
    const cur = seriesFor(budget, current);
    const base = baseline ? seriesFor(budget, baseline) : [];
    const curSeries = cur.length ? mergeSeries(budget.handler, cur) : null;
    const baseSeries = base.length ? mergeSeries(budget.handler, base) : null;
    const verdicts: Verdict[] = [];
    for (const [metric, limit] of budgetedMetrics(budget)) {
      verdicts.push(verdictFor(budget, metric, limit, curSeries, baseSeries, cur, config));
    }
    return { budget, current: curSeries, baseline: baseSeries, verdicts };
  });
  const evidence = applyRegressionStatistics(results, { threshold: config.regressionThreshold });
  for (const [verdict, e] of evidence) verdict.evidence = e;
  return results;
}

function budgetedMetrics(budget: Budget): Array<[Metric, number]> {
  const out: Array<[Metric, number]> = [];
  for (const m of LATENCY_METRICS) {
    const v = budget.latency[m];
    if (v !== undefined) out.push([m, v]);
  }
  if (budget.errorRate !== undefined) out.push(['errorRate', budget.errorRate]);
  if (budget.throughputPerSec !== undefined) out.push(['throughput', budget.throughputPerSec]);
  return out;
}

function verdictFor(
  budget: Budget,
  metric: Metric,
  limit: number,
  current: Series | null,
  baseline: Series | null,
  parts: readonly Series[],
  config: Config,
): Verdict {
  const value = current ? metricValue(current, metric) : null;
  const baseValue = baseline ? metricValue(baseline, metric) : null;
  const up = higherIsBetter(metric);
  let status: Status;
  let marginPct: number | null = null;
  if (value === null) status = 'missing';
  else {
    marginPct = limit === 0 ? (value === 0 ? 0 : up ? Infinity : -Infinity) : ((up ? value - limit : limit - value) / limit) * 100;
    if (up ? value < limit : value > limit) status = 'fail';
    else if (up ? value * config.warnAt < limit : value >= config.warnAt * limit && value > 0) status = 'warn';
    else status = 'pass';
  }
  const deltaPct = value !== null && baseValue !== null && baseValue !== 0 ? ((value - baseValue) / baseValue) * 100 : null;
  let regression: Regression | null = null;
  if (value !== null && baseValue !== null) {
    const worse = up ? baseValue - value : value - baseValue;
    const allowed = Math.abs(baseValue) * config.regressionThreshold;
    regression = worse > allowed ? 'regressed' : -worse > allowed ? 'improved' : 'unchanged';
  }
  const verdict: Verdict = {
    handler: budget.handler,
    metric,
    value,
    budget: limit,
    status,
    marginPct,
    baseline: baseValue,
    deltaPct,
    regression,
    series: parts.map((p) => p.name),
    exact: current ? (metric === 'errorRate' || metric === 'throughput' ? null : current.exact) : null,
  };
  if (budget.at) verdict.at = budget.at;
  const bucket = current && value !== null && metric !== 'errorRate' && metric !== 'throughput' ? bucketOf(current, METRIC_PERCENTILE[metric as LatencyMetric]) : null;
  if (bucket) {
    verdict.bucket = bucket;
    if (bucket.lower < limit && limit < bucket.upper) {
      verdict.status = 'warn';
      verdict.budgetInconclusive = `the ${formatDuration(limit)} budget lies inside the bucket ${bucketText(bucket)}: add a bucket boundary at ${formatDuration(limit)}`;
    }
  }
  return verdict;
}

/**
 * Exit-code logic shared by the CLI and CI: a failure or a regression fails the gate; an
 * inconclusive comparison (or a budget inside a histogram bucket) fails it only when `strict`.
 */
export function gateFails(verdicts: readonly Verdict[], strict = false): boolean {
  return verdicts.some(
    (v) => v.status === 'fail' || v.regression === 'regressed' || (strict && (v.regression === 'inconclusive' || v.budgetInconclusive !== undefined)),
  );
}
