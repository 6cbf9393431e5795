import * as assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/core/formats/index';
import { wrk2Reader } from '../../../../src/core/formats/wrk2';
import { percentileOf } from '../../../../src/core/series';
import { readWith, rejectsInput } from './formatTestUtil';

const SPECTRUM = `       Value   Percentile   TotalCount 1/(1-Percentile)

       0.512     0.000000            1         1.00
       1.871     0.500000        29871         2.00
       2.100     0.750000        44807         4.00
       2.900     0.900000        53768        10.00
       3.300     0.949219        56710        19.69
       3.350     0.950195        56768        20.08
       4.000     0.989062        59089        91.43
       4.095     0.990625        59183       106.67
       7.001     0.999023        59684      1024.00
      12.543     1.000000        59742          inf
#[Mean    =        2.044, StdDeviation   =        0.915]
#[Max     =       12.536, Total count    =        59742]
#[Buckets =           27, SubBuckets     =         2048]
----------------------------------------------------------`;

const RUN = `Running 30s test @ http://127.0.0.1:8080/api/items
  2 threads and 16 connections
  Thread calibration: mean lat.: 1.912ms, rate sampling interval: 10ms
  Thread calibration: mean lat.: 1.874ms, rate sampling interval: 10ms
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.04ms    0.92ms  12.54ms   80.11%
    Req/Sec     1.05k   120.00     1.50k    75.00%
  Latency Distribution (HdrHistogram - Recorded Latency)
 50.000%    1.87ms
 75.000%    2.10ms
 90.000%    2.90ms
 99.000%    4.10ms
 99.900%    7.00ms
 99.990%   12.54ms
 99.999%   12.54ms
100.000%   12.54ms

  Detailed Percentile spectrum:
${SPECTRUM}
  59742 requests in 30.00s, 8.01MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
Requests/sec:   1991.40
Transfer/sec:    273.40KB
`;

describe('wrk2 reader', () => {
  it('looks up each percentile as the first spectrum row at or above it', async () => {
    const [s, ...rest] = await readWith(wrk2Reader, RUN, 'out/items.wrk2');
    assert.equal(rest.length, 0);
    assert.deepEqual(s!.percentiles, {
      '50': 1.871,
      '75': 2.1,
      '90': 2.9,
      '95': 3.35, // 0.949219 < 0.95 <= 0.950195
      '99': 4.095, // 0.989062 < 0.99 <= 0.990625
      '99.9': 7.001, // 0.999023 is the first row >= 0.999
      '99.99': 12.543,
      '99.999': 12.543,
      '100': 12.543,
    });
    assert.equal(s!.name, 'items');
    assert.equal(s!.format, 'wrk2');
    assert.equal(s!.exact, true);
    assert.equal(s!.maxMs, 12.536, 'max from the #[Max …] footer');
    assert.equal(s!.meanMs, 2.044, 'mean from the footer');
    assert.equal(s!.minMs, 0.512);
    assert.equal(s!.count, 59742);
    assert.equal(s!.errors, 5);
    assert.equal(s!.durationSec, 30);
    assert.equal(s!.throughputPerSec, 1991.4);
    assert.equal(percentileOf(s!, 99), 4.095);
  });

  it('uses the Recorded block and ignores the Uncorrected one (-U)', async () => {
    const uncorrected = `
  Latency Distribution (HdrHistogram - Uncorrected Latency (measured without taking delayed starts into account))
 50.000%    0.90ms
 75.000%    1.00ms
 90.000%    1.10ms
 99.000%    1.20ms
 99.900%    1.30ms
 99.990%    1.40ms
 99.999%    1.50ms
100.000%    1.60ms

  Detailed Percentile spectrum:
       Value   Percentile   TotalCount 1/(1-Percentile)

       0.100     0.000000            1         1.00
       0.900     0.500000        29871         2.00
       1.600     1.000000        59742          inf
#[Mean    =        0.950, StdDeviation   =        0.100]
#[Max     =        1.600, Total count    =        59742]
#[Buckets =           27, SubBuckets     =         2048]
----------------------------------------------------------
`;
    const text = RUN.replace('  59742 requests in', `${uncorrected}  59742 requests in`);
    const [s] = await readWith(wrk2Reader, text, 'u.txt');
    assert.equal(s!.percentiles!['50'], 1.871);
    assert.equal(s!.maxMs, 12.536);
    assert.equal(s!.meanMs, 2.044);
  });

  it('accepts a float tick printed slightly below (0.900000 for 89.9999999)', async () => {
    const [s] = await readWith(wrk2Reader, RUN, 'x.txt');
    assert.equal(s!.percentiles!['90'], 2.9);
  });

  it('falls back to the printed distribution lines without a spectrum', async () => {
    const text = RUN.replace(/\n  Detailed Percentile spectrum:[\s\S]*?-{58}\n/, '\n');
    const [s] = await readWith(wrk2Reader, text, 'nospec.txt');
    assert.deepEqual(s!.percentiles, {
      '50': 1.87,
      '75': 2.1,
      '90': 2.9,
      '99': 4.1,
      '99.9': 7,
      '99.99': 12.54,
      '99.999': 12.54,
      '100': 12.54,
    });
    assert.equal(s!.maxMs, 12.54);
  });

  it('is detected before wrk', () => {
    assert.equal(detectFormat(RUN, 'r.txt'), 'wrk2');
    assert.equal(wrk2Reader.detect('Running 30s test @ http://x/\n  Thread calibration: mean lat.: 1ms', 'r'), true);
    assert.equal(wrk2Reader.detect('Running 30s test @ http://x/\n  Latency Distribution\n', 'r'), false);
  });

  describe('bad input', () => {
    it('a non-numeric spectrum value, with its line', () =>
      rejectsInput(wrk2Reader, RUN.replace('       2.900     0.900000', '       2.9x0     0.900000'), 'b.txt', /spectrum Value/, 24));
    it('a percentile above 1', () =>
      rejectsInput(wrk2Reader, RUN.replace('0.750000', '1.750000'), 'b.txt', /fraction 0\.\.1/, 23));
    it('rows out of order', () =>
      rejectsInput(wrk2Reader, RUN.replace('       2.100     0.750000', '       1.100     0.750000'), 'o.txt', /increasing/, 23));
    it('a short row', () => rejectsInput(wrk2Reader, RUN.replace('       2.100     0.750000        44807         4.00', '       2.100'), 's.txt', /needs Value/, 23));
    it('truncated in the spectrum', () =>
      rejectsInput(wrk2Reader, RUN.split('\n').slice(0, 26).join('\n'), 't.txt', /requests in/));
    it('truncated right after the spectrum header', () =>
      rejectsInput(wrk2Reader, RUN.split('\n').slice(0, 19).join('\n'), 't.txt', /spectrum has no rows/, 18));
  });
});
