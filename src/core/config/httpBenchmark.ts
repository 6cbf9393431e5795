import type * as z from '../zod';
import { parseDuration } from '../units';
import type { HttpBenchmarkSchema } from './schema';

/**
 * A request header's value: the text itself, or `{ "env": NAME, "prefix"?: text }`, read from the
 * environment variable NAME by the process that sends the requests, when it sends them — so a
 * secret lives in the environment, not in perf-budgets.json, and is never on a command line.
 */
export type HeaderValue = string | { env: string; prefix?: string };

/** One request of the built-in HTTP benchmark, with its defaults applied. */
export interface HttpRequestSpec {
  handler: string;
  path: string;
  method: string;
  body?: string;
  headers: Record<string, HeaderValue>;
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
      fail([key], `${u.hostname} is not loopback (127.0.0.1, localhost, [::1]); set "allowRemote": true to benchmark another host (the user allows it too: perfBudgets.http.allowRemoteHosts, or run --allow-remote)`);
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
    const headers: Record<string, HeaderValue> = { ...(r.headers ?? {}) };
    let body: string | undefined;
    if (typeof r.body === 'string') body = r.body;
    else if (r.body !== undefined) {
      body = JSON.stringify(r.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    }
    const texts = Object.entries(headers).flatMap(([k, v]) => [k, typeof v === 'string' ? v : (v.prefix ?? '')]);
    if (/[\r\n]/.test(texts.join(''))) fail(['requests', i, 'headers'], 'a header name or value contains a line break');
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

/**
 * The first host a benchmark sends to (its baseUrl, then its ready URL) that is neither loopback
 * nor in `allowedHosts`, or null. `"allowRemote"` in perf-budgets.json only gets a remote URL
 * past the config check: the workspace (a pull request, say) may not decide on its own to load a
 * third party, so the user allows each host (editor: the user setting
 * perfBudgets.http.allowRemoteHosts; CLI: `--allow-remote HOST`), and both front-ends, and the
 * child process that sends the requests, ask this. Host names compare as URLs write them (lower
 * case, IPv6 in brackets and shortened); an allowed entry may leave out the brackets.
 */
export function remoteHostsRefused(http: Pick<HttpBenchmark, 'baseUrl' | 'ready'>, allowedHosts: readonly string[]): string | null {
  const allowed = new Set(allowedHosts.map((h) => canonicalHost(h)).filter((h) => h !== null));
  for (const text of [http.baseUrl, http.ready]) {
    if (text === undefined) continue;
    const host = canonicalHost(text, true);
    // Not a URL (it passed the config check, so only a hand-made spec): refused, named as written.
    if (host === null) return text;
    if (!LOOPBACK_HOSTS.has(host) && !allowed.has(host)) return host;
  }
  return null;
}

/** The one-line refusal of a remote host; `howToAllow` says what the user adds (a setting, a flag). */
export function remoteRefusal(benchmark: string, host: string, howToAllow: string): string {
  return `benchmark ${JSON.stringify(benchmark)} would send requests to ${host}, which is not loopback; "allowRemote" in the workspace's config is not enough: ${howToAllow}`;
}

/** A URL's host name, or a bare host name ("example.com", "::1", "[::1]") as a URL writes it; null if it is neither. */
function canonicalHost(text: string, isUrl = false): string | null {
  const t = text.trim();
  if (!isUrl && !/^[^\s/?#@\\]+$/.test(t)) return null;
  try {
    return new URL(isUrl ? t : `http://${t.includes(':') && !t.startsWith('[') ? `[${t}]` : t}/`).hostname;
  } catch {
    return null;
  }
}
