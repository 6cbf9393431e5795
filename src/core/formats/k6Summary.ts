import { InputError } from '../errors';
import { percentileKey, type PercentileMap, type Series } from '../series';
import { k6HandlerName } from './k6Names';
import { lineColumn } from '../textPosition';
import { baseName, parseJson, readText } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';

/**
 * k6 end-of-test summary JSON, all three shapes:
 *  - `--summary-export` (legacy): `metrics.<name>` holds the stats flat (`avg`, `med`, `p(95)`…;
 *    rates as `{passes, fails, value}`);
 *  - `handleSummary(data)` → JSON.stringify(data): stats nested under `metrics.<name>.values`
 *    (rates as `{rate, passes, fails}`), run length in `state.testRunDurationMs`;
 *  - new machine-readable summary (k6 ≥ 1.5, `--new-machine-readable-summary`):
 *    `{version, config:{duration}, results:{metrics:[{name, type, values}]}}`.
 *
 * `http_req_duration` → a series named after the file, marked `allRequests` (k6's own totals);
 * its tagged sub-metrics (declared through thresholds) become series too:
 *  - tagged only by `name`, `method` and/or `url` (`http_req_duration{method:GET,name:/api/items}`)
 *    → the handler "GET /api/items";
 *  - tagged only by `group` and/or `scenario` → "group ::login", "group ::api::orders" (k6's group
 *    path as tagged, "::" before each level), "scenario checkout", both → "scenario checkout,
 *    group ::login": free names, which a budget keys on exactly as written;
 *  - both kinds (`{scenario:checkout,method:GET,name:/x}`) → "scenario checkout: GET /x": the
 *    handler inside that scenario/group, a free name of its own (it starts with the scope, so no
 *    route template or wildcard takes it), never merged with the handler's overall "GET /x";
 *  - an empty `group` tag (the root group) or any other tag (`{expected_response:true}`,
 *    `{status:200}`…) makes a filter, not a series: skipped.
 * Percentiles are k6's own (exact): `med`→50, `p(N)`→N, `max`→100.
 * Errors from `http_req_failed` (passes = failed requests), count and throughput from `http_reqs`
 * (the same sub-metric tags when present; count null when the summary has no counter for a
 * sub-metric). gRPC-only runs use `grpc_req_duration`. Browser-only runs (k6 browser: no
 * `http_req_duration`) use `browser_http_req_duration` and its sub-metrics the same way, with
 * errors and count from `browser_http_req_failed` (passes failed, passes + fails requests); the
 * web vitals (`browser_web_vital_lcp`…) are no request latency and are not read. A summary with
 * browser metrics but no `browser_http_req_duration` is refused with the names it has; a hybrid
 * run (protocol and browser) is read from `http_req_duration`, its browser metrics left out.
 * The whole document is buffered (summaries are small).
 */

type Values = Record<string, unknown>;

const DURATION_METRICS = ['http_req_duration', 'grpc_req_duration', 'browser_http_req_duration'];
const HANDLER_TAGS = new Set(['name', 'method', 'url']);
const SCOPE_TAGS = new Set(['scenario', 'group']);

export const k6SummaryReader: Reader = {
  id: 'k6-summary',
  detect(head: string): boolean {
    const t = head.trimStart();
    if (!t.startsWith('{')) return false;
    const first = t.split('\n', 1)[0] ?? '';
    if (/"type"\s*:\s*"(Point|Metric)"/.test(first)) return false; // k6 --out json (NDJSON)
    if (/"root_group"\s*:/.test(t) && /"metrics"\s*:/.test(t)) return true;
    if (/"metrics"\s*:\s*\{/.test(t) && /"(http_req_duration|grpc_req_duration|browser_http_req_duration|iteration_duration|http_reqs)[{"]/.test(t)) return true;
    return /"k6Version"\s*:/.test(t) && /"results"\s*:/.test(t);
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    const text = await readText(source, file);
    const doc = parseJson(text, file);
    const where = (key: string): { line?: number; column?: number } => {
      const at = text.indexOf(JSON.stringify(key));
      return at >= 0 ? lineColumn(text, at) : {};
    };
    const fail = (reason: string, key?: string): never => {
      const w = key ? where(key) : {};
      throw new InputError(file, reason, w.line, w.column);
    };
    if (!isObject(doc)) return fail('not a k6 summary: the top level is not a JSON object');

    // name -> stats, whatever the shape
    const metrics = new Map<string, Values>();
    let durationSec: number | null = null;
    if (isObject(doc.results) && Array.isArray(doc.results.metrics)) {
      for (const m of doc.results.metrics) {
        if (isObject(m) && typeof m.name === 'string' && isObject(m.values)) metrics.set(m.name, m.values);
      }
      const d = isObject(doc.config) ? doc.config.duration : undefined;
      if (typeof d === 'number' && d > 0) durationSec = d;
    } else if (isObject(doc.metrics)) {
      for (const [name, m] of Object.entries(doc.metrics)) {
        if (!isObject(m)) continue;
        metrics.set(name, isObject(m.values) ? m.values : m);
      }
      const ms = isObject(doc.state) ? doc.state.testRunDurationMs : undefined;
      if (typeof ms === 'number' && ms > 0) durationSec = ms / 1000;
    } else {
      return fail('not a k6 summary: no "metrics" object (nor "results.metrics" array)');
    }

    const base = DURATION_METRICS.find((b) => metrics.has(b) || [...metrics.keys()].some((k) => k.startsWith(`${b}{`)));
    if (!base) {
      const browser = [...metrics.keys()].filter((k) => k.startsWith('browser_')).sort();
      if (browser.length > 0) {
        return fail(
          `k6 summary of a browser test without browser_http_req_duration (it has ${browser.slice(0, 6).join(', ')}${browser.length > 6 ? ', …' : ''}): web vitals are not request latencies; keep browser_http_req_duration in the summary (it is there unless handleSummary drops it)`,
        );
      }
      return fail('k6 summary has no http_req_duration (or grpc_req_duration, browser_http_req_duration) metric');
    }

    const COUNTS = new Set(['count', 'passes', 'fails', 'matches', 'total']);
    const stat = (metric: string, key: string): number | null => {
      const v = metrics.get(metric)?.[key];
      if (v === undefined || v === null) return null;
      if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`${metric}.${key} is not a number: ${JSON.stringify(v)}`, metric);
      if (v < 0 && COUNTS.has(key)) return fail(`${metric}.${key} is a negative count: ${v}`, metric);
      return v;
    };

    const reqsMetric = base === 'grpc_req_duration' ? 'grpc_reqs' : base === 'browser_http_req_duration' ? 'browser_http_reqs' : 'http_reqs';
    const failedMetric = base === 'browser_http_req_duration' ? 'browser_http_req_failed' : 'http_req_failed';
    // Run length: from the summary's own field, else from the overall request counter.
    if (durationSec === null) {
      const c = stat(reqsMetric, 'count');
      const r = stat(reqsMetric, 'rate');
      if (c !== null && r !== null && r > 0 && Number.isFinite(c / r)) durationSec = c / r;
    }

    const out: Series[] = [];
    const seen = new Set<string>();
    for (const [key, values] of metrics) {
      const parsed = parseKey(key);
      if (parsed.metric !== base) continue;
      let name: string;
      let suffix = '';
      if (parsed.tags === null) name = baseName(file);
      else {
        const n = seriesName(parsed.tags);
        if (n === null) continue;
        name = n;
        suffix = canonicalTags(parsed.tags);
      }
      if (seen.has(name)) continue; // same handler spelt twice (tag order): first wins
      seen.add(name);

      const percentiles: PercentileMap = {};
      let minMs: number | null = null;
      let maxMs: number | null = null;
      let meanMs: number | null = null;
      let trendCount: number | null = null;
      for (const [k, v] of Object.entries(values)) {
        if (k === 'thresholds') continue;
        if (typeof v !== 'number' || !Number.isFinite(v)) return fail(`${key}.${k} is not a number: ${JSON.stringify(v)}`, key);
        if (k === 'count') {
          if (v < 0) return fail(`${key}.count is a negative count: ${v}`, key);
          trendCount = v;
          continue;
        }
        if (v < 0) return fail(`${key}.${k} is a negative latency: ${v}`, key);
        if (k === 'min') minMs = v;
        else if (k === 'avg') meanMs = v;
        else if (k === 'max') {
          maxMs = v;
          percentiles['100'] = v;
        } else if (k === 'med') percentiles['50'] = v;
        else {
          const p = /^p\(\s*([\d.]+)\s*\)$/.exec(k);
          if (p) {
            const n = Number(p[1]);
            if (Number.isFinite(n) && n >= 0 && n <= 100) percentiles[percentileKey(n)] = v;
          }
        }
      }
      if (Object.keys(percentiles).length === 0 && meanMs === null) continue;

      const sub = (metric: string) => (suffix ? findSub(metrics, metric, suffix) : metric);
      const reqs = sub(reqsMetric);
      const failed = sub(failedMetric);
      let count = reqs ? stat(reqs, 'count') : null;
      let errors: number | null = null;
      if (failed) {
        const passes = stat(failed, 'passes') ?? stat(failed, 'matches');
        const fails = stat(failed, 'fails');
        const total = stat(failed, 'total') ?? (passes !== null && fails !== null ? passes + fails : null);
        const rate = stat(failed, 'rate') ?? stat(failed, 'value');
        count ??= trendCount ?? total;
        if (passes !== null) errors = passes;
        else if (rate !== null && count !== null) errors = Math.round(rate * count);
      }
      count ??= trendCount;
      const rate = reqs ? stat(reqs, 'rate') : null;
      out.push({
        name,
        format: 'k6-summary',
        source: file,
        count,
        errors,
        durationSec,
        throughputPerSec: rate ?? (durationSec && durationSec > 0 && count !== null && count > 0 && Number.isFinite(count / durationSec) ? count / durationSec : null),
        exact: true,
        histogram: null,
        percentiles,
        minMs,
        maxMs,
        meanMs,
        ...(parsed.tags === null ? { allRequests: true } : {}),
      });
    }
    if (out.length === 0) return fail(`k6 summary: ${base} has no latency statistics`, base);
    return out;
  },
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** "http_req_duration{method:GET,name:/x}" → metric and tags (null when not a sub-metric). */
export function parseKey(key: string): { metric: string; tags: Record<string, string> | null } {
  const open = key.indexOf('{');
  if (open < 0 || !key.endsWith('}')) return { metric: key, tags: null };
  const tags: Record<string, string> = {};
  for (const part of key.slice(open + 1, -1).split(',')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    tags[part.slice(0, colon).trim()] = part.slice(colon + 1).trim();
  }
  return { metric: key.slice(0, open), tags };
}

/**
 * The series a sub-metric's tags make (see the doc comment above), or null for a filter:
 * handler tags → "GET /x"; group/scenario tags → "scenario s, group ::g"; both → "scenario s: GET /x".
 */
export function seriesName(tags: Record<string, string>): string | null {
  const keys = Object.keys(tags);
  if (keys.length === 0 || !keys.every((k) => HANDLER_TAGS.has(k) || SCOPE_TAGS.has(k))) return null;
  const scope: string[] = [];
  if (tags.scenario !== undefined) {
    if (tags.scenario === '') return null;
    scope.push(`scenario ${tags.scenario}`);
  }
  if (tags.group !== undefined) {
    if (tags.group === '') return null; // the root group: requests outside any group, a filter
    scope.push(`group ${tags.group}`);
  }
  const handlerTagged = keys.some((k) => HANDLER_TAGS.has(k));
  const handler = handlerTagged ? k6HandlerName(tags.method, tags.name, tags.url) : null;
  if (handlerTagged && handler === null) return null;
  if (handler === null) return scope.join(', ');
  return scope.length ? `${scope.join(', ')}: ${handler}` : handler;
}

function canonicalTags(tags: Record<string, string>): string {
  return Object.keys(tags)
    .sort()
    .map((k) => `${k}=${tags[k]}`)
    .join('&');
}

/** The sub-metric of `metric` with exactly the tag set `canonical`, if the summary has it. */
function findSub(metrics: Map<string, Values>, metric: string, canonical: string): string | null {
  for (const key of metrics.keys()) {
    const p = parseKey(key);
    if (p.metric === metric && p.tags && canonicalTags(p.tags) === canonical) return key;
  }
  return null;
}
