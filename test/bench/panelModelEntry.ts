/**
 * The comparison panel's model for the bench (bundled by test/bench/panel.mjs): N handlers with
 * budgets in a perf-budgets.json, synthetic series (HdrHistograms of log-normal latencies, seeded)
 * for this run and the baseline, 20 runs of history, evaluated and built by buildPanelModel exactly
 * as the extension does. Prints { model, evaluateMs, buildMs } as JSON.
 */
import { Random } from '../../src/core/stats/random';
import type { Baseline } from '../../src/core/baseline/baselineFile';
import { evaluate } from '../../src/core/budgets/evaluate';
import { parseConfig } from '../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../src/core/histograms/latencyHistogram';
import { buildPanelModel } from '../../src/core/report/panelModel';
import type { Series } from '../../src/core/series';

const N = Number(process.argv[2] ?? 200);
const HISTORY = 20;

const random = new Random(4242);
const rand = () => random.next();
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const handler = (i: number) => `${METHODS[i % 4]} /api/v1/resource${i}/items`;

function series(i: number, scale: number, samples = 400): Series {
  const h = LatencyHistogram.create();
  const median = 5 + (i % 37) * 3;
  for (let k = 0; k < samples; k++) h.recordMs(Math.max(0.05, median * scale * Math.exp(0.45 * normal())));
  const count = h.count;
  const errors = Math.floor(rand() * 3);
  return { name: handler(i), format: 'k6-json', source: 'perf/results/k6.json', count, errors, durationSec: 30, throughputPerSec: count / 30, exact: false, histogram: h, percentiles: null, minMs: h.minMs, maxMs: h.maxMs, meanMs: h.meanMs, benchmark: 'k6' };
}

const budgets: Record<string, unknown> = {};
for (let i = 0; i < N; i++) budgets[handler(i)] = { p50: `${10 + (i % 37) * 3}ms`, p95: `${20 + (i % 37) * 6}ms`, p99: `${40 + (i % 37) * 9}ms`, errorRate: '2%' };
const config = parseConfig(JSON.stringify({ benchmarks: { k6: { command: 'k6 run load.js', results: ['perf/results/k6.json'] } }, budgets }), 'perf-budgets.json');
const current = Array.from({ length: N }, (_, i) => series(i, 1));
const machine = { cpu: 'Bench CPU', cores: 8, os: 'linux x64', fingerprint: 'bench0000001' };
// What parseBaseline gives for a baseline or run-history file (series with their histograms).
const doc = (s: Series[], day: number): Baseline => ({ meta: { createdAt: new Date(Date.UTC(2026, 10, day)).toISOString(), commit: 'f'.repeat(40), tool: 'bench', machine }, series: s });
const baseline = doc(Array.from({ length: N }, (_, i) => series(i, 0.9)), 1);
const history = Array.from({ length: HISTORY }, (_, r) => doc(Array.from({ length: N }, (_, i) => series(i, 0.85 + r * 0.01, 60)), 2 + r));
const t0 = performance.now();
const results = evaluate(config, current, baseline.series);
const t1 = performance.now();
const model = buildPanelModel({
  folder: 'file:///bench',
  config,
  results,
  run: { time: new Date(Date.UTC(2026, 10, 25)), benchmarks: ['k6'], commit: 'e'.repeat(40), machine },
  baseline,
  baselineFrom: 'HEAD:perf/baseline.json',
  history,
  located: new Set(current.filter((_, i) => i % 2 === 0).map((s) => s.name)),
});
const t2 = performance.now();
process.stdout.write(JSON.stringify({ model, evaluateMs: t1 - t0, buildMs: t2 - t1 }));
