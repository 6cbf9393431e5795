import type * as z from '../zod';
import { parseDuration } from '../units';
import type { HttpBenchmarkSchema } from './schema';

/** One request of the built-in HTTP benchmark, with its defaults applied. */
export interface HttpRequestSpec {
  handler: string;
  path: string;
  method: string;
  body?: string;
  headers: Record<string, string>;
  weight: number;
}

/** The built-in HTTP benchmark of a benchmark entry (`"http": {...}`), in numbers. */
export interface HttpBenchmark {
  /** Without a trailing slash. */
  baseUrl: string;
  requests: HttpRequestSpec[];
  durationMs: number;
  connections: number;
  /** Total requests per second; absent: as fast as the connections allow. */
  rate?: number;
  maxRequests?: number;
  start?: string;
  ready?: string;
  readyTimeoutMs: number;
  /** The HdrHistogram log to write, relative to the workspace. */
  results: string;
  allowRemote: boolean;
}

export const HTTP_MAX_DURATION_MS = 10 * 60_000;
export const HTTP_MAX_READY_TIMEOUT_MS = 5 * 60_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

type Fail = (path: Array<string | number>, message: string) => never;

/**
 * Validated `http` input -> HttpBenchmark. What the zod schema cannot say (URL shape, loopback,
 * caps in duration units, connections and rate per request) is checked here; `fail` reports an
 * error at a JSON path relative to the `http` object.
 */
export function toHttpBenchmark(name: string, input: z.output<typeof HttpBenchmarkSchema>, fail: Fail): HttpBenchmark {
  const allowRemote = input.allowRemote ?? false;
  const url = (key: 'baseUrl' | 'ready', text: string): URL => {
    let u: URL;
    try {
      u = new URL(text);
    } catch {
      return fail([key], 'expected an http:// or https:// URL');
    }
    if (u.username || u.password) fail([key], 'credentials in the URL are not supported; use a header');
    if (!allowRemote && !LOOPBACK_HOSTS.has(u.hostname.toLowerCase())) {
      fail([key], `${u.hostname} is not loopback (127.0.0.1, localhost, [::1]); set "allowRemote": true to benchmark another host`);
    }
    return u;
  };
  const base = url('baseUrl', input.baseUrl);
  if (base.search || base.hash) fail(['baseUrl'], 'a query or fragment belongs in the request paths');
  if (input.ready !== undefined) url('ready', input.ready);

  const durationMs = input.duration === undefined ? 10_000 : parseDuration(input.duration)!;
  if (durationMs <= 0 || durationMs > HTTP_MAX_DURATION_MS) fail(['duration'], 'must be above 0 and at most 10m');
  const readyTimeoutMs = input.readyTimeout === undefined ? 30_000 : parseDuration(input.readyTimeout)!;
  if (readyTimeoutMs <= 0 || readyTimeoutMs > HTTP_MAX_READY_TIMEOUT_MS) fail(['readyTimeout'], 'must be above 0 and at most 5m');

  const connections = input.connections ?? 10;
  const n = input.requests.length;
  // Each request runs on its own connections (so its latencies are its own) at its own share of the rate.
  if (connections < n) fail(['connections'], `must be at least the number of requests (${n}): each request has its own connections`);
  if (input.rate !== undefined && input.rate < n) fail(['rate'], `must be at least the number of requests (${n}) per second`);

  const requests = input.requests.map((r, i): HttpRequestSpec => {
    const methodOfId = /^([A-Z]+)\s+\//.exec(r.handler)?.[1];
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    let body: string | undefined;
    if (typeof r.body === 'string') body = r.body;
    else if (r.body !== undefined) {
      body = JSON.stringify(r.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    if (/[\r\n]/.test(Object.entries(headers).flat().join(''))) fail(['requests', i, 'headers'], 'a header name or value contains a line break');
    const spec: HttpRequestSpec = { handler: r.handler, path: r.path, method: r.method ?? methodOfId ?? 'GET', headers, weight: r.weight ?? 1 };
    if (body !== undefined) spec.body = body;
    return spec;
  });

  const out: HttpBenchmark = {
    baseUrl: base.href.replace(/\/+$/, ''),
    requests,
    durationMs,
    connections,
    readyTimeoutMs,
    results: input.results ?? `perf/results/${name.replace(/[^\w.-]+/g, '_')}.hlog`,
    allowRemote,
  };
  if (input.rate !== undefined) out.rate = input.rate;
  if (input.maxRequests !== undefined) out.maxRequests = input.maxRequests;
  if (input.start !== undefined) out.start = input.start;
  if (input.ready !== undefined) out.ready = input.ready;
  return out;
}
