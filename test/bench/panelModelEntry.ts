/**
 * The comparison panel's model for the bench (bundled by test/bench/panel.mjs, with
 * src/node/panelWorker.ts beside it as panelWorker.js): N handlers with budgets in a
 * perf-budgets.json, synthetic series (HdrHistograms of log-normal latencies, seeded) for this run
 * and the baseline, and 20 runs of history written by recordRun into a workspace (argv[3]) as the
 * extension writes them. The extension side, timed in this one fresh process as when the editor
 * first shows the panel:
 *
 * 1. evaluate() in this thread (what the folder's read does before the panel asks for anything);
 * 2. the panel's build: the run history read and judged by PanelHistoryReader as ComparisonPanel
 *    makes it (cold: every run file parsed; 2.7 MB of them, so in this thread, in slices), then the
 *    rows built here in slices (inSlices), as ComparisonPanel does; this thread's event loop
 *    watched throughout (eventLoopWatch.ts, 1 ms resolution);
 * 3. the same build again (a refresh: the parse cache is warm);
 * 4. the same build with the history read on the worker (cold: the worker starts), for comparison;
 * 5. the same watch over 300 ms of nothing: the stalls a busy machine causes by itself.
 *
 * Prints { model, evaluateMs, first, refresh, worker, idleStallMs, sameModel } as JSON, each
 * build as { ms, maxStallMs }; sameModel: the three builds gave deep-equal models.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Baseline } from '../../src/core/baseline/baselineFile';
import { evaluate } from '../../src/core/budgets/evaluate';
import { parseConfig } from '../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../src/core/histograms/latencyHistogram';
import { panelModelSteps } from '../../src/core/report/panelModel';
import type { Series } from '../../src/core/series';
import { Random } from '../../src/core/stats/random';
import { inSlices } from '../../src/node/inSlices';
import { PanelHistoryReader, SUPERSEDED } from '../../src/node/panelHistoryReader';
import { recordRun } from '../../src/node/runHistory';
import { watchEventLoop } from './eventLoopWatch';

const N = Number(process.argv[2] ?? 200);
const WORKSPACE = process.argv[3]!;
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
const meta = (day: number): Baseline['meta'] => ({ createdAt: new Date(Date.UTC(2026, 10, day)).toISOString(), commit: 'f'.repeat(40), tool: 'bench', machine });
// What parseBaseline gives for a baseline file (series with their histograms).
const baseline: Baseline = { meta: meta(1), series: Array.from({ length: N }, (_, i) => series(i, 0.9)) };
for (let r = 0; r < HISTORY; r++) {
  const at = new Date(Date.UTC(2026, 10, 2 + r)).toISOString();
  recordRun(WORKSPACE, { benchmarks: ['k6'], startedAt: at, finishedAt: at }, Array.from({ length: N }, (_, i) => series(i, 0.85 + r * 0.01, 60)), meta(2 + r), HISTORY);
}
const located = new Set(current.filter((_, i) => i % 2 === 0).map((s) => s.name));

const t0 = performance.now();
const results = evaluate(config, current, baseline.series);
const evaluateMs = performance.now() - t0;

/** ComparisonPanel.panelModel's sequence: the history from the reader, then the model here, in slices. */
async function build(reader: PanelHistoryReader) {
  const history = await reader.read({ workspace: WORKSPACE, count: HISTORY, budgets: config.budgets });
  if (history === SUPERSEDED) throw new Error('a lone read was superseded');
  const steps = panelModelSteps({
    folder: 'file:///bench',
    config,
    results,
    run: { time: new Date(Date.UTC(2026, 10, 25)), benchmarks: ['k6'], commit: 'e'.repeat(40), machine },
    baseline,
    baselineFrom: 'HEAD:perf/baseline.json',
    history: history.points,
    located,
  });
  const model = await inSlices(steps);
  if (!model) throw new Error('a lone build was stale');
  return model;
}

/** The build's time, and the longest stall while it ran (watched from a turn before it to a timer turn after it). */
async function timed(reader: PanelHistoryReader) {
  let model: Awaited<ReturnType<typeof build>> | undefined;
  let ms = 0;
  const w = await watchEventLoop(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const t = performance.now();
    model = await build(reader);
    ms = performance.now() - t;
    // A stall that ends with the build is seen by the watch's next timer turn.
    await new Promise((resolve) => setTimeout(resolve, 10));
  }, 1);
  return { model: model!, ms, maxStallMs: w.maxStallMs };
}

(async () => {
  // The bundle's own lookup: panelWorker.js beside this file, as dist/panelWorker.js beside dist/extension.js.
  const reader = new PanelHistoryReader();
  const first = await timed(reader);
  const refresh = await timed(reader);
  reader.dispose();
  // The worker whatever the history's size (dist/panelWorker.js beside this bundle).
  const onWorker = new PanelHistoryReader(undefined, 0);
  const worker = await timed(onWorker);
  onWorker.dispose();
  const idle = await watchEventLoop(() => new Promise((resolve) => setTimeout(resolve, 300)), 1);
  const sameModel = isDeepStrictEqual(first.model, refresh.model) && isDeepStrictEqual(first.model, worker.model);
  const figures = ({ ms, maxStallMs }: { ms: number; maxStallMs: number }) => ({ ms, maxStallMs });
  process.stdout.write(JSON.stringify({ model: first.model, evaluateMs, first: figures(first), refresh: figures(refresh), worker: figures(worker), idleStallMs: idle.maxStallMs, sameModel }));
})().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
