import { bucketedPercentiles, parsePromFloat, unitExp } from '../formats/prometheus';
import { scaleDecimal } from '../formats/jsonShape';
import type { Series } from '../series';
import { nativeBucketed, type NativeHistogram } from './nativeHistogram';
import type { PromQueryKey, PromWindow } from './promQueries';
import { handlerLabelNames } from './promQueries';
import type { PrometheusSource } from './prometheusSource';

/** One element of an instant vector (`data.result` of /api/v1/query with resultType "vector"). */
export interface PromSample {
  metric: Record<string, string>;
  /** [time, "value"] of a float sample. */
  value?: [number, string];
  /** [time, histogram] of a native histogram sample. */
  histogram?: [number, NativeHistogram];
}

/** The answer to each query of `promQueries`, by key; a query not asked is absent. */
export type PromResponses = Partial<Record<PromQueryKey, PromSample[]>>;

/**
 * The body of a /api/v1/query answer -> its samples, or the reason it is not a usable answer: the
 * server's own `error` for a failed query, else what is wrong with the shape. Pure; the Node side
 * adds the source's name.
 */
export function parsePromBody(text: string): { samples: PromSample[] } | { error: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { error: `not a Prometheus query API answer (not JSON: ${JSON.stringify(text.slice(0, 40))})` };
  }
  if (typeof body !== 'object' || body === null || !('status' in body)) return { error: 'not a Prometheus query API answer (no "status")' };
  const b = body as { status: unknown; error?: unknown; errorType?: unknown; data?: { resultType?: unknown; result?: unknown } };
  if (b.status !== 'success') return { error: typeof b.error === 'string' ? `${typeof b.errorType === 'string' ? `${b.errorType}: ` : ''}${b.error}` : 'the query failed' };
  if (b.data?.resultType !== 'vector' || !Array.isArray(b.data.result)) return { error: `not an instant vector (resultType ${JSON.stringify(b.data?.resultType)})` };
  for (const s of b.data.result as unknown[]) {
    const ok = typeof s === 'object' && s !== null && typeof (s as PromSample).metric === 'object' && (Array.isArray((s as PromSample).value) || Array.isArray((s as PromSample).histogram));
    if (!ok) return { error: 'not a Prometheus query API answer (a sample has no metric and value)' };
  }
  return { samples: b.data.result as PromSample[] };
}

/** A sample's float value; NaN when it has none or it is not a number. */
function floatOf(s: PromSample): number {
  return s.value ? (parsePromFloat(String(s.value[1])) ?? NaN) : NaN;
}

/**
 * The handler id of a sample's labels: "METHOD /route" when both the method and route labels are
 * on it, else the route, else the name label, else `fallback` (the benchmark's name).
 */
export function handlerIdOf(source: PrometheusSource, metric: Record<string, string>, fallback: string): string {
  const { method, route, name } = source.labels;
  const m = method !== undefined ? metric[method] : undefined;
  const r = route !== undefined ? metric[route] : undefined;
  if (m && r) return `${m} ${r}`;
  return r || (name !== undefined ? metric[name] : undefined) || fallback;
}

interface Handler {
  /** Cumulative count per upper bound, summed where two label sets give one handler id. */
  classic: Map<number, number>;
  native: NativeHistogram | null;
  count: number;
  hasCount: boolean;
  sum: number;
  hasSum: boolean;
  errors: number;
  hasErrors: boolean;
}

/**
 * Increases are extrapolated by Prometheus and are floats with noise (1199.9999999999998): counts
 * are kept to 12 significant digits, so counters that grew by whole numbers read as whole numbers.
 */
const settle = (v: number): number => Number(v.toPrecision(12));

/**
 * The answers to `promQueries(source, window)` -> one Series per handler (format "prometheus-api"):
 * quantiles interpolated in the buckets exactly as PromQL's `histogram_quantile` does (classic: see
 * formats/prometheus.ts; native: nativeHistogram.ts), with the bucket holding each (`buckets`),
 * exact false, no histogram. count from `_count` (else the +Inf bucket, or the native count);
 * errors per the source's rule (null when no series carries a status label in "auto"); durationSec
 * the window; throughput count / window; mean = sum / count. Classic buckets win over a native
 * histogram of the same handler; classic buckets are kept (`bucketCounts`) so sources add up
 * bucket by bucket. `names.benchmark` is the handler id of a series no label names;
 * `names.sourceName` is what `Series.source` says.
 */
export function seriesFromPromResponse(
  source: PrometheusSource,
  responses: PromResponses,
  window: PromWindow,
  names: { benchmark: string; sourceName: string },
): Series[] {
  const handlers = new Map<string, Handler>();
  const handlerOf = (s: PromSample): Handler => {
    const id = handlerIdOf(source, s.metric, names.benchmark);
    let h = handlers.get(id);
    if (!h) handlers.set(id, (h = { classic: new Map(), native: null, count: 0, hasCount: false, sum: 0, hasSum: false, errors: 0, hasErrors: false }));
    return h;
  };
  for (const s of responses.buckets ?? []) {
    const le = parsePromFloat(s.metric.le ?? '');
    const v = floatOf(s);
    if (le === undefined || Number.isNaN(le) || le < 0 || !(v >= 0)) continue;
    const { classic } = handlerOf(s);
    classic.set(le, (classic.get(le) ?? 0) + v);
  }
  for (const s of responses.native ?? []) if (s.histogram) handlerOf(s).native = s.histogram[1];
  const failing = source.errors.kind === 'labels' ? new RegExp(`^(?:${source.errors.match})$`) : null;
  const classicCounts = (responses.counts ?? []).length > 0;
  for (const s of (classicCounts ? responses.counts : responses.nativeCounts) ?? []) {
    const h = handlerOf(s);
    const v = floatOf(s);
    if (!(v >= 0)) continue;
    h.count += v;
    h.hasCount = true;
    if (source.errors.kind === 'labels') {
      const present = source.errors.labels.filter((l) => s.metric[l] !== undefined);
      if (present.length > 0) h.hasErrors = true;
      if (present.some((l) => failing!.test(s.metric[l]!))) h.errors += v;
    }
  }
  for (const s of responses.sums ?? []) {
    const h = handlerOf(s);
    h.sum += floatOf(s);
    h.hasSum = true;
  }
  for (const s of responses.errors ?? []) {
    const h = handlerOf(s);
    const v = floatOf(s);
    if (v >= 0) h.errors += v;
  }
  if (source.errors.kind === 'counter') for (const h of handlers.values()) h.hasErrors = true;
  const exp = unitExp(source.histogram, undefined);
  const toMs = (v: number): number => scaleDecimal(v, exp);
  const durationSec = (window.endMs - window.startMs) / 1000;
  const out: Series[] = [];
  for (const [name, h] of handlers) {
    const classic = [...h.classic];
    const bucketed = classic.length > 0 ? bucketedPercentiles(classic, toMs) : h.native ? nativeBucketed(h.native, toMs) : null;
    if (!bucketed) continue;
    const inf = h.classic.get(Infinity);
    const nativeCount = h.native ? parsePromFloat(h.native.count) : undefined;
    const count = settle(h.hasCount ? h.count : (inf ?? nativeCount ?? 0));
    const sum = h.hasSum ? h.sum : h.native ? (parsePromFloat(h.native.sum) ?? NaN) : NaN;
    out.push({
      name,
      format: 'prometheus-api',
      source: names.sourceName,
      count,
      errors: h.hasErrors ? settle(h.errors) : null,
      durationSec,
      throughputPerSec: durationSec > 0 ? count / durationSec : null,
      exact: false,
      histogram: null,
      percentiles: bucketed.percentiles,
      buckets: bucketed.buckets,
      ...(classic.length > 0 ? { bucketCounts: { unitExp: exp, buckets: classic } } : {}),
      minMs: null,
      maxMs: null,
      meanMs: count > 0 && Number.isFinite(toMs(sum / count)) ? toMs(sum / count) : null,
      startedAt: window.startMs,
    });
  }
  return out;
}
