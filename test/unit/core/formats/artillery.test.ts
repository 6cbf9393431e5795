import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { artilleryReader } from '../../../../src/core/formats/artillery';
import { READERS, decodeHead, detectFormat } from '../../../../src/core/formats/index';
import { errorRateOf, percentileOf, type Series } from '../../../../src/core/series';
import { FIXTURES } from '../../helpers';
import { fixtureSuite, readWith, rejectsInput, seriesNamed } from './formatTestUtil';

const DIR = path.join(FIXTURES, 'artillery');
const fixtureText = (f: string): string => readFileSync(path.join(DIR, f), 'utf8');
const fixtureJson = (f: string): Json => JSON.parse(fixtureText(f)) as Json;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const summary = (min: number, max: number, count: number, mean: number, p50: number, p75: number, p90: number, p95: number, p99: number, p999: number) => ({
  min,
  max,
  count,
  mean,
  p50,
  median: p50,
  p75,
  p90,
  p95,
  p99,
  p999,
});

/** A small Artillery 2 report in the tool's own layout (what `--output` writes, trimmed). */
function v2Doc(): Json {
  const period = (start: number, codes200: number, codes500: number, refused: number): Json => ({
    counters: {
      'http.requests': codes200 + codes500 + refused,
      'http.codes.200': codes200,
      'http.responses': codes200 + codes500,
      'http.codes.500': codes500,
      'errors.ECONNREFUSED': refused,
      'plugins.metrics-by-endpoint./api/items.codes.200': codes200,
      'plugins.metrics-by-endpoint./api/items.codes.500': codes500,
      'plugins.metrics-by-endpoint./down.errors.ECONNREFUSED': refused,
      'vusers.created': 10,
    },
    rates: { 'http.request_rate': 5 },
    firstCounterAt: start + 20,
    firstHistogramAt: start + 30,
    lastCounterAt: start + 9020,
    lastHistogramAt: start + 9000,
    firstMetricAt: start + 20,
    lastMetricAt: start + 9020,
    period: String(start),
    summaries: {
      'http.response_time': summary(2, 80, codes200 + codes500, 20.5, 12.1, 25, 40.2, 55.5, 79.9, 79.9),
      'http.response_time.2xx': summary(2, 60, codes200, 18, 11, 20, 35, 50, 59.7, 59.7),
      'plugins.metrics-by-endpoint.response_time./api/items': summary(2, 80, codes200 + codes500, 20.5, 12.1, 25, 40.2, 55.5, 79.9, 79.9),
      'vusers.session_length': summary(5, 100, 10, 50, 40, 60, 80, 90, 99, 99),
    },
  });
  const a = period(1714550400000, 40, 2, 1);
  const b = period(1714550410000, 50, 3, 0);
  delete b.counters['plugins.metrics-by-endpoint./down.errors.ECONNREFUSED'];
  const aggregate = {
    counters: {
      'http.requests': 96,
      'http.codes.200': 90,
      'http.responses': 95,
      'http.codes.500': 5,
      'errors.ECONNREFUSED': 1,
      'plugins.metrics-by-endpoint./api/items.codes.200': 90,
      'plugins.metrics-by-endpoint./api/items.codes.500': 5,
      'plugins.metrics-by-endpoint./down.errors.ECONNREFUSED': 1,
      'vusers.created': 20,
    },
    rates: { 'http.request_rate': 5 },
    firstCounterAt: 1714550400020,
    lastCounterAt: 1714550419020,
    firstMetricAt: 1714550400020,
    lastMetricAt: 1714550419020,
    period: 1714550410000,
    summaries: {
      'http.response_time': summary(2, 80, 95, 21.3, 12.5, 26, 41, 56.2, 79.9, 79.9),
      'plugins.metrics-by-endpoint.response_time./api/items': summary(2, 80, 95, 21.3, 12.5, 26, 41, 56.2, 79.9, 79.9),
    },
  };
  return { aggregate, intermediate: [a, b] };
}

/** The line (1-based) of the first line of `text` containing `needle` after the line containing `after`. */
function lineOf(text: string, needle: string, after?: string): number {
  const lines = text.split('\n');
  let from = 0;
  if (after !== undefined) from = lines.findIndex((l) => l.includes(after));
  const i = lines.findIndex((l, k) => k >= from && l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i + 1;
}

describe('artillery reader', () => {
  describe('Artillery 2 report', () => {
    it('reads the all-requests row and each metrics-by-endpoint name', async () => {
      const series = await readWith(artilleryReader, JSON.stringify(v2Doc(), null, 2), 'run/report.json');
      assert.deepEqual(
        series.map((s) => s.name),
        ['http.response_time', '/api/items', '/down'],
      );
      const { periods, ...all } = series[0]!;
      assert.deepEqual(all, {
        name: 'http.response_time',
        format: 'artillery',
        source: 'run/report.json',
        count: 96,
        errors: 6, // 5 × 500 + 1 ECONNREFUSED
        durationSec: 19,
        throughputPerSec: 96 / 19,
        exact: true,
        histogram: null,
        percentiles: { '50': 12.5, '75': 26, '90': 41, '95': 56.2, '99': 79.9, '99.9': 79.9, '100': 80 },
        minMs: 2,
        maxMs: 80,
        meanMs: 21.3,
        startedAt: 1714550400020,
        allRequests: true,
      });
      assert.equal(periods!.length, 2);
      const items = seriesNamed(series, '/api/items');
      assert.equal(items.allRequests, undefined, 'an endpoint is not the all-requests row');
      assert.equal(items.count, 95);
      assert.equal(items.errors, 5);
      assert.equal(percentileOf(items, 95), 56.2);
      assert.equal(percentileOf(items, 99.9), 79.9);
      assert.equal(percentileOf(items, 100), 80);
      assert.equal(percentileOf(items, 99.99), null, 'no invented percentiles');
      const down = seriesNamed(series, '/down');
      assert.deepEqual([down.count, down.errors, down.percentiles, down.maxMs], [1, 1, {}, null], 'every request failed: no latencies');
      assert.equal(errorRateOf(down), 1);
    });

    it('gives every series one period per intermediate entry, with that entry\'s own numbers', async () => {
      const doc = v2Doc();
      doc.intermediate.reverse(); // file order does not matter: periods are in time order
      const series = await readWith(artilleryReader, JSON.stringify(doc), 'r.json');
      const [all, items, down] = series as [Series, Series, Series];
      assert.deepEqual(all.periods, [
        { startedAt: 1714550400020, durationSec: 9, count: 43, errors: 3, percentiles: { '50': 12.1, '75': 25, '90': 40.2, '95': 55.5, '99': 79.9, '99.9': 79.9, '100': 80 } },
        { startedAt: 1714550410020, durationSec: 9, count: 53, errors: 3, percentiles: { '50': 12.1, '75': 25, '90': 40.2, '95': 55.5, '99': 79.9, '99.9': 79.9, '100': 80 } },
      ]);
      assert.deepEqual(
        items.periods!.map((p) => [p.count, p.errors]),
        [
          [42, 2],
          [53, 3],
        ],
      );
      assert.deepEqual(down.periods!.map((p) => [p.count, p.errors, p.percentiles]), [
        [1, 1, {}],
        [0, 0, {}],
      ], 'a period without the endpoint: count 0');
    });

    it('reads older 2.0 reports that only have "histograms", and a report without intermediate', async () => {
      const doc = v2Doc();
      doc.aggregate.histograms = doc.aggregate.summaries;
      delete doc.aggregate.summaries;
      delete doc.intermediate;
      const [all] = await readWith(artilleryReader, JSON.stringify(doc), 'old.json');
      assert.equal(all!.percentiles!['95'], 56.2);
      assert.equal(all!.periods, undefined);
    });

    it('keeps endpoint names with dots and the plugin\'s "(request name)" suffix whole', async () => {
      const doc = v2Doc();
      const agg = doc.aggregate;
      agg.counters = { 'http.requests': 3, 'http.codes.200': 2, 'http.codes.404': 1, 'plugins.metrics-by-endpoint./v1.2/items?x=a.b (list).codes.200': 2, 'plugins.metrics-by-endpoint./v1.2/items?x=a.b (list).codes.404': 1 };
      agg.summaries['plugins.metrics-by-endpoint.response_time./v1.2/items?x=a.b (list)'] = agg.summaries['plugins.metrics-by-endpoint.response_time./api/items'];
      delete agg.summaries['plugins.metrics-by-endpoint.response_time./api/items'];
      delete doc.intermediate;
      const series = await readWith(artilleryReader, JSON.stringify(doc), 'n.json');
      const s = seriesNamed(series, '/v1.2/items?x=a.b (list)');
      assert.deepEqual([s.count, s.errors], [3, 1]);
      assert.equal(series.length, 2);
    });

    it('without http.requests counts responses plus request errors', async () => {
      const doc = v2Doc();
      delete doc.aggregate.counters['http.requests'];
      delete doc.intermediate;
      const [all] = await readWith(artilleryReader, JSON.stringify(doc), 'c.json');
      assert.equal(all!.count, 96);
    });
  });

  describe('recorded Artillery 2.0.21 reports', () => {
    it('fail.json: counts, errors, percentiles and run span from the report', async () => {
      const json = fixtureJson('fail.json');
      const series = await readWith(artilleryReader, fixtureText('fail.json'), 'fail.json');
      const agg = json.aggregate;
      const all = seriesNamed(series, 'http.response_time');
      assert.equal(all.allRequests, true);
      assert.equal(all.count, agg.counters['http.requests']);
      assert.equal(all.count, agg.counters['http.responses'] + agg.counters['errors.ECONNREFUSED']);
      assert.equal(all.errors, agg.counters['http.codes.404'] + agg.counters['http.codes.500'] + agg.counters['errors.ECONNREFUSED']);
      const rt = agg.summaries['http.response_time'];
      assert.deepEqual(all.percentiles, { '50': rt.p50, '75': rt.p75, '90': rt.p90, '95': rt.p95, '99': rt.p99, '99.9': rt.p999, '100': rt.max });
      assert.deepEqual([all.minMs, all.maxMs, all.meanMs], [rt.min, rt.max, rt.mean]);
      const span = (agg.lastMetricAt - agg.firstMetricAt) / 1000;
      assert.equal(all.durationSec, span);
      assert.equal(all.throughputPerSec, all.count! / span);
      assert.equal(all.startedAt, agg.firstMetricAt);
      const refused = seriesNamed(series, '{{ closedPort }}/api/fast');
      assert.deepEqual([refused.count, refused.errors, refused.percentiles], [13, 13, {}]);
      const missing = seriesNamed(series, '/api/missing');
      assert.equal(errorRateOf(missing), 1, 'every 404 is an error');
      const failing = seriesNamed(series, '/api/fail');
      assert.deepEqual([failing.count, failing.errors], [70, 3]);
      // endpoint request counts add up to all requests
      assert.equal(
        series.filter((s) => !s.allRequests).reduce((n, s) => n + s.count!, 0),
        all.count,
      );
    });

    it('pass.json: periods mirror the intermediate entries and add up to the totals', async () => {
      const json = fixtureJson('pass.json');
      const series = await readWith(artilleryReader, fixtureText('pass.json'), 'pass.json');
      assert.equal(series.length, 4);
      for (const s of series) {
        assert.equal(s.periods!.length, json.intermediate.length, s.name);
        assert.equal(
          s.periods!.reduce((n, p) => n + p.count!, 0),
          s.count,
          `${s.name}: period counts add up`,
        );
        assert.equal(s.errors, 0);
        s.periods!.forEach((p, i) => {
          const e = json.intermediate[i];
          assert.equal(p.startedAt, e.firstMetricAt);
          assert.equal(p.durationSec, (e.lastMetricAt - e.firstMetricAt) / 1000);
          const key = s.allRequests ? 'http.response_time' : `plugins.metrics-by-endpoint.response_time.${s.name}`;
          const sm = e.summaries[key];
          if (sm) assert.deepEqual(p.percentiles, { '50': sm.p50, '75': sm.p75, '90': sm.p90, '95': sm.p95, '99': sm.p99, '99.9': sm.p999, '100': sm.max });
          else assert.deepEqual([p.count, p.percentiles], [0, {}]);
        });
      }
      // the first period is Artillery's 0.225 s sliver before the first 10 s boundary
      assert.equal(seriesNamed(series, 'http.response_time').periods![0]!.durationSec, 0.225);
    });
  });

  describe('Artillery 1.x report', () => {
    it('v1-t1micro.json: one all-requests series from aggregate.latency, codes and rps', async () => {
      const json = fixtureJson('v1-t1micro.json');
      const [s, ...rest] = await readWith(artilleryReader, fixtureText('v1-t1micro.json'), 't1micro.json');
      assert.equal(rest.length, 0);
      const { periods, durationSec, ...other } = s!;
      assert.deepEqual(other, {
        name: 'latency',
        format: 'artillery',
        source: 't1micro.json',
        count: 1228,
        errors: 10, // codes 504
        throughputPerSec: 9.51,
        exact: true,
        histogram: null,
        percentiles: { '50': 182.5, '95': 56414, '99': 59974.7, '100': 60085 },
        minMs: 45.7,
        maxMs: 60085,
        meanMs: null,
        allRequests: true,
      });
      assert.equal(durationSec, 1228 / 9.51);
      assert.equal(periods!.length, 13);
      assert.deepEqual(periods![0], { startedAt: null, durationSec: null, count: 36, errors: 0, percentiles: { '50': 108.1, '95': 7214.8, '100': 8319.1 } }, 'p99 null: absent');
      const t = json.intermediate.map((e: Json) => Date.parse(e.timestamp));
      assert.equal(periods![1]!.startedAt, t[0]);
      assert.equal(periods![1]!.durationSec, (t[1] - t[0]) / 1000);
      assert.equal(
        periods!.reduce((n, p) => n + p.count!, 0),
        json.intermediate.reduce((n: number, e: Json) => n + e.requestsCompleted, 0),
      );
      assert.equal(
        periods!.reduce((n, p) => n + p.errors!, 0),
        10,
        'the 504s, period by period',
      );
    });

    it('request errors (no response) count as requests and as errors', async () => {
      const doc = {
        aggregate: {
          timestamp: '2020-06-13T18:54:02.226Z',
          scenariosCreated: 148,
          scenariosCompleted: 144,
          requestsCompleted: 144,
          latency: { min: 23.1, max: 133.6, median: 27.8, p95: 38.5, p99: null },
          rps: { count: 148, mean: 13.57 },
          scenarioCounts: { '0': 148 },
          errors: { ECONNREFUSED: 3, ETIMEDOUT: 1 },
          codes: { '200': 140, '302': 2, '503': 2 },
        },
        intermediate: [],
      };
      const [s] = await readWith(artilleryReader, JSON.stringify(doc, null, 2), 'v1.json');
      assert.equal(s!.count, 148);
      assert.equal(s!.errors, 6);
      assert.equal(percentileOf(s!, 99), null);
      assert.equal(s!.periods, undefined);
    });
  });

  describe('detection', () => {
    const own = ['pass.json', 'fail.json', 'v1-t1micro.json', 'v1-warmup.json'];
    for (const f of own) {
      it(`${f} is artillery, and no other reader claims it`, () => {
        const head = decodeHead(readFileSync(path.join(DIR, f)));
        assert.equal(detectFormat(head, f), 'artillery');
        assert.deepEqual(
          READERS.filter((r) => r.id !== 'artillery' && r.detect(head, f)).map((r) => r.id),
          [],
        );
      });
    }
    it('the documented example, compact or pretty', () => {
      assert.equal(detectFormat(JSON.stringify(v2Doc()), 'x.json'), 'artillery');
      assert.equal(detectFormat(JSON.stringify(v2Doc(), null, 2), 'x.json'), 'artillery');
    });

    it('claims no other tool\'s fixture', () => {
      let checked = 0;
      for (const tool of readdirSync(FIXTURES)) {
        const dir = path.join(FIXTURES, tool);
        if (tool === 'artillery' || !statSync(dir).isDirectory()) continue;
        for (const f of readdirSync(dir)) {
          const file = path.join(dir, f);
          if (!statSync(file).isFile()) continue;
          const head = decodeHead(readFileSync(file));
          assert.equal(artilleryReader.detect(head, f), false, `${tool}/${f}`);
          checked++;
        }
      }
      assert.ok(checked > 20, `checked ${checked} files`);
    });

    it('not JSON with "aggregate" alone, nor other JSON', () => {
      assert.equal(artilleryReader.detect('{"aggregate": 3}', 'x.json'), false);
      assert.equal(artilleryReader.detect('{"aggregate": {"x": 1}}', 'x.json'), false);
      assert.equal(artilleryReader.detect('[{"aggregate": {"counters": {}}}]', 'x.json'), false);
      assert.equal(artilleryReader.detect('{"metrics": {"http_req_duration": {}}}', 'x.json'), false);
    });
  });

  describe('bad input', () => {
    const pretty = (doc: Json): string => JSON.stringify(doc, null, 2);

    it('empty', () => rejectsInput(artilleryReader, '  \n', 'e.json', /empty file/));
    it('truncated', () => {
      const text = fixtureText('pass.json');
      return rejectsInput(artilleryReader, text.slice(0, 2000), 'pass.json', /invalid JSON/);
    });
    it('top level not an object', () => rejectsInput(artilleryReader, '[1]', 'a.json', /\$ is not an object/, 1));
    it('no aggregate', () => rejectsInput(artilleryReader, '{\n"intermediate": []\n}', 'a.json', /\$\.aggregate missing/));
    it('aggregate not an object', () => rejectsInput(artilleryReader, '{\n  "aggregate": [1, 2]\n}', 'a.json', /\$\.aggregate is not an object/, 2));

    it('a counter that is a string, with its path and line', () => {
      const doc = v2Doc();
      doc.aggregate.counters['http.codes.500'] = '5';
      const text = pretty(doc);
      return rejectsInput(artilleryReader, text, 'r.json', /\$\.aggregate\.counters\["http\.codes\.500"\] is not a number \(got "5"\)/, lineOf(text, '"http.codes.500": "5"'));
    });

    it('a negative count', () => {
      const doc = v2Doc();
      doc.aggregate.counters['plugins.metrics-by-endpoint./down.errors.ECONNREFUSED'] = -1;
      const text = pretty(doc);
      return rejectsInput(artilleryReader, text, 'r.json', /negative count/, lineOf(text, '"plugins.metrics-by-endpoint./down.errors.ECONNREFUSED": -1'));
    });

    it('a negative latency in an intermediate summary names the entry', () => {
      const doc = v2Doc();
      doc.intermediate[1].summaries['http.response_time'].p95 = -3;
      const text = pretty(doc);
      return rejectsInput(
        artilleryReader,
        text,
        'r.json',
        /\$\.intermediate\[1\]\.summaries\["http\.response_time"\]\.p95 is a negative latency/,
        lineOf(text, '"p95": -3'),
      );
    });

    it('a summary that is not an object', () => {
      const doc = v2Doc();
      doc.aggregate.summaries['http.response_time'] = 12;
      const text = pretty(doc);
      return rejectsInput(artilleryReader, text, 'r.json', /\$\.aggregate\.summaries\["http\.response_time"\] is not an object/, lineOf(text, '"http.response_time": 12'));
    });

    it('intermediate not an array', () => {
      const doc = v2Doc();
      doc.intermediate = { a: 1 };
      const text = pretty(doc);
      return rejectsInput(artilleryReader, text, 'r.json', /\$\.intermediate is not an array/, lineOf(text, '"intermediate"'));
    });

    it('a period stamp that is no time', () => {
      const doc = v2Doc();
      doc.intermediate[0].period = 'soon';
      const text = pretty(doc);
      return rejectsInput(artilleryReader, text, 'r.json', /\$\.intermediate\[0\]\.period is not a time/, lineOf(text, '"period": "soon"'));
    });

    it('no HTTP metrics at all', () => {
      const doc = { aggregate: { counters: { 'vusers.created': 3, 'socketio.emit': 9 }, summaries: { 'socketio.response_time': summary(1, 2, 3, 1, 1, 1, 1, 1, 1, 1) } } };
      return rejectsInput(artilleryReader, JSON.stringify(doc), 's.json', /\$\.aggregate has no HTTP metrics/, 1);
    });

    it('v1: latency a string, a negative code count, a bad timestamp', async () => {
      const base = fixtureJson('v1-warmup.json');
      const a = structuredClone(base);
      a.aggregate.latency.p95 = 'fast';
      let text = pretty(a);
      await rejectsInput(artilleryReader, text, 'v1.json', /\$\.aggregate\.latency\.p95 is not a number/, lineOf(text, '"p95": "fast"'));
      const b = structuredClone(base);
      b.intermediate[2].codes['200'] = -4;
      text = pretty(b);
      await rejectsInput(artilleryReader, text, 'v1.json', /\$\.intermediate\[2\]\.codes\["200"\] is a negative count/, lineOf(text, '"200": -4'));
      const c = structuredClone(base);
      c.intermediate[3].timestamp = 'yesterday';
      text = pretty(c);
      await rejectsInput(artilleryReader, text, 'v1.json', /\$\.intermediate\[3\]\.timestamp is not an ISO date/, lineOf(text, '"yesterday"'));
    });
  });
});

fixtureSuite('artillery', (f) => f === 'artillery');
