// The pure half of the Prometheus HTTP API source: the config block, the PromQL it sends, and
// the answers -> Series (classic buckets and native histograms) against hand-computed numbers.
import * as assert from 'node:assert/strict';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { nativeQuantile } from '../../../../src/core/prometheus/nativeHistogram';
import { promDuration, promQueries } from '../../../../src/core/prometheus/promQueries';
import { handlerIdOf, parsePromBody, seriesFromPromResponse } from '../../../../src/core/prometheus/promSeries';
import { shownUrl } from '../../../../src/core/prometheus/prometheusSource';

const config = (benchmark: Record<string, unknown>) =>
  parseConfig(JSON.stringify({ benchmarks: { api: benchmark }, budgets: { 'GET /x': { p95: '1s' } } }), 'perf-budgets.json');
const source = (prometheus: Record<string, unknown>) => config({ prometheus: { url: 'http://127.0.0.1:9090/', histogram: 'http_request_duration_seconds', window: '1h', ...prometheus } }).benchmarks[0]!.prometheus!;
const HOUR = { startMs: 1_767_225_600_000, endMs: 1_767_229_200_000 };

describe('Prometheus source: config', () => {
  it('a benchmark of only a prometheus source needs no results, and gets defaults', () => {
    const bench = config({ prometheus: { url: 'https://mimir.example/prometheus/', histogram: 'h', window: '15m', at: '2026-01-01T01:00:00Z' } }).benchmarks[0]!;
    assert.deepEqual(bench.results, []);
    assert.equal(bench.role, undefined);
    assert.deepEqual(bench.prometheus, {
      url: 'https://mimir.example/prometheus',
      histogram: 'h',
      labels: { method: 'method', route: 'route' },
      matchers: '',
      window: { ms: 900_000, text: '15m' },
      atMs: Date.UTC(2026, 0, 1, 1),
      timeoutMs: 10_000,
      errors: { kind: 'labels', labels: ['status', 'code', 'status_code'], match: '5..', auto: true },
    });
  });

  it('refuses a "run" window without anything to run, bad matchers, a bad time, a token in place of a variable name', () => {
    assert.throws(() => config({ prometheus: { url: 'http://p:9090', histogram: 'h', window: 'run' } }), /benchmarks\.api\.prometheus\.window: window "run" needs a "command", "task" or "http" to run/);
    assert.throws(() => source({ matchers: 'job="api"' }), /prometheus\.matchers: expected label matchers in braces/);
    assert.throws(() => source({ at: '2026-13-01T00:00:00Z' }), /prometheus\.at: not a valid time/);
    assert.throws(() => source({ at: 'yesterday' }), /prometheus\.at: expected "now" or an RFC 3339 time/);
    assert.throws(() => source({ tokenEnv: 'Bearer abc.def' }), /prometheus\.tokenEnv: expected an environment variable name/);
    assert.throws(() => source({ window: '1 fortnight' }), /prometheus\.window/);
    assert.equal(config({ command: 'k6 run x.js', prometheus: { url: 'http://p:9090', histogram: 'h', window: 'run' }, role: 'production' }).benchmarks[0]!.role, 'production');
  });

  it('shows a url without credentials or query', () => {
    assert.equal(shownUrl('https://user:pw@mimir.example/prometheus?x=1'), 'https://mimir.example/prometheus');
  });
});

describe('Prometheus source: queries', () => {
  it('sends increase() over the window at its end, summed by le and the handler labels', () => {
    const q = promQueries(source({ labels: { method: 'method', route: 'handler' }, matchers: '{job="api", env="prod"}' }), HOUR);
    assert.equal(q.timeSec, 1_767_229_200);
    assert.equal(q.range, '1h');
    assert.deepEqual(Object.fromEntries(q.queries.map((x) => [x.key, x.promql])), {
      buckets: 'sum by (le, method, handler) (increase(http_request_duration_seconds_bucket{job="api", env="prod"}[1h]))',
      counts: 'sum by (method, handler, status, code, status_code) (increase(http_request_duration_seconds_count{job="api", env="prod"}[1h]))',
      sums: 'sum by (method, handler) (increase(http_request_duration_seconds_sum{job="api", env="prod"}[1h]))',
      native: 'sum by (method, handler) (increase(http_request_duration_seconds{job="api", env="prod"}[1h]))',
      nativeCounts: 'histogram_count(sum by (method, handler, status, code, status_code) (increase(http_request_duration_seconds{job="api", env="prod"}[1h])))',
    });
    const counter = promQueries(source({ errors: { counter: 'http_errors_total' } }), HOUR);
    assert.equal(counter.queries.find((x) => x.key === 'errors')!.promql, 'sum by (method, route) (increase(http_errors_total{}[1h]))');
  });

  it('writes a run window as a PromQL duration', () => {
    assert.deepEqual([promDuration(3_600_000), promDuration(150_000), promDuration(1500), promDuration(90_061_001), promDuration(0)], ['1h', '2m30s', '1s500ms', '1d1h1m1s1ms', '1ms']);
  });
});

describe('Prometheus source: answers -> Series', () => {
  const vector = (result: unknown[]) => JSON.stringify({ status: 'success', data: { resultType: 'vector', result } });
  const float = (metric: Record<string, string>, v: string) => ({ metric, value: [1_767_229_200, v] });

  it('classic buckets: quantiles as histogram_quantile, the bucket holding each, counts and errors by status', () => {
    const src = source({ labels: { method: 'method', route: 'handler' } });
    const m = { method: 'GET', handler: '/x' };
    // 100 requests: 60 ≤ 0.1 s, 30 in (0.1, 0.25], 10 in (0.25, 0.5]; 5 of them 500s.
    const buckets = [['0.1', '60'], ['0.25', '90'], ['0.5', '100'], ['+Inf', '100']].map(([le, v]) => float({ ...m, le: le! }, v!));
    const parsed = (text: string) => {
      const p = parsePromBody(text);
      assert.ok('samples' in p);
      return p.samples;
    };
    const [s] = seriesFromPromResponse(
      src,
      {
        buckets: parsed(vector(buckets)),
        counts: parsed(vector([float({ ...m, status: '200' }, '95.00000000000001'), float({ ...m, status: '500' }, '4.999999999999999')])),
        sums: parsed(vector([float(m, '12.5')])),
        native: [],
        nativeCounts: [],
      },
      HOUR,
      { benchmark: 'api', sourceName: 'prometheus http://127.0.0.1:9090' },
    );
    assert.equal(s!.name, 'GET /x');
    // p95: rank 95 in (0.25, 0.5]: 0.25 + 0.25 × (95 − 90) / 10 = 0.375 s. p50: 0.1 × 50/60 s.
    assert.equal(s!.percentiles!['95'], 375);
    assert.equal(s!.percentiles!['50'], 0.1 * (50 / 60) * 1000);
    assert.deepEqual(s!.buckets!['95'], { lower: 250, upper: 500 });
    assert.deepEqual(s!.buckets!['50'], { lower: 0, upper: 100 });
    assert.deepEqual(s!.bucketCounts, { unitExp: 3, buckets: [[0.1, 60], [0.25, 90], [0.5, 100], [Infinity, 100]] });
    assert.deepEqual([s!.count, s!.errors, s!.durationSec, s!.throughputPerSec, s!.meanMs, s!.exact, s!.startedAt], [100, 5, 3600, 100 / 3600, 125, false, HOUR.startMs]);
  });

  it('no status label on any series: errors unknown (null), not zero', () => {
    const m = { route: '/y' };
    const [s] = seriesFromPromResponse(source({}), { buckets: [float({ ...m, le: '1' }, '4'), float({ ...m, le: '+Inf' }, '4')] as never, counts: [float(m, '4')] as never }, HOUR, { benchmark: 'api', sourceName: 'p' });
    assert.deepEqual([s!.name, s!.count, s!.errors], ['/y', 4, null]);
  });

  it('names a handler "METHOD /route", else the route, else the name label, else the benchmark', () => {
    const src = source({ labels: { method: 'method', route: 'handler', name: 'op' } });
    assert.deepEqual(
      ([{ method: 'GET', handler: '/a' }, { handler: '/a' }, { method: 'GET', op: 'checkout' }, {}] as Array<Record<string, string>>).map((metric) => handlerIdOf(src, metric, 'api')),
      ['GET /a', '/a', 'checkout', 'api'],
    );
  });

  it('native histograms, in the answer shape of the HTTP API docs: quantiles interpolated in their buckets', () => {
    // 10 observations (seconds): 2 in the zero bucket [-0.001, 0.001], 3 in (0.5, 1], 5 in (1, 2]; schema-0 buckets.
    const histogram = { count: '10', sum: '11.5', buckets: [[3, '-0.001', '0.001', '2'], [0, '0.5', '1', '3'], [0, '1', '2', '5']] as Array<[number, string, string, string]> };
    const body = JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: { method: 'GET', route: '/n' }, histogram: [1_767_229_200, histogram] }] } });
    const p = parsePromBody(body);
    assert.ok('samples' in p);
    const [s] = seriesFromPromResponse(source({}), { buckets: [], counts: [], sums: [], native: p.samples, nativeCounts: [float({ method: 'GET', route: '/n', code: '200' }, '9'), float({ method: 'GET', route: '/n', code: '503' }, '1')] as never }, HOUR, { benchmark: 'api', sourceName: 'p' });
    // p95: rank 9.5 in (1, 2] after 5: 1 + 1 × (9.5 − 5) / 5 = 1.9 s. p50: rank 5 in (0.5, 1] after 2: 0.5 + 0.5 × 3/3 = 1 s.
    // p10: rank 1 in the zero bucket, which starts at 0 (no negative buckets): 0.001 × 1/2 s.
    assert.equal(s!.percentiles!['95'], 1900);
    assert.equal(s!.percentiles!['50'], 1000);
    assert.deepEqual(s!.buckets!['95'], { lower: 1000, upper: 2000 });
    assert.equal(nativeQuantile(0.1, histogram).value, 0.0005);
    assert.deepEqual([s!.name, s!.count, s!.errors, s!.meanMs], ['GET /n', 10, 1, 1150]);
  });

  it('says what is wrong with an answer that is not one', () => {
    assert.deepEqual(parsePromBody('{"status":"error","errorType":"bad_data","error":"invalid parameter \\"query\\": 1:5: parse error"}'), { error: 'bad_data: invalid parameter "query": 1:5: parse error' });
    assert.deepEqual(parsePromBody('{"status":"success","data":{"resultType":"matrix","result":[]}}'), { error: 'not an instant vector (resultType "matrix")' });
    assert.deepEqual(parsePromBody('{"hello":1}'), { error: 'not a Prometheus query API answer (no "status")' });
    assert.deepEqual(parsePromBody('{"status":"success","data":{"resultType":"vector","result":[{"x":1}]}}'), { error: 'not a Prometheus query API answer (a sample has no metric and value)' });
  });
});
