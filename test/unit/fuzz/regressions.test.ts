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

  it('k6-summary: a negative request or failure count is an InputError; a near-zero run length gives no throughput, not Infinity', async () => {
    const summary = (failed: Record<string, number>, reqs: Record<string, number>) =>
      JSON.stringify({ metrics: { http_req_duration: { avg: 5, min: 1, med: 4, max: 50, 'p(95)': 12 }, http_req_failed: failed, http_reqs: reqs } });
    await rejectsInput(readerFor('k6-summary'), summary({ passes: -4, fails: 38, value: 0.05 }, { count: 40, rate: 1 }), 'summary.json', /http_req_failed\.passes is a negative count/);
    await rejectsInput(readerFor('k6-summary'), summary({ passes: 1, fails: 38, value: 0.05 }, { count: -40, rate: 1 }), 'summary.json', /http_reqs\.count is a negative count/);
    const tiny = JSON.stringify({
      version: '1.0.0',
      config: { duration: 1e-320 },
      results: { metrics: [{ name: 'http_req_duration', type: 'trend', values: { avg: 5, max: 50, med: 4, min: 1, 'p(95)': 12 } }, { name: 'http_reqs', type: 'counter', values: { count: 300 } }] },
    });
    const [s] = await readerFor('k6-summary').read(bytesOf(tiny, 64), { fileName: 'summary.json' });
    assert.equal(s!.count, 300);
    assert.equal(s!.throughputPerSec, null);
  });

  it('prometheus: a bucket with a negative bound (le="-Inf") is an InputError with the line, not a p50 of -Infinity', async () => {
    const text = [
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.1",method="GET",route="/a"} 5',
      'http_request_duration_seconds_bucket{le="-inf",method="GET",route="/a"} 7',
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/a"} 10',
      'http_request_duration_seconds_count{method="GET",route="/a"} 10',
      '',
    ].join('\n');
    await rejectsInput(readerFor('prometheus'), text, 'metrics.txt', /le "-inf" is negative/, 3);
  });

  it('hey-csv: an offset of 1.8e308 s is an InputError with the line, not a run length of Infinity', async () => {
    const text = 'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n0.0069,0.0000,0.0000,0.0000,0.0069,0.0000,200,0.0140\n0.0069,0.0000,0.0000,0.0000,0.0069,0.0000,200,1.7976931348623157e308\n';
    await rejectsInput(readerFor('hey-csv'), text, 'decide.csv', /offset .* out of range/, 3);
  });

  it('hyperfine / pytest-benchmark: a time beyond 1e6 s (1e308) is an InputError naming the JSON path, not a maxMs of Infinity', async () => {
    const hf = JSON.stringify({ results: [{ command: 'sleep 0.01', mean: 0.0112, times: [0.011, 1e308], exit_codes: [0, 0] }] });
    await rejectsInput(readerFor('hyperfine'), hf, 'hyperfine.json', /\$\.results\[0\]\.times\[1\]/);
    const stats = { min: 0.001, max: 1e308, mean: 0.002, median: 0.002, rounds: 10 };
    await rejectsInput(readerFor('pytest-benchmark'), JSON.stringify({ benchmarks: [{ name: 't', stats }] }), 'bench.json', /\$\.benchmarks\[0\]\.stats\.max/);
    // A mean so small that 1/mean overflows: no throughput rather than Infinity; ops stay unbounded.
    const [p] = await readerFor('pytest-benchmark').read(bytesOf(JSON.stringify({ benchmarks: [{ name: 't', stats: { ...stats, max: 0.003, mean: 5e-324 } }] }), 64), { fileName: 'bench.json' });
    assert.equal(p!.throughputPerSec, null);
    const [q] = await readerFor('pytest-benchmark').read(bytesOf(JSON.stringify({ benchmarks: [{ name: 't', stats: { ...stats, max: 0.003, ops: 5e9 } }] }), 64), { fileName: 'bench.json' });
    assert.equal(q!.throughputPerSec, 5e9);
  });

  it('prometheus: a _sum of 1.8e308 s gives no mean, not a meanMs of Infinity', async () => {
    const text = [
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.1",method="GET",route="/a"} 5',
      'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/a"} 10',
      'http_request_duration_seconds_sum{method="GET",route="/a"} 1.7976931348623157e308',
      'http_request_duration_seconds_count{method="GET",route="/a"} 10',
      '',
    ].join('\n');
    const [s] = await readerFor('prometheus').read(bytesOf(text, 64), { fileName: 'metrics.txt' });
    assert.equal(s!.meanMs, null);
    assert.equal(s!.count, 10);
  });

  it('prometheus: a summary quantile of +Inf or 1.8e308 s is a missing percentile, not Infinity', async () => {
    for (const v of ['+Inf', '1.7976931348623157e308']) {
      const text = `# TYPE rpc_duration_seconds summary\nrpc_duration_seconds{quantile="0.5"} 0.01\nrpc_duration_seconds{quantile="0.99"} ${v}\nrpc_duration_seconds_sum 1\nrpc_duration_seconds_count 10\n`;
      const [s] = await readerFor('prometheus').read(bytesOf(text, 64), { fileName: 'metrics.txt' });
      assert.deepEqual(s!.percentiles, { '50': 10 }, v);
    }
  });
});
