// The Prometheus HTTP API as a result source, against a REAL Prometheus (Debian's `prometheus`
// package): three routes' classic histograms over one hour are backfilled with promtool, and
// Prometheus's own histogram_quantile over the same window is the oracle for every percentile.
// Counts and errors are checked against the counters written into the backfill. Native histograms
// cannot be backfilled from OpenMetrics: a protobuf scrape target serves them to a Prometheus run
// with --enable-feature=native-histograms, and its histogram_quantile is the oracle again. Skipped,
// with a notice naming the install command, where the binaries are absent.
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as https from 'node:https';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { claimSeries } from '../../../src/core/budgets/claim';
import { parseConfig } from '../../../src/core/config/parseConfig';
import type { PrometheusSource } from '../../../src/core/prometheus/prometheusSource';
import { percentileOf, type Series } from '../../../src/core/series';
import { readPrometheusSource, readPrometheusSources } from '../../../src/node/prometheusSource';
import { recordRun } from '../../../src/node/runHistory';
import { loadConfigFile } from '../../../src/node/workspaceFiles';
import { type BackfilledRoute, openMetricsText, PROMETHEUS_INSTALL, prometheusInstalled, type RunningPrometheus, startPrometheus } from '../../e2e/prometheusServer';
import { cli } from '../cli/run';
import { type NativeRoute, nativeTarget } from './nativeHistogramTarget';
import { freePort } from './testServers';

const HISTOGRAM = 'http_request_duration_seconds';
/** 2026-01-01T00:00:00Z: the first scrape; the last is an hour later, every 15 s (240 increments). */
const FROM_SEC = 1_767_225_600;
const TO_SEC = FROM_SEC + 3600;
const STEP_SEC = 15;
const INCREMENTS = (TO_SEC - FROM_SEC) / STEP_SEC;
const AT = '2026-01-01T01:00:00Z';
const LES = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1] as const;

/** Requests per scrape in each bucket (not cumulative), last the +Inf bucket. */
const perScrape = (counts: number[]): BackfilledRoute['perScrape'] => [...LES.map((le, i) => [le, counts[i] ?? 0] as const), ['+Inf', counts[LES.length] ?? 0] as const];

const ROUTES: BackfilledRoute[] = [
  { labels: { job: 'api', method: 'GET', handler: '/users', status: '200' }, perScrape: perScrape([3, 4, 6, 5, 2, 1, 0, 0, 0]) },
  { labels: { job: 'api', method: 'GET', handler: '/users', status: '500' }, perScrape: perScrape([0, 0, 0, 0, 0, 1, 1, 0, 0]) },
  { labels: { job: 'api', method: 'POST', handler: '/orders', status: '201' }, perScrape: perScrape([0, 1, 2, 4, 8, 4, 2, 1, 1]) },
  { labels: { job: 'api', method: 'POST', handler: '/orders', status: '503' }, perScrape: perScrape([0, 0, 0, 0, 0, 0, 0, 0, 3]) },
  { labels: { job: 'api', method: 'GET', handler: '/health', status: '200' }, perScrape: perScrape([7, 1, 0, 0, 0, 0, 0, 0, 0]) },
];

/** Requests and failures of each handler over the hour, from the counters above. */
function expectedCounts(id: string): { count: number; errors: number } {
  let count = 0;
  let errors = 0;
  for (const r of ROUTES.filter((x) => `${x.labels.method} ${x.labels.handler}` === id)) {
    const n = r.perScrape.reduce((a, [, c]) => a + c, 0) * INCREMENTS;
    count += n;
    if (/^5\d\d$/.test(r.labels.status!)) errors += n;
  }
  return { count, errors };
}

/** The bucket [lower, upper] (seconds) holding quantile q of a handler's summed buckets, computed here from the counters. */
function expectedBucket(id: string, q: number): [number, number] {
  const per = LES.map((_, i) => ROUTES.filter((x) => `${x.labels.method} ${x.labels.handler}` === id).reduce((a, r) => a + r.perScrape[i]![1], 0));
  const inf = ROUTES.filter((x) => `${x.labels.method} ${x.labels.handler}` === id).reduce((a, r) => a + r.perScrape[LES.length]![1], 0);
  const total = per.reduce((a, b) => a + b, 0) + inf;
  let cumulative = 0;
  for (let i = 0; i < LES.length; i++) {
    cumulative += per[i]!;
    if (cumulative >= q * total) return [i === 0 ? 0 : LES[i - 1]!, LES[i]!];
  }
  return [LES[LES.length - 1]!, Infinity];
}

const ERRORS_COUNTER = 'app_request_failures_total';

/** A counter family of failures: 7 more for GET /users at every scrape (a counter of its own, unlike the 5xx above). */
function errorsCounterText(): string {
  const lines = [`# TYPE ${ERRORS_COUNTER.replace(/_total$/, '')} counter`];
  for (let t = FROM_SEC, i = 0; t <= TO_SEC; t += STEP_SEC, i++) lines.push(`${ERRORS_COUNTER}{job="api",method="GET",handler="/users"} ${7 * i} ${t}`);
  return `${lines.join('\n')}\n# EOF\n`;
}

/** A source as perf-budgets.json would give it (through the real config parser). */
function sourceOf(prometheus: Record<string, unknown>): PrometheusSource {
  const config = parseConfig(JSON.stringify({ benchmarks: { api: { prometheus } }, budgets: { 'GET /users': { p95: '1s' } } }), 'perf-budgets.json');
  return config.benchmarks[0]!.prometheus!;
}

const META = { createdAt: AT, commit: null, tool: 'test', machine: { cpu: 'cpu', cores: 2, os: 'linux', fingerprint: 'abc' } };
const WINDOW = { startMs: (TO_SEC - 3600) * 1000, endMs: TO_SEC * 1000 };

/** A server on 127.0.0.1 that answers every request with `status`, `body`, recording the headers it got. */
async function stubServer(status: number, body: string, contentType = 'application/json'): Promise<{ url: string; headers: http.IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    headers.push(req.headers);
    req.resume();
    res.writeHead(status, { 'content-type': contentType }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    headers,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** Runs `fn` in a temporary workspace holding `config` as perf-budgets.json; removes it after. */
async function inWorkspace(config: unknown, fn: (ws: string) => Promise<void>): Promise<void> {
  const ws = mkdtempSync(path.join(os.tmpdir(), 'pb-prometheus-'));
  try {
    writeFileSync(path.join(ws, 'perf-budgets.json'), JSON.stringify(config));
    await fn(ws);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  assert.fail('expected the read to fail');
}

describe('Prometheus HTTP API source (a real Prometheus)', function () {
  this.timeout(120_000);
  let prom: RunningPrometheus | undefined;

  before(async function () {
    if (!prometheusInstalled()) {
      console.log(`    skipped: prometheus and promtool are not installed; install them with: sudo ${PROMETHEUS_INSTALL}`);
      this.skip();
    }
    const histograms = openMetricsText({ histogram: HISTOGRAM, routes: ROUTES, fromSec: FROM_SEC, toSec: TO_SEC, stepSec: STEP_SEC });
    prom = await startPrometheus(histograms.replace(/# EOF\n$/, errorsCounterText()));
  });
  after(async () => {
    await prom?.stop();
  });

  const source = () => sourceOf({ url: prom!.url, histogram: HISTOGRAM, labels: { method: 'method', route: 'handler' }, matchers: '{job="api"}', window: '1h', at: AT });
  const byName = (series: Series[]) => new Map(series.map((s) => [s.name, s]));

  it('p95 and p99 of each route equal Prometheus\'s own histogram_quantile over the same hour', async () => {
    const series = byName(await readPrometheusSource('api', source(), WINDOW));
    assert.deepEqual([...series.keys()].sort(), ['GET /health', 'GET /users', 'POST /orders']);
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const oracle = await prom!.query(`histogram_quantile(${q}, sum by (le, method, handler) (increase(${HISTOGRAM}_bucket{job="api"}[1h])))`, TO_SEC);
      assert.equal(oracle.length, 3);
      for (const o of oracle) {
        const s = series.get(`${o.metric.method} ${o.metric.handler}`)!;
        const ours = percentileOf(s, q * 100)!;
        assert.ok(Math.abs(ours - o.value * 1000) <= 1e-9 * Math.max(1, o.value * 1000), `${s.name} p${q * 100}: ours ${ours} ms, Prometheus ${o.value * 1000} ms`);
      }
    }
  });

  it('shows the bucket each percentile lies in, not more precision than the buckets give', async () => {
    const series = byName(await readPrometheusSource('api', source(), WINDOW));
    for (const [name, s] of series) {
      assert.equal(s.exact, false);
      assert.equal(s.format, 'prometheus-api');
      for (const q of [0.95, 0.99]) {
        const [lower, upper] = expectedBucket(name, q);
        assert.deepEqual(s.buckets![String(q * 100)], { lower: lower * 1000, upper: upper === Infinity ? Infinity : upper * 1000 }, `${name} p${q * 100}`);
      }
    }
  });

  it('counts, errors (the status label, 5xx), error rate and throughput come exactly from the counters', async () => {
    const series = byName(await readPrometheusSource('api', source(), WINDOW));
    for (const [name, s] of series) {
      const { count, errors } = expectedCounts(name);
      assert.equal(s.count, count, `${name} count`);
      assert.equal(s.errors, errors, `${name} errors`);
      assert.equal(s.durationSec, 3600);
      assert.equal(s.throughputPerSec, count / 3600);
    }
    // GET /users: 23 requests a scrape, 2 of them 500s, over 240 scrapes.
    assert.deepEqual([series.get('GET /users')!.count, series.get('GET /users')!.errors], [5520, 480]);
  });

  it('errors from a separate counter with the same handler labels', async () => {
    const s = sourceOf({ url: prom!.url, histogram: HISTOGRAM, labels: { method: 'method', route: 'handler' }, window: '1h', at: AT, errors: { counter: ERRORS_COUNTER } });
    const series = byName(await readPrometheusSource('api', s, WINDOW));
    assert.deepEqual([...series].map(([n, x]) => [n, x.errors]).sort(), [['GET /health', 0], ['GET /users', 7 * INCREMENTS], ['POST /orders', 0]]);
  });

  it('a configured status label and pattern', async () => {
    const s = sourceOf({ url: prom!.url, histogram: HISTOGRAM, labels: { method: 'method', route: 'handler' }, window: '1h', at: AT, errors: { label: 'status', match: '50[03]' } });
    const series = byName(await readPrometheusSource('api', s, WINDOW));
    assert.equal(series.get('POST /orders')!.errors, expectedCounts('POST /orders').errors);
    assert.equal(series.get('GET /users')!.errors, expectedCounts('GET /users').errors);
  });

  it('an empty result names the source, the series looked for and the window', async () => {
    const s = sourceOf({ url: prom!.url, histogram: HISTOGRAM, matchers: '{job="nope"}', window: '1h', at: AT });
    const e = await rejection(readPrometheusSource('api', s, WINDOW));
    assert.equal(e.message, `api (prometheus ${prom!.url}): no ${HISTOGRAM}_bucket (or native ${HISTOGRAM}) series match {job="nope"} in the 1h to 2026-01-01T01:00:00.000Z`);
  });

  it('a bad query gives Prometheus\'s own error, on one line', async () => {
    const s = sourceOf({ url: prom!.url, histogram: HISTOGRAM, matchers: '{job=~"("}', window: '1h', at: AT });
    const e = await rejection(readPrometheusSource('api', s, WINDOW));
    assert.match(e.message, new RegExp(`^api \\(prometheus ${prom!.url.replace(/\./g, '\\.')}\\): query failed \\(HTTP 400\\): bad_data: .*error parsing regexp`));
    assert.doesNotMatch(e.message, /\n/);
  });

  it('a "run" window is the benchmark\'s newest recorded run; none recorded: no series; Restricted Mode: not queried', async () => {
    const prometheus = { url: prom!.url, histogram: HISTOGRAM, labels: { method: 'method', route: 'handler' }, matchers: '{job="api"}', window: 'run' };
    await inWorkspace({ benchmarks: { load: { command: 'true', prometheus } }, budgets: { 'GET /users': { p95: '1s' } } }, async (ws) => {
      const loaded = await loadConfigFile(path.join(ws, 'perf-budgets.json'), (abs) => path.relative(ws, abs));
      const logs: string[] = [];
      assert.deepEqual(await readPrometheusSources(loaded, { trusted: true, log: (l) => logs.push(l) }), []);
      assert.match(logs.join('\n'), /load has no recorded run yet/);
      // The second half of the backfilled hour: 120 of its 240 increments.
      recordRun(ws, { benchmarks: ['load'], startedAt: '2026-01-01T00:30:00.000Z', finishedAt: '2026-01-01T01:00:00.000Z' }, [], META, 10);
      const series = byName(await readPrometheusSources(loaded, { trusted: true }));
      const users = series.get('GET /users')!;
      assert.deepEqual([users.benchmark, users.durationSec, users.count, users.errors], ['load', 1800, expectedCounts('GET /users').count / 2, expectedCounts('GET /users').errors / 2]);
      const oracle = await prom!.query(`histogram_quantile(0.99, sum by (le) (increase(${HISTOGRAM}_bucket{job="api",method="GET",handler="/users"}[30m])))`, TO_SEC);
      assert.ok(Math.abs(percentileOf(users, 99)! - oracle[0]!.value * 1000) < 1e-9);
      // A run the editor just ended, not recorded yet: its window wins over the older recorded one
      // (the last quarter of the hour: 60 of 240 increments); an older one known does not.
      const quarter = { startMs: Date.parse('2026-01-01T00:45:00.000Z'), endMs: Date.parse('2026-01-01T01:00:00.000Z') };
      const latest = byName(await readPrometheusSources(loaded, { trusted: true, runs: new Map([['load', quarter]]) })).get('GET /users')!;
      assert.equal(latest.count, expectedCounts('GET /users').count / 4);
      const older = { startMs: Date.parse('2026-01-01T00:00:00.000Z'), endMs: Date.parse('2026-01-01T00:15:00.000Z') };
      assert.equal(byName(await readPrometheusSources(loaded, { trusted: true, runs: new Map([['load', older]]) })).get('GET /users')!.count, users.count);
      await assert.rejects(readPrometheusSources(loaded, { trusted: false }), {
        message: `load (prometheus ${prom!.url}): Restricted Mode: the Prometheus source ${prom!.url} is not queried; trust the workspace to read it`,
      });
    });
    // Beside result files, the files are still shown: the source is left out, and the log says so.
    await inWorkspace({ benchmarks: { load: { command: 'true', prometheus }, files: { command: 'true', results: 'r/*.json' } }, budgets: { 'GET /users': { p95: '1s' } } }, async (ws) => {
      const loaded = await loadConfigFile(path.join(ws, 'perf-budgets.json'), (abs) => path.relative(ws, abs));
      const logs: string[] = [];
      assert.deepEqual(await readPrometheusSources(loaded, { trusted: false, log: (l) => logs.push(l) }), []);
      assert.deepEqual(logs, [`load (prometheus ${prom!.url}): Restricted Mode: the Prometheus source ${prom!.url} is not queried; trust the workspace to read it`]);
    });
  });

  it('perf-budgets run: the command runs, then its own start and end are the window asked for', async () => {
    const prometheus = { url: prom!.url, histogram: HISTOGRAM, matchers: '{job="api"}', window: 'run' };
    await inWorkspace({ benchmarks: { load: { command: 'sleep 0.2', prometheus } }, budgets: { 'GET /users': { p95: '1s' } } }, async (ws) => {
      const out = await cli(['run', '--no-baseline'], ws);
      // The backfill is in January 2026; the run was just now, so Prometheus has nothing for it.
      assert.equal(out.code, 2, out.stderr);
      assert.match(out.stderr, new RegExp(`load \\(prometheus ${prom!.url.replace(/\./g, '\\.')}\\): no ${HISTOGRAM}_bucket \\(or native ${HISTOGRAM}\\) series match \\{job="api"\\} during the run \\((?:\\d+(?:ms|s|m|h))+ to \\d{4}-`));
    });
  });

  it('perf-budgets check reads a benchmark from Prometheus and judges it', async () => {
    const config = {
      benchmarks: { api: { prometheus: { url: prom!.url, histogram: HISTOGRAM, labels: { method: 'method', route: 'handler' }, matchers: '{job="api"}', window: '1h', at: AT } } },
      budgets: { 'GET /users': { p95: '200ms', errorRate: '1%' }, 'GET /health': { p99: '50ms' } },
    };
    await inWorkspace(config, async (ws) => {
      const out = await cli(['check', '--no-baseline', '--report', 'json'], ws);
      assert.equal(out.code, 1, out.stderr);
      const report = JSON.parse(out.stdout) as { verdicts: Array<{ handler: string; metric: string; status: string; value: number; bucketMs?: { lower: number; upper: number } }> };
      const verdict = (handler: string, metric: string) => report.verdicts.find((v) => v.handler === handler && v.metric === metric)!;
      const oracle = await prom!.query(`histogram_quantile(0.95, sum by (le) (increase(${HISTOGRAM}_bucket{job="api",method="GET",handler="/users"}[1h])))`, TO_SEC);
      const p95 = verdict('GET /users', 'p95');
      assert.ok(Math.abs(p95.value - oracle[0]!.value * 1000) < 1e-9, `${p95.value} vs ${oracle[0]!.value * 1000}`);
      assert.deepEqual(p95.bucketMs, { lower: 100, upper: 250 });
      // 480 of 5520 failed: 8.7% against 1%.
      assert.equal(verdict('GET /users', 'errorRate').status, 'fail');
      assert.equal(verdict('GET /users', 'errorRate').value, 480 / 5520);
      assert.equal(verdict('GET /health', 'p99').status, 'pass');
    });
  });

  it('a budget scoped to the production benchmark is judged on it; an unscoped budget of the same handler is not', async () => {
    const prometheus = { url: prom!.url, histogram: HISTOGRAM, labels: { method: 'method', route: 'handler' }, matchers: '{job="api"}', window: '1h', at: AT };
    const config = {
      benchmarks: { load: { command: 'true', results: 'r/*.csv' }, prod: { role: 'production', prometheus } },
      budgets: { 'GET /users': { p95: '1s' }, 'prod users': { series: 'GET /users', benchmark: 'prod', p95: '200ms' } },
    };
    await inWorkspace(config, async (ws) => {
      const loaded = await loadConfigFile(path.join(ws, 'perf-budgets.json'), (abs) => path.relative(ws, abs));
      const series = await readPrometheusSources(loaded, { trusted: true });
      const users = series.find((s) => s.name === 'GET /users')!;
      assert.deepEqual([users.benchmark, users.production, users.count], ['prod', true, expectedCounts('GET /users').count]);
      const claims = claimSeries(loaded.config.budgets, series);
      assert.deepEqual(claims.byBudget.get('GET /users'), [], 'the unscoped budget leaves production alone');
      assert.deepEqual(claims.byBudget.get('prod users')!.map((s) => s.benchmark), ['prod']);
      // Without a budget scoped to it, the production source is not read with the benchmarks at all.
      const unscoped = { ...loaded, config: { ...loaded.config, budgets: loaded.config.budgets.filter((b) => b.benchmark === undefined) } };
      assert.deepEqual(await readPrometheusSources(unscoped, { trusted: true }), []);
    });
  });
});

describe('Prometheus HTTP API source: native histograms (a real Prometheus scraping a protobuf target)', function () {
  this.timeout(120_000);
  const FAMILY = 'request_duration_seconds';
  // Per scrape: GET /n 2 in the zero bucket, 3 in (0.5, 1] s, 5 in (1, 2] s; its 500s 1 in (2, 4] s.
  const NATIVE: NativeRoute[] = [
    { labels: { method: 'GET', route: '/n', code: '200' }, zero: 2, positive: [3, 5], sum: 11.5 },
    { labels: { method: 'GET', route: '/n', code: '500' }, zero: 0, positive: [0, 0, 1], sum: 3 },
  ];
  let prom: RunningPrometheus | undefined;
  let target: Awaited<ReturnType<typeof nativeTarget>> | undefined;

  before(async function () {
    if (!prometheusInstalled()) {
      console.log(`    skipped: prometheus and promtool are not installed; install them with: sudo ${PROMETHEUS_INSTALL}`);
      this.skip();
    }
    target = await nativeTarget(FAMILY, NATIVE);
    // Nothing to backfill but one old sample; the native histograms come from scraping the target.
    prom = await startPrometheus('# TYPE unused counter\nunused_total 1 1767225600\n# EOF\n', { target: target.hostPort, flags: ['--enable-feature=native-histograms'] });
    // Until Prometheus has scraped the target 8 times (once a second), at most 60 s.
    const deadline = Date.now() + 60_000;
    while (target.scrapes() < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(target.scrapes() >= 8, `the target was scraped ${target.scrapes()} times in 60 s`);
  });
  after(async () => {
    await prom?.stop();
    await target?.close();
  });

  it('percentiles equal histogram_quantile of the native histogram, with their buckets; count and errors equal histogram_count', async () => {
    const endMs = Math.floor(Date.now() / 1000) * 1000;
    const window = { startMs: endMs - 5000, endMs };
    const source = sourceOf({ url: prom!.url, histogram: FAMILY, window: '5s' });
    const [s, ...more] = await readPrometheusSource('api', source, window);
    assert.equal(more.length, 0);
    assert.equal(s!.name, 'GET /n');
    assert.equal(s!.bucketCounts, undefined);
    const at = endMs / 1000;
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      const [oracle] = await prom!.query(`histogram_quantile(${q}, sum by (method, route) (increase(${FAMILY}[5s])))`, at);
      const ours = percentileOf(s!, q * 100);
      assert.ok(Math.abs(ours! - oracle!.value * 1000) <= 1e-9 * oracle!.value * 1000, `p${q * 100}: ours ${ours} ms, Prometheus ${oracle!.value * 1000} ms`);
    }
    // 11 requests a scrape: p95 (rank 10.45 > 10) lies in the 500s' (2, 4] s, p50 (rank 5.5) in (1, 2] s.
    assert.deepEqual(s!.buckets!['95'], { lower: 2000, upper: 4000 });
    assert.deepEqual(s!.buckets!['50'], { lower: 1000, upper: 2000 });
    const [count] = await prom!.query(`histogram_count(sum by (method, route) (increase(${FAMILY}[5s])))`, at);
    const [errors] = await prom!.query(`histogram_count(sum by (method, route) (increase(${FAMILY}{code="500"}[5s])))`, at);
    assert.ok(Math.abs(s!.count! - count!.value) < 1e-6 * count!.value, `count ${s!.count} vs ${count!.value}`);
    assert.ok(Math.abs(s!.errors! - errors!.value) < 1e-6 * errors!.value, `errors ${s!.errors} vs ${errors!.value}`);
    // Prometheus extrapolates to the window's edges; the ratio stays the counters' own: 1 in 11.
    assert.ok(Math.abs(s!.errors! / s!.count! - 1 / 11) < 1e-9);
  });
});

describe('Prometheus HTTP API source: failures of the server (local stand-ins)', () => {
  const TOKEN = 's3cr3t-t0ken-value';
  const base = (url: string, more: Record<string, unknown> = {}) => sourceOf({ url, histogram: HISTOGRAM, window: '1h', at: AT, ...more });

  it('a 401 from a reverse proxy: the token was sent as a bearer token, and appears nowhere', async () => {
    const proxy = await stubServer(401, `<html>401 Authorization Required (you sent ${TOKEN})</html>`, 'text/html');
    const logs: string[] = [];
    try {
      const e = await rejection(readPrometheusSource('api', base(proxy.url, { tokenEnv: 'PROM_TOKEN' }), WINDOW, { env: { PROM_TOKEN: TOKEN }, log: (l) => logs.push(l) }));
      assert.equal(e.message, `api (prometheus ${proxy.url}): unauthorized (HTTP 401): the token in PROM_TOKEN was refused`);
      assert.ok(proxy.headers.length > 0);
      for (const h of proxy.headers) assert.equal(h.authorization, `Bearer ${TOKEN}`);
      assert.ok(logs.length > 0);
      for (const text of [e.message, e.stack ?? '', ...logs]) assert.ok(!text.includes(TOKEN), text);
    } finally {
      await proxy.close();
    }
  });

  it('a 401 without tokenEnv says to set one (with user:password in the url: those were refused); a 403 says forbidden', async () => {
    const proxy = await stubServer(401, 'no');
    const denied = await stubServer(403, 'no');
    try {
      assert.equal((await rejection(readPrometheusSource('api', base(proxy.url), WINDOW))).message, `api (prometheus ${proxy.url}): unauthorized (HTTP 401): set "tokenEnv" to the variable holding a bearer token`);
      assert.equal((await rejection(readPrometheusSource('api', base(denied.url), WINDOW))).message, `api (prometheus ${denied.url}): forbidden (HTTP 403)`);
      const withUser = proxy.url.replace('http://', 'http://user:pw@');
      assert.equal((await rejection(readPrometheusSource('api', base(withUser), WINDOW))).message, `api (prometheus ${proxy.url}): unauthorized (HTTP 401): the url's user and password were refused`);
      assert.equal(proxy.headers.at(-1)!.authorization, `Basic ${Buffer.from('user:pw').toString('base64')}`);
    } finally {
      await proxy.close();
      await denied.close();
    }
  });

  it('tokenEnv naming an unset variable is said before anything is sent', async () => {
    const e = await rejection(readPrometheusSource('api', base('http://127.0.0.1:9', { tokenEnv: 'PROM_TOKEN' }), WINDOW, { env: {} }));
    assert.equal(e.message, 'api (prometheus http://127.0.0.1:9): set PROM_TOKEN (tokenEnv) to the bearer token; it is not set');
  });

  it('an unreachable host (a closed port)', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    assert.equal((await rejection(readPrometheusSource('api', base(url), WINDOW))).message, `api (prometheus ${url}): unreachable: connection refused`);
  });

  it('no answer within the timeout', async () => {
    const server = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      assert.equal((await rejection(readPrometheusSource('api', base(url, { timeout: '300ms' }), WINDOW))).message, `api (prometheus ${url}): no answer in 300 ms (timeout)`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("https with caFile: the server's certificate is checked against that CA, and refused without it", async () => {
    const tls = path.join(__dirname, '../../fixtures/prometheus-api');
    const empty = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } });
    const server = https.createServer({ key: readFileSync(path.join(tls, 'server.key')), cert: readFileSync(path.join(tls, 'server.crt')) }, (req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'application/json' }).end(empty);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const trusted = await rejection(readPrometheusSource('api', base(url, { caFile: 'server.crt' }), WINDOW, { cwd: tls }));
      assert.equal(trusted.message, `api (prometheus ${url}): no ${HISTOGRAM}_bucket (or native ${HISTOGRAM}) series match {} in the 1h to 2026-01-01T01:00:00.000Z`);
      const untrusted = await rejection(readPrometheusSource('api', base(url), WINDOW));
      assert.equal(untrusted.message, `api (prometheus ${url}): unreachable: TLS: self-signed certificate (give "caFile")`);
      const missing = await rejection(readPrometheusSource('api', base(url, { caFile: 'nope.crt' }), WINDOW, { cwd: tls }));
      assert.equal(missing.message, `api (prometheus ${url}): caFile ${path.join(tls, 'nope.crt')}: ENOENT`);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('an answer that is not the Prometheus API (a login page), and credentials in the url are not shown', async () => {
    const page = await stubServer(200, '<html>Sign in</html>', 'text/html');
    try {
      const withUser = page.url.replace('http://', 'http://user:pw@');
      assert.equal((await rejection(readPrometheusSource('api', base(withUser), WINDOW))).message, `api (prometheus ${page.url}): query failed (HTTP 200): not a Prometheus query API answer (not JSON: "<html>Sign in</html>")`);
    } finally {
      await page.close();
    }
  });
});
