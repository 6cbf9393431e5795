import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { claimSeries } from '../../../src/core/budgets/claim';
import { evaluate, metricValue } from '../../../src/core/budgets/evaluate';
import { mergeSeries } from '../../../src/core/budgets/mergeSeries';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../../src/core/histograms/latencyHistogram';
import { buildPanelModel, type PanelInputs, panelModelSteps } from '../../../src/core/report/panelModel';
import { fromHistogram, type Series } from '../../../src/core/series';
import { Random } from '../../../src/core/stats/random';
import { PanelHistoryCache, type PanelHistory, type PanelHistoryJob, readPanelHistory } from '../../../src/node/panelHistory';
import { inSlices } from '../../../src/node/inSlices';
import { defaultPanelWorkerScript, PanelHistoryReader, SUPERSEDED } from '../../../src/node/panelHistoryReader';
import { listRuns, recentRuns, recordRun } from '../../../src/node/runHistory';
import { resetWorkerPeak, workersAlive } from '../../../src/node/read/scanPool';

const MACHINE = { cpu: 'cpu', cores: 2, os: 'linux', fingerprint: 'abc' };
const HANDLERS = 30;
const RUNS = 6;
const handler = (i: number) => `${['GET', 'POST'][i % 2]} /api/items${i}`;

/** Log-normal latencies in a histogram series, seeded. */
function series(random: Random, name: string, median: number, n: number): Series {
  const h = LatencyHistogram.create();
  for (let k = 0; k < n; k++) h.recordMs(median * Math.exp(0.5 * Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next())));
  return fromHistogram({ name, format: 'k6-json', source: 'perf/results/k6.json', errors: n % 3, durationSec: 30, histogram: h, benchmark: 'k6' });
}

/**
 * A run's series: every handler, with /api/items0 and /api/items1 each measured under two names
 * that one template budget claims together (a merge), and run 3 without handler 5.
 */
function runSeries(random: Random, r: number): Series[] {
  const out: Series[] = [];
  for (let i = 0; i < HANDLERS; i++) {
    if (r === 3 && i === 5) continue;
    const names = i < 2 ? [`${handler(i)}/a`, `${handler(i)}/b`] : [handler(i)];
    for (const name of names) out.push(series(random, name, 5 + i + r, 40 + 10 * r));
  }
  return out;
}

const budgets: Record<string, unknown> = {};
for (let i = 0; i < HANDLERS; i++) budgets[i < 2 ? `${handler(i)}/{part}` : handler(i)] = { p95: `${20 + i}ms`, errorRate: '5%' };
const config = parseConfig(JSON.stringify({ benchmarks: { k6: { command: 'k6 run x.js', results: ['perf/results/k6.json'] } }, budgets }), 'perf-budgets.json');

describe('panel history: the run history off the extension host', function () {
  // Starting a worker from TypeScript sources (tsx) takes a while on a busy machine.
  this.timeout(120_000);
  let ws: string;
  let job: PanelHistoryJob;
  const random = new Random(77);
  const record = (r: number) => {
    const at = new Date(Date.UTC(2026, 11, 1, 8, r)).toISOString();
    recordRun(ws, { benchmarks: ['k6'], startedAt: at, finishedAt: at }, runSeries(random, r), { createdAt: at, commit: `c${r}`, tool: 'test', machine: MACHINE }, 50);
  };
  before(() => {
    ws = mkdtempSync(path.join(tmpdir(), 'pb-panel-history-'));
    for (let r = 0; r < RUNS; r++) record(r);
    job = { workspace: ws, count: 20, budgets: config.budgets };
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  /** What the panel plotted before the worker: every run file parsed whole, claimed, merged, its p95. */
  function pointsAsBefore(): Map<string, Array<number | null>> {
    const runs = recentRuns(ws, 20);
    return new Map(
      config.budgets.map((b) => [
        b.handler,
        runs.map((run) => {
          const parts = claimSeries(config.budgets, run.series).byBudget.get(b.handler) ?? [];
          return parts.length ? metricValue(mergeSeries(b.handler, parts), 'p95') : null;
        }),
      ]),
    );
  }

  it('the worker script is the TypeScript source under tests', () => {
    assert.equal(defaultPanelWorkerScript(), path.resolve(__dirname, '../../../src/node/panelWorker.ts'));
  });

  it('in this thread: the points the whole-file parse gives, and every run\'s provenance', () => {
    const h = readPanelHistory(job, new PanelHistoryCache());
    assert.deepEqual(h.points, pointsAsBefore());
    assert.deepEqual(h.runs.map((r) => r.meta.commit), ['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
    // The merged budget has a point in every run, the missing handler none in run 3.
    assert.equal(h.points.get(`${handler(0)}/{part}`)!.filter((p) => p !== null).length, RUNS);
    assert.deepEqual(h.points.get(handler(5))!.map((p) => p === null), [false, false, false, true, false, false]);
  });

  it('worker and in-thread give deep-equal PanelModels on the same inputs, built in slices or in one piece', async () => {
    const current = runSeries(new Random(5), 9);
    const results = evaluate(config, current, runSeries(new Random(6), 8));
    const inputs = (history: PanelHistory): PanelInputs => ({
      folder: 'file:///w',
      config,
      results,
      run: { time: new Date(Date.UTC(2026, 11, 2)), benchmarks: ['k6'], commit: 'c9', machine: MACHINE },
      baseline: null,
      baselineFrom: null,
      history: history.points,
      located: new Set([handler(3)]),
    });
    const model = (history: PanelHistory) => buildPanelModel(inputs(history));
    const reader = new PanelHistoryReader(defaultPanelWorkerScript(), 0);
    try {
      const viaWorker = await reader.read(job);
      assert.notEqual(viaWorker, SUPERSEDED);
      const inThread = readPanelHistory(job, new PanelHistoryCache());
      assert.deepEqual(viaWorker, inThread);
      const a = model(viaWorker as PanelHistory);
      assert.deepEqual(a, model(inThread));
      // As the panel builds it: row by row, a turn of the event loop after each.
      assert.deepEqual(await inSlices(panelModelSteps(inputs(viaWorker as PanelHistory)), () => false, 0), a);
      assert.equal(a.rows.length, HANDLERS);
      assert.equal(a.rows[0]!.history.length, RUNS);
    } finally {
      reader.dispose();
    }
  });

  it('supersede: a newer read answers SUPERSEDED to the older ones of its lane, first; another lane is not touched', async () => {
    const reader = new PanelHistoryReader(defaultPanelWorkerScript(), 0);
    try {
      const order: string[] = [];
      const track = (name: string, p: Promise<PanelHistory | typeof SUPERSEDED>) => p.then((h) => (order.push(name), h));
      // a goes to the worker at once, b waits behind it, c supersedes both; the export lane is its own.
      const a = track('a', reader.read(job));
      const b = track('b', reader.read(job));
      const other = track('export', reader.read(job, 'export'));
      const c = track('c', reader.read(job));
      const [ha, hb, hc, hOther] = await Promise.all([a, b, c, other]);
      assert.equal(ha, SUPERSEDED);
      assert.equal(hb, SUPERSEDED);
      const expected = readPanelHistory(job, new PanelHistoryCache());
      assert.deepEqual(hc, expected);
      assert.deepEqual(hOther, expected);
      assert.deepEqual(order.slice(0, 2), ['a', 'b'], 'the superseded answer before any newer one');
      assert.ok(order.indexOf('c') > order.indexOf('b'));
    } finally {
      reader.dispose();
    }
  });

  it('by default a history of a few megabytes is read in this thread (no worker starts); a bigger one on the worker', async () => {
    const small = new PanelHistoryReader();
    const big = new PanelHistoryReader(defaultPanelWorkerScript(), 1000);
    try {
      // The workers of the tests before end asynchronously: counted from none.
      for (const deadline = Date.now() + 10_000; workersAlive().live > 0; ) {
        assert.ok(Date.now() < deadline, 'the workers of earlier tests did not exit');
        await new Promise((r) => setTimeout(r, 20));
      }
      resetWorkerPeak();
      const before = 0;
      const expected = readPanelHistory(job, new PanelHistoryCache());
      assert.deepEqual(await small.read(job), expected);
      assert.equal(workersAlive().peak, before, 'no worker for a small history');
      assert.ok(listRuns(ws).reduce((n, f) => n + statSync(f).size, 0) > 1000, 'the test history is over the lowered limit');
      assert.deepEqual(await big.read(job), expected);
      assert.equal(workersAlive().peak, before + 1, 'one worker past the limit');
    } finally {
      small.dispose();
      big.dispose();
    }
  });

  it('in this thread, in slices (no worker script): the same answers, and the same supersede rule', async () => {
    const reader = new PanelHistoryReader(null);
    try {
      const expected = readPanelHistory(job, new PanelHistoryCache());
      assert.deepEqual(await reader.read(job), expected);
      const a = reader.read(job);
      const other = reader.read(job, 'export');
      const b = reader.read(job);
      assert.equal(await a, SUPERSEDED);
      assert.deepEqual(await b, expected);
      assert.deepEqual(await other, expected);
      // Stopped: a read still going answers SUPERSEDED; the next one reads again.
      const pending = reader.read(job);
      reader.stop();
      assert.equal(await pending, SUPERSEDED);
      assert.deepEqual(await reader.read(job), expected);
    } finally {
      reader.dispose();
    }
    await assert.rejects(reader.read(job), /disposed/);
  });

  it('a run recorded or pruned since the last read is in the next one (the cache never hides it)', async () => {
    const reader = new PanelHistoryReader(defaultPanelWorkerScript(), 0);
    try {
      const first = (await reader.read(job)) as PanelHistory;
      assert.equal(first.runs.length, RUNS);
      record(RUNS);
      const second = (await reader.read(job)) as PanelHistory;
      assert.deepEqual(second.runs.map((r) => r.meta.commit), [...first.runs.map((r) => r.meta.commit), `c${RUNS}`]);
      assert.deepEqual(second.points, pointsAsBefore());
      rmSync(listRuns(ws)[0]!);
      const third = (await reader.read(job)) as PanelHistory;
      assert.deepEqual(third.runs.map((r) => r.meta.commit), second.runs.slice(1).map((r) => r.meta.commit));
      assert.deepEqual(third.points, pointsAsBefore());
      // Other budgets, same files: the points follow the budgets.
      const fewer = { ...job, budgets: config.budgets.slice(0, 3) };
      assert.deepEqual([...((await reader.read(fewer)) as PanelHistory).points.keys()], config.budgets.slice(0, 3).map((b) => b.handler));
    } finally {
      reader.dispose();
    }
  });

  it('a worker that cannot start rejects the read (the panel then reads in its own thread)', async () => {
    const broken = new PanelHistoryReader(path.join(ws, 'no-such-worker.js'), 0);
    await assert.rejects(broken.read(job), /no-such-worker\.js/);
    broken.dispose();
  });

  it('stopped (the panel closed): an unanswered read answers SUPERSEDED and the next starts a new worker; disposed: reads refuse', async () => {
    const reader = new PanelHistoryReader(defaultPanelWorkerScript(), 0);
    const pending = reader.read(job);
    reader.stop();
    assert.equal(await pending, SUPERSEDED);
    assert.deepEqual(await reader.read(job), readPanelHistory(job, new PanelHistoryCache()));
    reader.dispose();
    await assert.rejects(reader.read(job), /disposed/);
  });
});
