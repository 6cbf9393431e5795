import assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/core/formats/index';
import { k6SummaryReader, parseKey, seriesName } from '../../../../src/core/formats/k6Summary';
import { k6HandlerName, urlPath } from '../../../../src/core/formats/k6Names';
import { claimSeries } from '../../../../src/core/budgets/claim';
import { percentileOf } from '../../../../src/core/series';
import { readContent } from '../../helpers';
import { fixtureSuite, rejectsWithInputError, seriesNamed } from './formatTestUtil';

const EXPORT = {
  root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
  metrics: {
    http_req_duration: { avg: 41.2, min: 12.05, med: 35.9, max: 410.7, 'p(90)': 70.3, 'p(95)': 96.4, thresholds: { 'p(95)<200': false } },
    'http_req_duration{expected_response:true}': { avg: 40.8, min: 12.05, med: 35.7, max: 402.1, 'p(90)': 69.9, 'p(95)': 95.0 },
    'http_req_duration{name:https://api.example.test/api/items?page=2}': { avg: 30, min: 10, med: 28, max: 90, 'p(90)': 50, 'p(95)': 60, 'p(99.9)': 88.5 },
    'http_req_duration{method:POST,name:/api/orders}': { avg: 80, min: 20, med: 75, max: 410.7, 'p(90)': 150, 'p(95)': 200 },
    'http_req_failed{method:POST,name:/api/orders}': { passes: 2, fails: 38, value: 0.05 },
    'http_reqs{method:POST,name:/api/orders}': { count: 40, rate: 1.3333 },
    http_req_failed: { passes: 2, fails: 118, value: 0.016666666666666666 },
    http_reqs: { count: 120, rate: 4 },
    vus_max: { value: 10, min: 10, max: 10 },
  },
};

const HANDLE_SUMMARY = {
  root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
  options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'], summaryTimeUnit: '', noColor: false },
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 30012.5 },
  metrics: {
    http_req_duration: { type: 'trend', contains: 'time', values: { avg: 20.5, min: 1.25, med: 18, max: 300, 'p(90)': 40, 'p(95)': 55.5, 'p(99)': 120, count: 600 } },
    'http_req_duration{method:GET,name:/api/items}': {
      type: 'trend',
      contains: 'time',
      values: { avg: 10, min: 1.25, med: 9, max: 100, 'p(90)': 20, 'p(95)': 25, 'p(99)': 60, count: 400 },
      thresholds: { 'p(95)<200': { ok: true } },
    },
    'http_req_failed{method:GET,name:/api/items}': { type: 'rate', contains: 'default', values: { rate: 0.01, passes: 4, fails: 396 } },
    http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0.015, passes: 9, fails: 591 } },
    http_reqs: { type: 'counter', contains: 'default', values: { count: 600, rate: 19.99 } },
  },
};

const NEW_SCHEMA = {
  version: '1.0.0',
  metadata: { generatedAt: '2026-01-01T00:00:00Z', k6Version: '1.5.0' },
  config: { duration: 60, execution: 'local' },
  results: {
    metrics: [
      { name: 'http_req_duration', type: 'trend', contains: 'time', values: { avg: 5, max: 50, med: 4, min: 1, 'p(90)': 9, 'p(95)': 12 } },
      { name: 'http_req_failed', type: 'rate', contains: 'default', values: { matches: 3, total: 300, rate: 0.01 } },
      { name: 'http_reqs', type: 'counter', contains: 'default', values: { count: 300 } },
    ],
  },
};

const byName = seriesNamed;
const rejects = (content: string, fileName: string, match: RegExp, line?: number) => rejectsWithInputError(readContent(content, fileName, 'k6-summary'), fileName, match, line);

describe('k6-summary reader', () => {
  it('--summary-export: flat stats, exact percentiles, errors/count/throughput', async () => {
    const text = JSON.stringify(EXPORT, null, 4);
    assert.equal(detectFormat(text, 'perf/results/checkout.json'), 'k6-summary');
    const series = await readContent(text, 'perf/results/checkout.json');
    assert.deepEqual(series.map((s) => s.name).sort(), ['/api/items', 'POST /api/orders', 'checkout']);
    const all = byName(series, 'checkout');
    assert.equal(all.format, 'k6-summary');
    assert.equal(all.exact, true);
    assert.equal(all.histogram, null);
    assert.deepEqual(all.percentiles, { '50': 35.9, '90': 70.3, '95': 96.4, '100': 410.7 });
    assert.equal(percentileOf(all, 95), 96.4);
    assert.equal(percentileOf(all, 99), null); // not printed: never invented
    assert.equal(all.minMs, 12.05);
    assert.equal(all.meanMs, 41.2);
    assert.equal(all.maxMs, 410.7);
    assert.equal(all.count, 120);
    assert.equal(all.errors, 2);
    assert.equal(all.throughputPerSec, 4);
    assert.equal(all.durationSec, 30);

    const items = byName(series, '/api/items'); // full URL → its path
    assert.deepEqual(items.percentiles, { '50': 28, '90': 50, '95': 60, '99.9': 88.5, '100': 90 });
    assert.equal(items.errors, null);
    assert.equal(items.count, null); // no per-handler counter in the summary

    const orders = byName(series, 'POST /api/orders');
    assert.equal(orders.count, 40);
    assert.equal(orders.errors, 2);
    assert.equal(orders.throughputPerSec, 1.3333);
    assert.equal(percentileOf(orders, 95), 200);
  });

  it('handleSummary: nested values, rate/passes/fails, testRunDurationMs', async () => {
    const series = await readContent(JSON.stringify(HANDLE_SUMMARY), 'out/summary.json');
    assert.equal(series.length, 2);
    const all = byName(series, 'summary');
    assert.deepEqual(all.percentiles, { '50': 18, '90': 40, '95': 55.5, '99': 120, '100': 300 });
    assert.equal(all.count, 600);
    assert.equal(all.errors, 9);
    assert.equal(all.durationSec, 30.0125);
    assert.equal(all.throughputPerSec, 19.99);
    const items = byName(series, 'GET /api/items');
    assert.equal(items.count, 400); // trend `count` stat
    assert.equal(items.errors, 4);
    assert.ok(Math.abs(items.throughputPerSec! - 400 / 30.0125) < 1e-9);
    assert.equal(percentileOf(items, 99), 60);
    assert.equal(items.minMs, 1.25);
  });

  it('new machine-readable summary (k6 >= 1.5)', async () => {
    const text = JSON.stringify(NEW_SCHEMA, null, 2);
    assert.equal(detectFormat(text, 'summary.json'), 'k6-summary');
    const [s] = await readContent(text, 'k6/run-1.json');
    assert.equal(s!.name, 'run-1');
    assert.equal(s!.count, 300);
    assert.equal(s!.errors, 3);
    assert.equal(s!.durationSec, 60);
    assert.equal(s!.throughputPerSec, 5);
    assert.deepEqual(s!.percentiles, { '50': 4, '90': 9, '95': 12, '100': 50 });
  });

  it('errors from the rate when passes are absent', async () => {
    const doc = { metrics: { http_req_duration: { med: 1, max: 2 }, http_req_failed: { value: 0.25 }, http_reqs: { count: 8, rate: 2 } } };
    const [s] = await readContent(JSON.stringify(doc), 'a.json', 'k6-summary');
    assert.equal(s!.errors, 2);
    assert.equal(s!.durationSec, 4);
  });

  it('detection: not NDJSON, not other JSON', () => {
    assert.ok(!k6SummaryReader.detect('{"type":"Metric","data":{"name":"http_req_duration"},"metric":"http_req_duration"}\n', 'a.json'));
    assert.ok(!k6SummaryReader.detect('{"results":[{"command":"sleep 1","mean":1}]}', 'h.json'));
    assert.ok(!k6SummaryReader.detect('{"url":"http://x","latency":{"p50":1}}', 'a.json'));
    assert.ok(k6SummaryReader.detect(JSON.stringify(EXPORT, null, 4), 'x'));
  });

  it('handler names from tags', () => {
    assert.equal(urlPath('https://api.example.test:8443/api/items?x=1#f'), '/api/items');
    assert.equal(urlPath('http://host'), '/');
    assert.equal(urlPath('/api/x'), '/api/x');
    assert.equal(k6HandlerName('get', 'http://h/a/${}'), 'GET /a/${}');
    assert.equal(k6HandlerName(undefined, undefined, 'http://h/u?q'), '/u');
    assert.equal(k6HandlerName('GET', ''), null);
    assert.deepEqual(parseKey('http_req_duration{method:GET,name:http://h:80/x}'), {
      metric: 'http_req_duration',
      tags: { method: 'GET', name: 'http://h:80/x' },
    });
  });

  it('group and scenario sub-metrics are series; filters are not; the untagged total is allRequests', async () => {
    // The layout of a handleSummary document whose script declares these thresholds (as public
    // k6 scripts do: "http_req_duration{scenario:warehouse}", "http_req_duration{group:::setup}", …).
    const trend = (med: number, max: number, count: number) => ({ type: 'trend', contains: 'time', values: { avg: med, min: 1, med, max, 'p(90)': med * 2, 'p(95)': med * 3, count } });
    const rate = (passes: number, fails: number) => ({ type: 'rate', contains: 'default', values: { rate: passes / (passes + fails), passes, fails } });
    const doc = {
      root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
      state: { testRunDurationMs: 60000 },
      metrics: {
        http_req_duration: trend(20, 900, 1000),
        http_req_failed: rate(10, 990),
        http_reqs: { type: 'counter', contains: 'default', values: { count: 1000, rate: 16.6 } },
        'http_req_duration{scenario:warehouse}': trend(30, 800, 600),
        'http_req_failed{scenario:warehouse}': rate(6, 594),
        'http_req_duration{group:::setup}': trend(5, 50, 10),
        'http_req_duration{group:::api::orders}': trend(40, 700, 200),
        'http_req_duration{scenario:checkout,name:/api/cart}': trend(25, 300, 100),
        'http_req_duration{group:::login,scenario:checkout}': trend(12, 90, 50),
        'http_req_duration{group:}': trend(1, 2, 3), // the root group: a filter
        'http_req_duration{expected_response:true}': trend(19, 880, 990),
        'http_req_duration{scenario:warehouse,status:200}': trend(29, 700, 590),
      },
    };
    const series = await readContent(JSON.stringify(doc), 'results/run.json');
    assert.deepEqual(series.map((s) => s.name).sort(), [
      'group ::api::orders',
      'group ::setup',
      'run',
      'scenario checkout, group ::login',
      'scenario checkout: /api/cart',
      'scenario warehouse',
    ]);
    const all = byName(series, 'run');
    assert.equal(all.allRequests, true);
    assert.equal(all.count, 1000);
    const wh = byName(series, 'scenario warehouse');
    assert.equal(wh.allRequests, undefined);
    assert.equal(wh.count, 600);
    assert.equal(wh.errors, 6);
    assert.deepEqual(wh.percentiles, { '50': 30, '90': 60, '95': 90, '100': 800 });
    assert.ok(Math.abs(wh.throughputPerSec! - 10) < 1e-12);
    // Budgets key on the names as written; a wildcard route takes neither scopes nor the total.
    const claims = claimSeries(
      [{ handler: 'scenario warehouse', latency: { p95: 100 } }, { handler: '/api/**', latency: { p95: 100 } }, { handler: 'all', latency: {}, allRequests: true }],
      series,
    );
    assert.deepEqual(claims.byBudget.get('scenario warehouse')!.map((s) => s.name), ['scenario warehouse']);
    assert.deepEqual(claims.byBudget.get('/api/**')!.map((s) => s.name), []);
    assert.deepEqual(claims.byBudget.get('all')!.map((s) => s.name), ['run']);
    const orders = byName(series, 'group ::api::orders');
    assert.equal(orders.count, 200);
    assert.equal(orders.errors, null); // no http_req_failed{group:::api::orders} in the summary
    assert.equal(percentileOf(orders, 95), 120);
  });

  it('series names from sub-metric tags', () => {
    assert.equal(seriesName({ method: 'GET', name: '/x' }), 'GET /x');
    assert.equal(seriesName({ group: '::login' }), 'group ::login');
    assert.equal(seriesName({ scenario: 'checkout' }), 'scenario checkout');
    assert.equal(seriesName({ group: '::a::b', scenario: 's' }), 'scenario s, group ::a::b');
    assert.equal(seriesName({ scenario: 's', method: 'POST', url: 'http://h/o?x=1' }), 'scenario s: POST /o');
    assert.equal(seriesName({ scenario: 's', method: 'GET' }), null); // a method alone names nothing
    assert.equal(seriesName({ group: '' }), null);
    assert.equal(seriesName({ expected_response: 'true' }), null);
    assert.equal(seriesName({ group: '::g', status: '200' }), null);
    assert.deepEqual(parseKey('http_req_duration{group:::api::orders}'), { metric: 'http_req_duration', tags: { group: '::api::orders' } });
  });

  it('browser-only summary: browser_http_req_duration and its sub-metrics, errors and count from browser_http_req_failed', async () => {
    const doc = {
      root_group: { name: '', path: '', id: 'x', groups: {}, checks: {} },
      metrics: {
        browser_web_vital_lcp: { avg: 1500, min: 300, med: 1300, max: 3600, 'p(90)': 2600, 'p(95)': 3100 },
        browser_http_req_duration: { avg: 125, min: 0.05, med: 48.9, max: 1398.1, 'p(90)': 317.7, 'p(95)': 462.3 },
        'browser_http_req_duration{url:https://shop.example.test/api/cart?x=1}': { avg: 80, min: 10, med: 70, max: 400, 'p(90)': 150, 'p(95)': 200 },
        'browser_http_req_failed{url:https://shop.example.test/api/cart?x=1}': { passes: 1, fails: 19, value: 0.05 },
        browser_http_req_failed: { passes: 1, fails: 241, value: 0.004132231404958678 },
      },
    };
    const text = JSON.stringify(doc, null, 4);
    assert.equal(detectFormat(text, 'browser.json'), 'k6-summary');
    const series = await readContent(text, 'browser.json');
    assert.deepEqual(series.map((s) => s.name).sort(), ['/api/cart', 'browser']);
    const all = byName(series, 'browser');
    assert.equal(all.allRequests, true);
    assert.equal(all.count, 242);
    assert.equal(all.errors, 1);
    assert.deepEqual(all.percentiles, { '50': 48.9, '90': 317.7, '95': 462.3, '100': 1398.1 });
    const cart = byName(series, '/api/cart');
    assert.equal(cart.count, 20);
    assert.equal(cart.errors, 1);
  });

  describe('bad input', () => {
    it('a browser summary without browser_http_req_duration names the browser metrics it has', async () => {
      const doc = { metrics: { browser_web_vital_lcp: { med: 1 }, browser_web_vital_cls: { med: 0.1 }, vus: { value: 1 } } };
      await rejects(JSON.stringify(doc), 'vitals.json', /browser test without browser_http_req_duration.*browser_web_vital_cls, browser_web_vital_lcp/);
    });
    it('invalid JSON names line and column', async () => {
      await rejects('{\n  "metrics": {\n    "http_req_duration": { "med": 1, }\n  }\n}', 'broken.json', /invalid JSON/, 3);
    });
    it('truncated file', async () => {
      await rejects(JSON.stringify(EXPORT, null, 2).slice(0, 200), 'trunc.json', /invalid JSON/);
    });
    it('empty file', async () => {
      await rejects('', 'empty.json', /empty/);
    });
    it('no http_req_duration', async () => {
      await rejects('{"metrics":{"vus":{"value":1}}}', 'novus.json', /no http_req_duration/);
    });
    it('no metrics object', async () => {
      await rejects('{"foo":1}', 'foo.json', /no "metrics"/);
    });
    it('a non-numeric or negative stat names the metric line', async () => {
      await rejects('{\n"metrics": {\n"http_req_duration": {"med": "fast", "max": 3}\n}\n}', 'nan.json', /http_req_duration\.med is not a number/, 3);
      await rejects('{\n"metrics": {\n"http_req_duration": {"med": -1, "max": 3}\n}\n}', 'neg.json', /negative latency/, 3);
    });
  });
});

fixtureSuite('k6', (f) => f === 'k6-summary');
