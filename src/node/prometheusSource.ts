import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import { InputError } from '../core/errors';
import { type PromQueryKey, type PromWindow, promQueries, promDuration } from '../core/prometheus/promQueries';
import { type PromResponses, type PromSample, parsePromBody, seriesFromPromResponse } from '../core/prometheus/promSeries';
import { type PrometheusSource, shownUrl } from '../core/prometheus/prometheusSource';
import type { Series } from '../core/series';
import { formatDuration } from '../core/units';
import { recentRuns } from './runHistory';
import type { Benchmark } from '../core/config/parseConfig';
import type { LoadedConfig } from './workspaceFiles';

export interface PrometheusReadOptions {
  signal?: AbortSignal;
  /** Where `tokenEnv` is looked up (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** One line per query (its PromQL and how long it took); never the token. */
  log?: (line: string) => void;
  /** Folder a relative `caFile` is resolved against (the workspace; default the process's cwd). */
  cwd?: string;
}

/** Answers larger than this are refused: 200 handlers × 30 buckets is about 1 MB. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

/**
 * Reads benchmark `name`'s Prometheus source over `window`: the instant queries of `promQueries`,
 * sent at once as form-encoded POSTs to `<url>/api/v1/query`, each bounded by the source's timeout,
 * with `Authorization: Bearer <env[tokenEnv]>` when the source names a token variable. Every failure
 * is an InputError naming `<name> (prometheus <url>)` with one line: unreachable, 401/403, the
 * server's error for a bad query, no answer in time, a non-Prometheus answer, no matching series.
 * The token is never logged and never in a message (it is masked should a server echo it).
 */
export async function readPrometheusSource(name: string, source: PrometheusSource, window: PromWindow, options: PrometheusReadOptions = {}): Promise<Series[]> {
  const shown = shownUrl(source.url);
  const where = `${name} (prometheus ${shown})`;
  const token = bearerToken(where, source, options.env ?? process.env);
  const fail = (reason: string): never => {
    throw new InputError(where, token ? reason.split(token).join('***') : reason);
  };
  const ca = source.caFile ? readCa(where, path.resolve(options.cwd ?? process.cwd(), source.caFile)) : undefined;
  const { timeSec, queries } = promQueries(source, window);
  const answers = await Promise.all(
    queries.map(async ({ key, promql }): Promise<[PromQueryKey, PromSample[]]> => {
      const started = performance.now();
      const answer = await postQuery(`${source.url}/api/v1/query`, new URLSearchParams({ query: promql, time: String(timeSec) }).toString(), { token, ca, timeoutMs: source.timeoutMs, signal: options.signal });
      options.log?.(`prometheus ${shown}: ${promql} at ${new Date(window.endMs).toISOString()}: ${answer.kind === 'answer' ? `HTTP ${answer.status}` : answer.kind} in ${Math.round(performance.now() - started)} ms`);
      return [key, samplesOf(answer, source, fail)];
    }),
  );
  const responses: PromResponses = Object.fromEntries(answers);
  if (!responses.buckets?.length && !responses.native?.length) fail(noSeriesMessage(source, window));
  return seriesFromPromResponse(source, responses, window, { benchmark: name, sourceName: `prometheus ${shown}` });
}

/** The token from env[tokenEnv]; an InputError when the source names a variable that is unset. */
function bearerToken(where: string, source: PrometheusSource, env: NodeJS.ProcessEnv): string | undefined {
  if (!source.tokenEnv) return undefined;
  const token = env[source.tokenEnv];
  if (!token) throw new InputError(where, `set ${source.tokenEnv} (tokenEnv) to the bearer token; it is not set`);
  return token;
}

function readCa(where: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new InputError(where, `caFile ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

type Answer = { kind: 'answer'; status: number; contentType: string; body: string } | { kind: 'unreachable'; code: string } | { kind: 'timeout' } | { kind: 'too large' };

/** One POST; never rejects except when `signal` aborts (the caller's cancel). */
function postQuery(url: string, form: string, o: { token?: string; ca?: Buffer; timeoutMs: number; signal?: AbortSignal }): Promise<Answer> {
  o.signal?.throwIfAborted();
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    // user:password in the url becomes Basic auth (node does it for a URL with credentials); a token wins.
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(form), accept: 'application/json' };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    let settled = false;
    const done = (a: Answer | Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      if (a instanceof Error) reject(a);
      else resolve(a);
    };
    const onAbort = () => done(o.signal!.reason instanceof Error ? o.signal!.reason : new DOMException('aborted', 'AbortError'));
    const req = client.request(target, { method: 'POST', headers, ...(o.ca ? { ca: o.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER_BYTES) done({ kind: 'too large' });
        else chunks.push(c);
      });
      res.on('end', () => done({ kind: 'answer', status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'unreachable', code: e.code ?? e.message }));
    });
    const timer = setTimeout(() => done({ kind: 'timeout' }), o.timeoutMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => done({ kind: 'unreachable', code: e.code ?? e.message }));
    req.end(form);
  });
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found (DNS lookup failed)',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: self-signed certificate (give "caFile")',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: self-signed certificate in the chain (give "caFile")',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: certificate not signed by a known authority (give "caFile")',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: certificate not signed by a known authority (give "caFile")',
  CERT_HAS_EXPIRED: 'TLS: the server\'s certificate has expired',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate is not for this host',
};

/** An answer -> its samples, or `fail` with the one line that says what went wrong. */
function samplesOf(answer: Answer, source: PrometheusSource, fail: (reason: string) => never): PromSample[] {
  if (answer.kind === 'unreachable') return fail(`unreachable: ${UNREACHABLE[answer.code] ?? answer.code}`);
  if (answer.kind === 'timeout') return fail(`no answer in ${formatDuration(source.timeoutMs)} (timeout)`);
  if (answer.kind === 'too large') return fail(`answer larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB: narrow "matchers"`);
  if (answer.status === 401) {
    if (source.tokenEnv) return fail(`unauthorized (HTTP 401): the token in ${source.tokenEnv} was refused`);
    return fail(new URL(source.url).username ? "unauthorized (HTTP 401): the url's user and password were refused" : 'unauthorized (HTTP 401): set "tokenEnv" to the variable holding a bearer token');
  }
  if (answer.status === 403) return fail(`forbidden (HTTP 403)${source.tokenEnv ? `: the token in ${source.tokenEnv} may not read this` : ''}`);
  const parsed = parsePromBody(answer.body);
  if ('error' in parsed) {
    const json = /json/i.test(answer.contentType);
    return fail(json || answer.status < 300 ? `query failed (HTTP ${answer.status}): ${parsed.error}` : `not a Prometheus query API answer (HTTP ${answer.status}, ${answer.contentType || 'no content-type'})`);
  }
  return parsed.samples;
}

/** "no http_request_duration_seconds_bucket series match {job="api"} in the last 1h" (or the run's window). */
function noSeriesMessage(source: PrometheusSource, window: PromWindow): string {
  const span = source.window === 'run' ? `during the run (${promDuration(window.endMs - window.startMs)} to ${new Date(window.endMs).toISOString()})` : source.atMs !== undefined ? `in the ${source.window.text} to ${new Date(window.endMs).toISOString()}` : `in the last ${source.window.text}`;
  return `no ${source.histogram}_bucket (or native ${source.histogram}) series match {${source.matchers}} ${span}`;
}

/** The window a source is read over: the run's own for "run", else the duration ending at `at` (default now). */
export function prometheusWindow(source: PrometheusSource, run: PromWindow | null, nowMs: number = Date.now()): PromWindow | null {
  if (source.window === 'run') return run;
  const endMs = source.atMs ?? nowMs;
  return { startMs: endMs - source.window.ms, endMs };
}

/** Runs looked through for a "run" window's benchmark (newest first). */
const RUNS_SEARCHED = 50;

export interface SourcesOptions extends PrometheusReadOptions {
  /** false in a Restricted Mode workspace: no source is queried, and the read says so. */
  trusted: boolean;
  /** Which benchmarks' sources (default "benchmark"; the production role is read beside them). */
  role?: 'benchmark' | 'production';
  nowMs?: number;
  /**
   * Runs the caller knows of that run history may not hold yet, by benchmark: the editor reads a
   * run's results before it records the run. The newer of this and the recorded run is the window.
   */
  runs?: ReadonlyMap<string, PromWindow>;
}

/**
 * The series of every `prometheus` source of the config's benchmarks of `role`, each tagged with
 * its benchmark (a JudgeOptions.readSources). A "run" window is the newest recorded run of the
 * benchmark (run history); a benchmark never run yet gives no series. In Restricted Mode nothing is
 * queried: the log says which source was not read and why, and so does an InputError when the
 * config has no result files to show instead.
 */
export async function readPrometheusSources(loaded: LoadedConfig, options: SourcesOptions): Promise<Series[]> {
  const role = options.role ?? 'benchmark';
  // Beside the benchmarks' own sources, a production source that a budget is scoped to: judged on it.
  const judged = (b: Benchmark) => role === 'benchmark' && b.role === 'production' && loaded.config.budgets.some((x) => x.benchmark === b.name);
  const benches = loaded.config.benchmarks.filter((b) => b.prometheus && ((b.role ?? 'benchmark') === role || judged(b)));
  const hasFiles = loaded.config.benchmarks.some((b) => b.results.length > 0);
  const out: Series[] = [];
  for (const bench of benches) {
    const source = bench.prometheus!;
    if (!options.trusted) {
      const refusal = new InputError(`${bench.name} (prometheus ${shownUrl(source.url)})`, `Restricted Mode: the Prometheus source ${shownUrl(source.url)} is not queried; trust the workspace to read it`);
      // Result files are still read and shown; with none, this is what the folder shows instead.
      if (!hasFiles) throw refusal;
      options.log?.(refusal.message);
      continue;
    }
    const window = prometheusWindow(source, source.window === 'run' ? newer(options.runs?.get(bench.name) ?? null, lastRunWindow(loaded.workspace, bench.name)) : null, options.nowMs);
    if (!window) {
      options.log?.(`prometheus ${shownUrl(source.url)}: ${bench.name} has no recorded run yet; its "run" window is read after the first run`);
      continue;
    }
    const series = await readPrometheusSource(bench.name, source, window, { ...options, cwd: options.cwd ?? loaded.workspace });
    out.push(...series.map((s) => ({ ...s, benchmark: bench.name, ...(bench.role === 'production' ? { production: true as const } : {}) })));
  }
  return out;
}

function newer(a: PromWindow | null, b: PromWindow | null): PromWindow | null {
  return a && (!b || a.endMs >= b.endMs) ? a : b;
}

/** Start and end of the newest recorded run of `benchmark`, or null. */
function lastRunWindow(workspace: string, benchmark: string): PromWindow | null {
  const runs = recentRuns(workspace, RUNS_SEARCHED);
  for (let i = runs.length - 1; i >= 0; i--) {
    const run = runs[i]!.run;
    if (run?.benchmarks.includes(benchmark)) return { startMs: Date.parse(run.startedAt), endMs: Date.parse(run.finishedAt) };
  }
  return null;
}
