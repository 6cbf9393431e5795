import { InputError, quote } from '../errors';
import { percentileKey, type PercentileMap, type QuantileBucket, type Series } from '../series';
import { scaleDecimal } from './jsonShape';
import { baseName, readLines } from './lines';
import { bucketQuantileWithBounds } from './prometheus';
import type { Reader } from './reader';

/**
 * OpenTelemetry metrics as OTLP JSON: the OpenTelemetry Collector's file exporter (one
 * `ExportMetricsServiceRequest` per line, `{"resourceMetrics":[{"resource","scopeMetrics":[{"scope",
 * "metrics":[…]}]}]}`), or one such request as a whole document (an OTLP/HTTP JSON body).
 *
 * - Metrics read: the HTTP semantic-convention histograms `http.server.request.duration` and
 *   `http.client.request.duration` (unit "s"), and the older `http.server.duration` /
 *   `http.client.duration` (unit "ms"). The metric's `unit` decides ("s", "ms", "us", "ns"); absent,
 *   the convention's. Every other metric is ignored; a file with none of these is an InputError
 *   naming the metrics it has.
 * - One series per metric and handler. Server: `http.request.method` (older `http.method`) + " " +
 *   `http.route`. Client: the method + " " + `url.template`, else `server.address` (":" +
 *   `server.port` when set; older `net.peer.name`), a free name. Method alone → "GET <file's base
 *   name>", route alone → the route, neither → the file's base name; with several of the metrics in
 *   one file the metric's name stands in for the base name, and a handler both metrics have gets
 *   " [metric name]" after it. Every other attribute (status code, `server.address` of a server,
 *   resource and scope) is summed over.
 * - Temporality: a cumulative stream (resource, scope, metric, attributes, `startTimeUnixNano`)
 *   holds its total in its last point (latest `timeUnixNano`); a delta stream's points are summed
 *   (unspecified temporality is taken as cumulative). A stream restarted (new start time) is a new
 *   stream and adds up.
 * - count = Σ point `count` (which must equal the Σ of its buckets); mean = Σ `sum` / count;
 *   minMs/maxMs = the least `min` / greatest `max` when every point has them, else null.
 * - errors: server: points with an `error.type` attribute or `http.response.status_code`
 *   (older `http.status_code`) >= 500; client: `error.type` or status >= 400 (the conventions' rule
 *   for each side). Null when no point of the series has either attribute.
 * - Quantiles 50/90/95/99/99.9 (exact = false, histogram null, `buckets` holds each one's bucket):
 *   explicit buckets (`explicitBounds` + `bucketCounts`, upper bounds inclusive) exactly as the
 *   Prometheus reader does (PromQL `histogram_quantile`: rank q × count, linear interpolation in
 *   the bucket from 0 for the first, the +Inf bucket → the highest finite bound); points of one
 *   series must share their bounds. Exponential histograms: bucket i (index offset + k) is
 *   (base^i, base^(i+1)] with base = 2^(2^-scale), the zero bucket [0, 0] first; points of one
 *   series are merged at the smallest scale; the rank falls in a bucket as above and the value is
 *   interpolated linearly inside it. Each quantile and its bucket's bounds are then clamped to
 *   [min, max] when both are known (every value lies there).
 * - durationSec: from the earliest `startTimeUnixNano` to the latest `timeUnixNano` of the points
 *   read (for a cumulative stream that is since the process started measuring), throughput =
 *   count / durationSec, startedAt = the earliest start.
 * Bad input (invalid JSON on a line, wrong types, negative counts or bounds, observations in the
 * negative buckets, counts that do not add up) is an InputError, with the line in a file of one
 * request per line.
 */

type Side = 'server' | 'client';

const METRICS: Record<string, { side: Side; unit: string }> = {
  'http.server.request.duration': { side: 'server', unit: 's' },
  'http.client.request.duration': { side: 'client', unit: 's' },
  'http.server.duration': { side: 'server', unit: 'ms' },
  'http.client.duration': { side: 'client', unit: 'ms' },
};

/** Power of ten from the unit to ms. */
const UNIT_EXP: Record<string, number> = { s: 3, ms: 0, us: -3, 'µs': -3, 'μs': -3, ns: -6 };

const QUANTILES = [0.5, 0.9, 0.95, 0.99, 0.999];

type AttrValue = string | number | boolean;

interface ExplicitData {
  kind: 'explicit';
  bounds: number[];
  counts: number[];
}

interface ExponentialData {
  kind: 'exponential';
  scale: number;
  zeroCount: number;
  offset: number;
  counts: number[];
}

interface Point {
  metric: string;
  exp: number;
  side: Side;
  method: string | undefined;
  route: string | undefined;
  /** errored, or null when the point has neither a status code nor error.type */
  error: boolean | null;
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  start: bigint;
  time: bigint;
  data: ExplicitData | ExponentialData;
}

export const otlpJsonReader: Reader = {
  id: 'otlp-json',
  detect(head) {
    if (/^\s*\{\s*"resourceMetrics"\s*:/.test(head)) return true;
    return /^\s*\{/.test(head) && head.includes('"resourceMetrics"') && head.includes('"scopeMetrics"');
  },

  async read(source, options) {
    const file = options.fileName;
    const fail = (reason: string, line?: number): never => {
      throw new InputError(file, reason, line);
    };
    const list = (v: unknown, what: string, line: number | undefined): unknown[] => (Array.isArray(v) ? v : fail(`${what} is not an array`, line));
    const countOf = (v: unknown, what: string, line: number | undefined): number => {
      const n = numeric(v);
      if (n === undefined || !Number.isFinite(n)) return fail(`${what} is not a number: ${quote(JSON.stringify(v) ?? String(v))}`, line);
      if (n < 0 || !Number.isInteger(n)) return fail(`${what} must be a count (a whole number >= 0), got ${n}`, line);
      return n;
    };
    const finite = (v: unknown, what: string, line: number | undefined): number => {
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`${what} is not a number: ${quote(JSON.stringify(v) ?? String(v))}`, line);
      return v;
    };
    const nanos = (v: unknown, what: string, line: number | undefined): bigint => {
      if (v === undefined || v === null) return 0n;
      if (typeof v === 'string' && /^\d+$/.test(v.trim())) return BigInt(v.trim());
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return BigInt(v);
      return fail(`${what} is not a time in nanoseconds: ${quote(JSON.stringify(v) ?? String(v))}`, line);
    };
    const attributes = (v: unknown, what: string, line: number | undefined): Map<string, AttrValue> => {
      const out = new Map<string, AttrValue>();
      if (v === undefined || v === null) return out;
      for (const kv of list(v, what, line)) {
        if (!isObject(kv) || typeof kv.key !== 'string') return fail(`${what}: an entry without a "key" string`, line);
        const val = kv.value;
        if (!isObject(val)) continue;
        if (typeof val.stringValue === 'string') out.set(kv.key, val.stringValue);
        else if (val.intValue !== undefined && numeric(val.intValue) !== undefined) out.set(kv.key, numeric(val.intValue)!);
        else if (typeof val.doubleValue === 'number') out.set(kv.key, val.doubleValue);
        else if (typeof val.boolValue === 'boolean') out.set(kv.key, val.boolValue);
      }
      return out;
    };
    /** stream key -> its points (cumulative: only the last is kept) */
    const cumulative = new Map<string, Point>();
    const delta: Point[] = [];
    const otherMetrics = new Set<string>();

    const request = (doc: unknown, line: number | undefined): void => {
      if (!isObject(doc) || !Array.isArray(doc.resourceMetrics)) return fail('not an OTLP metrics request: no "resourceMetrics" array', line);
      for (const rm of doc.resourceMetrics) {
        if (!isObject(rm)) return fail('resourceMetrics entry is not an object', line);
        const resourceKey = JSON.stringify(isObject(rm.resource) ? (rm.resource.attributes ?? []) : []);
        const scopes = rm.scopeMetrics ?? [];
        if (!Array.isArray(scopes)) return fail('"scopeMetrics" is not an array', line);
        for (const sm of scopes) {
          if (!isObject(sm)) return fail('scopeMetrics entry is not an object', line);
          const scopeKey = JSON.stringify(isObject(sm.scope) ? [sm.scope.name ?? '', sm.scope.version ?? ''] : []);
          const metrics = sm.metrics ?? [];
          if (!Array.isArray(metrics)) return fail('"metrics" is not an array', line);
          for (const m of metrics) {
            if (!isObject(m) || typeof m.name !== 'string') return fail('a metric without a "name" string', line);
            const known = METRICS[m.name];
            if (!known) {
              otherMetrics.add(m.name);
              continue;
            }
            const unit = m.unit === undefined || m.unit === '' ? known.unit : m.unit;
            if (typeof unit !== 'string' || UNIT_EXP[unit] === undefined) return fail(`${m.name} has unit ${quote(String(unit))}: not a time unit (s, ms, us, ns)`, line);
            const exp = UNIT_EXP[unit]!;
            const h = isObject(m.histogram) ? m.histogram : isObject(m.exponentialHistogram) ? m.exponentialHistogram : null;
            if (!h) return fail(`${m.name} is not a histogram (nor an exponential histogram)`, line);
            const exponential = h === m.exponentialHistogram;
            const temporality = h.aggregationTemporality;
            const isDelta = temporality === 1 || temporality === 'AGGREGATION_TEMPORALITY_DELTA';
            if (!Array.isArray(h.dataPoints)) return fail(`${m.name} has no "dataPoints" array`, line);
            for (const dp of h.dataPoints) {
              const p = point(dp, m.name, exp, known.side, exponential, line);
              if (isDelta) delta.push(p);
              else {
                const key = `${resourceKey}\u0000${scopeKey}\u0000${m.name}\u0000${attributeKey(dp)}\u0000${p.start}`;
                const prev = cumulative.get(key);
                if (!prev || p.time >= prev.time) cumulative.set(key, p);
              }
            }
          }
        }
      }
    };

    const point = (dp: unknown, metric: string, exp: number, side: Side, exponential: boolean, line: number | undefined): Point => {
      if (!isObject(dp)) return fail(`${metric} has a data point that is not an object`, line);
      const what = (field: string) => `${metric} data point ${field}`;
      const attrs = attributes(dp.attributes, what('attributes'), line);
      const method = str(attrs.get('http.request.method') ?? attrs.get('http.method'));
      let route: string | undefined;
      if (side === 'server') route = str(attrs.get('http.route'));
      else {
        route = str(attrs.get('url.template'));
        if (route === undefined) {
          const host = str(attrs.get('server.address') ?? attrs.get('net.peer.name'));
          const port = str(attrs.get('server.port') ?? attrs.get('net.peer.port'));
          if (host !== undefined) route = port !== undefined ? `${host}:${port}` : host;
        }
      }
      const statusRaw = attrs.get('http.response.status_code') ?? attrs.get('http.status_code');
      const status = statusRaw === undefined ? undefined : Number(statusRaw);
      const hasErrorType = attrs.has('error.type');
      const error = hasErrorType ? true : status !== undefined && Number.isFinite(status) ? status >= (side === 'server' ? 500 : 400) : null;
      const count = countOf(dp.count, what('count'), line);
      const sum = dp.sum === undefined || dp.sum === null ? null : finite(dp.sum, what('sum'), line);
      const min = dp.min === undefined || dp.min === null ? null : finite(dp.min, what('min'), line);
      const max = dp.max === undefined || dp.max === null ? null : finite(dp.max, what('max'), line);
      if (min !== null && min < 0) return fail(`${what('min')} is negative: ${min} is not a latency`, line);
      if (min !== null && max !== null && min > max) return fail(`${what('min')} ${min} is above its max ${max}`, line);
      if (sum !== null && sum < 0) return fail(`${what('sum')} is negative: ${sum} is not a latency sum`, line);
      const start = nanos(dp.startTimeUnixNano, what('startTimeUnixNano'), line);
      const time = nanos(dp.timeUnixNano, what('timeUnixNano'), line);
      let data: ExplicitData | ExponentialData;
      let inBuckets: number;
      if (!exponential) {
        const bounds = list(dp.explicitBounds ?? [], what('explicitBounds'), line).map((b, i) => finite(b, `${what('explicitBounds')}[${i}]`, line));
        const counts = list(dp.bucketCounts ?? [], what('bucketCounts'), line).map((c, i) => countOf(c, `${what('bucketCounts')}[${i}]`, line));
        if (bounds.some((b) => b < 0)) return fail(`${what('explicitBounds')} has a negative bound: not a latency`, line);
        if (bounds.some((b, i) => i > 0 && b <= bounds[i - 1]!)) return fail(`${what('explicitBounds')} is not strictly increasing`, line);
        if (counts.length !== 0 && counts.length !== bounds.length + 1) return fail(`${what('bucketCounts')} has ${counts.length} counts for ${bounds.length} bounds (want ${bounds.length + 1})`, line);
        data = { kind: 'explicit', bounds, counts };
        inBuckets = counts.reduce((a, b) => a + b, 0);
      } else {
        const scale = dp.scale ?? 0;
        if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < -10 || scale > 20) return fail(`${what('scale')} must be an integer in -10..20, got ${JSON.stringify(scale)}`, line);
        const zeroCount = dp.zeroCount === undefined ? 0 : countOf(dp.zeroCount, what('zeroCount'), line);
        const positive = dp.positive ?? {};
        if (!isObject(positive)) return fail(`${what('positive')} is not an object`, line);
        const offset = positive.offset ?? 0;
        if (typeof offset !== 'number' || !Number.isInteger(offset)) return fail(`${what('positive.offset')} is not an integer`, line);
        const counts = list(positive.bucketCounts ?? [], what('positive.bucketCounts'), line).map((c, i) => countOf(c, `${what('positive.bucketCounts')}[${i}]`, line));
        if (isObject(dp.negative) && Array.isArray(dp.negative.bucketCounts)) {
          const neg = dp.negative.bucketCounts.map((c, i) => countOf(c, `${what('negative.bucketCounts')}[${i}]`, line));
          if (neg.some((c) => c > 0)) return fail(`${metric} has observations in its negative buckets: not latencies`, line);
        }
        data = { kind: 'exponential', scale, zeroCount, offset, counts };
        inBuckets = zeroCount + counts.reduce((a, b) => a + b, 0);
      }
      if ((exponential || data.counts.length > 0) && inBuckets !== count) return fail(`${metric} data point: buckets hold ${inBuckets} observations but count is ${count}`, line);
      return { metric, exp, side, method, route, error, count, sum, min, max, start, time, data };
    };

    // A file-exporter file: one request per line; else one (pretty-printed) document.
    let mode: 'lines' | 'document' | undefined;
    const docLines: string[] = [];
    for await (const { text, no } of readLines(source, file, options.signal)) {
      if (mode === 'document') {
        docLines.push(text);
        continue;
      }
      const t = text.trim();
      if (t === '') {
        if (mode === undefined) docLines.push(text);
        continue;
      }
      let doc: unknown;
      try {
        doc = JSON.parse(t);
      } catch (e) {
        if (mode === undefined) {
          mode = 'document';
          docLines.push(text);
          continue;
        }
        return fail(`invalid JSON on this line: ${e instanceof Error ? e.message.replace(/ in JSON at position \d+.*$/, '') : String(e)}`, no);
      }
      mode = 'lines';
      request(doc, no);
    }
    if (mode === undefined) return fail('empty file');
    if (mode === 'document') {
      const text = docLines.join('\n');
      let doc: unknown;
      try {
        doc = JSON.parse(text);
      } catch (e) {
        const msg = e instanceof Error ? e.message : String(e);
        const pos = /position (\d+)/.exec(msg);
        const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
        return fail(`invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, line);
      }
      request(doc, undefined);
    }

    const points = [...cumulative.values(), ...delta];
    if (points.length === 0) {
      const names = [...otherMetrics].sort();
      return fail(
        `no HTTP duration histogram (http.server.request.duration, http.client.request.duration) in this OTLP file${names.length ? `; its metrics: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}` : ''}`,
      );
    }
    const families = new Set(points.map((p) => p.metric));
    const groups = new Map<string, Point[]>();
    for (const p of points) {
      const key = `${p.metric}\u0000${p.method ?? ''}\u0000${p.route ?? ''}\u0000${p.method === undefined ? 0 : 1}${p.route === undefined ? 0 : 1}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(p);
    }

    const out: Series[] = [];
    for (const g of groups.values()) {
      const first = g[0]!;
      const toMs = (v: number): number => scaleDecimal(v, first.exp);
      const count = g.reduce((a, p) => a + p.count, 0);
      const sum = g.every((p) => p.sum !== null) ? g.reduce((a, p) => a + p.sum!, 0) : null;
      const withCounts = g.filter((p) => p.count > 0);
      const finiteOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
      const minMs = withCounts.length && withCounts.every((p) => p.min !== null) ? finiteOrNull(toMs(Math.min(...withCounts.map((p) => p.min!)))) : null;
      const maxMs = withCounts.length && withCounts.every((p) => p.max !== null) ? finiteOrNull(toMs(Math.max(...withCounts.map((p) => p.max!)))) : null;
      const flagged = g.filter((p) => p.error !== null);
      const errors = flagged.length ? flagged.filter((p) => p.error).reduce((a, p) => a + p.count, 0) : null;

      const quantiles = quantilesOf(g, file);
      const percentiles: PercentileMap = {};
      const buckets: Record<string, QuantileBucket> = {};
      const clamp = (v: number): number => (minMs !== null && maxMs !== null ? Math.min(maxMs, Math.max(minMs, v)) : v);
      for (const [q, r] of quantiles) {
        // a bound that overflows in ms is no latency: that percentile is missing
        if (!Number.isFinite(toMs(r.value)) || !Number.isFinite(toMs(r.lower))) continue;
        const key = percentileKey(q * 100);
        percentiles[key] = clamp(toMs(r.value));
        buckets[key] = { lower: clamp(toMs(r.lower)), upper: r.upper === Infinity ? (maxMs ?? Infinity) : clamp(toMs(r.upper)) };
      }

      const start = g.reduce((a, p) => (p.start < a ? p.start : a), first.start);
      const end = g.reduce((a, p) => (p.time > a ? p.time : a), first.time);
      const durationSec = end > start ? Number(end - start) / 1e9 : null;
      const label = families.size > 1 ? first.metric : baseName(file);
      const name =
        first.method !== undefined && first.route !== undefined
          ? `${first.method} ${first.route}`
          : first.route ?? (first.method !== undefined ? `${first.method} ${label}` : label);
      out.push({
        name,
        format: 'otlp-json',
        source: file,
        count,
        errors,
        durationSec,
        throughputPerSec: durationSec && durationSec > 0 ? count / durationSec : null,
        exact: false,
        histogram: null,
        percentiles,
        minMs,
        maxMs,
        meanMs: sum !== null && count > 0 && Number.isFinite(toMs(sum / count)) ? toMs(sum / count) : null,
        buckets,
        startedAt: start > 0n ? Number(start / 1_000_000n) : null,
      });
    }
    const byName = new Map<string, number>();
    for (const s of out) byName.set(s.name, (byName.get(s.name) ?? 0) + 1);
    const groupList = [...groups.values()];
    out.forEach((s, i) => {
      if ((byName.get(s.name) ?? 0) > 1) s.name = `${s.name} [${groupList[i]![0]!.metric}]`;
    });
    return out;
  },
};

/** Quantile -> value and bucket bounds, in the metric's unit, for the merged points of one series. */
function quantilesOf(points: readonly Point[], file: string): Array<[number, { value: number; lower: number; upper: number }]> {
  const out: Array<[number, { value: number; lower: number; upper: number }]> = [];
  const kinds = new Set(points.map((p) => p.data.kind));
  if (kinds.size > 1) throw new InputError(file, `${points[0]!.metric}: explicit and exponential histograms for one handler cannot be merged`);
  if (kinds.has('explicit')) {
    const data = points.map((p) => p.data as ExplicitData).filter((d) => d.counts.length > 0);
    if (data.length === 0) return out;
    const bounds = data[0]!.bounds;
    if (data.some((d) => d.bounds.length !== bounds.length || d.bounds.some((b, i) => b !== bounds[i]))) {
      throw new InputError(file, `${points[0]!.metric}: data points of one handler have different bucket bounds`);
    }
    const counts = bounds.map(() => 0).concat(0);
    for (const d of data) d.counts.forEach((c, i) => (counts[i]! += c));
    let cum = 0;
    const pairs: Array<[number, number]> = counts.map((c, i) => [i < bounds.length ? bounds[i]! : Infinity, (cum += c)]);
    for (const q of QUANTILES) {
      const r = bucketQuantileWithBounds(q, pairs);
      if (!Number.isNaN(r.value)) out.push([q, r]);
    }
    return out;
  }
  // exponential: merge at the smallest scale
  const data = points.map((p) => p.data as ExponentialData);
  const scale = Math.min(...data.map((d) => d.scale));
  let zero = 0;
  const byIndex = new Map<number, number>();
  for (const d of data) {
    zero += d.zeroCount;
    const shift = d.scale - scale;
    d.counts.forEach((c, k) => {
      if (c === 0) return;
      const index = Math.floor((d.offset + k) / 2 ** shift);
      byIndex.set(index, (byIndex.get(index) ?? 0) + c);
    });
  }
  const total = zero + [...byIndex.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return out;
  const base = 2 ** (2 ** -scale);
  const buckets: Array<{ lower: number; upper: number; count: number }> = [{ lower: 0, upper: 0, count: zero }];
  for (const i of [...byIndex.keys()].sort((a, b) => a - b)) {
    const upper = base ** (i + 1);
    if (!Number.isFinite(upper)) throw new InputError(file, `${points[0]!.metric}: exponential bucket ${i} at scale ${scale} lies beyond any number`);
    buckets.push({ lower: base ** i, upper, count: byIndex.get(i)! });
  }
  for (const q of QUANTILES) {
    const rank = q * total;
    let before = 0;
    for (const b of buckets) {
      if (b.count > 0 && before + b.count >= rank) {
        out.push([q, { value: b.lower + (b.upper - b.lower) * ((rank - before) / b.count), lower: b.lower, upper: b.upper }]);
        break;
      }
      before += b.count;
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: AttrValue | undefined): string | undefined {
  return v === undefined ? undefined : String(v);
}

/** A JSON number or a decimal string (OTLP JSON writes 64-bit integers as strings). */
function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function attributeKey(dp: Record<string, unknown>): string {
  const attrs = Array.isArray(dp.attributes) ? dp.attributes : [];
  return JSON.stringify(
    attrs
      .filter((a): a is Record<string, unknown> => isObject(a) && typeof a.key === 'string')
      .map((a) => [a.key as string, JSON.stringify(a.value)])
      .sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0)),
  );
}
