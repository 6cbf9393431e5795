import * as assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/core/formats/index';
import { locustCsvReader } from '../../../../src/core/formats/locustCsv';
import { percentileOf } from '../../../../src/core/series';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

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
  it('reads _stats.csv: one series per Type+Name, Aggregated skipped, percentiles as printed', async () => {
    const got = await readWith(locustCsvReader, DOC, 'out/run_stats.csv');
    assert.deepEqual(got.map((s) => s.name), ['GET /api/items', 'POST /api/orders']);
    const [items, orders] = got;
    assert.deepEqual(items, {
      name: 'GET /api/items',
      format: 'locust-csv',
      source: 'out/run_stats.csv',
      count: 1520,
      errors: 12,
      durationSec: 1520 / 25.3,
      throughputPerSec: 25.3,
      exact: true,
      histogram: null,
      percentiles: { '50': 41, '66': 52, '75': 60, '80': 66, '90': 90, '95': 120, '98': 210, '99': 300, '99.9': 900, '99.99': 930, '100': 930 },
      minMs: 8,
      maxMs: 930,
      meanMs: 55.31,
    });
    assert.equal(percentileOf(orders!, 95), 190);
    assert.equal(orders!.errors, 0);
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

  it('keeps an Aggregated-only file, named after the file', async () => {
    const [s] = await readWith(locustCsvReader, `${HEADER}\n,Aggregated,5,0,10,10.0,5,20,1.0,1.0,0.0,10,10,10,10,20,20,20,20,20,20,20\n`, 'x/only_stats.csv');
    assert.equal(s!.name, 'only_stats');
    assert.equal(s!.count, 5);
  });

  it('reads Locust 0.14 headers (quoted, "# requests", "99.999" without %) and Method', async () => {
    const text = `"Method","Name","# requests","# failures","Median response time","Average response time","Min response time","Max response time","Average Content Size","Requests/s","Requests Failed/s","50%","99.999","100%"
"GET","/a",100,2,20,21.5,3,80,10,4.0,0.0,20,79,80
"None","Total",100,2,20,21.5,3,80,10,4.0,0.0,20,79,80
`;
    assert.equal(locustCsvReader.detect(text, 'r.csv'), true);
    const got = await readWith(locustCsvReader, text, 'old_requests.csv');
    assert.deepEqual(got.map((s) => s.name), ['GET /a'], 'the "None","Total" row of old Locust is the total');
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
      assert.equal(s!.name, 'run_stats_history');
      assert.equal(s!.count, 351);
      assert.equal(s!.errors, 5);
      assert.equal(s!.durationSec, 10);
      assert.equal(s!.throughputPerSec, 35.1);
      assert.deepEqual(s!.percentiles, { '50': 14, '66': 22, '75': 24, '80': 27, '90': 39, '95': 49, '98': 60, '99': 88, '99.9': 130, '99.99': 130, '100': 132.22 });
      assert.equal(s!.minMs, 3.3775);
      assert.equal(s!.meanMs, 19.36);
    });

    it('--csv-full-history: last row per entry; windowed percentiles dropped, cumulative median kept', async () => {
      const text = `${HIST_HEADER}
100,5,GET,/a,1.0,0.0,10,10,10,10,10,10,10,10,10,10,10,5,0,10,10.0,10,10,1
100,5,,Aggregated,1.0,0.0,10,10,10,10,10,10,10,10,10,10,10,5,0,10,10.0,10,10,1
120,5,GET,/a,1.0,0.0,99,99,99,99,99,99,99,99,99,99,99,40,2,12,13.5,4,150,1
120,5,POST,/b,1.0,0.0,7,7,7,7,7,7,7,7,7,7,7,3,0,7,7.0,7,7,1
120,5,,Aggregated,1.0,0.0,99,99,99,99,99,99,99,99,99,99,99,43,2,12,13.0,4,150,1
`;
      const [a, b, ...rest] = await readWith(locustCsvReader, text, 'h.csv');
      assert.equal(rest.length, 0);
      assert.equal(a!.name, 'GET /a');
      assert.equal(a!.count, 40);
      assert.equal(a!.errors, 2);
      assert.deepEqual(a!.percentiles, { '50': 12, '100': 150 });
      assert.equal(percentileOf(a!, 95), null, 'the 10 s window p95 is not the run p95');
      assert.equal(a!.durationSec, 20);
      assert.equal(a!.throughputPerSec, 2);
      assert.equal(b!.name, 'POST /b');
    });
  });

  it('detects stats and history files, not failures files', () => {
    assert.equal(detectFormat(DOC, 'run_stats.csv'), 'locust-csv');
    assert.equal(detectFormat(`${HIST_HEADER}\n`, 'run_stats_history.csv'), 'locust-csv');
    assert.equal(locustCsvReader.detect('Method,Name,Error,Occurrences\nGET,/x,boom,3\n', 'run_failures.csv'), false);
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

fixtureSuite('locust', (f) => f === 'locust-csv');
