import { InputError } from '../errors';
import type { PercentileMap, PeriodSummary, Series } from '../series';
import { lineColumn } from '../textPosition';
import { jsonPath } from './jsonShape';
import { MAX_LATENCY_MS, parseJson, readText } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';

/**
 * Artillery `artillery run --output report.json`, both shapes (found by content, see `detect`).
 *
 * Artillery 2.x: `aggregate` and `intermediate[]` each hold `counters`, `rates`, `summaries` (older
 * 2.0 builds: `histograms` only, same objects), `firstMetricAt`, `lastMetricAt` and `period`.
 *  - `summaries["http.response_time"]` → the series "http.response_time" (the name the report
 *    gives it), `allRequests: true`: Artillery's own all-requests row. count = the
 *    `http.requests` counter (requests sent; else `http.responses` + the `errors.*` counters);
 *    errors = the `http.codes.<code>` counters with a code outside 200–399 plus every `errors.*`
 *    counter (ECONNREFUSED, ETIMEDOUT…, and also non-request ones such as "Failed capture or
 *    match", so a request that got a 500 and then failed a capture counts twice). The
 *    `http.response_time.2xx`/`.4xx`… splits are not read.
 *  - The metrics-by-endpoint plugin (default `metricsNamespace` "plugins.metrics-by-endpoint"):
 *    `summaries["plugins.metrics-by-endpoint.response_time.<name>"]` → one series per <name>,
 *    kept exactly as the plugin wrote it. The plugin names a request by its URL path (with the
 *    query string unless `stripQueryString`; the host/port prefixed when not the target's; the
 *    URL template before rendering, e.g. "{{ host }}/x"), "<path> (<request name>)" for a named
 *    request, or only the request name with `useOnlyRequestNames`. The report never says the
 *    method (GET and POST to one path are one series), so no "GET /path" is made: a path-only
 *    name matches a budget for any method of that path. count = its
 *    `plugins.metrics-by-endpoint.<name>.codes.<code>` counters plus its `.errors.<code>`
 *    counters (request errors, which got no response); errors = codes outside 200–399 plus those
 *    errors. A name with counters but no response_time summary (every request failed) is a series
 *    with no latencies. `server-timing.<name>` summaries are not read.
 *  - Latencies (ms) are Artillery's own summaries (`exact: true`): p50 (else `median`), p75, p90,
 *    p95, p99, p999 → "99.9", max → "100"; min, max, mean. Artillery records into a DDSketch
 *    of relative accuracy 0.01 and rounds to 0.1 ms: each percentile is within 1% of the true
 *    value, and can sit up to 1% outside [min, max] (a single 101 ms request prints p50 100.5);
 *    min, max, count are exact (min/max rounded to 0.1 ms), mean = sum / count rounded.
 *  - startedAt = `aggregate.firstMetricAt` (epoch ms of the first metric: the first virtual user
 *    created); durationSec = (`lastMetricAt` − `firstMetricAt`) / 1000 (to the last metric: the
 *    last request or user completed), null without both; throughput = count / durationSec (not
 *    `rates["http.request_rate"]`, which is a mean of per-period rates).
 *  - `periods`: one PeriodSummary per `intermediate` entry (Artillery's 10 s periods, in `period`
 *    order), for every series: that entry's counters and summary, computed as above (count 0 and
 *    no percentiles when the series had nothing in it); startedAt = its `firstMetricAt`,
 *    durationSec = its `lastMetricAt` − `firstMetricAt` (the "width" Artillery prints per period).
 *
 * Artillery 1.x: `aggregate` with `latency` {min, max, median, p95, p99} (ms, null when not
 * computed), `codes`, `errors`, `requestsCompleted`, `rps` {count, mean}, `scenarioCounts`, and
 * `intermediate[]` of the same shape stamped with the report's `timestamp` (ISO; the end of a
 * period). No per-endpoint data: one series "latency" (the report's name), `allRequests: true`.
 * Percentiles as printed (`exact: true`; Artillery 1.6 computed them over every request, rounded
 * to 0.1 ms; earlier 1.x releases from a sampling histogram): median → "50", p95, p99, max → "100"; min; no mean. count = `requestsCompleted`
 * (responses) + the `errors` values (requests that got none; in the reports seen the sum equals
 * `rps.count`, the requests sent); errors = `codes` outside 200–399 + the `errors` values. throughput =
 * `rps.mean` (requests sent per second from the first request to the report, rounded to 0.01);
 * durationSec = `rps.count` / `rps.mean` (approximate by that rounding); startedAt is not known.
 * Periods: one per `intermediate` entry; an entry's startedAt is the previous entry's
 * `timestamp` and durationSec the difference (both null for the first entry). The raw
 * `latencies` arrays some 1.x intermediates carry are not read.
 *
 * Bad input (not an object where one belongs, a negative or non-numeric count or latency) is an
 * InputError naming the JSON path and its line. The whole document is buffered (reports are small).
 */

type Obj = Record<string, unknown>;
type Path = ReadonlyArray<string | number>;

const ENDPOINT = 'plugins.metrics-by-endpoint.';
const ENDPOINT_TIME = `${ENDPOINT}response_time.`;
const ALL_REQUESTS = 'http.response_time';
const V1_NAME = 'latency';
/** `<name>.codes.<code>` / `<name>.errors.<code>` after the plugin prefix: the last such suffix wins. */
const ENDPOINT_COUNTER = /^(.+)\.(codes|errors)\.([^.]+)$/;
const V2_PERCENTILES: ReadonlyArray<readonly [string, string]> = [
  ['p50', '50'],
  ['p75', '75'],
  ['p90', '90'],
  ['p95', '95'],
  ['p99', '99'],
  ['p999', '99.9'],
];
const V1_PERCENTILES: ReadonlyArray<readonly [string, string]> = [
  ['median', '50'],
  ['p95', '95'],
  ['p99', '99'],
];

export const artilleryReader: Reader = {
  id: 'artillery',
  detect(head: string): boolean {
    const t = head.trimStart();
    if (!t.startsWith('{') || !/"aggregate"\s*:\s*\{/.test(t)) return false;
    if (/"(?:counters|summaries|histograms)"\s*:\s*\{/.test(t)) return true; // 2.x (1.6 also has counters)
    return /"latency"\s*:\s*\{/.test(t) && /"(?:scenarioCounts|requestsCompleted)"\s*:/.test(t); // 1.x
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    const text = await readText(source, file);
    const doc = new Doc(text, file, parseJson(text, file));
    const root = doc.object([], 'an Artillery report', doc.root);
    const aggregate = doc.object(['aggregate'], 'the run totals (artillery run --output)', root.aggregate);
    return isV1(aggregate) ? readV1(doc, root, aggregate) : readV2(doc, root, aggregate);
  },
};

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isV1(aggregate: Obj): boolean {
  return isObject(aggregate.latency) && (aggregate.requestsCompleted !== undefined || isObject(aggregate.scenarioCounts)) && !isObject(aggregate.summaries);
}

/** The parsed document with its text, for errors that name a JSON path and its line. */
class Doc {
  constructor(
    readonly text: string,
    readonly file: string,
    readonly root: unknown,
  ) {}

  fail(path: Path, reason: string): never {
    const at = offsetOfPath(this.text, path);
    const pos = at === null ? undefined : lineColumn(this.text, at);
    throw new InputError(this.file, `not a valid Artillery report: ${jsonPath(path)} ${reason}`, pos?.line, pos?.column);
  }

  object(path: Path, what: string, value: unknown): Obj {
    if (isObject(value)) return value;
    return this.fail(path, value === undefined ? `missing (${what})` : `is not an object (${what})`);
  }

  /** An optional object: absent/null → empty. */
  objectOrEmpty(path: Path, value: unknown): Obj {
    if (value === undefined || value === null) return {};
    return this.object(path, 'an object of metrics', value);
  }

  /** A non-negative count (integer) or absent. */
  count(path: Path, value: unknown): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(path, `is not a number (got ${short(value)})`);
    if (value < 0) return this.fail(path, `is a negative count (${value})`);
    return value;
  }

  /** A latency (ms): a non-negative number or absent (null: Artillery found none). */
  latency(path: Path, value: unknown): number | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(path, `is not a number (got ${short(value)})`);
    if (value < 0) return this.fail(path, `is a negative latency (${value} ms)`);
    if (value > MAX_LATENCY_MS) return this.fail(path, `is beyond ${MAX_LATENCY_MS} ms (${value})`);
    return value;
  }

  /** Epoch milliseconds (a number or a numeric string, as `period` is in 2.x intermediates) or null. */
  epochMs(path: Path, value: unknown): number | null {
    if (value === undefined || value === null || value === 0) return null;
    const v = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return this.fail(path, `is not a time in epoch milliseconds (got ${short(value)})`);
    return v;
  }
}

function short(value: unknown): string {
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function isErrorCode(code: string): boolean {
  const n = Number(code);
  return !(Number.isInteger(n) && n >= 200 && n < 400);
}

// ---------------------------------------------------------------- Artillery 2.x

interface Latencies {
  percentiles: PercentileMap;
  minMs: number | null;
  maxMs: number | null;
  meanMs: number | null;
  count: number | null;
}

/** One endpoint's counters in one period: responses (any code), those outside 200–399, request errors (no response). */
interface Tally {
  responses: number;
  badResponses: number;
  requestErrors: number;
}

/** One period's (or the aggregate's) metrics, validated. */
interface Metrics {
  counters: Map<string, number>;
  summaries: Map<string, Latencies>;
  endpoints: Map<string, Tally>;
  firstMetricAt: number | null;
  lastMetricAt: number | null;
  period: number | null;
}

function readMetrics(doc: Doc, path: Path, entry: Obj): Metrics {
  const counters = new Map<string, number>();
  const countersObj = doc.objectOrEmpty([...path, 'counters'], entry.counters);
  for (const [k, v] of Object.entries(countersObj)) {
    const n = doc.count([...path, 'counters', k], v);
    if (n !== null) counters.set(k, n);
  }
  const summaries = new Map<string, Latencies>();
  const key = isObject(entry.summaries) || entry.histograms === undefined ? 'summaries' : 'histograms';
  const summariesObj = doc.objectOrEmpty([...path, key], entry[key]);
  for (const [name, s] of Object.entries(summariesObj)) {
    if (name !== ALL_REQUESTS && !name.startsWith(ENDPOINT_TIME)) continue;
    summaries.set(name, summaryOf(doc, [...path, key, name], s));
  }
  const endpoints = new Map<string, Tally>();
  for (const [k, n] of counters) {
    if (!k.startsWith(ENDPOINT)) continue;
    const m = ENDPOINT_COUNTER.exec(k.slice(ENDPOINT.length));
    if (!m) continue;
    const [, name, kind, code] = m as unknown as [string, string, string, string];
    let t = endpoints.get(name);
    if (!t) endpoints.set(name, (t = { responses: 0, badResponses: 0, requestErrors: 0 }));
    if (kind === 'errors') t.requestErrors += n;
    else {
      t.responses += n;
      if (isErrorCode(code)) t.badResponses += n;
    }
  }
  return {
    counters,
    summaries,
    endpoints,
    firstMetricAt: doc.epochMs([...path, 'firstMetricAt'], entry.firstMetricAt),
    lastMetricAt: doc.epochMs([...path, 'lastMetricAt'], entry.lastMetricAt),
    period: doc.epochMs([...path, 'period'], entry.period),
  };
}

function summaryOf(doc: Doc, path: Path, value: unknown): Latencies {
  const s = doc.object(path, 'a summary: min, max, count, mean, p50 …', value);
  const ms = (k: string): number | null => doc.latency([...path, k], s[k]);
  const percentiles: PercentileMap = {};
  for (const [k, p] of V2_PERCENTILES) {
    const v = ms(k) ?? (k === 'p50' ? ms('median') : null);
    if (v !== null) percentiles[p] = v;
  }
  const maxMs = ms('max');
  if (maxMs !== null) percentiles['100'] = maxMs;
  return { percentiles, minMs: ms('min'), maxMs, meanMs: ms('mean'), count: doc.count([...path, 'count'], s.count) };
}

/** What one series has in one Metrics: count, errors, latencies (null: nothing of it there). */
interface Part {
  count: number | null;
  errors: number | null;
  latencies: Latencies | null;
}

function allRequestsPart(m: Metrics): Part | null {
  const latencies = m.summaries.get(ALL_REQUESTS) ?? null;
  let codes = 0;
  let bad = 0;
  let requestErrors = 0;
  let anyCode = false;
  for (const [k, n] of m.counters) {
    if (k.startsWith('http.codes.')) {
      anyCode = true;
      codes += n;
      if (isErrorCode(k.slice('http.codes.'.length))) bad += n;
    } else if (k.startsWith('errors.')) requestErrors += n;
  }
  const requests = m.counters.get('http.requests');
  const responses = m.counters.get('http.responses');
  if (!latencies && requests === undefined && responses === undefined && !anyCode) return null;
  const count = requests ?? (responses ?? (anyCode ? codes : latencies?.count ?? 0)) + requestErrors;
  return { count, errors: bad + requestErrors, latencies };
}

function endpointPart(m: Metrics, name: string): Part {
  const latencies = m.summaries.get(ENDPOINT_TIME + name) ?? null;
  const t = m.endpoints.get(name);
  if (!t) return { count: latencies?.count ?? 0, errors: latencies ? null : 0, latencies };
  return { count: t.responses + t.requestErrors, errors: t.badResponses + t.requestErrors, latencies };
}

function readV2(doc: Doc, root: Obj, aggregateObj: Obj): Series[] {
  const aggregate = readMetrics(doc, ['aggregate'], aggregateObj);
  const intermediate: Metrics[] = [];
  if (root.intermediate !== undefined && root.intermediate !== null) {
    if (!Array.isArray(root.intermediate)) doc.fail(['intermediate'], 'is not an array (the periods)');
    root.intermediate.forEach((e, i) => intermediate.push(readMetrics(doc, ['intermediate', i], doc.object(['intermediate', i], 'a period', e))));
    if (intermediate.every((m) => m.period !== null)) intermediate.sort((a, b) => a.period! - b.period!);
  }

  const names: string[] = [];
  const seen = new Set<string>();
  const add = (n: string): void => {
    if (!seen.has(n)) {
      seen.add(n);
      names.push(n);
    }
  };
  for (const k of aggregate.summaries.keys()) if (k.startsWith(ENDPOINT_TIME)) add(k.slice(ENDPOINT_TIME.length));
  for (const k of aggregate.endpoints.keys()) add(k);

  const parts: Array<{ name: string; allRequests: boolean; part: (m: Metrics) => Part | null }> = [];
  if (allRequestsPart(aggregate)) parts.push({ name: ALL_REQUESTS, allRequests: true, part: allRequestsPart });
  for (const n of names) parts.push({ name: n, allRequests: false, part: (m) => endpointPart(m, n) });
  if (parts.length === 0) {
    return doc.fail(['aggregate'], `has no HTTP metrics (no summaries["${ALL_REQUESTS}"], no http.requests counter, no metrics-by-endpoint data): Perf Budgets reads HTTP scenarios`);
  }

  const span = (m: Metrics): number | null =>
    m.firstMetricAt !== null && m.lastMetricAt !== null && m.lastMetricAt >= m.firstMetricAt ? (m.lastMetricAt - m.firstMetricAt) / 1000 : null;
  const durationSec = span(aggregate);
  return parts.map(({ name, allRequests, part }): Series => {
    const p = part(aggregate) ?? { count: 0, errors: 0, latencies: null };
    const l = p.latencies;
    const periods: PeriodSummary[] = intermediate.map((m) => {
      const q = part(m) ?? { count: 0, errors: 0, latencies: null };
      return { startedAt: m.firstMetricAt, durationSec: span(m), count: q.count, errors: q.errors, percentiles: q.latencies ? { ...q.latencies.percentiles } : {} };
    });
    return {
      name,
      format: 'artillery',
      source: doc.file,
      count: p.count,
      errors: p.errors,
      durationSec,
      throughputPerSec: durationSec && p.count !== null && Number.isFinite(p.count / durationSec) ? p.count / durationSec : null,
      exact: true,
      histogram: null,
      percentiles: l ? l.percentiles : {},
      minMs: l?.minMs ?? null,
      maxMs: l?.maxMs ?? null,
      meanMs: l?.meanMs ?? null,
      startedAt: aggregate.firstMetricAt,
      ...(allRequests ? { allRequests: true } : {}),
      ...(periods.length ? { periods } : {}),
    };
  });
}

// ---------------------------------------------------------------- Artillery 1.x

interface V1Report {
  timestamp: number | null;
  count: number;
  errors: number;
  percentiles: PercentileMap;
  minMs: number | null;
  maxMs: number | null;
  rpsCount: number | null;
  rpsMean: number | null;
}

function readV1Report(doc: Doc, path: Path, r: Obj): V1Report {
  const latency = doc.object([...path, 'latency'], 'request latency: min, max, median, p95, p99', r.latency);
  const percentiles: PercentileMap = {};
  for (const [k, p] of V1_PERCENTILES) {
    const v = doc.latency([...path, 'latency', k], latency[k]);
    if (v !== null) percentiles[p] = v;
  }
  const maxMs = doc.latency([...path, 'latency', 'max'], latency.max);
  if (maxMs !== null) percentiles['100'] = maxMs;
  let codes = 0;
  let bad = 0;
  for (const [code, v] of Object.entries(doc.objectOrEmpty([...path, 'codes'], r.codes))) {
    const n = doc.count([...path, 'codes', code], v) ?? 0;
    codes += n;
    if (isErrorCode(code)) bad += n;
  }
  let requestErrors = 0;
  for (const [code, v] of Object.entries(doc.objectOrEmpty([...path, 'errors'], r.errors))) requestErrors += doc.count([...path, 'errors', code], v) ?? 0;
  const completed = doc.count([...path, 'requestsCompleted'], r.requestsCompleted);
  const rps = doc.objectOrEmpty([...path, 'rps'], r.rps);
  let timestamp: number | null = null;
  if (typeof r.timestamp === 'string') {
    const t = Date.parse(r.timestamp);
    if (!Number.isFinite(t)) doc.fail([...path, 'timestamp'], `is not an ISO date (got ${short(r.timestamp)})`);
    timestamp = t;
  } else if (r.timestamp !== undefined && r.timestamp !== null) doc.fail([...path, 'timestamp'], `is not an ISO date (got ${short(r.timestamp)})`);
  return {
    timestamp,
    count: (completed ?? codes) + requestErrors,
    errors: bad + requestErrors,
    percentiles,
    minMs: doc.latency([...path, 'latency', 'min'], latency.min),
    maxMs,
    rpsCount: doc.count([...path, 'rps', 'count'], rps.count),
    rpsMean: doc.count([...path, 'rps', 'mean'], rps.mean),
  };
}

function readV1(doc: Doc, root: Obj, aggregateObj: Obj): Series[] {
  const a = readV1Report(doc, ['aggregate'], aggregateObj);
  const periods: PeriodSummary[] = [];
  if (root.intermediate !== undefined && root.intermediate !== null) {
    if (!Array.isArray(root.intermediate)) doc.fail(['intermediate'], 'is not an array (the periods)');
    let prev: number | null = null;
    root.intermediate.forEach((e, i) => {
      const r = readV1Report(doc, ['intermediate', i], doc.object(['intermediate', i], 'a period', e));
      const known = prev !== null && r.timestamp !== null && r.timestamp >= prev;
      periods.push({ startedAt: known ? prev : null, durationSec: known ? (r.timestamp! - prev!) / 1000 : null, count: r.count, errors: r.errors, percentiles: r.percentiles });
      prev = r.timestamp;
    });
  }
  const durationSec = a.rpsCount !== null && a.rpsMean !== null && a.rpsMean > 0 ? a.rpsCount / a.rpsMean : null;
  return [
    {
      name: V1_NAME,
      format: 'artillery',
      source: doc.file,
      count: a.count,
      errors: a.errors,
      durationSec,
      throughputPerSec: a.rpsMean !== null && a.rpsMean > 0 ? a.rpsMean : null,
      exact: true,
      histogram: null,
      percentiles: a.percentiles,
      minMs: a.minMs,
      maxMs: a.maxMs,
      meanMs: null,
      allRequests: true,
      ...(periods.length ? { periods } : {}),
    },
  ];
}

// ---------------------------------------------------------------- error positions

/**
 * Offset in `text` (valid JSON) of the value at `path`, or of the deepest part of it that exists;
 * null when not even the root does. Used only to place an error, so a plain scan suffices.
 */
function offsetOfPath(text: string, path: Path): number | null {
  const n = text.length;
  let i = 0;
  const ws = (): void => {
    while (i < n && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13 || text.charCodeAt(i) === 9)) i++;
  };
  const skipString = (): void => {
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) i += 2;
      else if (c === 34) {
        i++;
        return;
      } else i++;
    }
  };
  const skipValue = (): void => {
    ws();
    const c = text[i];
    if (c === '"') return skipString();
    if (c !== '{' && c !== '[') {
      while (i < n && !',}] \t\r\n'.includes(text[i]!)) i++;
      return;
    }
    let depth = 0;
    while (i < n) {
      const d = text[i];
      if (d === '"') {
        skipString();
        continue;
      }
      if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') {
        depth--;
        if (depth === 0) {
          i++;
          return;
        }
      }
      i++;
    }
  };
  ws();
  if (i >= n) return null;
  let found = i;
  for (const seg of path) {
    ws();
    if (typeof seg === 'number') {
      if (text[i] !== '[') return found;
      i++;
      for (let k = 0; k < seg; k++) {
        skipValue();
        ws();
        if (text[i] !== ',') return found;
        i++;
      }
      ws();
      if (text[i] === ']') return found;
    } else {
      if (text[i] !== '{') return found;
      i++;
      for (;;) {
        ws();
        if (text[i] !== '"') return found;
        const start = i;
        skipString();
        let key: unknown;
        try {
          key = JSON.parse(text.slice(start, i));
        } catch {
          return found;
        }
        ws();
        i++; // the colon
        ws();
        if (key === seg) break;
        skipValue();
        ws();
        if (text[i] !== ',') return found;
        i++;
      }
    }
    found = i;
  }
  return found;
}
