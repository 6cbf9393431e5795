import { strict as assert } from 'node:assert';
import { allRequestsOf, claimSeries } from '../../../../src/core/budgets/claim';
import { evaluate } from '../../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { InputError } from '../../../../src/core/errors';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { fromHistogram, percentileOf, type Series } from '../../../../src/core/series';
import { nearestRank } from '../../helpers';

/** A raw series of these latencies (ms), from `source`. */
function raw(name: string, values: number[], source: string, extra: Partial<Series> = {}): Series {
  const h = LatencyHistogram.create();
  for (const v of values) h.recordMs(v);
  return { ...fromHistogram({ name, format: 'jmeter', source, errors: 0, durationSec: 10, histogram: h }), ...extra };
}

function summary(name: string, p95: number, count: number, source: string, extra: Partial<Series> = {}): Series {
  return { name, format: 'locust-csv', source, count, errors: 0, durationSec: 10, throughputPerSec: count / 10, exact: true, histogram: null, percentiles: { '95': p95 }, minMs: null, maxMs: null, meanMs: null, ...extra };
}

const CONFIG = (budgets: string, benchmarks = '"load": { "command": "true", "results": "a.csv" }, "micro": { "command": "true", "results": "b.json" }') =>
  parseConfig(`{ "benchmarks": { ${benchmarks} }, "budgets": { ${budgets} } }`, 'perf-budgets.json');

describe('all-requests budgets ("allRequests": true)', () => {
  it('use the tool\'s own all-requests row where the file has one (Locust Aggregated), not a merge of the handlers', () => {
    const config = CONFIG('"API": { "allRequests": true, "p95": "500ms" }, "GET /a": { "p95": "1s" }');
    const series = [
      summary('GET /a', 900, 100, 'stats.csv', { benchmark: 'load' }),
      summary('GET /b', 100, 300, 'stats.csv', { benchmark: 'load' }),
      summary('Aggregated', 350, 400, 'stats.csv', { benchmark: 'load', allRequests: true }),
    ];
    const [api, a] = evaluate(config, series, null);
    assert.equal(api!.budget.handler, 'API');
    assert.equal(api!.current!.count, 400, 'the Aggregated row, not 100 + 300 + 400');
    assert.equal(api!.verdicts[0]!.value, 350);
    assert.equal(api!.verdicts[0]!.status, 'pass');
    assert.equal(a!.current!.count, 100, 'the handler budget still has its own series');
  });

  it('merge every handler\'s histogram where the tool writes no total: exact nearest rank over all requests', () => {
    const config = CONFIG('"API": { "allRequests": true, "p95": "500ms" }');
    const a = Array.from({ length: 200 }, (_, i) => 10 + (i % 50));
    const b = Array.from({ length: 100 }, (_, i) => 300 + i * 5);
    const [api] = evaluate(config, [raw('GET /a', a, 'r.jtl'), raw('GET /b', b, 'r.jtl')], null);
    assert.equal(api!.current!.count, 300);
    const want = nearestRank([...a, ...b], 95);
    const got = percentileOf(api!.current!, 95)!;
    assert.ok(Math.abs(got - want) / want <= 1e-3, `p95 ${got} vs nearest rank ${want}`);
  });

  it('never count a sub-sample again: a JMeter "Home Page-0" under "Home Page" is left out of the merge', () => {
    const parent = raw('Home Page', [100, 120, 140], 'r.jtl');
    const sub = raw('Home Page-0', [40, 50, 60], 'r.jtl', { parent: 'Home Page' });
    assert.deepEqual(
      allRequestsOf([parent, sub]).map((s) => s.name),
      ['Home Page'],
    );
    const [api] = evaluate(CONFIG('"all": { "allRequests": true, "max": "1s" }'), [parent, sub], null);
    assert.equal(api!.current!.count, 3);
  });

  it('file by file: one file\'s own total, another file\'s handlers merged', () => {
    const got = allRequestsOf([
      summary('GET /a', 1, 10, 'one.csv'),
      summary('Aggregated', 2, 10, 'one.csv', { allRequests: true }),
      raw('GET /c', [5, 6], 'two.jtl'),
      raw('GET /d', [7], 'two.jtl'),
    ]);
    assert.deepEqual(
      got.map((s) => `${s.source}:${s.name}`),
      ['one.csv:Aggregated', 'two.jtl:GET /c', 'two.jtl:GET /d'],
    );
  });

  it('"benchmark" scopes a budget to one benchmark\'s results, for all-requests and handler budgets alike', () => {
    const config = CONFIG('"load total": { "allRequests": true, "benchmark": "load", "p95": "1s" }, "parse": { "benchmark": "micro", "p95": "1ms" }');
    const series = [
      summary('Aggregated', 300, 50, 'a.csv', { benchmark: 'load', allRequests: true }),
      summary('parse', 0.5, 20, 'b.json', { benchmark: 'micro' }),
      summary('parse', 9, 20, 'other.json', { benchmark: 'load' }),
    ];
    const claims = claimSeries(config.budgets, series);
    assert.deepEqual(
      claims.byBudget.get('load total')!.map((s) => `${s.source}:${s.name}`),
      ['a.csv:Aggregated', 'other.json:parse'],
      'of the load benchmark only: its Aggregated row, and the series of its file without one',
    );
    assert.deepEqual(
      claims.byBudget.get('parse')!.map((s) => s.source),
      ['b.json'],
      'the same name from another benchmark is not taken',
    );
    assert.deepEqual(
      claims.unclaimed.map((s) => s.source),
      ['other.json'],
    );
  });

  it('the tool\'s totals and sub-samples are not handlers: no glob takes them and they are not "unclaimed"', () => {
    const config = CONFIG('"everything": { "series": "*", "p95": "1s" }, "Aggregated": { "p95": "1s" }');
    const series = [summary('GET /a', 1, 10, 's.csv'), summary('Aggregated', 2, 10, 's.csv', { allRequests: true }), summary('GET /a-0', 1, 10, 's.csv', { parent: 'GET /a' })];
    const claims = claimSeries(config.budgets, series);
    assert.deepEqual(
      claims.byBudget.get('everything')!.map((s) => s.name),
      ['GET /a'],
    );
    assert.deepEqual(
      claims.byBudget.get('Aggregated')!.map((s) => s.name),
      ['Aggregated'],
      'a budget that names it exactly takes it',
    );
    assert.deepEqual(claims.unclaimed, []);
  });

  it('config errors name the line: an unknown benchmark, "series" with "allRequests"', () => {
    assert.throws(
      () => parseConfig('{\n  "benchmarks": { "load": { "command": "true", "results": "a.csv" } },\n  "budgets": {\n    "API": { "allRequests": true, "benchmark": "lod", "p95": "1s" }\n  }\n}', 'perf-budgets.json'),
      (e: unknown) => e instanceof InputError && e.line === 4 && /budgets\.API\.benchmark: no benchmark "lod" \(benchmarks: "load"\)/.test(e.message),
    );
    assert.throws(
      () => parseConfig('{ "benchmarks": {}, "budgets": { "API": { "allRequests": true, "series": "*", "p95": "1s" } } }', 'perf-budgets.json'),
      (e: unknown) => e instanceof InputError && /"series" and "allRequests" cannot be combined/.test(e.message),
    );
  });
});
