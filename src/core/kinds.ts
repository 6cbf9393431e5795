/**
 * The small vocabularies shared by the engine, the editor and the webview (no imports, so the
 * webview's DOM build can use them without pulling Node code in).
 */
export const LATENCY_METRICS = ['p50', 'p90', 'p95', 'p99', 'p999', 'max'] as const;
export type LatencyMetric = (typeof LATENCY_METRICS)[number];
export const METRICS = [...LATENCY_METRICS, 'errorRate', 'throughput'] as const;
export type Metric = (typeof METRICS)[number];

export type Status = 'pass' | 'warn' | 'fail' | 'missing';
export type Regression = 'regressed' | 'unchanged' | 'improved' | 'inconclusive';

/**
 * One budgeted metric judged: what a verdict (core/budgets/verdict.ts) and the panel's row
 * (protocol.ts PanelMetric) both say. Latencies in ms, errorRate a fraction, throughput per second.
 */
export interface MetricJudgement {
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
  /**
   * Whether the sample supports a latency percentile (core/stats/quantileSupport.ts); absent for
   * max, errorRate, throughput and when the request count is unknown.
   */
  support?: SampleSupport;
}

/**
 * How far a percentile from n requests can be trusted. `needed` is the smallest n at which the
 * q-quantile is not simply the maximum (ceil(1/(1−q))); `ci` the distribution-free 95% interval
 * from the order statistics, each end null when no rank bounds it, the whole null without the
 * distribution (summary-only formats); `straddles` when the budget lies inside it (the verdict
 * could go either way).
 */
export interface SampleSupport {
  n: number;
  needed: number;
  ci: [lo: number | null, hi: number | null] | null;
  enough: boolean;
  straddles: boolean;
}
