import { strict as assert } from 'node:assert';
import { serializeBaseline } from '../../../../src/core/baseline/baselineFile';
import { mergeByName } from '../../../../src/core/budgets/mergeSeries';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { InputError } from '../../../../src/core/errors';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { historyPoints, historyRunOf } from '../../../../src/core/report/historyPoints';
import { fromHistogram, type Series } from '../../../../src/core/series';
import { Random } from '../../../../src/core/stats/random';

const META = { createdAt: '2026-12-01T08:00:00.000Z', commit: null, tool: 'test', machine: { cpu: 'cpu', cores: 2, os: 'linux', fingerprint: 'abc' } };

/** A histogram series of whole-millisecond samples, as a reader of raw data gives it. */
function seriesOf(name: string, samples: readonly number[], extra: Partial<Series> = {}): Series {
  const histogram = LatencyHistogram.create();
  for (const ms of samples) histogram.recordMs(ms);
  return { ...fromHistogram({ name, format: 'k6-json', source: 'perf/results/k6.json', errors: 0, durationSec: 10, histogram, benchmark: 'api' }), ...extra };
}

/** Nearest-rank p95 of the raw samples: the value at rank ceil(0.95 n), worked out here, not by the code under test. */
function nearestRankP95(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}

/** Within the histograms' 3 significant digits (0.1%) of the exact value. */
function near(actual: number | null, exact: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - exact) <= exact * 1e-3, `${what}: ${actual} is not within 0.1% of ${exact}`);
}

function samples(seed: number, n: number, from: number, to: number): number[] {
  const r = new Random(seed);
  return Array.from({ length: n }, () => from + Math.floor(r.next() * (to - from + 1)));
}

/** A run file's text exactly as recordRun writes it (without the "run" facts, which do not matter here). */
function runFile(series: readonly Series[]): string {
  return serializeBaseline(mergeByName(series), META);
}

const config = parseConfig(
  JSON.stringify({ budgets: { 'GET /api/orders/{id}': { p95: '100ms' }, 'GET /api/users': { p95: '100ms' }, 'POST /api/pay': { p95: '100ms' } } }),
  'perf-budgets.json',
);

describe('historyPoints: each budget\'s p95 in each past run', () => {
  // Two order ids claimed by one template (a merge of two histograms), a single series, and one
  // handler the second run lacks (so the runs are not alike: each is claimed on its own).
  const order1 = [samples(1, 300, 10, 60), samples(2, 250, 12, 70), samples(3, 320, 9, 55)];
  const order2 = [samples(4, 200, 80, 140), samples(5, 180, 70, 160), samples(6, 220, 60, 130)];
  const users = [samples(7, 500, 1, 30), samples(8, 400, 2, 40), samples(9, 450, 1, 35)];
  const pay = [samples(10, 90, 200, 400), null, samples(12, 110, 150, 500)];
  const texts = [0, 1, 2].map((r) =>
    runFile([
      seriesOf('GET /api/orders/1', order1[r]!),
      seriesOf('GET /api/orders/2', order2[r]!),
      seriesOf('GET /api/users', users[r]!),
      ...(pay[r] ? [seriesOf('POST /api/pay', pay[r]!)] : []),
      seriesOf('GET /health', [1, 1, 2]),
    ]),
  );
  const runs = texts.map((t, r) => historyRunOf(t, `.perf-budgets/runs/${r}.json`));

  it('a merged template, a single series and a missing handler, from run files: nearest-rank p95s of the raw samples', () => {
    const points = historyPoints(config.budgets, runs.map((r) => r.history));
    assert.deepEqual([...points.keys()], ['GET /api/orders/{id}', 'GET /api/users', 'POST /api/pay']);
    for (let r = 0; r < 3; r++) {
      near(points.get('GET /api/orders/{id}')![r]!, nearestRankP95([...order1[r]!, ...order2[r]!]), `orders, run ${r}`);
      near(points.get('GET /api/users')![r]!, nearestRankP95(users[r]!), `users, run ${r}`);
    }
    near(points.get('POST /api/pay')![0]!, nearestRankP95(pay[0]!), 'pay, run 0');
    assert.equal(points.get('POST /api/pay')![1], null, 'run 1 has no POST /api/pay');
    near(points.get('POST /api/pay')![2]!, nearestRankP95(pay[2]!), 'pay, run 2');
  });

  it('decodes histograms only for a merge: a single series takes the p95 its run file stores', () => {
    // The stored p95 of GET /api/users changed by hand: the point follows the file, not the histogram.
    const edited = texts[0]!.replace(/("GET \/api\/users": \{[^]*?"p95": )[0-9.]+/, '$1 42.5');
    assert.notEqual(edited, texts[0]);
    let decoded = 0;
    const run = historyRunOf(edited, 'edited.json');
    const counted = { summaries: run.history.summaries, withHistograms: () => (decoded++, run.history.withHistograms()) };
    const points = historyPoints(config.budgets, [counted]);
    assert.equal(points.get('GET /api/users')![0], 42.5);
    near(points.get('GET /api/orders/{id}')![0]!, nearestRankP95([...order1[0]!, ...order2[0]!]), 'orders (merged from histograms)');
    assert.equal(decoded, 1, 'one merge, one decode of the run');
  });

  it('alike runs are claimed once and still give each run its own numbers', () => {
    // Runs 0 and 2 have the same series; run 2 read twice over gives the same points twice.
    const points = historyPoints(config.budgets, [runs[0]!.history, runs[2]!.history, runs[2]!.history]);
    assert.deepEqual(points.get('GET /api/users'), [points.get('GET /api/users')![0], points.get('GET /api/users')![1], points.get('GET /api/users')![1]]);
    assert.notEqual(points.get('GET /api/users')![0], points.get('GET /api/users')![1]);
    near(points.get('GET /api/users')![1]!, nearestRankP95(users[2]!), 'users, run 2');
  });

  it('an all-requests budget: each run\'s handlers merged, whatever their names', () => {
    const all = parseConfig(JSON.stringify({ budgets: { all: { allRequests: true, p95: '1s' } } }), 'perf-budgets.json');
    const points = historyPoints(all.budgets, runs.map((r) => r.history));
    const every = (r: number) => [...order1[r]!, ...order2[r]!, ...users[r]!, ...(pay[r] ?? []), 1, 1, 2];
    for (let r = 0; r < 3; r++) near(points.get('all')![r]!, nearestRankP95(every(r)), `all requests, run ${r}`);
  });

  it('keeps the run\'s provenance and run facts', () => {
    const withRun = texts[0]!.replace(/^\{\n/, `{\n  "run": ${JSON.stringify({ benchmarks: ['api'], startedAt: 'a', finishedAt: 'b' })},\n`);
    const run = historyRunOf(withRun, 'r.json');
    assert.deepEqual(run.meta, META);
    assert.deepEqual(run.run, { benchmarks: ['api'], startedAt: 'a', finishedAt: 'b' });
    assert.equal(historyRunOf(texts[0]!, 'r.json').run, undefined);
  });

  describe('bad run files', () => {
    it('what parseBaseline refuses, with the histograms taken out, is refused naming the file', () => {
      const foreign = texts[0]!.replace('"tool": "test"', '"tool": "test", "colour": "red"');
      assert.throws(() => historyRunOf(foreign, 'runs/foreign.json'), (e: unknown) => e instanceof InputError && /^runs\/foreign\.json: not a Perf Budgets baseline/.test(e.message));
      assert.throws(() => historyRunOf('{"version": 1,', 'runs/torn.json'), (e: unknown) => e instanceof InputError && e.message.startsWith('runs/torn.json:'));
    });

    it('a histogram that is not base64 is refused; one that does not decode leaves the merged point unknown', () => {
      const notBase64 = texts[0]!.replace(/"histogram": "[^"]+"/, '"histogram": "not base64!"');
      assert.throws(() => historyRunOf(notBase64, 'runs/x.json'), (e: unknown) => e instanceof InputError && e.message === 'runs/x.json: series "GET /api/orders/1": histogram is not base64');
      const corrupt = texts[0]!.replace(/"histogram": "[^"]+"/, '"histogram": "AAAA"');
      const points = historyPoints(config.budgets, [historyRunOf(corrupt, 'runs/x.json').history]);
      assert.equal(points.get('GET /api/orders/{id}')![0], null);
      near(points.get('GET /api/users')![0]!, nearestRankP95(users[0]!), 'users (its stored p95)');
    });
  });
});
