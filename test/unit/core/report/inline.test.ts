import { strict as assert } from 'node:assert';
import { evaluate } from '../../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { formatSignedPct } from '../../../../src/core/report/describe';
import { handlerCounts, inlineParts, inlineSummary, worstStatus, worstVerdict } from '../../../../src/core/report/inline';
import type { Series } from '../../../../src/core/series';

function summary(name: string, pct: Record<string, number>, extra: Partial<Series> = {}): Series {
  return { name, format: 'locust-csv', source: 'x.csv', count: 1000, errors: 0, durationSec: 10, throughputPerSec: 100, exact: true, histogram: null, percentiles: pct, minMs: null, maxMs: null, meanMs: null, ...extra };
}

describe('inline decoration text', () => {
  const config = parseConfig('{"budgets": {"GET /api/iris/overview": {"p95": "150ms", "p99": "200ms"}, "GET /x": {"p95": "1s"}}}', 'c.json');
  const [iris, x] = evaluate(config, [summary('GET /api/iris/overview', { '95': 97.5, '99': 210 })], [summary('GET /api/iris/overview', { '95': 93.75, '99': 200 })]);

  it('short by default: the worst metric only, its mark first, in plain words; the rest is in the hover', () => {
    assert.equal(inlineSummary(iris!, 'p95'), '✗ p95 97.5 ms ≤ 150 ms', 'the mark is the handler\'s worst, the text p95 as asked');
    // The worst: p99 fails (p95 passes).
    assert.equal(inlineSummary(iris!), '✗ p99 210 ms > 200 ms');
    assert.equal(inlineSummary(iris!, 'budgeted'), '✗ p95 97.5 ms ≤ 150 ms · p99 210 ms > 200 ms');
    assert.deepEqual(inlineParts(iris!), { mark: '✗', text: 'p99 210 ms > 200 ms', status: 'fail' });
    assert.equal(worstStatus(iris!), 'fail');
  });

  it('plain labels: "errors", not the JSON key; a minimum (throughput) compares the other way', () => {
    const cfg = parseConfig('{"budgets": {"GET /e": {"errorRate": "1%", "throughput": "50/s"}}}', 'c.json');
    const [r] = evaluate(cfg, [summary('GET /e', { '95': 10 }, { errors: 40, count: 1000, throughputPerSec: 20 })], null);
    assert.equal(inlineSummary(r!, 'budgeted'), '✗ errors 4% > 1% · throughput 20/s < 50/s');
    const [ok] = evaluate(cfg, [summary('GET /e', { '95': 10 }, { errors: 0, throughputPerSec: 100 })], null);
    assert.equal(inlineSummary(ok!, 'budgeted'), '✓ errors 0% ≤ 1% · throughput 100/s ≥ 50/s');
  });

  it('detailed: p95 against its budget, the margin and the change from the baseline, with its verdict word', () => {
    assert.equal(inlineSummary(iris!, 'p95', 'detailed'), '✗ p95 97.5 ms / 150 ms · 35% margin · unchanged (+4% vs baseline)');
    assert.equal(inlineSummary(iris!, 'budgeted', 'detailed'), '✗ p95 97.5 ms / 150 ms · 35% margin · unchanged (+4% vs baseline)  ·  p99 210 ms / 200 ms · 5% over · unchanged (+5% vs baseline)');
  });

  it('says missing when the results lack the metric', () => {
    assert.equal(inlineSummary(x!), '? p95 missing (budget 1 s)');
    assert.equal(inlineSummary(x!, 'budgeted', 'detailed'), '? p95 missing / 1 s');
    assert.equal(worstStatus(x!), 'missing');
  });

  it('a percentile from too few requests is marked ≈ with its count, short and detailed', () => {
    // 12 requests printed by the tool: the p95 is the maximum, and there is no distribution for an interval.
    const cfg = parseConfig('{"budgets": {"GET /api/civic-grid/insights": {"p95": "500ms", "errorRate": "1%"}}}', 'c.json');
    const [r] = evaluate(cfg, [summary('GET /api/civic-grid/insights', { '95': 726 }, { count: 12 })], null);
    assert.equal(inlineSummary(r!), '✗ p95 ≈726 ms > 500 ms (n=12)');
    assert.equal(inlineSummary(r!, 'budgeted', 'detailed'), '✗ p95 726 ms / 500 ms · 45% over · n=12, too few for a p95  ·  errors 0% / 1% · 100% margin');
    // 1000 requests: no marker.
    const [ok] = evaluate(cfg, [summary('GET /api/civic-grid/insights', { '95': 726 })], null);
    assert.equal(inlineSummary(ok!, 'budgeted'), '✗ p95 726 ms > 500 ms · errors 0% ≤ 1%');
  });

  it('a regression is named in the same word as everywhere else, with its rise; it speaks for a passing handler', () => {
    const cfg = parseConfig('{"budgets": {"GET /r": {"p95": "2s", "errorRate": "1%"}}}', 'c.json');
    const [r] = evaluate(cfg, [summary('GET /r', { '95': 1620 })], [summary('GET /r', { '95': 1000 })]);
    assert.equal(r!.verdicts[0]!.regression, 'regressed');
    assert.equal(inlineSummary(r!), '⚠ p95 1.62 s ≤ 2 s · regressed +62%');
    assert.equal(worstVerdict(r!)?.metric, 'p95', 'the regressed p95, not the unchanged error rate');
  });

  it('a budget inside the bucket holding a Prometheus quantile: inconclusive with the bucket, never "over" or a margin', () => {
    const prom = parseConfig('{"budgets": {"GET /prom": {"p95": "80ms", "p50": "100ms"}}}', 'c.json');
    // p95 90 ms interpolated in the 50–100 ms bucket (80 ms inside it); p50 36.1 ms in 25–50 ms (100 ms above it).
    const buckets = { '95': { lower: 50, upper: 100 }, '50': { lower: 25, upper: 50 } };
    const [r] = evaluate(prom, [summary('GET /prom', { '50': 36.1, '95': 90 }, { exact: false, buckets })], null);
    assert.equal(inlineSummary(r!, 'budgeted', 'detailed'), '⚠ p50 36.1 ms / 100 ms · 64% margin  ·  p95 90 ms / 80 ms · inconclusive (bucket 50–100 ms)');
    assert.equal(inlineSummary(r!, 'budgeted'), '⚠ p50 36.1 ms ≤ 100 ms · p95 90 ms vs 80 ms (bucket 50–100 ms)');
    assert.equal(inlineSummary(r!), '⚠ p95 90 ms vs 80 ms (bucket 50–100 ms)');
    assert.equal(worstStatus(r!), 'warn');
  });

  it('counts handlers, not metrics, for the status bar', () => {
    const cfg = parseConfig('{"budgets": {"GET /a": {"p95": "1s", "p99": "2s"}, "GET /b": {"p95": "10ms"}, "GET /c": {"p95": "1s"}, "GET /none": {"p95": "1s"}}}', 'c.json');
    const results = evaluate(cfg, [summary('GET /a', { '95': 100, '99': 150 }), summary('GET /b', { '95': 20 }), summary('GET /c', { '95': 900 })], [summary('GET /c', { '95': 400 })]);
    const c = handlerCounts(results);
    assert.deepEqual(
      { ...c },
      { measured: 3, unmeasured: 1, failing: 1, passing: 2, regressed: 1, failingHandlers: ['GET /b'], regressedHandlers: ['GET /c'], warnHandlers: ['GET /c'] },
    );
  });

  it('a rounding remainder prints as no change, never in exponent notation', () => {
    assert.equal(formatSignedPct(-3.1e-8), '±0%');
    assert.equal(formatSignedPct(0.004), '±0%');
    assert.equal(formatSignedPct(4.2), '+4.2%');
    assert.equal(formatSignedPct(-12.34), '−12%');
  });
});
