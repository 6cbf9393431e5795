import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../../src/core/formats/index';
import { vegetaReportReader } from '../../../../src/core/formats/vegetaReport';
import { vegetaResultsReader } from '../../../../src/core/formats/vegetaResults';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank, within } from '../../helpers';
import { fixtureSuite, readWith, rejectsInput, seriesNamed } from './formatTestUtil';

const REPORT = readFileSync(path.join(FIXTURES, 'vegeta/readme-report.json'), 'utf8');

/** `vegeta encode --to json` lines (v12.8+ layout) with the given [method, url, code, latency ns, error]. */
function ndjson(rows: Array<[string, string, number, number, string]>): string {
  return rows
    .map(([method, url, code, latency, error], i) =>
      JSON.stringify({ attack: 'a', seq: i, code, timestamp: `2024-05-01T10:00:0${i % 10}.000000001Z`, latency, bytes_out: 0, bytes_in: 2, error, body: 'e30=', method, url, headers: null }),
    )
    .join('\n');
}

describe('vegeta-report reader', () => {
  it('reads the README example exactly (ns -> ms without float noise)', async () => {
    const [s, ...rest] = await readWith(vegetaReportReader, REPORT, 'perf/readme-report.json');
    assert.equal(rest.length, 0);
    assert.equal(s!.name, 'readme-report');
    assert.equal(s!.count, 100);
    assert.equal(s!.errors, 0);
    assert.equal(s!.exact, true);
    assert.deepEqual(s!.percentiles, { '50': 2.854306, '90': 3.228223, '95': 3.478629, '99': 3.53, '100': 3.660505 });
    assert.equal(s!.minMs, 1.949582);
    assert.equal(s!.meanMs, 2.371194);
    assert.equal(s!.durationSec, 0.993507166);
    assert.equal(s!.throughputPerSec, 101.01010672380401);
    assert.equal(s!.startedAt, Date.UTC(2015, 8, 19, 12, 45, 50, 646));
  });
  it('counts codes outside 200..399 (0 = transport error) as errors', async () => {
    const doc = REPORT.replace('"200": 100', '"200": 90, "302": 3, "404": 4, "0": 2, "101": 1');
    const [s] = await readWith(vegetaReportReader, doc, 'r.json');
    assert.equal(s!.errors, 7);
  });
  it('is detected, and claims neither other summaries nor results', () => {
    assert.equal(detectFormat(REPORT, 'r.json'), 'vegeta-report');
    assert.equal(vegetaReportReader.detect(ndjson([['GET', 'http://h/x', 200, 1, '']]), 'r.json'), false);
  });
  it('refuses a negative latency and a truncated file, naming the file', async () => {
    await rejectsInput(vegetaReportReader, REPORT.replace('"99th": 3530000', '"99th": -1'), 'bad.json', /\$\.latencies\["99th"\]/);
    await rejectsInput(vegetaReportReader, REPORT.slice(0, 200), 'cut.json', /invalid JSON/);
  });
  fixtureSuite('vegeta', (f) => f === 'vegeta-report');
});

describe('vegeta-results reader', () => {
  it('reads encode --to json: a series per method + path, errors by Vegeta\'s rule, nearest rank', async () => {
    const rows: Array<[string, string, number, number, string]> = [];
    for (let i = 1; i <= 200; i++) rows.push(['GET', `http://127.0.0.1:8080/api/items?page=${i}`, i % 50 === 0 ? 500 : 200, i * 123457, '']);
    rows.push(['post', 'http://127.0.0.1:8080/api/decide', 0, 5_000_000, 'dial tcp: connection refused']);
    rows.push(['POST', 'http://127.0.0.1:8080/api/decide', 302, 7_000_000, '']);
    const got = await readWith(vegetaResultsReader, ndjson(rows), 'run.json');
    const items = seriesNamed(got, 'GET /api/items');
    assert.equal(items.count, 200);
    assert.equal(items.errors, 4);
    assert.equal(items.exact, false);
    const values = rows.slice(0, 200).map((r) => r[3] / 1e6);
    for (const p of [50, 90, 99]) assert.ok(within(percentileOf(items, p), nearestRank(values, p), 1e-3), `p${p}`);
    assert.equal(items.maxMs, 24.6914);
    const decide = seriesNamed(got, 'POST /api/decide');
    assert.equal(decide.count, 2);
    assert.equal(decide.errors, 1);
  });
  it('reads encode --to csv (12 and 9 columns), error before body', async () => {
    const csv12 = '1714550400123456789,200,8731450,0,2048,,e30=,,1,GET,http://127.0.0.1:8080/api/items,\n1714550400223456789,200,1000000,0,2048,"x, y",,,2,GET,http://127.0.0.1:8080/api/items,\n';
    const [s] = await readWith(vegetaResultsReader, csv12, 'run.csv');
    assert.equal(s!.name, 'GET /api/items');
    assert.equal(s!.count, 2);
    assert.equal(s!.errors, 1);
    assert.ok(within(s!.maxMs, 8.73145, 1e-3));
    assert.equal(detectFormat(csv12, 'run.csv'), 'vegeta-results');
    const csv9 = '1476696644001690668,200,2124978,0,103,,,,0\n';
    const [t] = await readWith(vegetaResultsReader, csv9, 'perf/old.csv');
    assert.equal(t!.name, 'old');
    assert.equal(detectFormat(csv9, 'old.csv'), 'vegeta-results');
  });
  it('reads result lines real Vegeta runs wrote (v12.8+ with method, url and headers; an older transport error)', async () => {
    // Quoted verbatim in public load-test scripts (code search): a CCF load client's result line
    // (2022, Vegeta 12.8+), and a connection-refused line from an Envoy canary script (2019).
    const modern = '{"attack":"","seq":1,"code":200,"timestamp":"2022-03-22T12:17:51.942008217Z","latency":117952597,"bytes_out":38,"bytes_in":4,"error":"","body":"dHJ1ZQ==","method":"POST","url":"https://127.82.156.156:32923/app/log/private","headers":{"Content-Type":["application/json"],"X-Ms-Ccf-Transaction-Id":["2.20"],"Content-Length":["4"]}}';
    const refused = '{"attack":"","seq":946,"code":0,"timestamp":"2019-11-04T16:46:16.885395434+09:00","latency":1089318,"bytes_out":0,"bytes_in":0,"error":"Get http://localhost:10000/headers: dial tcp 0.0.0.0:0-\\u003e[::1]:10000: connect: connection refused","body":null}';
    assert.equal(detectFormat(`${modern}\n`, 'results.json'), 'vegeta-results');
    const [post] = await readWith(vegetaResultsReader, `${modern}\n`, 'results.json');
    assert.equal(post!.name, 'POST /app/log/private');
    assert.equal(post!.count, 1);
    assert.equal(post!.errors, 0);
    assert.ok(Math.abs(percentileOf(post!, 50)! - 117.952597) <= 117.952597 * 1e-3);
    assert.equal(detectFormat(`${refused}\n`, 'results.json'), 'vegeta-results');
    const [old] = await readWith(vegetaResultsReader, `${refused}\n`, 'canary.json');
    assert.equal(old!.name, 'canary', 'no method or url before 12.8: named after the file');
    assert.equal(old!.errors, 1, 'code 0 with an error: a transport error');
  });

  it('is detected from a JSON result line', () => {
    assert.equal(detectFormat(ndjson([['GET', 'http://h/x', 200, 1, '']]), 'r.json'), 'vegeta-results');
    assert.equal(vegetaResultsReader.detect('1,2,3,4,5,6,7,8,9\n', 'x.csv'), false);
  });
  it('refuses bad lines with file and line', async () => {
    const ok = ndjson([['GET', 'http://h/x', 200, 1000, '']]);
    await rejectsInput(vegetaResultsReader, `${ok}\n{"code":200,"latency":`, 'r.json', /invalid JSON result/, 2);
    await rejectsInput(vegetaResultsReader, `${ok}\n${ok.replace('"latency":1000', '"latency":-5')}`, 'r.json', /negative latency/, 2);
    await rejectsInput(vegetaResultsReader, `${ok}\n${ok.replace('"latency":1000', '"latency":"5"')}`, 'r.json', /"latency" is not a number/, 2);
    await rejectsInput(vegetaResultsReader, '1714550400123456789,200,x,0,0,,,,1\n', 'r.csv', /latency is not an integer/, 1);
    await rejectsInput(vegetaResultsReader, '1714550400123456789,200\n', 'r.csv', /2 fields/, 1);
  });
});
