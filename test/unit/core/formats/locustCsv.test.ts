import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluateWithClaims } from '../../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { detectFormat } from '../../../../src/core/formats/index';
import { locustCsvReader } from '../../../../src/core/formats/locustCsv';
import { bucketOf, percentileOf } from '../../../../src/core/series';
import { FIXTURES, readFixture } from '../../helpers';
import { readWith, rejectsInput, seriesNamed } from './formatTestUtil';
import { expectedMoreSuite } from './locustExpected';

/**
 * The times Locust's rounding (locust/stats.py: integer below 100 ms, then 10 / 100 / 1000 ms
 * steps) sends to key k, found by scanning half-millisecond cells (sampled mid-cell, so Python's
 * half-even ties never matter): an answer computed here, not by the reader's formula.
 */
function interval(k: number): [number, number] {
  const round = (t: number) => (t < 100 ? Math.round(t) : t < 1000 ? Math.round(t / 10) * 10 : t < 10000 ? Math.round(t / 100) * 100 : Math.round(t / 1000) * 1000);
  let lo = Infinity;
  let hi = -Infinity;
  for (let g = Math.max(0, k - 600); g < k + 600; g += 0.5) {
    if (round(g + 0.25) === k) {
      lo = Math.min(lo, g);
      hi = g + 0.5;
    }
  }
  return [lo, hi];
}

// formats-detailed.md §4.2 example
const HEADER =
  'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%';
const DOC = `${HEADER}
GET,/api/items,1520,12,41,55.31,8,930,2048.0,25.3,0.2,41,52,60,66,90,120,210,300,900,930,930
POST,/api/orders,310,0,88,97.4,30,610,512.0,5.17,0.0,88,100,110,120,150,190,260,330,610,610,610
,Aggregated,1830,12,47,62.4,8,930,1787.6,30.47,0.2,47,60,70,76,110,140,230,310,900,930,930
`;

const HIST_HEADER =
  'Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size';

describe('locust-csv reader', () => {
  it('reads _stats.csv: one series per Type+Name, Aggregated as the all-requests series, rounded percentiles as intervals', async () => {
    const got = await readWith(locustCsvReader, DOC, 'out/run_stats.csv');
    assert.deepEqual(got.map((s) => s.name), ['GET /api/items', 'POST /api/orders', 'Aggregated']);
    const [items, orders, all] = got;
    const b = (k: number) => {
      const [lower, upper] = interval(k);
      return { lower, upper: Math.min(upper, 930) };
    };
    assert.deepEqual(items, {
      name: 'GET /api/items',
      format: 'locust-csv',
      source: 'out/run_stats.csv',
      count: 1520,
      errors: 12,
      durationSec: 1520 / 25.3,
      throughputPerSec: 25.3,
      exact: false,
      histogram: null,
      percentiles: { '50': 41, '66': 52, '75': 60, '80': 66, '90': 90, '95': 120, '98': 210, '99': 300, '99.9': 900, '99.99': 930, '100': 930 },
      buckets: { '95': b(120), '98': b(210), '99': b(300), '99.9': b(900), '99.99': b(930) },
      minMs: 8,
      maxMs: 930,
      meanMs: 55.31,
    });
    assert.deepEqual(items!.buckets!['95'], { lower: 115, upper: 125 });
    assert.deepEqual(items!.buckets!['99.99'], { lower: 925, upper: 930 }, 'clamped to the max');
    assert.equal(percentileOf(orders!, 95), 190);
    assert.deepEqual(bucketOf(orders!, 95), { lower: 185, upper: 195 });
    assert.equal(bucketOf(orders!, 50), null, 'below 100 ms: whole ms as printed');
    assert.equal(orders!.errors, 0);
    assert.equal(all!.allRequests, true);
    assert.equal(all!.count, 1830);
    assert.equal(items!.allRequests, undefined);
  });

  it('a budget inside a rounded percentile\'s interval is inconclusive; one outside it is decided', async () => {
    const series = await readWith(locustCsvReader, DOC, 'run_stats.csv');
    const config = parseConfig(
      JSON.stringify({ budgets: { 'GET /api/items': { p95: '118ms', p99: '400ms' }, 'POST /api/orders': { p95: '180ms' } } }),
      'perf-budgets.json',
    );
    const { results, unclaimed } = evaluateWithClaims(config, series, null);
    const verdicts = results.flatMap((r) => r.verdicts);
    const v = (handler: string, metric: string) => verdicts.find((x) => x.handler === handler && x.metric === metric)!;
    // p95 120 stands for [115, 125]: a 118 ms budget may or may not hold.
    assert.equal(v('GET /api/items', 'p95').status, 'warn');
    assert.match(v('GET /api/items', 'p95').budgetInconclusive ?? '', /118/);
    assert.equal(v('GET /api/items', 'p99').status, 'pass', '[295, 305] is all under 400 ms');
    assert.equal(v('POST /api/orders', 'p95').status, 'fail', '[185, 195] is all over 180 ms');
    assert.equal(v('GET /api/items', 'p95').exact, false);
    assert.deepEqual(unclaimed, [], 'the Aggregated series is not a handler left unclaimed');
  });

  it('a series whose percentiles are all below 100 ms stays exact; a rounded value above the max is the max', async () => {
    const text = `${HEADER}
GET,/quick,50,0,12,12.5,3.2,48.6,17.0,5.0,0.0,12,14,14,15,16,16,17,17,49,49,49
GET,/long,40,0,120000,121000.0,90000.5,169664.25,17.0,0.1,0.0,120000,130000,140000,150000,160000,170000,170000,170000,170000,170000,170000
`;
    const [quick, long] = await readWith(locustCsvReader, text, 's.csv');
    assert.equal(quick!.exact, true);
    assert.equal(quick!.buckets, undefined);
    assert.equal(percentileOf(quick!, 99.9), 48.6, '49 (Locust rounded 48.6 up) is clamped to the max');
    assert.equal(long!.exact, false);
    assert.equal(percentileOf(long!, 95), 169664.25);
    assert.deepEqual(bucketOf(long!, 95), { lower: 169500, upper: 169664.25 });
    assert.deepEqual(bucketOf(long!, 50), { lower: interval(120000)[0], upper: interval(120000)[1] });
    assert.deepEqual(bucketOf(long!, 50), { lower: 119500, upper: 120500 });
  });

  it('the interval of a key at a band edge spans both bands (100 from [99.5, 105], 1000 from [995, 1050])', async () => {
    const text = `${HEADER}
GET,/edge,10,0,100,500.0,95.0,2000.0,1.0,1.0,0.0,100,100,100,100,1000,1000,1000,1000,1000,1000,2000
`;
    const [s] = await readWith(locustCsvReader, text, 'e.csv');
    assert.deepEqual(interval(100), [99.5, 105]);
    assert.deepEqual(bucketOf(s!, 50), { lower: 99.5, upper: 105 });
    assert.deepEqual(interval(1000), [995, 1050]);
    assert.deepEqual(bucketOf(s!, 95), { lower: 995, upper: 1050 });
  });

  it('N/A percentiles are absent; 100 is the exact Max Response Time', async () => {
    const text = `${HEADER}
GET,/never,0,0,0,0.0,0,0,0.0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A
GET,/x,10,1,12,12.5,3.2,22.266997999963678,17.0,1.0,0.1,12,14,14,15,16,16,17,17,22,22,22
`;
    const [never, x] = await readWith(locustCsvReader, text, 's.csv');
    assert.deepEqual(never!.percentiles, {});
    assert.equal(never!.count, 0);
    assert.equal(never!.maxMs, null);
    assert.equal(percentileOf(never!, 50), null);
    assert.equal(percentileOf(x!, 100), 22.266997999963678);
    assert.equal(x!.percentiles!['99.9'], 22);
  });

  it('an Aggregated-only file gives the Aggregated series', async () => {
    const [s, ...rest] = await readWith(locustCsvReader, `${HEADER}\n,Aggregated,5,0,10,10.0,5,20,1.0,1.0,0.0,10,10,10,10,20,20,20,20,20,20,20\n`, 'x/only_stats.csv');
    assert.equal(rest.length, 0);
    assert.equal(s!.name, 'Aggregated');
    assert.equal(s!.allRequests, true);
    assert.equal(s!.count, 5);
  });

  it('reads Locust 0.14 headers (quoted, "# requests", "99.999" without %) and Method; "None","Total" is the Aggregated row', async () => {
    const text = `"Method","Name","# requests","# failures","Median response time","Average response time","Min response time","Max response time","Average Content Size","Requests/s","Requests Failed/s","50%","99.999","100%"
"GET","/a",100,2,20,21.5,3,80,10,4.0,0.0,20,79,80
"None","Total",100,2,20,21.5,3,80,10,4.0,0.0,20,79,80
`;
    assert.equal(locustCsvReader.detect(text, 'r.csv'), true);
    const got = await readWith(locustCsvReader, text, 'old_requests.csv');
    assert.deepEqual(got.map((s) => [s.name, s.allRequests ?? false]), [['GET /a', false], ['Aggregated', true]]);
    assert.equal(got[0]!.errors, 2);
    assert.deepEqual(got[0]!.percentiles, { '50': 20, '99.999': 79, '100': 80 });
  });

  describe('_stats_history.csv', () => {
    it('default (Aggregated rows only): last row, cumulative percentiles and totals', async () => {
      const text = `${HIST_HEADER}
1795598973,0,,Aggregated,0.000000,0.000000,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,0,0,0,0.0,0,0,0
1795598974,5,,Aggregated,0.000000,0.000000,17,23,23,25,33,48,120,120,120,120,120,37,0,17,19.9,3.3,119.4,12.4
1795598983,5,,Aggregated,33.250000,0.500000,14,22,24,27,39,49,60,88,130,130,130,351,5,14,19.36,3.3775,132.22,13.09
`;
      const [s, ...rest] = await readWith(locustCsvReader, text, 'run_stats_history.csv');
      assert.equal(rest.length, 0);
      assert.equal(s!.name, 'Aggregated');
      assert.equal(s!.allRequests, true);
      assert.equal(s!.count, 351);
      assert.equal(s!.errors, 5);
      assert.equal(s!.durationSec, 10);
      assert.equal(s!.throughputPerSec, 35.1);
      assert.equal(s!.startedAt, 1795598973000);
      assert.deepEqual(s!.percentiles, { '50': 14, '66': 22, '75': 24, '80': 27, '90': 39, '95': 49, '98': 60, '99': 88, '99.9': 130, '99.99': 130, '100': 132.22 });
      assert.deepEqual(s!.buckets, { '99.9': { lower: 125, upper: 132.22 }, '99.99': { lower: 125, upper: 132.22 } });
      assert.equal(s!.exact, false);
      assert.equal(s!.periods, undefined, 'cumulative rows are not periods');
      assert.equal(s!.minMs, 3.3775);
      assert.equal(s!.meanMs, 19.36);
    });

    // A --csv-full-history file as Locust 2.12 writes it: the zero Aggregated row at start, then a
    // row per entry and Aggregated every tick; percentile columns are each tick's ~10 s window.
    const FULL = `${HIST_HEADER}
100,0,,Aggregated,0.000000,0.000000,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,0,0,0,0.0,0,0,0
101,5,GET,/a,0.0,0.0,0,0,0,0,0,0,0,0,0,0,0,5,0,10,10.0,9,11,1
101,5,,Aggregated,0.0,0.0,0,0,0,0,0,0,0,0,0,0,0,5,0,10,10.0,9,11,1
110,5,GET,/a,1.0,0.0,10,10,11,11,11,11,11,11,11,11,11,20,1,10,10.5,9,11,1
110,5,POST,/b,1.0,0.0,7,7,7,7,7,7,7,7,7,7,7,3,0,7,7.0,7,7,1
110,5,,Aggregated,1.0,0.0,10,10,11,11,11,11,11,11,11,11,11,23,1,10,10.0,7,11,1
115,5,GET,/a,1.0,0.0,12,12,12,12,12,12,12,12,12,12,12,30,1,11,11.0,9,11,1
115,5,POST,/b,1.0,0.0,7,7,7,7,7,7,7,7,7,7,7,3,0,7,7.0,7,7,1
115,5,,Aggregated,1.0,0.0,12,12,12,12,12,12,12,12,12,12,12,33,1,11,11.0,7,11,1
120,5,GET,/a,1.0,0.0,40,50,60,70,99,110,150,150,150,150,150,40,2,12,13.5,9,150.5,1
120,5,POST,/b,1.0,0.0,0,0,0,0,0,0,0,0,0,0,0,3,0,7,7.0,7,7,1
120,5,,Aggregated,1.0,0.0,40,50,60,70,99,110,150,150,150,150,150,43,2,12,13.0,7,150.5,1
`;

    it('--csv-full-history: cumulative totals and median from the last row; the windows become periods', async () => {
      const [a, b, all, ...rest] = await readWith(locustCsvReader, FULL, 'h.csv');
      assert.equal(rest.length, 0);
      assert.deepEqual([a!.name, b!.name, all!.name], ['GET /a', 'POST /b', 'Aggregated']);
      assert.equal(all!.allRequests, true);
      assert.equal(a!.count, 40);
      assert.equal(a!.errors, 2);
      assert.deepEqual(a!.percentiles, { '50': 12, '100': 150.5 });
      assert.equal(percentileOf(a!, 95), null, 'the window p95 is not the run p95');
      assert.equal(a!.durationSec, 20);
      assert.equal(a!.throughputPerSec, 2);
      // Picked back from the last row, each at least 10 s before the one after it: 120, 110.
      assert.deepEqual(a!.periods, [
        { startedAt: 100000, durationSec: 10, count: 20, errors: 1, percentiles: { '50': 10, '66': 10, '75': 11, '80': 11, '90': 11, '95': 11, '98': 11, '99': 11, '99.9': 11, '99.99': 11, '100': 11 } },
        { startedAt: 110000, durationSec: 10, count: 20, errors: 1, percentiles: { '50': 40, '66': 50, '75': 60, '80': 70, '90': 99, '95': 110, '98': 150, '99': 150, '99.9': 150, '99.99': 150, '100': 150 } },
      ]);
      // POST /b: no request after 110, and its all-zero window columns mean "no window".
      assert.deepEqual(b!.periods, [
        { startedAt: 100000, durationSec: 10, count: 3, errors: 0, percentiles: { '50': 7, '66': 7, '75': 7, '80': 7, '90': 7, '95': 7, '98': 7, '99': 7, '99.9': 7, '99.99': 7, '100': 7 } },
        { startedAt: 110000, durationSec: 10, count: 0, errors: 0, percentiles: {} },
      ]);
    });

    it('throughput: requests over the first Timestamp to the tick the counts stopped changing, as Locust\'s Requests/s', async () => {
      // Users stop after 101 (their last requests land before the 102 tick); the run idles to 130.
      const idle = Array.from({ length: 28 }, (_, i) => `${103 + i},0,,Aggregated,0.0,0.0,12,12,12,12,12,12,12,12,12,12,12,24,0,10,10.0,5,20,1`).join('\n');
      const text = `${HIST_HEADER}
100,0,,Aggregated,0.000000,0.000000,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,0,0,0,0.0,0,0,0
101,2,,Aggregated,0.0,0.0,10,10,10,10,20,20,20,20,20,20,20,18,0,10,10.0,5,20,1
102,0,,Aggregated,0.0,0.0,12,12,12,12,12,12,12,12,12,12,12,24,0,10,10.0,5,20,1
${idle}
`;
      const [s] = await readWith(locustCsvReader, text, 'burst_stats_history.csv');
      assert.equal(s!.durationSec, 2, 'not 30: the idle end is not part of the rate');
      assert.equal(s!.throughputPerSec, 12);
    });
  });

  it('detects stats and history files, not failures files', () => {
    assert.equal(detectFormat(DOC, 'run_stats.csv'), 'locust-csv');
    assert.equal(detectFormat(`${HIST_HEADER}\n`, 'run_stats_history.csv'), 'locust-csv');
    assert.equal(locustCsvReader.detect('Method,Name,Error,Occurrences\nGET,/x,boom,3\n', 'run_failures.csv'), false);
    for (const f of ['run_stats.csv', 'run_stats_history.csv', 'full_stats.csv', 'full_stats_history.csv', 'burst_stats.csv', 'burst_stats_history.csv']) {
      const text = readFileSync(path.join(FIXTURES, 'locust', f), 'utf8');
      assert.equal(detectFormat(text.slice(0, 65536), f), 'locust-csv', f);
    }
    for (const f of ['full_failures.csv', 'run_failures.csv', 'merritt_out.json', 'nef_failed.json']) {
      assert.equal(locustCsvReader.detect(readFileSync(path.join(FIXTURES, 'locust', f), 'utf8'), f), false, f);
    }
  });

  describe('bad input', () => {
    it('empty', () => rejectsInput(locustCsvReader, '\n', 'e.csv', /empty file/));
    it('header only', () => rejectsInput(locustCsvReader, `${HEADER}\n`, 'h.csv', /no rows/));
    it('wrong header', () => rejectsInput(locustCsvReader, 'Type,Name,Count\nGET,/x,1\n', 'w.csv', /no "Request Count" column/, 1));
    it('missing fields', () => rejectsInput(locustCsvReader, DOC.replace('GET,/api/items,1520,12,', 'GET,/api/items,1520,'), 'm.csv', /expected 22 fields/, 2));
    it('non-numeric count', () => rejectsInput(locustCsvReader, DOC.replace(',1520,', ',many,'), 'n.csv', /Request Count is not a non-negative number: "many"/, 2));
    it('fractional count', () => rejectsInput(locustCsvReader, DOC.replace(',1520,', ',15.5,'), 'n.csv', /whole number/, 2));
    it('negative percentile', () => rejectsInput(locustCsvReader, DOC.replace(',310,0,88,97.4,30,610,512.0,5.17,0.0,88,', ',310,0,88,97.4,30,610,512.0,5.17,0.0,-88,'), 'n.csv', /50% is not a non-negative number/, 3));
    it('NaN', () => rejectsInput(locustCsvReader, DOC.replace(',55.31,', ',NaN,'), 'n.csv', /Average Response Time/, 2));
    it('bad timestamp in history', () => rejectsInput(locustCsvReader, `${HIST_HEADER}\nsoon,5,GET,/a,1.0,0.0,10,10,10,10,10,10,10,10,10,10,10,5,0,10,10.0,10,10,1\n`, 'h.csv', /Timestamp/, 2));
  });
});

/**
 * test/fixtures/locust/expected.json is written by compute_expected.py (independently of src):
 * the Aggregated row as the series "Aggregated", `exact` unless a percentile column below 100%
 * holds a rounded key of 100 ms or more, values clamped to the max. Both are also checked here
 * against the CSV rows themselves.
 */
describe('real locust fixtures (test/fixtures/locust/expected.json)', () => {
  interface Want {
    name: string;
    count: number;
    errors: number;
    latencyMs: Record<'p50' | 'p90' | 'p95' | 'p99' | 'max', number | null>;
  }
  const dir = path.join(FIXTURES, 'locust');
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { files: Record<string, { format: string; series: Want[] }> };
  const files = Object.entries(expected.files).filter(([, f]) => f.format === 'locust-csv');
  it('lists locust-csv files', () => assert.ok(files.length > 0));
  for (const [file, want] of files) {
    it(file, async () => {
      const got = await readFixture(path.join(dir, file));
      assert.deepEqual(got.map((s) => s.name).sort(), want.series.map((w) => w.name).sort(), 'series names, Aggregated among them');
      const [header, ...rows] = readFileSync(path.join(dir, file), 'utf8').trim().split('\n').map((l) => l.split(','));
      const pcols = header!.map((h, i) => [h, i] as const).filter(([h]) => /^\d+(\.\d+)?%$/.test(h) && h !== '100%').map(([, i]) => i);
      for (const row of rows) {
        const s = seriesNamed(got, row[0] === '' ? 'Aggregated' : `${row[0]} ${row[1]}`);
        assert.equal(s.exact, !pcols.some((i) => Number(row[i]) >= 100), `${s.name} exact`);
        assert.equal(s.allRequests === true, row[1] === 'Aggregated', `${s.name} allRequests`);
        assert.equal(s.count, Number(row[header!.indexOf('Request Count')]));
      }
      for (const w of want.series) {
        const s = seriesNamed(got, w.name);
        assert.equal(s.count, w.count, `${w.name} count`);
        assert.equal(s.errors, w.errors, `${w.name} errors`);
        const ps: Array<[keyof Want['latencyMs'], number]> = [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['max', 100]];
        for (const [k, p] of ps) assert.equal(percentileOf(s, p), w.latencyMs[k] === null ? null : Math.min(w.latencyMs[k]!, w.latencyMs.max ?? Infinity), `${w.name} ${k}`);
      }
    });
  }
});

expectedMoreSuite('locust-csv');
