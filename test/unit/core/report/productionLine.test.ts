import * as assert from 'node:assert/strict';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { type ProductionReading, productionLineFor } from '../../../../src/core/report/productionLine';
import type { Series } from '../../../../src/core/series';

/** A handler as the Prometheus reader gives it: p95 interpolated in a bucket, with the bucket's bounds (ms). */
function promSeries(name: string, p95: number, bucket: { lower: number; upper: number }, count: number): Series {
  return {
    name,
    format: 'prometheus',
    source: 'prometheus http://127.0.0.1:9090',
    benchmark: 'prod',
    count,
    errors: 0,
    durationSec: 3600,
    throughputPerSec: count / 3600,
    exact: false,
    histogram: null,
    percentiles: { '95': p95 },
    buckets: { '95': bucket },
    minMs: null,
    maxMs: null,
    meanMs: null,
  };
}

const config = parseConfig(
  JSON.stringify({
    benchmarks: {
      locust: { command: 'true', results: 'perf/results/run_stats.csv' },
      prod: { role: 'production', prometheus: { url: 'http://127.0.0.1:9090', histogram: 'http_request_duration_seconds', window: '1h' } },
    },
    budgets: {
      'GET /api/slow': { p95: '100ms', benchmark: 'locust' },
      'POST /api/decide': { p95: '200ms' },
      'GET /api/items/{id}': { p95: '50ms' },
      // Held to production, naming the same series as the load-test budget of GET /api/slow.
      'GET /api/slow in production': { p95: '300ms', benchmark: 'prod', series: 'GET /api/slow' },
    },
  }),
  'perf-budgets.json',
);
const budget = (handler: string) => config.budgets.find((b) => b.handler === handler)!;
const series = [promSeries('GET /api/slow', 231.25, { lower: 200, upper: 250 }, 12_050), promSeries('POST /api/decide', 37.5, { lower: 25, upper: 50 }, 6000)];
const polled: ProductionReading = { benchmark: 'prod', window: '1h', host: '127.0.0.1:9090', restricted: false, series, error: null };
const line = (handler: string, reading: ProductionReading = polled) => productionLineFor(budget(handler), config.budgets, reading);
const REFUSED = 'prod (prometheus http://127.0.0.1:9090): unreachable: connection refused';

describe('productionLineFor: a handler in production, beside its benchmark p95', () => {
  it('gives the p95 with the bucket it was interpolated in, whatever benchmark the budget is scoped to', () => {
    assert.deepEqual(line('GET /api/slow'), {
      label: 'prod p95 (1h)',
      value: '231 ms (bucket 200–250 ms)',
      text: 'prod p95 (1h): 231 ms (bucket 200–250 ms)',
      p95Ms: 231.25,
      bucket: { lower: 200, upper: 250 },
      count: 12_050,
    });
    assert.equal(line('POST /api/decide').text, 'prod p95 (1h): 37.5 ms (bucket 25–50 ms)');
  });

  it('a budget held to production claims apart: its `series` does not take the line of the load-test budget', () => {
    assert.equal(line('GET /api/slow in production').text, 'prod p95 (1h): 231 ms (bucket 200–250 ms)');
    assert.equal(line('GET /api/slow').p95Ms, 231.25);
  });

  it('says so when production has no requests of the handler', () => {
    const l = line('GET /api/items/{id}');
    assert.equal(l.text, 'prod p95 (1h): no requests of this handler in prod');
    assert.equal(l.p95Ms, null);
    assert.equal(l.error, undefined);
  });

  it('in Restricted Mode: not queried, and what trusting would poll', () => {
    const l = line('GET /api/slow', { ...polled, restricted: true, series: null });
    assert.equal(l.text, 'production: not queried in Restricted Mode (trust the workspace to poll 127.0.0.1:9090)');
    assert.equal(l.error, l.text);
    assert.equal(l.value, 'not queried (Restricted Mode)');
    assert.equal(l.p95Ms, null);
  });

  it('before the first answer, and when the source fails with no good answer yet: the one-line reason', () => {
    assert.equal(line('GET /api/slow', { ...polled, series: null }).text, 'prod p95 (1h): not polled yet');
    const failed = line('GET /api/slow', { ...polled, series: null, error: REFUSED });
    assert.equal(failed.text, `prod p95 (1h): ${REFUSED}`);
    assert.equal(failed.error, REFUSED);
  });

  it('a failed poll keeps the previous numbers and says it failed after them', () => {
    const l = line('GET /api/slow', { ...polled, error: REFUSED });
    assert.equal(l.p95Ms, 231.25);
    assert.equal(l.text, `prod p95 (1h): 231 ms (bucket 200–250 ms) — last poll failed: ${REFUSED}`);
  });
});
