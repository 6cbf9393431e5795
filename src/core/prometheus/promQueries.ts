import type { PrometheusSource } from './prometheusSource';

/** The time span a source is read over: epoch ms, end inclusive. */
export interface PromWindow {
  startMs: number;
  endMs: number;
}

/**
 * What each query answers. `buckets`/`counts`/`sums` read a classic histogram, `native`/`nativeCounts`
 * a native one (Prometheus ≥ 2.40); `errors` is the errors counter when the source names one. Both
 * kinds are asked at once: the metric family has one or the other, and the other answers empty.
 */
export type PromQueryKey = 'buckets' | 'counts' | 'sums' | 'native' | 'nativeCounts' | 'errors';

export interface PromQueries {
  /** Evaluation time (the window's end), seconds since the epoch, as /api/v1/query takes it. */
  timeSec: number;
  /** The window as a PromQL range duration, e.g. "1h" or "2m30s". */
  range: string;
  queries: Array<{ key: PromQueryKey; promql: string }>;
}

/**
 * The PromQL instant queries that read `source` over `window`, each an `increase(…[range])` at the
 * window's end summed by the handler labels (and `le` for classic buckets; and the status labels of
 * the error rule for the counts, so errors are told apart from the same answer):
 *
 *   buckets       sum by (le, L) (increase(H_bucket{M}[w]))
 *   counts        sum by (L, S) (increase(H_count{M}[w]))
 *   sums          sum by (L) (increase(H_sum{M}[w]))
 *   native        sum by (L) (increase(H{M}[w]))                       (histogram samples)
 *   nativeCounts  histogram_count(sum by (L, S) (increase(H{M}[w])))
 *   errors        sum by (L) (increase(C{M}[w]))                       (only with an errors counter)
 */
export function promQueries(source: PrometheusSource, window: PromWindow): PromQueries {
  const range = promDuration(window.endMs - window.startMs);
  const handler = handlerLabelNames(source);
  const status = source.errors.kind === 'labels' ? source.errors.labels : [];
  const by = (labels: string[]) => `sum by (${[...new Set(labels)].join(', ')})`;
  const inc = (metric: string) => `increase(${metric}{${source.matchers}}[${range}])`;
  const h = source.histogram;
  const queries: PromQueries['queries'] = [
    { key: 'buckets', promql: `${by(['le', ...handler])} (${inc(`${h}_bucket`)})` },
    { key: 'counts', promql: `${by([...handler, ...status])} (${inc(`${h}_count`)})` },
    { key: 'sums', promql: `${by(handler)} (${inc(`${h}_sum`)})` },
    { key: 'native', promql: `${by(handler)} (${inc(h)})` },
    { key: 'nativeCounts', promql: `histogram_count(${by([...handler, ...status])} (${inc(h)}))` },
  ];
  if (source.errors.kind === 'counter') queries.push({ key: 'errors', promql: `${by(handler)} (${inc(source.errors.counter)})` });
  return { timeSec: window.endMs / 1000, range, queries };
}

/** The handler label names of a source, in id order (method, route, name), each once. */
export function handlerLabelNames(source: PrometheusSource): string[] {
  const { method, route, name } = source.labels;
  return [...new Set([method, route, name].filter((l): l is string => l !== undefined))];
}

/** Milliseconds -> a PromQL duration: 3_600_000 -> "1h", 150_000 -> "2m30s", 1500 -> "1s500ms"; at least 1ms. */
export function promDuration(ms: number): string {
  let rest = Math.max(1, Math.round(ms));
  let out = '';
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}
