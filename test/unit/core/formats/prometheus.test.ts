import * as assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/core/formats/index';
import { bucketQuantile, parsePromFloat, prometheusReader } from '../../../../src/core/formats/prometheus';
import { percentileOf } from '../../../../src/core/series';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

// formats-detailed.md §7.1 example
const DOC = `# HELP api_request_duration_seconds Request latency.
# TYPE api_request_duration_seconds histogram
api_request_duration_seconds_bucket{route="/api/items",method="GET",le="0.025"} 310
api_request_duration_seconds_bucket{route="/api/items",method="GET",le="0.1"} 905
api_request_duration_seconds_bucket{route="/api/items",method="GET",le="0.5"} 990
api_request_duration_seconds_bucket{route="/api/items",method="GET",le="+Inf"} 1000
api_request_duration_seconds_sum{route="/api/items",method="GET"} 48.7
api_request_duration_seconds_count{route="/api/items",method="GET"} 1000
# TYPE api_latency_summary_seconds summary
api_latency_summary_seconds{quantile="0.5"} 0.041
api_latency_summary_seconds{quantile="0.95"} 0.12
api_latency_summary_seconds_sum 51.2
api_latency_summary_seconds_count 1100
`;

const B = (pairs: Array<[number, number]>) => pairs;
/** Equal within float noise (upstream PromQL tests compare with almost.Equal too). */
const close = (actual: number | null, expected: number): void =>
  assert.ok(actual !== null && Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${actual} vs ${expected}`);

describe('prometheus reader', () => {
  describe('bucketQuantile = PromQL histogram_quantile', () => {
    it('upstream test vectors (promql/promqltest/testdata/histograms.test)', () => {
      const b1 = B([[0, 0], [0.1, 50], [0.2, 70], [1, 110], [Infinity, 110]]);
      close(bucketQuantile(0.25, b1), 0.055);
      close(bucketQuantile(0.5, b1), 0.125);
      close(bucketQuantile(0.75, b1), 0.45);
      close(bucketQuantile(1, b1), 1);
      const neg = B([[-0.25, 0], [-0.2, 10], [-0.1, 20], [0.3, 20], [Infinity, 20]]);
      close(bucketQuantile(0, neg), -0.25);
      close(bucketQuantile(0.25, neg), -0.225);
      close(bucketQuantile(0.5, neg), -0.2);
      close(bucketQuantile(0.75, neg), -0.15);
      close(bucketQuantile(1, neg), -0.1);
      const even = B([[0, 0], [2, 10], [4, 20], [6, 30], [Infinity, 30]]);
      close(bucketQuantile(1 / 6, even), 1);
      close(bucketQuantile(0.5, even), 3);
      close(bucketQuantile(5 / 6, even), 5);
    });
    it('interpolates from 0 in the first bucket; +Inf rank gives the highest finite bound', () => {
      assert.equal(bucketQuantile(0.5, B([[1, 10], [Infinity, 10]])), 0.5);
      assert.equal(bucketQuantile(0.99, B([[1, 10], [2, 50], [Infinity, 100]])), 2);
    });
    it('no answer: < 2 buckets, zero total, no +Inf bucket', () => {
      assert.ok(Number.isNaN(bucketQuantile(0.5, B([[Infinity, 10]]))));
      assert.ok(Number.isNaN(bucketQuantile(0.5, B([[1, 0], [Infinity, 0]]))));
      assert.ok(Number.isNaN(bucketQuantile(0.5, B([[1, 5], [2, 10]]))));
      assert.ok(Number.isNaN(bucketQuantile(0.5, [])));
    });
    it('sorts, coalesces equal bounds and fixes monotonicity', () => {
      // unsorted and le "1" + "1.0" (same bound) summed: {0.5:4, 1:10, +Inf:10}
      close(bucketQuantile(0.5, B([[Infinity, 10], [1, 6], [0.5, 4], [1, 4]])), 0.5 + 0.5 * (1 / 6));
      // non-monotonic: {1:10, 2:8 -> 10, 3:20, +Inf:20}; rank 15 lands in (2,3]
      assert.equal(bucketQuantile(0.75, B([[1, 10], [2, 8], [3, 20], [Infinity, 20]])), 2.5);
      // q outside 0..1
      assert.equal(bucketQuantile(-1, B([[1, 1], [Infinity, 1]])), -Infinity);
      assert.equal(bucketQuantile(2, B([[1, 1], [Infinity, 1]])), Infinity);
    });
  });

  it('reads the documented example: histogram per handler, summary as exposed', async () => {
    const [items, summary, ...rest] = await readWith(prometheusReader, DOC, 'scrapes/after.prom');
    assert.equal(rest.length, 0);
    assert.equal(items!.name, 'GET /api/items');
    assert.equal(items!.exact, false);
    assert.equal(items!.histogram, null);
    assert.equal(items!.count, 1000);
    assert.equal(items!.errors, null, 'no status label');
    assert.equal(items!.durationSec, null);
    assert.equal(items!.maxMs, null);
    assert.equal(items!.meanMs, 48.7);
    // rank 500 in (0.025, 0.1]: 0.025 + 0.075 * 190/595
    close(percentileOf(items!, 50), (0.025 + 0.075 * (190 / 595)) * 1000);
    close(percentileOf(items!, 90), (0.025 + 0.075 * (590 / 595)) * 1000);
    assert.equal(percentileOf(items!, 99), 500, 'rank 990 is the 0.5 bucket bound');
    assert.equal(percentileOf(items!, 99.9), 500, '+Inf: highest finite bound');
    assert.equal(percentileOf(items!, 100), null);
    assert.equal(summary!.name, 'api_latency_summary_seconds', 'several families: unlabelled series named by family');
    assert.equal(summary!.exact, true);
    assert.deepEqual(summary!.percentiles, { '50': 41, '95': 120 });
    assert.equal(summary!.count, 1100);
  });

  it('sums over status_code/instance, errors = 5xx _count, ms units, OpenMetrics # EOF', async () => {
    const text = `# TYPE req_latency_ms histogram
# UNIT req_latency_ms milliseconds
req_latency_ms_bucket{method="POST",handler="/pay",status_code="200",instance="a",le="10.0"} 6
req_latency_ms_bucket{method="POST",handler="/pay",status_code="200",instance="a",le="100.0"} 8
req_latency_ms_bucket{method="POST",handler="/pay",status_code="200",instance="a",le="+Inf"} 8
req_latency_ms_count{method="POST",handler="/pay",status_code="200",instance="a"} 8
req_latency_ms_bucket{method="POST",handler="/pay",status_code="503",instance="b",le="10"} 0
req_latency_ms_bucket{method="POST",handler="/pay",status_code="503",instance="b",le="100"} 2
req_latency_ms_bucket{method="POST",handler="/pay",status_code="503",instance="b",le="+Inf"} 2 # {trace_id="abc"} 67 1700000000.1
req_latency_ms_count{method="POST",handler="/pay",status_code="503",instance="b"} 2
req_latency_ms_created{method="POST",handler="/pay",status_code="503",instance="b"} 1700000000
# TYPE process_cpu_seconds counter
process_cpu_seconds_total 12.5
# EOF
`;
    const [s, ...rest] = await readWith(prometheusReader, text, 'm.txt');
    assert.equal(rest.length, 0);
    assert.equal(s!.name, 'POST /pay');
    assert.equal(s!.count, 10);
    assert.equal(s!.errors, 2);
    // summed: {10:6, 100:10, +Inf:10}; p50 rank 5 -> 10*5/6; p90 rank 9 -> 10 + 90*3/4
    close(percentileOf(s!, 50), 10 * (5 / 6));
    close(percentileOf(s!, 90), 10 + 90 * (3 / 4));
    close(percentileOf(s!, 99), 10 + 90 * (3.9 / 4));
  });

  it('infers an untyped histogram; names by base name without handler labels', async () => {
    const text = `rpc_duration_seconds_bucket{le="0.1"} 1\nrpc_duration_seconds_bucket{le="+Inf"} 2\nrpc_duration_seconds_count 2\n`;
    const [s] = await readWith(prometheusReader, text, 'dir/rpc.txt');
    assert.equal(s!.name, 'rpc');
    assert.equal(percentileOf(s!, 50), 100);
    assert.equal(percentileOf(s!, 90), 100, 'rank in +Inf');
  });

  it('prefers duration/latency families over other histograms', async () => {
    const text = `# TYPE resp_size_bytes histogram\nresp_size_bytes_bucket{le="100"} 1\nresp_size_bytes_bucket{le="+Inf"} 1\n# TYPE x_latency_seconds summary\nx_latency_seconds{route="/a",quantile="0.99"} 0.25\nx_latency_seconds{route="/a",quantile="0.5"} NaN\nx_latency_seconds_count{route="/a"} 3\n`;
    const [s, ...rest] = await readWith(prometheusReader, text, 'p.txt');
    assert.equal(rest.length, 0);
    assert.equal(s!.name, '/a');
    assert.deepEqual(s!.percentiles, { '99': 250 }, 'NaN quantile absent');
  });

  it('parses quoted UTF-8 names, escapes and Go floats', () => {
    assert.equal(parsePromFloat('+Inf'), Infinity);
    assert.equal(parsePromFloat('1e-05'), 0.00001);
    assert.equal(parsePromFloat('.5'), 0.5);
    assert.ok(Number.isNaN(parsePromFloat('NaN')!));
    assert.equal(parsePromFloat('abc'), undefined);
  });

  it('detection', () => {
    assert.equal(detectFormat(DOC, 'metrics.txt'), 'prometheus');
    assert.equal(prometheusReader.detect('x_bucket{le="1"} 3\n', 'm'), true);
    assert.equal(prometheusReader.detect('# TYPE up gauge\nup 1\n', 'm'), false);
  });

  describe('bad input', () => {
    it('empty', () => rejectsInput(prometheusReader, '', 'e.txt', /empty file/));
    it('no latency metric', () => rejectsInput(prometheusReader, '# TYPE up gauge\nup 1\n', 'g.txt', /no histogram or summary/));
    it('non-numeric value', () => rejectsInput(prometheusReader, DOC.replace('} 905', '} lots'), 'n.txt', /not a number: "lots"/, 4));
    it('negative bucket', () => rejectsInput(prometheusReader, DOC.replace('} 905', '} -905'), 'n.txt', /non-negative/, 4));
    it('NaN bucket', () => rejectsInput(prometheusReader, DOC.replace('} 905', '} NaN'), 'n.txt', /non-negative/, 4));
    it('bad le', () => rejectsInput(prometheusReader, DOC.replace('le="0.1"', 'le="fast"'), 'l.txt', /bad le "fast"/, 4));
    it('broken label set', () => rejectsInput(prometheusReader, DOC.replace('{route="/api/items",method="GET",le="0.1"}', '{route="/api/items,method="GET",le="0.1"}'), 'b.txt', /not a Prometheus sample line/, 4));
    it('duplicate series', () => rejectsInput(prometheusReader, `${DOC}api_latency_summary_seconds_count 1\n`, 'd.txt', /duplicate series/, 14));
    it('content after # EOF', () => rejectsInput(prometheusReader, `${DOC}# EOF\nx 1\n`, 'o.txt', /after # EOF/, 15));
    it('bad quantile', () => rejectsInput(prometheusReader, DOC.replace('quantile="0.95"', 'quantile="95"'), 'q.txt', /0\.\.1/, 11));
  });
});

fixtureSuite('prometheus', (f) => f === 'prometheus', 1e-12);
