import * as z from '../zod';
import { InputError } from '../errors';
import type { PercentileMap, Series } from '../series';
import { percentileKey } from '../series';
import { jsonPath, validateShape } from './jsonShape';
import { baseName, parseJson, readText } from './lines';
import type { Reader } from './reader';

/**
 * autocannon `--json` (one JSON object; autocannon 2.x – 8.x). A summary: the latency
 * percentiles autocannon printed are kept exactly (ms; there is no p95, so none is invented).
 *
 * - name: method + URL path ("GET /api/items"); the JSON has no method, so "GET" unless a
 *   top-level `method` says otherwise; the file's base name when there is no single URL.
 * - count: `requests.total` (completed responses), else `latency.totalCount`.
 * - errors: `errors` + `non2xx`. autocannon counts every timeout in `errors` as well as in
 *   `timeouts` (lib/run.js `onTimeout`), so adding `timeouts` again would count them twice.
 * - durationSec: `duration`; throughput: `requests.average` (completed requests per second).
 */

const nonNeg = z.number().check(z.nonnegative());
const count = z.number().check(z.int(), z.nonnegative());

const histogramStats = z.catchall(
  z.object({
    average: z.optional(nonNeg),
    mean: z.optional(nonNeg),
    min: nonNeg,
    max: nonNeg,
    totalCount: z.optional(count),
    total: z.optional(count),
  }),
  z.unknown(),
);

const schema = z.catchall(
  z.object({
    url: z.optional(z.union([z.string(), z.array(z.string())])),
    method: z.optional(z.string()),
    duration: nonNeg,
    errors: count,
    timeouts: z.optional(count),
    non2xx: count,
    latency: histogramStats,
    requests: histogramStats,
  }),
  z.unknown(),
);

/** "p50" -> 50, "p97_5" -> 97.5, "p0_001" -> 0.001; old keys "p999" -> 99.9, "p99999" -> 99.999. */
export function autocannonPercentile(key: string): number | undefined {
  const m = /^p(\d+)(?:_(\d+))?$/.exec(key);
  if (!m) return undefined;
  if (m[2] !== undefined) return Number(`${m[1]}.${m[2]}`);
  const digits = m[1]!;
  if (Number(digits) <= 100) return Number(digits);
  if (digits.startsWith('99')) return Number(`99.${digits.slice(2)}`);
  return undefined;
}

/** "http://host:3000/api/items?x=1" -> "/api/items" (the query is not part of a handler id). */
function urlPath(url: string): string {
  const path = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '').replace(/[?#].*$/, '');
  return path === '' ? '/' : path.startsWith('/') ? path : `/${path}`;
}

export const autocannonReader: Reader = {
  id: 'autocannon',
  detect(head) {
    const t = head.trimStart();
    return (
      t.startsWith('{') &&
      /"latency"\s*:\s*\{/.test(t) &&
      /"requests"\s*:\s*\{/.test(t) &&
      /"(?:connections|pipelining|non2xx|sampleInt)"\s*:/.test(t)
    );
  },

  async read(source, options) {
    const file = options.fileName;
    const text = await readText(source, file);
    const json = parseJson(text, file);
    const d = validateShape(schema, json, file, 'autocannon --json');

    const percentiles: PercentileMap = {};
    for (const [key, value] of Object.entries(d.latency)) {
      const p = autocannonPercentile(key);
      if (p === undefined) continue;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new InputError(file, `not a valid autocannon --json file: ${jsonPath(['latency', key])} must be a non-negative number, got ${JSON.stringify(value)?.slice(0, 40)}`);
      }
      percentiles[percentileKey(p)] = value;
    }
    percentiles['100'] = d.latency.max;

    const n = d.requests.total ?? d.latency.totalCount;
    if (n === undefined) throw new InputError(file, 'not a valid autocannon --json file: $.requests.total missing (and no $.latency.totalCount)');
    const throughput = d.requests.average ?? d.requests.mean ?? null;
    const url = Array.isArray(d.url) ? (d.url.length === 1 ? d.url[0] : undefined) : d.url;
    const method = (d.method ?? 'GET').toUpperCase();

    const series: Series = {
      name: url ? `${method} ${urlPath(url)}` : baseName(file),
      format: 'autocannon',
      source: file,
      count: n,
      errors: d.errors + d.non2xx,
      durationSec: d.duration,
      throughputPerSec: throughput,
      exact: true,
      histogram: null,
      percentiles,
      minMs: d.latency.min,
      maxMs: d.latency.max,
      meanMs: d.latency.mean ?? d.latency.average ?? null,
    };
    return [series];
  },
};
