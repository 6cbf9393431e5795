// Bench entry (bundled by test/bench/prometheusApi.mjs): the Prometheus API source end to end.
//   node prometheus-api-entry.cjs TMPDIR  -> JSON: backfill and start-up times, our query + read
//   times (readPrometheusSource), curl's times for the same queries, and the oracle check.
// 200 handlers' classic histograms (12 buckets, status 200 and, for every 10th, 500) over one
// hour at 15 s resolution are backfilled with promtool into a real Prometheus on loopback.
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseConfig } from '../../src/core/config/parseConfig';
import { promQueries } from '../../src/core/prometheus/promQueries';
import { percentileOf } from '../../src/core/series';
import { readPrometheusSource } from '../../src/node/prometheusSource';
import { type BackfilledRoute, openMetricsText, startPrometheus } from '../e2e/prometheusServer';

const HISTOGRAM = 'http_request_duration_seconds';
const HANDLERS = 200;
const FROM_SEC = 1_767_225_600;
const TO_SEC = FROM_SEC + 3600;
const LES = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] as const;
const REPEATS = 7;

function routes(): BackfilledRoute[] {
  const out: BackfilledRoute[] = [];
  for (let h = 0; h < HANDLERS; h++) {
    // A bell of requests per scrape around bucket h % 8, different for every handler.
    const perScrape = [...LES.map((le, i) => [le, Math.max(0, 6 - Math.abs(i - (h % 8)) * 2) + ((h + i) % 3)] as const), ['+Inf', h % 5 === 0 ? 1 : 0] as const];
    out.push({ labels: { job: 'api', method: h % 2 ? 'POST' : 'GET', route: `/api/r${h}`, status: '200' }, perScrape });
    if (h % 10 === 0) out.push({ labels: { job: 'api', method: h % 2 ? 'POST' : 'GET', route: `/api/r${h}`, status: '500' }, perScrape: [...LES.map((le) => [le, 0] as const), ['+Inf', 1] as const] });
  }
  return out;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const text = openMetricsText({ histogram: HISTOGRAM, routes: routes(), fromSec: FROM_SEC, toSec: TO_SEC, stepSec: 15 });
  const prom = await startPrometheus(text);
  const startMs = performance.now() - t0;
  try {
    const source = parseConfig(
      JSON.stringify({ benchmarks: { api: { prometheus: { url: prom.url, histogram: HISTOGRAM, matchers: '{job="api"}', window: '1h', at: new Date(TO_SEC * 1000).toISOString() } } }, budgets: { x: { p95: '1s' } } }),
      'perf-budgets.json',
    ).benchmarks[0]!.prometheus!;
    const window = { startMs: FROM_SEC * 1000, endMs: TO_SEC * 1000 };
    const ours: number[] = [];
    let series = await readPrometheusSource('api', source, window);
    for (let i = 0; i < REPEATS; i++) {
      const t = performance.now();
      series = await readPrometheusSource('api', source, window);
      ours.push(performance.now() - t);
    }
    // curl: the same instant queries, one process each, one after another (what a script would do).
    const { queries, timeSec } = promQueries(source, window);
    const curl: number[] = [];
    let curlBytes = 0;
    for (let i = 0; i < REPEATS; i++) {
      const t = performance.now();
      curlBytes = 0;
      for (const q of queries) curlBytes += execFileSync('curl', ['-s', '--fail', `${prom.url}/api/v1/query`, '--data-urlencode', `query=${q.promql}`, '--data-urlencode', `time=${timeSec}`], { maxBuffer: 1 << 28 }).length;
      curl.push(performance.now() - t);
    }
    // The oracle: Prometheus's own histogram_quantile for every handler, p95 and p99.
    let checked = 0;
    const mismatches: string[] = [];
    const byName = new Map(series.map((s) => [s.name, s]));
    for (const q of [0.95, 0.99]) {
      for (const o of await prom.query(`histogram_quantile(${q}, sum by (le, method, route) (increase(${HISTOGRAM}_bucket{job="api"}[1h])))`, TO_SEC)) {
        const s = byName.get(`${o.metric.method} ${o.metric.route}`);
        const v = s ? percentileOf(s, q * 100) : null;
        checked++;
        if (v === null || Math.abs(v - o.value * 1000) > 1e-9 * Math.max(1, o.value * 1000)) mismatches.push(`${o.metric.method} ${o.metric.route} p${q * 100}: ours ${v}, Prometheus ${o.value * 1000} ms`);
      }
    }
    const errors = series.reduce((a, s) => a + (s.errors ?? 0), 0);
    process.stdout.write(`${JSON.stringify({ handlers: series.length, samplesBackfilled: text.split('\n').length, startMs, queries: queries.length, ours, curl, curlBytes, checked, mismatches, errors, expectedErrors: (HANDLERS / 10) * 240 })}\n`);
  } finally {
    await prom.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
