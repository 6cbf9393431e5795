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
}
