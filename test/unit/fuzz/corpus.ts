/**
 * Seed inputs of the reader fuzzer, per format: the real tools' files under test/fixtures (and
 * the HdrHistogram projects' logs in test/fixtures/hdrhistogram), cut to their first lines
 * so a case stays small, plus the whole file; formats without a recorded file get a small
 * document in the tool's own layout (the same shapes the format tests use).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatHdrLog } from '../../../src/core/formats/hdrLogWriter';
import { LatencyHistogram } from '../../../src/core/histograms/latencyHistogram';
import type { FileFormatId } from '../../../src/core/series';
import { makeHey, makeK6 } from '../core/formats/rawGen';
import { FIXTURES, HDR_FIXTURES } from '../helpers';

export interface Seed {
  /** Where it came from (shown with a failing case). */
  name: string;
  /** File name handed to the reader (some readers name series after it or detect by it). */
  fileName: string;
  bytes: Buffer;
  /** A whole (large) fixture: drawn for about one case in 20, so cases stay small and fast. */
  rare?: boolean;
}

/** Lines kept of a long line-based fixture in its "head" seed. */
const HEAD_LINES = 40;

function headOf(text: string, lines = HEAD_LINES): string {
  const all = text.split('\n');
  return all.length <= lines ? text : `${all.slice(0, lines).join('\n')}\n`;
}

function fixture(rel: string, opts: { whole?: boolean } = {}): Seed[] {
  const text = readFileSync(path.join(FIXTURES, rel), 'utf8');
  const base = path.basename(rel);
  const head = headOf(text);
  const out: Seed[] = [{ name: `${rel} (first ${HEAD_LINES} lines)`, fileName: base, bytes: Buffer.from(head) }];
  if (opts.whole && head !== text) out.push({ name: rel, fileName: base, bytes: Buffer.from(text), rare: true });
  return out;
}

function jsonFixture(rel: string): Seed[] {
  return [{ name: rel, fileName: path.basename(rel), bytes: readFileSync(path.join(FIXTURES, rel)) }];
}

function inline(name: string, fileName: string, text: string): Seed {
  return { name, fileName, bytes: Buffer.from(text) };
}

function hdrSeeds(): Seed[] {
  const out: Seed[] = [];
  for (const f of ['jHiccup-2.0.7S.logV2.hlog', 'tagged-Log.logV2.hlog', 'jHiccup-2.0.6.logV1.hlog', 'bug-whitespace.hlog']) {
    // Committed fixtures: a missing one is an error, not a smaller corpus.
    out.push({ name: `hdrhistogram/${f}`, fileName: f, bytes: Buffer.from(headOf(readFileSync(path.join(HDR_FIXTURES, f), 'utf8'), 24)) });
  }
  // One written by our own writer (tags, the Perf-Budgets comment), so the seed set never is empty.
  const intervals = [0, 1, 2].flatMap((i) =>
    ['GET /a', 'POST /b'].map((tag, j) => {
      const h = LatencyHistogram.create();
      for (let k = 1; k <= 50; k++) h.recordMs(k * (j + 1) + i);
      return { tag, startSec: i, lengthSec: 1, histogram: h };
    }),
  );
  out.push(
    inline(
      'formatHdrLog',
      'run.hlog',
      formatHdrLog({ startTimeMs: 1714550400000, intervals, totals: { 'GET /a': { requests: 150, errors: 2 }, 'POST /b': { requests: 150, errors: 0 } } }),
    ),
  );
  return out;
}

const K6_CSV = `metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata
http_reqs,1714550400,1.000000,,,,true,,GET,https://api.example.test/api/items?page=1,HTTP/1.1,default,,200,,,https://api.example.test/api/items?page=1,,
http_req_duration,1714550400,12.503000,,,,true,,GET,https://api.example.test/api/items?page=1,HTTP/1.1,default,,200,,,https://api.example.test/api/items?page=1,,
http_req_failed,1714550400,0.000000,,,,true,,GET,https://api.example.test/api/items?page=1,HTTP/1.1,default,,200,,,https://api.example.test/api/items?page=1,,
http_reqs,1714550401,1.000000,,,,false,,POST,/api/orders,HTTP/1.1,default,,503,,,https://api.example.test/api/orders,,
http_req_duration,1714550401,220.100000,,,,false,,POST,/api/orders,HTTP/1.1,default,,503,,,https://api.example.test/api/orders,,
http_req_failed,1714550401,1.000000,,,,false,,POST,/api/orders,HTTP/1.1,default,,503,,,https://api.example.test/api/orders,,
http_req_duration,1714550402,30.000000,,,,true,,GET,"https://api.example.test/api/items?a=1,2",HTTP/1.1,default,,200,,,https://api.example.test/api/items,,
iterations,1714550402,1.000000,,,,,,,,,default,,,,,,,
`;

const K6_SUMMARY_EXPORT = JSON.stringify(
  {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
    metrics: {
      http_req_duration: { avg: 41.2, min: 12.05, med: 35.9, max: 410.7, 'p(90)': 70.3, 'p(95)': 96.4, thresholds: { 'p(95)<200': false } },
      'http_req_duration{name:https://api.example.test/api/items?page=2}': { avg: 30, min: 10, med: 28, max: 90, 'p(90)': 50, 'p(95)': 60, 'p(99.9)': 88.5 },
      'http_req_duration{method:POST,name:/api/orders}': { avg: 80, min: 20, med: 75, max: 410.7, 'p(90)': 150, 'p(95)': 200 },
      'http_req_failed{method:POST,name:/api/orders}': { passes: 2, fails: 38, value: 0.05 },
      'http_reqs{method:POST,name:/api/orders}': { count: 40, rate: 1.3333 },
      http_req_failed: { passes: 2, fails: 118, value: 0.016666666666666666 },
      http_reqs: { count: 120, rate: 4 },
      vus_max: { value: 10, min: 10, max: 10 },
    },
  },
  null,
  2,
);

const K6_HANDLE_SUMMARY = JSON.stringify({
  root_group: { name: '', path: '', id: 'x', groups: [], checks: [] },
  options: { summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'], summaryTimeUnit: '', noColor: false },
  state: { isStdOutTTY: false, isStdErrTTY: false, testRunDurationMs: 30012.5 },
  metrics: {
    http_req_duration: { type: 'trend', contains: 'time', values: { avg: 20.5, min: 1.25, med: 18, max: 300, 'p(90)': 40, 'p(95)': 55.5, 'p(99)': 120, count: 600 } },
    'http_req_duration{method:GET,name:/api/items}': {
      type: 'trend',
      contains: 'time',
      values: { avg: 10, min: 1.25, med: 9, max: 100, 'p(90)': 20, 'p(95)': 25, 'p(99)': 60, count: 400 },
    },
    'http_req_failed{method:GET,name:/api/items}': { type: 'rate', contains: 'default', values: { rate: 0.01, passes: 4, fails: 396 } },
    http_req_failed: { type: 'rate', contains: 'default', values: { rate: 0.015, passes: 9, fails: 591 } },
    http_reqs: { type: 'counter', contains: 'default', values: { count: 600, rate: 19.99 } },
  },
});

const K6_NEW_SCHEMA = JSON.stringify({
  version: '1.0.0',
  metadata: { generatedAt: '2026-01-01T00:00:00Z', k6Version: '1.5.0' },
  config: { duration: 60, execution: 'local' },
  results: {
    metrics: [
      { name: 'http_req_duration', type: 'trend', contains: 'time', values: { avg: 5, max: 50, med: 4, min: 1, 'p(90)': 9, 'p(95)': 12 } },
      { name: 'http_req_failed', type: 'rate', contains: 'default', values: { matches: 3, total: 300, rate: 0.01 } },
      { name: 'http_reqs', type: 'counter', contains: 'default', values: { count: 300 } },
    ],
  },
});

const WRK2 = `Running 30s test @ http://127.0.0.1:8080/api/items
  2 threads and 16 connections
  Thread calibration: mean lat.: 1.912ms, rate sampling interval: 10ms
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.04ms    0.92ms  12.54ms   80.11%
    Req/Sec     1.05k   120.00     1.50k    75.00%
  Latency Distribution (HdrHistogram - Recorded Latency)
 50.000%    1.87ms
 75.000%    2.10ms
 90.000%    2.90ms
 99.000%    4.10ms
 99.900%    7.00ms
100.000%   12.54ms

  Detailed Percentile spectrum:
       Value   Percentile   TotalCount 1/(1-Percentile)

       0.512     0.000000            1         1.00
       1.871     0.500000        29871         2.00
       2.900     0.900000        53768        10.00
       3.350     0.950195        56768        20.08
       4.095     0.990625        59183       106.67
      12.543     1.000000        59742          inf
#[Mean    =        2.044, StdDeviation   =        0.915]
#[Max     =       12.536, Total count    =        59742]
#[Buckets =           27, SubBuckets     =         2048]
----------------------------------------------------------
  59742 requests in 30.00s, 8.12MB read
  Non-2xx or 3xx responses: 12
Requests/sec:   1991.40
Transfer/sec:    277.05KB
`;

const SAMPLES = `# latencies of /decide (ms)\n${Array.from({ length: 30 }, (_, i) => (0.25 + ((i * 7919) % 97) * 1.5).toFixed(3)).join('\n')}\n`;
const SAMPLES_CSV = `ts,latency_ms,status\n${Array.from({ length: 20 }, (_, i) => `${1714550400 + i},${(3 + ((i * 31) % 17) * 0.75).toFixed(2)},${i % 9 ? 200 : 500}`).join('\n')}\n`;

/** The seed of a case: mostly the small ones, a whole fixture about once in 20 cases. */
export function pickSeed<T extends { rare?: boolean }>(seeds: readonly T[], n: number, opts: number): T {
  const rare = seeds.filter((s) => s.rare);
  const common = seeds.filter((s) => !s.rare);
  const pool = rare.length > 0 && (opts % 20 === 0 || common.length === 0) ? rare : common;
  return pool[n % pool.length]!;
}

/** Seeds per format (never empty). */
export function seedsFor(format: FileFormatId): Seed[] {
  switch (format) {
    case 'hdr-log':
      return hdrSeeds();
    case 'k6-json': {
      const small = makeK6(12, 7).text;
      return [inline('makeK6(12)', 'k6.json', small), inline('makeK6(60, no http_req_failed)', 'k6.json', makeK6(60, 8, false).text)];
    }
    case 'k6-csv':
      return [inline('k6 --out csv', 'k6.csv', K6_CSV)];
    case 'k6-summary':
      return [inline('--summary-export', 'summary.json', K6_SUMMARY_EXPORT), inline('handleSummary', 'summary.json', K6_HANDLE_SUMMARY), inline('new schema', 'summary.json', K6_NEW_SCHEMA)];
    case 'locust-csv':
      return [...fixture('locust/run_stats.csv'), ...fixture('locust/run_stats_history.csv', { whole: true }), ...fixture('locust/full_stats.csv'), ...fixture('locust/full_stats_history.csv', { whole: true }), ...fixture('locust/burst_stats_history.csv', { whole: true })];
    case 'locust-json':
      return [...jsonFixture('locust/nef_failed.json'), ...jsonFixture('locust/merritt_out.json')];
    case 'artillery':
      return [...jsonFixture('artillery/pass.json'), ...jsonFixture('artillery/fail.json'), ...jsonFixture('artillery/v1-warmup.json')];
    case 'autocannon':
      return [...jsonFixture('autocannon/slow.json'), ...jsonFixture('autocannon/fail.json')];
    case 'wrk':
      return [...jsonFixture('wrk/slow.txt'), ...jsonFixture('wrk/fail.txt')];
    case 'wrk2':
      return [inline('wrk2 -U --latency', 'wrk2.txt', WRK2)];
    case 'prometheus':
      return [...fixture('prometheus/metrics.txt', { whole: true })];
    case 'otlp-json':
      return [...fixture('otlp/client-explicit-cumulative.jsonl', { whole: true }), ...fixture('otlp/client-exponential-delta.jsonl', { whole: true })];
    case 'jmeter':
      return [...fixture('jmeter/results.jtl'), ...fixture('jmeter/results-header.jtl', { whole: true }), ...fixture('jmeter/results-extra.jtl')];
    case 'jmeter-xml':
      return [...jsonFixture('jmeter/TEST_HTTP.xml'), inline('XML JTL with timings and sub-samples', 'results.jtl', '<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n<httpSample t="494" lt="473" ts="1309735429539" s="true" lb="Home Page" rc="200">\n  <httpSample t="40" ts="1309735429540" s="true" lb="/style.css" rc="200"/>\n</httpSample>\n<sample t="900" ts="1309735430000" s="false" lb="Checkout" rm="Number of samples in transaction : 1, number of failing samples : 1">\n  <httpSample t="880" ts="1309735430010" s="false" lb="/pay" rc="500"/>\n</sample>\n</testResults>\n')];
    case 'jmeter-dashboard':
      return [...jsonFixture('jmeter/statistics.json')];
    case 'hey-csv':
      return [...fixture('hey/decide.csv'), ...fixture('hey/fail.csv'), inline('makeHey(30)', 'decide.csv', makeHey(30, 3).text)];
    case 'ab':
      return [...fixture('ab/decide.tsv'), ...jsonFixture('ab/decide-percentiles.csv')];
    case 'pytest-benchmark':
      return [...jsonFixture('pytest-benchmark/bench.json'), ...jsonFixture('pytest-benchmark/saved-nodata.json')];
    case 'hyperfine':
      return [...jsonFixture('hyperfine/hyperfine.json')];
    case 'go-bench':
      return [...fixture('go-bench/bench.txt', { whole: true }), ...fixture('go-bench/metrics.txt')];
    case 'google-benchmark':
      return [...jsonFixture('google-benchmark/repetitions.json'), ...jsonFixture('google-benchmark/aggregates.json'), ...jsonFixture('google-benchmark/single.json')];
    case 'vitest-bench':
      return [...jsonFixture('vitest-bench/bench.json')];
    case 'tinybench':
      return [...jsonFixture('tinybench/samples.json'), ...jsonFixture('tinybench/summary.json')];
    case 'mitata':
      return [...jsonFixture('mitata/samples.json'), ...jsonFixture('mitata/summary.json')];
    case 'jmh':
      return [...jsonFixture('jmh/hollow-all-modes.json')];
    case 'criterion':
      return [...jsonFixture('criterion/target/criterion/fib 20 - slow/new/sample.json'), ...jsonFixture('criterion/target/criterion/fib 20 - slow/new/estimates.json')];
    case 'benchmarkdotnet':
      return [...jsonFixture('benchmarkdotnet/Benchmark-report-full.json'), ...jsonFixture('benchmarkdotnet/Demo.Benchmarks.StringProcessorBenchmarks-report-full-compressed.json')];
    case 'vegeta-report':
      return [...jsonFixture('vegeta/readme-report.json')];
    case 'vegeta-results':
      return [
        inline('vegeta encode --to json', 'run.json', '{"attack":"a","seq":0,"code":200,"timestamp":"2024-05-01T10:00:00.000000001Z","latency":8731450,"bytes_out":0,"bytes_in":2,"error":"","body":"e30=","method":"GET","url":"http://127.0.0.1:8080/api/items","headers":null}\n{"attack":"a","seq":1,"code":0,"timestamp":"2024-05-01T10:00:00.100000001Z","latency":1089318,"bytes_out":0,"bytes_in":0,"error":"dial tcp: connection refused","body":null,"method":"GET","url":"http://127.0.0.1:8080/api/items","headers":null}\n'),
        inline('vegeta encode --to csv', 'run.csv', '1714550400123456789,200,8731450,0,2048,,e30=,,1,GET,http://127.0.0.1:8080/api/items,\n1476696644001690668,200,2124978,0,103,,,,0\n'),
      ];
    case 'oha':
      return [...jsonFixture('oha/ping.json')];
    case 'bombardier':
      return [...jsonFixture('bombardier/static.json')];
    case 'gatling-log':
      return [...fixture('gatling/v3.9-simulation.log', { whole: true }), ...fixture('gatling/v3.0-userid-simulation.log'), inline('3.9 groups + KO', 'simulation.log', 'RUN\tS\ts\t1000\t \t3.9.5\nREQUEST\tG,H\ta\t1000\t1010\tKO\tboom\nGROUP\tG,H\t1000\t1011\t10\tKO\nGROUP\tG\t1000\t1012\t10\tOK\n')];
    case 'gatling-stats':
      return [...jsonFixture('gatling/stats.json'), ...jsonFixture('gatling/global_stats.json')];
    case 'samples':
      return [inline('one number per line', 'decide.dat', SAMPLES), inline('CSV column', 'latency.csv', SAMPLES_CSV)];
  }
}
