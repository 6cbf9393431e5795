import * as assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/core/formats/index';
import { wrkReader, wrkTimeMs } from '../../../../src/core/formats/wrk';
import { percentileOf } from '../../../../src/core/series';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

// formats-detailed.md §6.1 example
const DOC = `Running 30s test @ http://127.0.0.1:8080/api/items
  4 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.31ms    1.05ms  41.20ms   91.12%
    Req/Sec     6.95k   410.33     7.80k    70.50%
  Latency Distribution
     50%    2.10ms
     75%    2.62ms
     90%    3.40ms
     99%    6.85ms
  830512 requests in 30.02s, 112.40MB read
  Non-2xx or 3xx responses: 17
Requests/sec:  27665.29
Transfer/sec:      3.74MB
`;

describe('wrk reader', () => {
  it('reads the documented example exactly', async () => {
    const [s, ...rest] = await readWith(wrkReader, DOC, 'perf/results/items.txt');
    assert.equal(rest.length, 0);
    assert.deepEqual(s, {
      name: 'items',
      format: 'wrk',
      source: 'perf/results/items.txt',
      count: 830512,
      errors: 17,
      durationSec: 30.02,
      throughputPerSec: 27665.29,
      exact: true,
      histogram: null,
      percentiles: { '50': 2.1, '75': 2.62, '90': 3.4, '99': 6.85 },
      minMs: null,
      maxMs: 41.2,
      meanMs: 2.31,
    });
    assert.equal(percentileOf(s!, 95), null, 'wrk prints no p95: never invented');
    assert.equal(percentileOf(s!, 100), 41.2, 'max from Thread Stats');
  });

  it('converts every wrk unit (us, ms, s, m) and adds socket errors to non-2xx', async () => {
    const text = `Running 1m test @ http://localhost/x
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   850.00us    1.05ms    1.10m   91.12%
    Req/Sec   100.00     10.00   150.00     60.00%
  Latency Distribution
     50%  612.00us
     75%    0.85ms
     90%    1.02s
     99%    1.10m
  12000 requests in 1.00m, 1.40MB read
  Socket errors: connect 1, read 2, write 3, timeout 4
  Non-2xx or 3xx responses: 5
Requests/sec:    200.00
Transfer/sec:     23.90KB
`;
    const [s] = await readWith(wrkReader, text, 'slow.out');
    assert.deepEqual(s!.percentiles, { '50': 0.612, '75': 0.85, '90': 1020, '99': 66000 });
    assert.equal(s!.meanMs, 0.85);
    assert.equal(s!.maxMs, 66000);
    assert.equal(s!.durationSec, 60);
    assert.equal(s!.errors, 15);
    assert.equal(s!.count, 12000);
    assert.equal(s!.name, 'slow');
  });

  it('errors are 0 when wrk printed neither line; no distribution without --latency', async () => {
    const text = `Running 5s test @ http://127.0.0.1:8080/
  1 threads and 1 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   101.00us   20.00us   1.00ms   80.00%
    Req/Sec     9.00k   100.00     9.50k    70.00%
  45000 requests in 5.00s, 5.00MB read
Requests/sec:   9000.00
Transfer/sec:      1.00MB
`;
    const [s] = await readWith(wrkReader, text, 'plain.txt');
    assert.equal(s!.errors, 0);
    assert.deepEqual(s!.percentiles, {});
    assert.equal(percentileOf(s!, 50), null);
    assert.equal(percentileOf(s!, 100), 1);
  });

  it('parses CRLF files and ignores Lua script output after the summary', async () => {
    const [s] = await readWith(wrkReader, DOC.replace(/\n/g, '\r\n') + 'custom: {"p99.9": 12}\r\n', 'crlf.txt');
    assert.equal(s!.percentiles!['99'], 6.85);
  });

  it('wrkTimeMs', () => {
    assert.equal(wrkTimeMs('12.46ms'), 12.46);
    assert.equal(wrkTimeMs('850.00us'), 0.85);
    assert.equal(wrkTimeMs('1.50s'), 1500);
    assert.equal(wrkTimeMs('2.00m'), 120000);
    assert.equal(wrkTimeMs('12'), undefined);
    assert.equal(wrkTimeMs('-1ms'), undefined);
  });

  describe('detection', () => {
    it('detects wrk text, and not wrk2 or other text', () => {
      assert.equal(detectFormat(DOC, 'x.txt'), 'wrk');
      assert.equal(wrkReader.detect(DOC.replace('Running 30s test @ http://127.0.0.1:8080/api/items\n', ''), 'x'), true);
      assert.equal(wrkReader.detect('hello world\nRequests/sec: 3', 'x.txt'), false);
      assert.equal(wrkReader.detect(`${DOC}\n  Detailed Percentile spectrum:\n`, 'x.txt'), false);
    });
  });

  describe('bad input', () => {
    it('empty file', () => rejectsInput(wrkReader, '', 'e.txt', /empty file/));
    it('truncated before the request count', () =>
      rejectsInput(wrkReader, DOC.split('\n').slice(0, 9).join('\n'), 'cut.txt', /requests in/));
    it('truncated before Requests/sec', () => rejectsInput(wrkReader, DOC.split('\n').slice(0, 12).join('\n'), 'cut.txt', /Requests\/sec/));
    it('non-numeric latency, with its line', () =>
      rejectsInput(wrkReader, DOC.replace('3.40ms', 'abcms'), 'bad.txt', /90% latency is not a wrk time/, 9));
    it('negative latency, with its line', () =>
      rejectsInput(wrkReader, DOC.replace('   6.85ms', '  -6.85ms'), 'neg.txt', /99% latency/, 10));
    it('unknown unit', () => rejectsInput(wrkReader, DOC.replace('2.62ms', '2.62xs'), 'u.txt', /75% latency/, 8));
    it('NaN in Thread Stats', () => rejectsInput(wrkReader, DOC.replace('2.31ms', '-nanus'), 'nan.txt', /Latency Avg/, 4));
    it('broken Requests/sec', () => rejectsInput(wrkReader, DOC.replace('27665.29', 'lots'), 'r.txt', /Requests\/sec/, 13));
    it('two runs in one file', () => rejectsInput(wrkReader, DOC + DOC, 'two.txt', /second wrk run/, 15));
    it('a usage message is not wrk output', () =>
      rejectsInput(wrkReader, 'Usage: wrk <options> <url>\n  Options:\n', 'usage.txt', /requests in/));
  });
});

fixtureSuite('wrk', (f) => f === 'wrk');
