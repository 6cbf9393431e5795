/**
 * Bugs the reader fuzzer (readers.test.ts) found, each kept as a small input: the reader must
 * end in an InputError naming the file and line, not in an exception of another type.
 */
import assert from 'node:assert/strict';
import { InputError } from '../../../src/core/errors';
import { formatHdrLog } from '../../../src/core/formats/hdrLogWriter';
import { readerFor } from '../../../src/core/formats/index';
import { bytesOf } from '../../../src/core/formats/lines';
import { LatencyHistogram } from '../../../src/core/histograms/latencyHistogram';
import { rejectsInput } from '../core/formats/formatTestUtil';

describe('fuzzer finds (regressions)', () => {
  it('a latency far beyond any request (1e20 ms) is refused with file:line, not an hdr-histogram-js index error', async () => {
    await rejectsInput(readerFor('samples'), '# ms\n1.5\n100000000000000000000\n2\n', 'decide.dat', /latency .* out of range/, 3);
    await rejectsInput(
      readerFor('jmeter'),
      'timeStamp,elapsed,label,responseCode,success\n1714550400000,12,GET /a,200,true\n1714550400001,5725969831392328618132346260,GET /a,200,true\n',
      'results.jtl',
      /elapsed .* out of range/,
      3,
    );
    await rejectsInput(
      readerFor('k6-csv'),
      'metric_name,timestamp,metric_value,method,name\nhttp_req_duration,1714550400,1e19,GET,/a\n',
      'k6.csv',
      /latency .* out of range/,
      2,
    );
    await rejectsInput(readerFor('ab'), 'starttime\tseconds\tctime\tdtime\tttime\twait\nMon May  1 08:00:00 2024\t1714550400\t1\t2\t99999999999999999\t1\n', 'decide.tsv', /ttime .* out of range/, 2);
  });

  it('hdr-log: a unit that scales the values out of range ("s" on a nanosecond log) is an InputError with the line', async () => {
    const h = LatencyHistogram.create();
    for (let ms = 1; ms <= 100; ms++) h.recordMs(ms);
    const log = formatHdrLog({ startTimeMs: 1714550400000, intervals: [{ tag: 'GET /a', startSec: 0, lengthSec: 1, histogram: h }] });
    await assert.rejects(readerFor('hdr-log').read(bytesOf(log, 64), { fileName: 'run.hlog', unit: 's' }), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.match(e.message, /^run\.hlog:\d+: largest value .* out of range/);
      assert.equal(e.line, log.split('\n').findIndex((l) => l.startsWith('Tag=')) + 1);
      return true;
    });
    // The same log read as nanoseconds is fine.
    const [s] = await readerFor('hdr-log').read(bytesOf(log, 64), { fileName: 'run.hlog' });
    assert.equal(s!.count, 100);
  });
});
