/**
 * Bugs the reader fuzzer (readers.test.ts) found, each kept as a small input: the reader must
 * end in an InputError naming the file and line, not in an exception of another type.
 */
import { readerFor } from '../../../src/core/formats/index';
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
});
