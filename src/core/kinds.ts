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
