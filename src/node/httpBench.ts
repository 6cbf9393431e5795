import autocannon from 'autocannon';
import * as path from 'node:path';
import { type HttpBenchmark, type HttpRequestSpec, remoteHostsRefused, remoteRefusal } from '../core/config/httpBenchmark';
import { InputError } from '../core/errors';
import { formatHdrLog, type HdrLogInterval, type HdrLogTotals } from '../core/formats/hdrLogWriter';
import { LatencyHistogram } from '../core/histograms/latencyHistogram';
import { formatDuration } from '../core/units';
import { checkWriteInside, writeFileInside } from './safeFs';
import { ServiceProcess, waitReady } from './serviceProcess';

/** What the child process (dist/httpbench.js) is given: everything it needs, nothing it must look up. */
export interface HttpBenchSpec {
  benchmark: string;
  /** Absolute; the log path (http.results) is relative to it. */
  workspace: string;
  /** Absolute working directory of the start command. */
  cwd: string;
  http: HttpBenchmark;
  /** Non-loopback hosts the user (not the workspace) allowed; see remoteHostsRefused. Default none. */
  allowedRemoteHosts?: string[];
}

export interface HandlerOutcome {
  handler: string;
  requests: number;
  errors: number;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
}

export interface HttpBenchOutcome {
  file: string;
  durationSec: number;
  handlers: HandlerOutcome[];
}

/** Seconds autocannon waits for a response before it counts a timeout (and reconnects). */
const REQUEST_TIMEOUT_SEC = 10;

/**
 * The built-in HTTP benchmark: optionally starts the service and waits until it is ready, runs
 * one autocannon instance per request entry (concurrently, each with its weighted share of the
 * connections, rate and request cap) so every latency is recorded under its own handler, rotates
 * per-handler interval histograms every second, and writes an HdrHistogram interval log
 * atomically. With a fixed rate, latencies are corrected for coordinated omission against each
 * connection's expected interval. Bounded: the run stops at the duration (or the request cap),
 * a watchdog stops it REQUEST_TIMEOUT_SEC + 5 s later at the latest, and the service is stopped
 * (its process group, by PID) whatever happens. An aborted run writes nothing.
 */
export async function runHttpBenchmark(
  spec: HttpBenchSpec,
  log: (line: string) => void,
  signal?: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<HttpBenchOutcome> {
  const { http } = spec;
  // Both checked before anything starts, whichever front-end (or task) started this process.
  const refused = remoteHostsRefused(http, spec.allowedRemoteHosts ?? []);
  if (refused !== null) {
    const how = 'allow it in the user setting perfBudgets.http.allowRemoteHosts, or with perf-budgets run --allow-remote HOST';
    throw new InputError('perf-budgets.json', remoteRefusal(spec.benchmark, refused, how));
  }
  const headers = http.requests.map((r) => resolveHeaders(spec.benchmark, r, env));
  // The log is written inside the workspace only, whatever the config says; checked before
  // anything starts.
  const file = path.resolve(spec.workspace, http.results);
  const rel = path.relative(spec.workspace, file);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new InputError('perf-budgets.json', `benchmark "${spec.benchmark}": "results" ${JSON.stringify(http.results)} is outside the workspace folder; refusing to write it`);
  }
  // Nor through a committed symlink (perf/out -> ~) that leads out of it.
  checkWriteInside(spec.workspace, file, http.results);
  const service = http.start ? ServiceProcess.start(http.start, spec.cwd, log) : undefined;
  if (service) log(`started: ${http.start} (pid ${service.pid})`);
  try {
    await waitReady(http.baseUrl, http.ready, http.readyTimeoutMs, service, signal);
    const run = await drive(http, headers, log, signal);
    const totals: Record<string, HdrLogTotals> = {};
    for (const h of run.handlers) totals[h.handler] = { requests: h.requests, errors: h.errors };
    const comment = `Perf Budgets built-in HTTP benchmark "${spec.benchmark}": ${http.baseUrl}, ${http.connections} connections, ${http.rate ? `${http.rate}/s` : 'unthrottled'}, ${formatDuration(http.durationMs)}`;
    writeFileInside(spec.workspace, file, formatHdrLog({ startTimeMs: run.startTimeMs, intervals: run.intervals, totals, comment }), http.results);
    return {
      file,
      durationSec: run.durationSec,
      handlers: run.handlers.map((h) => ({
        handler: h.handler,
        requests: h.requests,
        errors: h.errors,
        p50Ms: h.total.count ? h.total.percentileMs(50) : null,
        p95Ms: h.total.count ? h.total.percentileMs(95) : null,
        p99Ms: h.total.count ? h.total.percentileMs(99) : null,
      })),
    };
  } finally {
    if (service) {
      await service.stop();
      log(`stopped the service (pid ${service.pid})`);
    }
  }
}

interface HandlerRun {
  handler: string;
  requests: number;
  errors: number;
  current: LatencyHistogram;
  total: LatencyHistogram;
}

interface DriveResult {
  startTimeMs: number;
  durationSec: number;
  intervals: HdrLogInterval[];
  handlers: HandlerRun[];
}

function drive(http: HttpBenchmark, headers: Array<Record<string, string>>, log: (line: string) => void, signal?: AbortSignal): Promise<DriveResult> {
  signal?.throwIfAborted();
  const weights = http.requests.map((r) => r.weight);
  const connections = shares(http.connections, weights);
  const rates = http.rate !== undefined ? shares(Math.round(http.rate), weights) : undefined;
  const caps = http.maxRequests !== undefined ? shares(http.maxRequests, weights) : undefined;
  // Handlers may repeat across entries (two paths of one handler): one histogram per handler.
  const byHandler = new Map<string, HandlerRun>();
  const runs = http.requests.map((r) => {
    let h = byHandler.get(r.handler);
    if (!h) {
      h = { handler: r.handler, requests: 0, errors: 0, current: LatencyHistogram.create(), total: LatencyHistogram.create() };
      byHandler.set(r.handler, h);
    }
    return h;
  });

  return new Promise<DriveResult>((resolve, reject) => {
    const startTimeMs = Date.now();
    const intervals: HdrLogInterval[] = [];
    let intervalStart = startTimeMs;
    const rotate = (now: number) => {
      for (const h of byHandler.values()) {
        intervals.push({ tag: h.handler, startSec: (intervalStart - startTimeMs) / 1000, lengthSec: (now - intervalStart) / 1000, histogram: h.current });
        h.total.add(h.current);
        h.current = LatencyHistogram.create();
      }
      intervalStart = now;
    };
    const instances: autocannon.Instance[] = [];
    let pending = http.requests.length;
    let failed: Error | undefined;
    let settled = false;
    // autocannon only stops at its next 1 s tick after the duration, still sending meanwhile: the
    // run closes at the duration itself, and what arrives after it is not recorded.
    let closedAt: number | undefined;
    const close = () => {
      if (closedAt !== undefined) return;
      closedAt = Date.now();
      clearInterval(ticker);
      stopAll();
    };
    const deadline = setTimeout(close, http.durationMs);
    const ticker = setInterval(() => {
      const now = Date.now();
      rotate(now);
      const reqs = [...byHandler.values()].reduce((n, h) => n + h.requests, 0);
      const errs = [...byHandler.values()].reduce((n, h) => n + h.errors, 0);
      log(`${formatDuration(now - startTimeMs)} / ${formatDuration(http.durationMs)}: ${reqs} requests, ${errs} errors`);
    }, 1000);
    // The last word on time: autocannon stops at the duration; this stops it if it does not.
    let lastResort: NodeJS.Timeout | undefined;
    const watchdog = setTimeout(() => {
      close();
      lastResort = setTimeout(() => finish(), 3000);
    }, http.durationMs + (REQUEST_TIMEOUT_SEC + 5) * 1000);
    const stopAll = () => instances.forEach((i) => i.stop());
    const finish = () => {
      if (settled) return;
      settled = true;
      clearInterval(ticker);
      clearTimeout(deadline);
      clearTimeout(watchdog);
      if (lastResort) clearTimeout(lastResort);
      signal?.removeEventListener('abort', onAbort);
      if (signal?.aborted) return reject(signal.reason);
      if (failed) return reject(failed);
      const end = closedAt ?? Date.now();
      rotate(end);
      resolve({ startTimeMs, durationSec: (end - startTimeMs) / 1000, intervals, handlers: [...byHandler.values()] });
    };
    const onAbort = () => {
      stopAll();
      // autocannon finishes at its next 1 s tick; do not wait for it.
      finish();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    http.requests.forEach((r, i) => {
      const run = runs[i]!;
      const opts: autocannon.Options = {
        url: http.baseUrl + r.path,
        method: r.method,
        headers: headers[i],
        // autocannon gives a connection whose share of a request cap is 0 no cap at all.
        connections: caps ? Math.min(connections[i]!, caps[i]!) : connections[i]!,
        duration: http.durationMs / 1000,
        timeout: REQUEST_TIMEOUT_SEC,
      };
      if (r.body !== undefined) opts.body = r.body;
      if (rates) opts.overallRate = rates[i]!;
      if (caps) opts.maxOverallRequests = caps[i]!;
      const instance = autocannon(opts, (err) => {
        if (err) failed ??= err;
        if (--pending === 0) finish();
      });
      instance.on('response', (client, statusCode, _bytes, responseTimeMs) => {
        if (settled || closedAt !== undefined) return;
        run.requests++;
        if (statusCode < 200 || statusCode > 299) run.errors++;
        // Each connection is meant to send one request every 1/rate s; a slower response hid
        // the requests it would have sent meanwhile (coordinated omission).
        if (rates && client.rate) run.current.recordMsWithExpectedInterval(responseTimeMs, 1000 / client.rate);
        else run.current.recordMs(responseTimeMs);
      });
      instance.on('reqError', () => {
        if (settled || closedAt !== undefined) return;
        run.requests++;
        run.errors++;
      });
      instances.push(instance);
    });
  });
}

/**
 * A request's headers with each `{ "env": NAME }` value read from `env`, now (in the process that
 * sends them). A variable that is not set, or empty (how CI passes a secret it does not have), is
 * an error naming the header and the variable; the value never goes into a message or a log.
 */
export function resolveHeaders(benchmark: string, request: HttpRequestSpec, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (typeof value === 'string') {
      out[name] = value;
      continue;
    }
    const v = env[value.env];
    const where = `benchmark ${JSON.stringify(benchmark)}, request ${JSON.stringify(request.handler)}: header ${JSON.stringify(name)} reads the environment variable ${value.env}`;
    if (!v) throw new InputError('perf-budgets.json', `${where}, which is ${v === undefined ? 'not set' : 'empty'}`);
    if (/[\r\n]/.test(v)) throw new InputError('perf-budgets.json', `${where}, whose value contains a line break`);
    out[name] = (value.prefix ?? '') + v;
  }
  return out;
}

/** `total` split by weight into integers that sum to `total`, each at least 1 (total ≥ weights.length). */
export function shares(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map((x) => Math.max(1, Math.floor(x)));
  let left = total - out.reduce((a, b) => a + b, 0);
  // Largest remainder first (ties to the earlier entry); the minimum of 1 may have overspent:
  // then take back from the largest shares.
  const byRemainder = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % out.length, left--) out[byRemainder[k]![1]]!++;
  for (let guard = 0; left < 0 && guard < total * out.length; guard++) {
    const i = out.indexOf(Math.max(...out));
    if (out[i]! <= 1) break;
    out[i]!--;
    left++;
  }
  return out;
}
