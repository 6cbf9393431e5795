import type { Budget, Config } from '../config/parseConfig';
import { type LatencyMetric, type Metric, LATENCY_METRICS, METRIC_PERCENTILE } from '../config/schema';
import type { Regression, SampleSupport, Status } from '../kinds';
import { bucketOf, errorRateOf, percentileOf, type Series } from '../series';
import { type AmbiguousSeries, claimSeries } from './claim';
import { mergeRefusal } from './mergeRefusal';
import { mergeSeries } from './mergeSeries';
import { sampleSupport, supportInDoubt } from '../stats/quantileSupport';
import { bucketText, type RegressionInput, type RegressionOutcome, regressionVerdicts } from '../stats/regressionVerdicts';
import { formatDuration } from '../units';
import type { HandlerResult, Verdict } from './verdict';

/**
 * The series feeding one budget among `budgets` (claimSeries: its `series` glob if set, else the
 * series its handler template fits best). Without `budgets` the budget competes with no other: give
 * the config's budgets to get what `evaluate` uses. Claiming for many budgets: call claimSeries once.
 */
export function seriesFor(budget: Budget, all: readonly Series[], budgets: readonly Budget[] = [budget]): Series[] {
  return claimSeries(budgets, all).byBudget.get(budget.handler) ?? [];
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

/** Verdicts, and what became of the current series no budget took (from the same claims). */
export interface Evaluation {
  results: HandlerResult[];
  /** Names of the current series no budget claims, each once, in input order. */
  unclaimed: string[];
  /** Current series that budgets' templates match equally well: they feed none of them. */
  ambiguous: AmbiguousSeries[];
}

/**
 * Budgets x series -> verdicts, and the comparison with the baseline series when given.
 * A budgeted metric absent from the results is "missing" (a warning, never a pass).
 */
export function evaluate(config: Config, current: readonly Series[], baseline: readonly Series[] | null): HandlerResult[] {
  return evaluateWithClaims(config, current, baseline).results;
}

/**
 * evaluate(), with the current series no budget claims and those that are ambiguous. Current and
 * baseline series are claimed separately, by the same rules (claimSeries). An InputError when a
 * budget's current series are files of one run that cannot be merged (mergeRefusal).
 */
export function evaluateWithClaims(config: Config, current: readonly Series[], baseline: readonly Series[] | null): Evaluation {
  const claims = claimSeries(config.budgets, current);
  const baseClaims = baseline ? claimSeries(config.budgets, baseline) : null;
  const handlers = config.budgets.map((budget) => {
    const cur = claims.byBudget.get(budget.handler) ?? [];
    // Files of one run that cannot be added up are refused (bad input), not judged on a bound.
    const refused = mergeRefusal(budget.handler, cur);
    if (refused) throw refused;
    const base = baseClaims?.byBudget.get(budget.handler) ?? [];
    const curSeries = cur.length ? mergeSeries(budget.handler, cur) : null;
    const baseSeries = base.length ? mergeSeries(budget.handler, base) : null;
    const metrics = budgetedMetrics(budget).map(([metric, limit]) => measure(metric, limit, curSeries, baseSeries, config));
    return { budget, parts: cur, current: curSeries, baseline: baseSeries, metrics };
  });
  // One family of tests over every handler and metric: the statistics see them all at once.
  const outcomes = regressionVerdicts(handlers, { threshold: config.regressionThreshold });
  const results = handlers.map((h, i) => ({
    budget: h.budget,
    current: h.current,
    baseline: h.baseline,
    verdicts: h.metrics.map((m, j) => verdictOf(h.budget, m, outcomes[i]![j]!, h.current, h.parts)),
  }));
  return { results, unclaimed: [...new Set(claims.unclaimed.map((s) => s.name))], ambiguous: claims.ambiguous };
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

/** One budgeted metric measured against its budget and, by the plain threshold, its baseline. */
interface Measured extends RegressionInput {
  limit: number;
  value: number | null;
  status: Status;
  marginPct: number | null;
  deltaPct: number | null;
  budgetInconclusive: string | null;
  support: SampleSupport | null;
}

function measure(metric: Metric, limit: number, current: Series | null, baseline: Series | null, config: Config): Measured {
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
  let plain: Regression | null = null;
  if (value !== null && baseValue !== null) {
    const worse = up ? baseValue - value : value - baseValue;
    const allowed = Math.abs(baseValue) * config.regressionThreshold;
    plain = worse > allowed ? 'regressed' : -worse > allowed ? 'improved' : 'unchanged';
  }
  const bucket = current && value !== null && metric !== 'errorRate' && metric !== 'throughput' ? bucketOf(current, METRIC_PERCENTILE[metric as LatencyMetric]) : null;
  let budgetInconclusive: string | null = null;
  if (bucket && bucket.lower < limit && limit < bucket.upper) {
    status = 'warn';
    budgetInconclusive = current!.format.startsWith('locust')
      ? // Not a histogram bucket: Locust stores times of 100 ms and more rounded.
        `the ${formatDuration(limit)} budget lies inside ${bucketText(bucket)}, the interval Locust's rounding of response times allows: the value cannot be told closer`
      : `the ${formatDuration(limit)} budget lies inside the bucket ${bucketText(bucket)}: add a bucket boundary at ${formatDuration(limit)}`;
  }
  // Only where there is a value: a missing metric has nothing to support.
  const support = current && value !== null && metric !== 'errorRate' && metric !== 'throughput' ? sampleSupport(current, METRIC_PERCENTILE[metric as LatencyMetric], limit) : null;
  return { metric, limit, value, baseline: baseValue, status, marginPct, deltaPct, plain, bucket, budgetInconclusive, support };
}

/** The verdict, built once its regression is final. */
function verdictOf(budget: Budget, m: Measured, outcome: RegressionOutcome, current: Series | null, parts: readonly Series[]): Verdict {
  return {
    handler: budget.handler,
    metric: m.metric,
    value: m.value,
    budget: m.limit,
    status: m.status,
    marginPct: m.marginPct,
    baseline: m.baseline,
    deltaPct: m.deltaPct,
    regression: outcome.regression,
    series: parts.map((p) => p.name),
    exact: current ? (m.metric === 'errorRate' || m.metric === 'throughput' ? null : current.exact) : null,
    ...(budget.at ? { at: budget.at } : {}),
    ...(m.bucket ? { bucket: m.bucket } : {}),
    ...(m.budgetInconclusive !== null ? { budgetInconclusive: m.budgetInconclusive } : {}),
    ...(m.support ? { support: m.support } : {}),
    ...(outcome.evidence ? { evidence: outcome.evidence } : {}),
  };
}

/**
 * Exit-code logic shared by the CLI and CI: a failure or a regression fails the gate; an
 * inconclusive comparison, a budget inside a histogram bucket, or a percentile its sample cannot
 * support (supportInDoubt: the budget inside its confidence interval, or too few requests and no
 * interval) fails it only when `strict`. The status itself is never changed by the sample size.
 */
export function gateFails(verdicts: readonly Verdict[], strict = false): boolean {
  return verdicts.some(
    (v) =>
      v.status === 'fail' ||
      v.regression === 'regressed' ||
      (strict && (v.regression === 'inconclusive' || v.budgetInconclusive !== undefined || supportInDoubt(v.support))),
  );
}
