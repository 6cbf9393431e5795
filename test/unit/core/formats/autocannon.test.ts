import * as assert from 'node:assert/strict';
import { autocannonPercentile, autocannonReader } from '../../../../src/core/formats/autocannon';
import { detectFormat } from '../../../../src/core/formats/index';
import { percentileOf } from '../../../../src/core/series';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

// formats-detailed.md §5.1 example (requests/throughput trimmed as there)
const DOC = {
  url: 'http://127.0.0.1:3000/api/items',
  connections: 10,
  sampleInt: 1000,
  pipelining: 1,
  duration: 10.03,
  samples: 10,
  start: '2024-05-01T08:00:00.000Z',
  finish: '2024-05-01T08:00:10.030Z',
  errors: 0,
  timeouts: 0,
  mismatches: 0,
  non2xx: 3,
  resets: 0,
  '1xx': 0,
  '2xx': 18497,
  '3xx': 0,
  '4xx': 3,
  '5xx': 0,
  statusCodeStats: { '200': { count: 18497 }, '404': { count: 3 } },
  latency: {
    average: 4.82, mean: 4.82, stddev: 1.91, min: 1, max: 61,
    p0_001: 1, p0_01: 1, p0_1: 1, p1: 2, p2_5: 2, p10: 3, p25: 4, p50: 5, p75: 6, p90: 7, p97_5: 9,
    p99: 12, p99_9: 30, p99_99: 61, p99_999: 61, totalCount: 18500,
  },
  requests: { average: 1850, mean: 1850, stddev: 40.2, min: 1770, max: 1902, total: 18500, p50: 1855, sent: 18510 },
  throughput: { average: 555000, mean: 555000, stddev: 12000, min: 531000, max: 570600, total: 5550000, p50: 556500 },
};
const docText = JSON.stringify(DOC);
const variant = (patch: (d: Record<string, unknown>) => void): string => {
  const d = JSON.parse(docText) as Record<string, unknown>;
  patch(d);
  return JSON.stringify(d);
};

describe('autocannon reader', () => {
  it('reads the documented example: printed percentiles only, no p95', async () => {
    const [s, ...rest] = await readWith(autocannonReader, docText, 'results/items.json');
    assert.equal(rest.length, 0);
    assert.deepEqual(s, {
      name: 'GET /api/items',
      format: 'autocannon',
      source: 'results/items.json',
      count: 18500,
      errors: 3,
      durationSec: 10.03,
      throughputPerSec: 1850,
      exact: true,
      histogram: null,
      percentiles: {
        '0.001': 1, '0.01': 1, '0.1': 1, '1': 2, '2.5': 2, '10': 3, '25': 4, '50': 5, '75': 6, '90': 7,
        '97.5': 9, '99': 12, '99.9': 30, '99.99': 61, '99.999': 61, '100': 61,
      },
      minMs: 1,
      maxMs: 61,
      meanMs: 4.82,
    });
    assert.equal(percentileOf(s!, 95), null);
    assert.equal(percentileOf(s!, 99.9), 30);
  });

  it('errors = errors (which include timeouts) + non2xx', async () => {
    const [s] = await readWith(autocannonReader, variant((d) => Object.assign(d, { errors: 7, timeouts: 5, non2xx: 4 })), 'a.json');
    assert.equal(s!.errors, 11);
  });

  it('count falls back to latency.totalCount; method and a query string in the URL', async () => {
    const [s] = await readWith(
      autocannonReader,
      variant((d) => {
        delete (d.requests as Record<string, unknown>).total;
        d.url = 'https://api.example.com:8443/v1/orders?page=2';
        d.method = 'post';
      }),
      'a.json',
    );
    assert.equal(s!.count, 18500);
    assert.equal(s!.name, 'POST /v1/orders');
  });

  it('names the series after the file without a single URL; root URL is "/"', async () => {
    const [a] = await readWith(autocannonReader, variant((d) => (d.url = ['http://a/x', 'http://a/y'])), 'dir/multi.json');
    assert.equal(a!.name, 'multi');
    const [b] = await readWith(autocannonReader, variant((d) => delete d.url), 'sock.json');
    assert.equal(b!.name, 'sock');
    const [c] = await readWith(autocannonReader, variant((d) => (d.url = 'http://localhost:3000')), 'r.json');
    assert.equal(c!.name, 'GET /');
  });

  it('reads the old percentile keys (p999 = 99.9)', async () => {
    const [s] = await readWith(
      autocannonReader,
      variant((d) => (d.latency = { average: 3, mean: 3, stddev: 1, min: 1, max: 40, p50: 3, p75: 4, p90: 5, p99: 9, p999: 20, p9999: 40, p99999: 40 })),
      'old.json',
    );
    assert.deepEqual(s!.percentiles, { '50': 3, '75': 4, '90': 5, '99': 9, '99.9': 20, '99.99': 40, '99.999': 40, '100': 40 });
    assert.equal(autocannonPercentile('p2_5'), 2.5);
    assert.equal(autocannonPercentile('p0_001'), 0.001);
    assert.equal(autocannonPercentile('pfoo'), undefined);
  });

  it('is detected from its keys', () => {
    assert.equal(detectFormat(docText, 'x.json'), 'autocannon');
    assert.equal(autocannonReader.detect(JSON.stringify(DOC, null, 2), 'x.json'), true);
    assert.equal(autocannonReader.detect('{"results":[{"command":"x"}]}', 'x.json'), false);
  });

  describe('bad input', () => {
    it('empty file', () => rejectsInput(autocannonReader, '', 'e.json', /empty file/));
    it('truncated JSON gives line:column', () => rejectsInput(autocannonReader, JSON.stringify(DOC, null, 1).slice(0, 300), 'cut.json', /invalid JSON/));
    it('not an object', () => rejectsInput(autocannonReader, '[1,2]', 'arr.json', /\$ /));
    it('missing latency', () => rejectsInput(autocannonReader, variant((d) => delete d.latency), 'm.json', /\$\.latency missing/));
    it('non-numeric max', () => rejectsInput(autocannonReader, variant((d) => ((d.latency as Record<string, unknown>).max = 'x')), 'n.json', /\$\.latency\.max/));
    it('negative percentile', () => rejectsInput(autocannonReader, variant((d) => ((d.latency as Record<string, unknown>).p99 = -1)), 'n.json', /\$\.latency\.p99 must be a non-negative number/));
    it('string percentile', () => rejectsInput(autocannonReader, variant((d) => ((d.latency as Record<string, unknown>).p50 = '5')), 'n.json', /\$\.latency\.p50/));
    it('negative errors', () => rejectsInput(autocannonReader, variant((d) => (d.errors = -2)), 'n.json', /\$\.errors must be >= 0, got -2/));
    it('no request count at all', () =>
      rejectsInput(
        autocannonReader,
        variant((d) => {
          delete (d.requests as Record<string, unknown>).total;
          delete (d.latency as Record<string, unknown>).totalCount;
        }),
        'n.json',
        /\$\.requests\.total missing/,
      ));
  });
});

fixtureSuite('autocannon', (f) => f === 'autocannon');
