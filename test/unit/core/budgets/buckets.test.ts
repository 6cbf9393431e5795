import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseBaseline, serializeBaseline } from '../../../../src/core/baseline/baselineFile';
import { evaluate, gateFails } from '../../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { bucketQuantileWithBounds, prometheusReader } from '../../../../src/core/formats/prometheus';
import { describeEvidence, describeValueWithCi, describeVerdict } from '../../../../src/core/report/describe';
import { renderReport } from '../../../../src/core/report/reports';
import type { Series } from '../../../../src/core/series';
import { readWith } from '../formats/formatTestUtil';

const FIXTURE = path.join(__dirname, '../../../fixtures/prometheus/metrics.txt');
const meta = { createdAt: '2024-01-01T00:00:00.000Z', commit: null, tool: 't', machine: { cpu: 'c', cores: 1, os: 'o', fingerprint: 'f' } };

async function fixtureSeries(): Promise<Series[]> {
  return readWith(prometheusReader, readFileSync(FIXTURE, 'utf8'), 'metrics.txt');
}

function config(budgets: Record<string, Record<string, string>>) {
  return parseConfig(JSON.stringify({ budgets }), 'perf-budgets.json');
}

describe('bucketed quantiles are honest about their precision', () => {
  it('the issue\'s case: 212 ms interpolated in the 100–250 ms bucket', () => {
    // 1000 requests: 900 ≤ 100 ms, 1000 ≤ 250 ms. p95: rank 950, 50 of the 100 in (100, 250]: 175 ms.
    // p99: rank 990 → 100 + 150 × 90/100 = 235 ms. Both in the 100–250 ms bucket.
    const b = bucketQuantileWithBounds(0.99, [[0.1, 900], [0.25, 1000], [Infinity, 1000]]);
    assert.ok(Math.abs(b.value - 0.235) < 1e-12);
    assert.equal(b.lower, 0.1);
    assert.equal(b.upper, 0.25);
    const top = bucketQuantileWithBounds(0.99, [[0.1, 900], [0.25, 980], [Infinity, 1000]]);
    assert.deepEqual(top, { value: 0.25, lower: 0.25, upper: Infinity });
  });

  it('the real fixture: GET /api/slow p95 86 ms lies in the 50–100 ms bucket', async () => {
    const slow = (await fixtureSeries()).find((s) => s.name === 'GET /api/slow')!;
    // rank 0.95 × 200 = 190; 172 requests ≤ 50 ms, 197 ≤ 100 ms: 50 + 50 × 18/25 = 86 ms.
    assert.ok(Math.abs(slow.percentiles!['95']! - 86) < 1e-9);
    assert.deepEqual(slow.buckets!['95'], { lower: 50, upper: 100 });
    // p50: rank 100 in (25, 50]: 25 + 25 × 7/79.
    assert.deepEqual(slow.buckets!['50'], { lower: 25, upper: 50 });
  });

  it('a budget inside the bucket is inconclusive (warn, exit 0, --strict fails) with where to add a boundary', async () => {
    const series = await fixtureSeries();
    const [inside] = evaluate(config({ 'GET /api/slow': { p95: '80ms' } }), series, null);
    const v = inside!.verdicts[0]!;
    assert.equal(v.status, 'warn');
    assert.deepEqual(v.bucket, { lower: 50, upper: 100 });
    assert.equal(v.budgetInconclusive, 'the 80 ms budget lies inside the bucket 50–100 ms: add a bucket boundary at 80 ms');
    assert.equal(describeVerdict(v), 'p95 86 ms (bucket 50–100 ms) vs 80 ms budget — inconclusive: the 80 ms budget lies inside the bucket 50–100 ms: add a bucket boundary at 80 ms');
    assert.equal(gateFails([v]), false);
    assert.equal(gateFails([v], true), true);
    // On a bucket boundary the bucket decides it: 86 ms is certainly ≤ 100 ms.
    const [edge] = evaluate(config({ 'GET /api/slow': { p95: '100ms' } }), series, null);
    assert.equal(edge!.verdicts[0]!.status, 'warn'); // 86 ≥ 80% of 100: the ordinary warning
    assert.equal(edge!.verdicts[0]!.budgetInconclusive, undefined);
    assert.equal(describeValueWithCi(edge!.verdicts[0]!), '86 ms (bucket 50–100 ms)');
    const [fails] = evaluate(config({ 'GET /api/slow': { p95: '50ms' } }), series, null);
    assert.equal(fails!.verdicts[0]!.status, 'fail');
    assert.equal(gateFails(fails!.verdicts), true);
  });

  it('a regression threshold inside the bucket is inconclusive; the report shows the bucket', async () => {
    const series = await fixtureSeries();
    const slow = series.find((s) => s.name === 'GET /api/slow')!;
    // Baseline p95 75 ms: +10% = 82.5 ms lies inside 50–100 ms, so 86 ms may or may not be past it.
    const baseline: Series = { ...slow, percentiles: { ...slow.percentiles, '95': 75 }, buckets: undefined };
    const [r] = evaluate(config({ 'GET /api/slow': { p95: '1s' } }), series, [baseline]);
    const v = r!.verdicts[0]!;
    assert.equal(v.regression, 'inconclusive');
    assert.equal(
      describeEvidence(v),
      'summary-only data (no histogram): compared with the plain threshold; inconclusive: baseline + 10% = 82.5 ms lies inside the bucket 50–100 ms: add a bucket boundary at 82.5 ms',
    );
    assert.equal(gateFails([v]), false);
    assert.equal(gateFails([v], true), true);
    // Baseline 40 ms: +10% = 44 ms is below the bucket: 86 ms is certainly past it.
    const [clear] = evaluate(config({ 'GET /api/slow': { p95: '1s' } }), series, [{ ...baseline, percentiles: { '95': 40 } }]);
    assert.equal(clear!.verdicts[0]!.regression, 'regressed');
    const text = renderReport('text', [r!]);
    assert.match(text, /86 ms \(bucket 50–100 ms\)/);
    assert.match(text, /add a bucket boundary at 82\.5 ms/);
  });

  it('the baseline file keeps bucket bounds (+Inf as null) and reads them back', async () => {
    const series = await fixtureSeries();
    const text = serializeBaseline(series, meta);
    const slowEntry = JSON.parse(text).series['GET /api/slow'];
    assert.deepEqual(slowEntry.bucketsMs.p95, { lower: 50, upper: 100 });
    const back = parseBaseline(text, 'b.json').series.find((s) => s.name === 'GET /api/slow')!;
    assert.deepEqual(back.buckets!['95'], { lower: 50, upper: 100 });
    const inf = serializeBaseline([{ ...series[0]!, buckets: { '99': { lower: 10000, upper: Infinity } } }], meta);
    assert.deepEqual(JSON.parse(inf).series[series[0]!.name].bucketsMs, { p99: { lower: 10000, upper: null } });
    assert.deepEqual(parseBaseline(inf, 'b.json').series[0]!.buckets, { '99': { lower: 10000, upper: Infinity } });
  });
});

describe('a budget inside Locust\'s rounding interval', () => {
  it('is inconclusive, and says it is Locust\'s rounding, not a bucket to add a boundary to', () => {
    const config = parseConfig('{ "benchmarks": {}, "budgets": { "GET /x": { "p95": "200ms" } } }', 'perf-budgets.json');
    const series: Series = {
      name: 'GET /x', format: 'locust-csv', source: 's.csv', count: 500, errors: 0, durationSec: 10, throughputPerSec: 50, exact: false,
      histogram: null, percentiles: { '95': 200 }, minMs: 20, maxMs: 400, meanMs: 90, buckets: { '95': { lower: 195, upper: 205 } },
    };
    const [r] = evaluate(config, [series], null);
    assert.equal(r!.verdicts[0]!.status, 'warn');
    assert.match(r!.verdicts[0]!.budgetInconclusive!, /inside 195–205 ms, the interval Locust's rounding of response times allows/);
  });
});
