import { InputError, quote } from '../errors';
import type { PercentileMap, QuantileBucket, Series } from '../series';
import { percentileKey } from '../series';
import { scaleDecimal } from './jsonShape';
import { baseName, readLines } from './lines';
import type { Reader } from './reader';

/**
 * Prometheus text exposition (0.0.4) and OpenMetrics 1.0 (`# EOF`), e.g. a `/metrics` scrape
 * taken after a load test.
 *
 * - Latency metrics: histogram/summary families (declared by `# TYPE`, or inferred from
 *   `_bucket{le=…}` / `{quantile=…}` samples), preferring names containing duration/latency.
 * - One series per family and handler: labels `method` + the first of route/handler/path/uri/
 *   endpoint; every other label (status_code, instance, …) is summed over. Name "GET /x", the
 *   route alone without method, the file's base name without either (the family name when the
 *   file has several latency families).
 * - Histograms: quantiles 50/90/95/99/99.9 exactly as PromQL `histogram_quantile` over the
 *   summed buckets (sort, coalesce equal bounds, monotonicity fix, rank = q × +Inf count, linear
 *   interpolation from 0 in the first bucket, +Inf → highest finite bound, < 2 buckets or zero
 *   count → none). exact = false (interpolated), histogram null, no max.
 * - Summaries: the `quantile` values as exposed (exact = true), only when one labelled series
 *   makes the handler (quantiles cannot be summed); NaN quantiles absent.
 * - Units: `_milliseconds`/`_ms` → ms, `_microseconds`/`_us` → µs, otherwise seconds (the
 *   Prometheus convention, `_seconds`); an OpenMetrics `# UNIT` line is honoured.
 * - count = Σ `_count` (else the +Inf bucket); errors = Σ `_count` of series whose
 *   status/status_code/code label is 5xx, null when no series carries such a label;
 *   durationSec null (a scrape has no window); mean = Σ `_sum` / count.
 * Bad input (unparsable line, bad `le`, negative or NaN counts, duplicate series) is an
 * InputError with the line; PromQL would drop a bad `le` with a warning instead.
 */

type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'unknown' | 'gaugehistogram' | 'info' | 'stateset';

interface Sample {
  name: string;
  labels: Map<string, string>;
  value: number;
  no: number;
}

const HANDLER_LABELS = ['route', 'handler', 'path', 'uri', 'endpoint'];
const STATUS_LABELS = ['status_code', 'status', 'code'];
const QUANTILES = [0.5, 0.9, 0.95, 0.99, 0.999];
const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;

/** Go strconv.ParseFloat-like: decimal numbers, Inf/+Inf/-Inf, NaN (any case). */
export function parsePromFloat(text: string): number | undefined {
  const t = text.trim();
  if (/^[+-]?inf(inity)?$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  if (!/^[+-]?(\d+(_\d+)*\.?(\d+(_\d+)*)?|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const v = Number(t.replace(/_/g, ''));
  return Number.isNaN(v) ? undefined : v;
}

/** Parses one sample line; throws a message string on a syntax error. */
export function parseSampleLine(line: string): { name: string; labels: Map<string, string>; value: string } {
  let i = 0;
  let name = '';
  const labels = new Map<string, string>();
  const m = NAME.exec(line);
  if (m) {
    name = m[0];
    i = name.length;
  }
  const skipWs = (): void => {
    while (i < line.length && (line[i] === ' ' || line[i] === '\t')) i++;
  };
  const quoted = (): string => {
    if (line[i] !== '"') throw new Error('expected "');
    i++;
    let out = '';
    while (i < line.length && line[i] !== '"') {
      if (line[i] === '\\') {
        const n = line[i + 1];
        if (n === 'n') out += '\n';
        else if (n === '\\' || n === '"') out += n;
        else throw new Error(`bad escape \\${n ?? ''}`);
        i += 2;
      } else out += line[i++];
    }
    if (line[i] !== '"') throw new Error('unterminated quoted string');
    i++;
    return out;
  };
  if (line[i] === '{') {
    i++;
    for (;;) {
      skipWs();
      if (line[i] === '}') {
        i++;
        break;
      }
      let key: string;
      if (line[i] === '"') {
        key = quoted();
        skipWs();
        if (line[i] !== '=') {
          // a quoted metric name: {"my.metric", label="v"}
          if (name) throw new Error('two metric names');
          name = key;
          skipWs();
          if (line[i] === ',') i++;
          continue;
        }
      } else {
        const k = NAME.exec(line.slice(i));
        if (!k) throw new Error(`bad label name at ${quote(line.slice(i, i + 20))}`);
        key = k[0];
        i += key.length;
        skipWs();
      }
      if (line[i] !== '=') throw new Error(`expected = after label ${key}`);
      i++;
      skipWs();
      if (labels.has(key)) throw new Error(`label ${key} repeated`);
      labels.set(key, quoted());
      skipWs();
      if (line[i] === ',') i++;
      else if (line[i] !== '}') throw new Error('expected , or } in the label set');
    }
  }
  if (!name) throw new Error('no metric name');
  if (i < line.length && line[i] !== ' ' && line[i] !== '\t') throw new Error(`unexpected ${quote(line.slice(i, i + 20))} after the metric name`);
  const rest = line.slice(i).trim();
  const value = rest.split(/\s+/, 1)[0] ?? '';
  if (value === '') throw new Error('no value');
  return { name, labels, value };
}

/** Go almost.Equal (prometheus/util/almost). */
function almostEqual(a: number, b: number, epsilon: number): boolean {
  const minNormal = 2.2250738585072014e-308;
  if (Number.isNaN(a) && Number.isNaN(b)) return true;
  if (a === b) return true;
  const absSum = Math.abs(a) + Math.abs(b);
  const diff = Math.abs(a - b);
  if (a === 0 || b === 0 || absSum < minNormal) return diff < epsilon * minNormal;
  return diff / Math.min(absSum, Number.MAX_VALUE) < epsilon;
}

/**
 * PromQL `histogram_quantile(q, …)` for classic buckets (prometheus promql/quantile.go
 * BucketQuantile): NaN when there is no answer. `buckets` are [upper bound, cumulative count].
 */
export function bucketQuantile(q: number, input: ReadonlyArray<readonly [number, number]>): number {
  return bucketQuantileWithBounds(q, input).value;
}

/**
 * `bucketQuantile` and the bounds of the bucket it interpolated in (lower 0 for the first
 * bucket; [highest finite bound, Infinity] when the rank falls in the +Inf bucket).
 */
export function bucketQuantileWithBounds(
  q: number,
  input: ReadonlyArray<readonly [number, number]>,
): { value: number; lower: number; upper: number } {
  const none = (value: number) => ({ value, lower: NaN, upper: NaN });
  if (Number.isNaN(q)) return none(NaN);
  if (q < 0) return none(-Infinity);
  if (q > 1) return none(Infinity);
  if (input.length === 0) return none(NaN);
  const sorted = [...input].sort((a, b) => a[0] - b[0]);
  if (sorted[sorted.length - 1]![0] !== Infinity) return none(NaN);
  // coalesce equal upper bounds by summing
  const buckets: Array<[number, number]> = [];
  for (const [ub, c] of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last[0] === ub) last[1] += c;
    else buckets.push([ub, c]);
  }
  // ensureMonotonicAndIgnoreSmallDeltas (tolerance 1e-12)
  let prev = buckets[0]![1];
  for (let i = 1; i < buckets.length; i++) {
    const curr = buckets[i]![1];
    if (curr === prev) continue;
    if (almostEqual(prev, curr, 1e-12)) {
      buckets[i]![1] = prev;
      continue;
    }
    if (curr < prev) {
      buckets[i]![1] = prev;
      continue;
    }
    prev = curr;
  }
  if (buckets.length < 2) return none(NaN);
  const observations = buckets[buckets.length - 1]![1];
  if (observations === 0) return none(NaN);
  let rank = q * observations;
  // sort.Search over [0, n-1): first bucket whose count >= rank
  let lo = 0;
  let hi = buckets.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (buckets[mid]![1] >= rank) hi = mid;
    else lo = mid + 1;
  }
  const b = lo;
  if (b === buckets.length - 1) {
    const top = buckets[buckets.length - 2]![0];
    return { value: top, lower: top, upper: Infinity };
  }
  if (b === 0 && buckets[0]![0] <= 0) return { value: buckets[0]![0], lower: buckets[0]![0], upper: buckets[0]![0] };
  let bucketStart = 0;
  const bucketEnd = buckets[b]![0];
  let count = buckets[b]![1];
  if (b > 0) {
    bucketStart = buckets[b - 1]![0];
    count -= buckets[b - 1]![1];
    rank -= buckets[b - 1]![1];
  }
  return { value: bucketStart + (bucketEnd - bucketStart) * (rank / count), lower: bucketStart, upper: bucketEnd };
}

/**
 * Quantiles 50/90/95/99/99.9 of classic buckets ([upper bound, cumulative count], any order) as
 * `bucketQuantileWithBounds` gives them, in ms, with the bounds of the bucket holding each: the
 * `percentiles` and `buckets` of a bucketed Series. Quantiles without an answer are absent.
 */
export function bucketedPercentiles(
  buckets: ReadonlyArray<readonly [number, number]>,
  toMs: (v: number) => number,
): { percentiles: PercentileMap; buckets: Record<string, QuantileBucket> } {
  return percentilesInBuckets((q) => bucketQuantileWithBounds(q, buckets), toMs);
}

/**
 * Quantiles 50 … 99.9 of any bucketed data, given `quantileAt(q)` (value, lower, upper in the
 * data's unit; NaN value when there is no answer): ms values and the bucket holding each.
 */
export function percentilesInBuckets(
  quantileAt: (q: number) => { value: number; lower: number; upper: number },
  toMs: (v: number) => number,
): { percentiles: PercentileMap; buckets: Record<string, QuantileBucket> } {
  const percentiles: PercentileMap = {};
  const bounds: Record<string, QuantileBucket> = {};
  for (const q of QUANTILES) {
    const v = quantileAt(q);
    if (Number.isNaN(v.value)) continue;
    percentiles[percentileKey(q * 100)] = toMs(v.value);
    bounds[percentileKey(q * 100)] = { lower: toMs(v.lower), upper: v.upper === Infinity ? Infinity : toMs(v.upper) };
  }
  return { percentiles, buckets: bounds };
}

/** Power of ten from the metric's unit to ms: 3 for seconds, 0 for ms, -3 for µs. */
export function unitExp(family: string, unit: string | undefined): number {
  const u = (unit ?? '').toLowerCase();
  if (u === 'milliseconds' || /_(milliseconds|ms)$/i.test(family)) return 0;
  if (u === 'microseconds' || /_(microseconds|us)$/i.test(family)) return -3;
  return 3;
}

interface Group {
  family: string;
  method: string | undefined;
  route: string | undefined;
  buckets: Map<number, number>;
  count: number;
  hasCount: boolean;
  sum: number;
  hasSum: boolean;
  errors: number;
  hasStatus: boolean;
  /** summary: quantiles per underlying labelled series */
  quantiles: Map<string, Map<number, number>>;
}

export const prometheusReader: Reader = {
  id: 'prometheus',
  detect(head) {
    if (/^# TYPE \S+ (histogram|summary)\s*$/m.test(head)) return true;
    return /^[a-zA-Z_:][a-zA-Z0-9_:]*_bucket\{[^}\n]*\ble="[^"]*"[^}\n]*\}\s+\S+/m.test(head) && /^(# (HELP|TYPE) |[a-zA-Z_:])/.test(head);
  },

  async read(source, options) {
    const file = options.fileName;
    const types = new Map<string, MetricType>();
    const units = new Map<string, string>();
    const samples: Sample[] = [];
    const seen = new Set<string>();
    let eof = false;
    let any = false;
    for await (const { text, no } of readLines(source, file, options.signal)) {
      const line = text.trim();
      if (line === '') continue;
      if (eof) throw new InputError(file, 'content after # EOF', no);
      any = true;
      if (line.startsWith('#')) {
        const m = /^#\s+(TYPE|UNIT|HELP|EOF)\b\s*(\S*)\s*(.*)$/.exec(line);
        if (!m) continue;
        if (m[1] === 'EOF') {
          eof = true;
          continue;
        }
        const fam = m[2]!.replace(/^"(.*)"$/, '$1');
        if (m[1] === 'TYPE') {
          const t = m[3]!.trim().toLowerCase();
          if (!['counter', 'gauge', 'histogram', 'summary', 'untyped', 'unknown', 'gaugehistogram', 'info', 'stateset'].includes(t)) {
            throw new InputError(file, `unknown metric type ${quote(m[3]!)}`, no);
          }
          types.set(fam, t as MetricType);
        } else if (m[1] === 'UNIT') units.set(fam, m[3]!.trim());
        continue;
      }
      let parsed: ReturnType<typeof parseSampleLine>;
      try {
        parsed = parseSampleLine(line);
      } catch (e) {
        throw new InputError(file, `not a Prometheus sample line: ${e instanceof Error ? e.message : String(e)}`, no);
      }
      const value = parsePromFloat(parsed.value);
      if (value === undefined) throw new InputError(file, `sample value is not a number: ${quote(parsed.value)}`, no);
      const key = `${parsed.name}{${[...parsed.labels].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
      if (seen.has(key)) throw new InputError(file, `duplicate series ${quote(key, 80)}`, no);
      seen.add(key);
      samples.push({ name: parsed.name, labels: parsed.labels, value, no });
    }
    if (!any) throw new InputError(file, 'empty file');

    // Resolve each sample to a histogram/summary family and role.
    const familyOf = (s: Sample): { family: string; role: 'bucket' | 'count' | 'sum' | 'quantile'; type: 'histogram' | 'summary' } | undefined => {
      const direct = types.get(s.name);
      if (direct === 'summary' && s.labels.has('quantile')) return { family: s.name, role: 'quantile', type: 'summary' };
      const m = /^(.*)_(bucket|count|sum)$/.exec(s.name);
      if (m) {
        const fam = m[1]!;
        const t = types.get(fam);
        if (t === 'histogram' || t === 'gaugehistogram') return { family: fam, role: m[2] as 'bucket' | 'count' | 'sum', type: 'histogram' };
        if (t === 'summary' && m[2] !== 'bucket') return { family: fam, role: m[2] as 'count' | 'sum', type: 'summary' };
        if (t === undefined || t === 'untyped' || t === 'unknown') {
          if (inferred.get(fam) === 'histogram' && (m[2] !== 'bucket' || s.labels.has('le'))) return { family: fam, role: m[2] as 'bucket' | 'count' | 'sum', type: 'histogram' };
          if (inferred.get(fam) === 'summary' && m[2] !== 'bucket') return { family: fam, role: m[2] as 'count' | 'sum', type: 'summary' };
        }
      }
      if ((direct === undefined || direct === 'untyped' || direct === 'unknown') && inferred.get(s.name) === 'summary' && s.labels.has('quantile')) {
        return { family: s.name, role: 'quantile', type: 'summary' };
      }
      return undefined;
    };
    const inferred = new Map<string, 'histogram' | 'summary'>();
    for (const s of samples) {
      const m = /^(.*)_bucket$/.exec(s.name);
      if (m && s.labels.has('le') && !types.has(m[1]!)) inferred.set(m[1]!, 'histogram');
      else if (s.labels.has('quantile') && !types.has(s.name)) inferred.set(s.name, 'summary');
    }

    const resolved = samples.map((s) => ({ s, f: familyOf(s) })).filter((x) => x.f !== undefined) as Array<{ s: Sample; f: NonNullable<ReturnType<typeof familyOf>> }>;
    const families = [...new Set(resolved.map((x) => x.f.family))];
    if (families.length === 0) throw new InputError(file, 'no histogram or summary metric (latency) in this exposition');
    const latencyFamilies = families.filter((f) => /duration|latency/i.test(f));
    const chosen = new Set(latencyFamilies.length > 0 ? latencyFamilies : families);

    const groups = new Map<string, Group>();
    for (const { s, f } of resolved) {
      if (!chosen.has(f.family)) continue;
      const method = s.labels.get('method');
      const routeLabel = HANDLER_LABELS.find((l) => s.labels.has(l));
      const route = routeLabel ? s.labels.get(routeLabel) : undefined;
      const gk = `${f.family}\u0000${method ?? ''}\u0000${route ?? ''}\u0000${routeLabel ? 1 : 0}`;
      let g = groups.get(gk);
      if (!g) {
        g = { family: f.family, method, route, buckets: new Map(), count: 0, hasCount: false, sum: 0, hasSum: false, errors: 0, hasStatus: false, quantiles: new Map() };
        groups.set(gk, g);
      }
      const statusLabel = STATUS_LABELS.find((l) => s.labels.has(l));
      if (f.role === 'bucket') {
        const leText = s.labels.get('le');
        const le = leText === undefined ? undefined : parsePromFloat(leText);
        if (le === undefined || Number.isNaN(le)) throw new InputError(file, `bucket has ${leText === undefined ? 'no le label' : `a bad le ${quote(leText)}`}`, s.no);
        if (le < 0) throw new InputError(file, `bucket bound le ${quote(leText!)} is negative: not a latency`, s.no);
        if (!(s.value >= 0) || s.value === Infinity) throw new InputError(file, `bucket count must be a non-negative number, got ${s.value}`, s.no);
        g.buckets.set(le, (g.buckets.get(le) ?? 0) + s.value);
      } else if (f.role === 'count') {
        if (!(s.value >= 0) || s.value === Infinity) throw new InputError(file, `_count must be a non-negative number, got ${s.value}`, s.no);
        g.count += s.value;
        g.hasCount = true;
        if (statusLabel) {
          g.hasStatus = true;
          if (/^5\d\d$/.test(s.labels.get(statusLabel)!)) g.errors += s.value;
        }
      } else if (f.role === 'sum') {
        if (Number.isNaN(s.value)) throw new InputError(file, '_sum is NaN', s.no);
        g.sum += s.value;
        g.hasSum = true;
      } else {
        const qText = s.labels.get('quantile')!;
        const q = parsePromFloat(qText);
        if (q === undefined || !(q >= 0 && q <= 1)) throw new InputError(file, `quantile label must be in 0..1, got ${quote(qText)}`, s.no);
        if (s.value < 0) throw new InputError(file, `negative latency ${s.value}`, s.no);
        const sk = [...s.labels].filter(([k]) => k !== 'quantile').sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`).join(',');
        let qs = g.quantiles.get(sk);
        if (!qs) g.quantiles.set(sk, (qs = new Map()));
        if (!Number.isNaN(s.value)) qs.set(q, s.value);
      }
    }

    const out: Series[] = [];
    const manyFamilies = new Set([...groups.values()].map((g) => g.family)).size > 1;
    for (const g of groups.values()) {
      const exp = unitExp(g.family, units.get(g.family));
      const toMs = (v: number): number => scaleDecimal(v, exp);
      const isHistogram = g.buckets.size > 0;
      let percentiles: PercentileMap = {};
      let bucketBounds: Record<string, QuantileBucket> = {};
      let count = g.count;
      if (isHistogram) {
        ({ percentiles, buckets: bucketBounds } = bucketedPercentiles([...g.buckets], toMs));
        if (!g.hasCount) count = g.buckets.get(Infinity) ?? 0;
      } else if (g.quantiles.size === 1) {
        for (const [q, v] of [...g.quantiles.values()][0]!) {
          // +Inf (or a value that overflows in ms) is no latency: that percentile is missing.
          if (Number.isFinite(toMs(v))) percentiles[percentileKey(q * 100)] = toMs(v);
        }
      }
      const name =
        g.method !== undefined && g.route !== undefined
          ? `${g.method} ${g.route}`
          : g.route ?? (g.method !== undefined ? `${g.method} ${manyFamilies ? g.family : baseName(file)}` : manyFamilies ? g.family : baseName(file));
      out.push({
        name,
        format: 'prometheus',
        source: file,
        count,
        errors: g.hasStatus ? g.errors : null,
        durationSec: null,
        throughputPerSec: null,
        exact: !isHistogram,
        histogram: null,
        percentiles,
        minMs: null,
        maxMs: null,
        // A _sum of +Inf (or 1.8e308 in seconds) has no mean in ms.
        meanMs: g.hasSum && count > 0 && Number.isFinite(toMs(g.sum / count)) ? toMs(g.sum / count) : null,
        ...(isHistogram ? { buckets: bucketBounds, bucketCounts: { unitExp: exp, buckets: [...g.buckets] } } : {}),
      });
    }
    // Same handler in several families: keep them apart.
    const byName = new Map<string, number>();
    for (const s of out) byName.set(s.name, (byName.get(s.name) ?? 0) + 1);
    const groupList = [...groups.values()];
    out.forEach((s, i) => {
      if ((byName.get(s.name) ?? 0) > 1) s.name = `${s.name} [${groupList[i]!.family}]`;
    });
    return out;
  },
};
