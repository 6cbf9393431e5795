import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../../../../src/core/budgets/evaluate';
import { mergeRefusal } from '../../../../src/core/budgets/mergeRefusal';
import { mergeRuns, mergeSeries } from '../../../../src/core/budgets/mergeSeries';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { InputError } from '../../../../src/core/errors';
import { formatHdrLog, type HdrLogInterval, type HdrLogTotals } from '../../../../src/core/formats/hdrLogWriter';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import type { FormatId, Series } from '../../../../src/core/series';
import { FIXTURES, mulberry32, readContent } from '../../helpers';
import { makeK6 } from '../formats/rawGen';

/**
 * Many generators, one series: the same requests written by one machine, or split across 3 and
 * across 8 generator files, give exactly the same histogram (bucket for bucket), count, errors
 * and throughput. The single file, read by the format's own reader, is the oracle; the parts are
 * read by the same reader and merged as evaluate merges them.
 */

const BENCH = 'load';
type File = { name: string; text: string };

/** Reads each file as one of the benchmark's result files. */
async function readAll(files: readonly File[], format: FormatId | 'auto' = 'auto'): Promise<Series[]> {
  const out: Series[] = [];
  for (const f of files) out.push(...(await readContent(f.text, f.name, format)).map((s) => ({ ...s, benchmark: BENCH })));
  return out;
}

/** Rows dealt to `n` files: round-robin (every generator runs the whole time) or in contiguous blocks (one after another). */
function deal<T>(rows: readonly T[], n: number, how: 'overlapping' | 'disjoint'): T[][] {
  const parts: T[][] = Array.from({ length: n }, () => []);
  rows.forEach((r, i) => parts[how === 'overlapping' ? i % n : Math.floor((i * n) / rows.length)]!.push(r));
  return parts;
}

/** Each generator's file as CI collects them: `results/host-N/<base>` (one folder per generator), or `results/host-N<base>` when `base` starts with ".". */
const hostFiles = (texts: readonly string[], base: string): File[] =>
  texts.map((text, i) => ({ name: base.startsWith('.') ? `results/host-${i + 1}${base}` : `results/host-${i + 1}/${base}`, text }));

/** Every series of the single file equals the merge of that name's series from the parts; and nothing is refused. */
function assertSameRun(single: readonly Series[], parts: readonly Series[]): void {
  assert.ok(single.length > 0);
  assert.deepEqual([...new Set(parts.map((s) => s.name))].sort(), single.map((s) => s.name).sort(), 'the same handlers');
  for (const one of single) {
    const mine = parts.filter((s) => s.name === one.name);
    assert.ok(new Set(mine.map((s) => s.source)).size > 1, `${one.name} comes from several files`);
    assert.equal(mergeRefusal(one.name, mine), null);
    const merged = mergeSeries(one.name, mine);
    assert.deepEqual(merged.histogram?.buckets() ?? null, one.histogram?.buckets() ?? null, `${one.name}: histogram bucket for bucket`);
    assert.deepEqual(merged.bucketCounts ?? null, one.bucketCounts ?? null, `${one.name}: Prometheus buckets`);
    assert.deepEqual(merged.percentiles, one.percentiles, `${one.name}: percentiles`);
    assert.equal(merged.count, one.count, `${one.name}: count`);
    assert.equal(merged.errors, one.errors, `${one.name}: errors`);
    assert.equal(merged.durationSec, one.durationSec, `${one.name}: duration`);
    assert.equal(merged.throughputPerSec, one.throughputPerSec, `${one.name}: throughput`);
    assert.equal(merged.maxMs, one.maxMs, `${one.name}: max`);
  }
}

/** evaluate over the parts gives the single file's values, as verdicts: the path the CLI and editor take. */
function assertSameVerdicts(handlers: readonly string[], single: readonly Series[], parts: readonly Series[]): void {
  const config = parseConfig(JSON.stringify({ budgets: Object.fromEntries(handlers.map((h) => [h, { p95: '1s', p99: '2s', errorRate: '50%', throughput: '>= 1/s' }])) }), 'perf-budgets.json');
  const values = (series: readonly Series[]) => evaluate(config, series, null).flatMap((r) => r.verdicts.map((v) => [v.handler, v.metric, v.value]));
  assert.deepEqual(values(parts), values(single));
}

// ---------- k6 NDJSON (k6 run --out json=…)

/** k6 NDJSON split by request: each file has the Metric declarations and its requests' points (4 lines each). */
function splitK6Json(text: string, n: number, how: 'overlapping' | 'disjoint'): File[] {
  const lines = text.trimEnd().split('\n');
  const decl = lines.slice(0, 3);
  const requests: string[][] = [];
  for (let i = 3; i < lines.length; i += 4) requests.push(lines.slice(i, i + 4));
  return hostFiles(deal(requests, n, how).map((r) => `${[...decl, ...r.flat()].join('\n')}\n`), 'k6.json');
}

// ---------- k6 CSV (k6 run --out csv=…)

const K6_CSV_HEADER =
  'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';

/** k6 CSV rows of `n` requests (k6's default unix-second timestamps), as blocks of one request's rows. */
function k6CsvRequests(n: number): string[][] {
  const rnd = mulberry32(7);
  const t0 = 1714550400;
  const out: string[][] = [];
  for (let i = 0; i < n; i++) {
    const post = i % 4 === 0;
    const url = post ? 'http://127.0.0.1:3000/api/orders' : 'http://127.0.0.1:3000/api/items';
    const fail = rnd() < 0.04;
    const t = t0 + Math.floor(i / 50);
    const v = (post ? 30 + rnd() * 300 : 2 + rnd() ** 2 * 80).toFixed(6);
    const tags = ['', '', '', fail ? 'false' : 'true', '', post ? 'POST' : 'GET', url, 'HTTP/1.1', 'default', '', fail ? '500' : '200', '', '', url, '', ''].join(',');
    out.push([
      `http_reqs,${t},1.000000,${tags}`,
      `http_req_duration,${t},${v},${tags}`,
      `http_req_failed,${t},${fail ? '1.000000' : '0.000000'},${tags}`,
      `data_received,${t},1234.000000,,,,,,,,,default,,,,,,,`,
    ]);
  }
  return out;
}

const k6Csv = (requests: readonly string[][]): string => `${[K6_CSV_HEADER, ...requests.flat()].join('\n')}\n`;

// ---------- HdrHistogram interval logs (the built-in HTTP benchmark, or any HistogramLogWriter)

interface HostLog {
  intervals: HdrLogInterval[];
  totals: Record<string, HdrLogTotals>;
}

const HDR_START_MS = 1_795_599_130_000;

/** One generator's log: 10 one-second intervals per handler from `fromSec`, random latencies. */
function hostLog(seed: number, fromSec: number): HostLog {
  const rnd = mulberry32(seed);
  const intervals: HdrLogInterval[] = [];
  const totals: Record<string, HdrLogTotals> = {};
  for (let k = 0; k < 10; k++) {
    for (const [tag, median] of [['GET /api/items', 8], ['POST /api/orders', 45]] as const) {
      const h = LatencyHistogram.create();
      const n = 20 + Math.floor(rnd() * 30);
      for (let j = 0; j < n; j++) h.recordMs(median * Math.exp(rnd() * 2 - 1));
      intervals.push({ tag, startSec: fromSec + k, lengthSec: 1, histogram: h });
      const t = (totals[tag] ??= { requests: 0, errors: 0 });
      t.requests += n;
      t.errors += rnd() < 0.2 ? 1 : 0;
    }
  }
  return { intervals, totals };
}

function hdrLogOf(logs: readonly HostLog[]): string {
  const totals: Record<string, HdrLogTotals> = {};
  for (const l of logs) {
    for (const [tag, t] of Object.entries(l.totals)) {
      const sum = (totals[tag] ??= { requests: 0, errors: 0 });
      sum.requests += t.requests;
      sum.errors += t.errors;
    }
  }
  const intervals = logs.flatMap((l) => l.intervals).sort((a, b) => a.startSec - b.startSec);
  return formatHdrLog({ startTimeMs: HDR_START_MS, intervals, totals });
}

// ---------- Prometheus text exposition (one /metrics scrape per instance)

const LE = ['0.005', '0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '+Inf'];

/** One instance's histogram samples: two routes, 200 and 500 responses, cumulative bucket counts. */
function promInstance(instance: number, le: readonly string[] = LE): string[] {
  const rnd = mulberry32(100 + instance);
  const lines: string[] = [];
  for (const route of ['/api/items', '/api/orders']) {
    for (const status of ['200', '500']) {
      const labels = `instance="host-${instance}:9100",method="GET",route="${route}",status="${status}"`;
      let cum = 0;
      for (const b of le) {
        cum += Math.floor(rnd() * (status === '500' ? 5 : 400));
        lines.push(`http_request_duration_seconds_bucket{${labels},le="${b}"} ${cum}`);
      }
      lines.push(`http_request_duration_seconds_sum{${labels}} ${(cum * 0.07).toFixed(3)}`);
      lines.push(`http_request_duration_seconds_count{${labels}} ${cum}`);
    }
  }
  return lines;
}

const promFile = (instances: readonly string[][]): string =>
  `# HELP http_request_duration_seconds Request latency.\n# TYPE http_request_duration_seconds histogram\n${instances.flat().join('\n')}\n`;

// ---------- the tests

describe('many generators, one series (mergeSeries over the files of one run)', () => {
  for (const n of [3, 8]) {
    for (const how of ['overlapping', 'disjoint'] as const) {
      describe(`split across ${n} generator files, time ranges ${how}`, () => {
        it('k6 NDJSON: the same histograms, counts, errors and throughput as one file', async () => {
          const k6 = makeK6(3000, 11);
          const [single, parts] = [await readAll([{ name: 'results/all.json', text: k6.text }]), await readAll(splitK6Json(k6.text, n, how))];
          assertSameRun(single, parts);
          assertSameVerdicts(['GET /api/items', 'POST /api/orders'], single, parts);
          // Independently of the readers: the run lasts from its first to its last point (ns kept to µs in ms).
          const all = mergeSeries('all', parts);
          assert.ok(Math.abs(all.durationSec! - k6.durationSec) < 1e-6, `${all.durationSec} vs ${k6.durationSec}`);
        });

        it('k6 CSV: the same', async () => {
          const requests = k6CsvRequests(2000);
          const single = await readAll([{ name: 'results/all.csv', text: k6Csv(requests) }]);
          const parts = await readAll(hostFiles(deal(requests, n, how).map(k6Csv), 'k6.csv'));
          assertSameRun(single, parts);
          // 2000 requests, 50 per second from t0: 40 one-second timestamps, the last one included.
          assert.equal(mergeSeries('x', parts).durationSec, 40);
        });

        it('JMeter JTL (a real CSV JTL, rows dealt to the engines): the same', async () => {
          const [header, ...rows] = readFileSync(path.join(FIXTURES, 'jmeter/results-header.jtl'), 'utf8').trimEnd().split('\n');
          assert.ok(rows.every((r) => !r.includes('"')), 'one row per line');
          const single = await readAll([{ name: 'results/all.jtl', text: `${header}\n${rows.join('\n')}\n` }]);
          const parts = await readAll(hostFiles(deal(rows, n, how).map((r) => `${header}\n${r.join('\n')}\n`), 'results.jtl'));
          assertSameRun(single, parts);
          assertSameVerdicts([...new Set(single.map((s) => s.name))], single, parts);
        });

        it('HdrHistogram .hlog (hdrLogWriter): the same', async () => {
          const logs = Array.from({ length: n }, (_, i) => hostLog(i + 1, how === 'overlapping' ? 0 : i * 10));
          const single = await readAll([{ name: 'results/all.hlog', text: hdrLogOf(logs) }]);
          const parts = await readAll(hostFiles(logs.map((l) => hdrLogOf([l])), 'api.hlog'));
          assertSameRun(single, parts);
          // 10 s per generator: side by side 10 s, one after another n × 10 s, never the sum of overlaps.
          assert.equal(mergeSeries('x', parts).durationSec, how === 'overlapping' ? 10 : n * 10);
        });

        it('hey CSV (a real hey -o csv file; offsets from each generator\'s start): the same', async () => {
          const [header, ...rows] = readFileSync(path.join(FIXTURES, 'hey/decide.csv'), 'utf8').trimEnd().split('\n');
          const single = await readAll([{ name: 'results/decide.csv', text: `${header}\n${rows.join('\n')}` }], 'hey-csv');
          const parts = await readAll(hostFiles(deal(rows, n, how).map((r) => `${header}\n${r.join('\n')}`), 'decide.csv'), 'hey-csv');
          assertSameRun(single, parts);
        });
      });
    }

    it(`Prometheus text exposition: ${n} instances' scrapes summed bucket by bucket, as one scrape of all`, async () => {
      const instances = Array.from({ length: n }, (_, i) => promInstance(i + 1));
      const single = await readAll([{ name: 'results/all.prom', text: promFile(instances) }]);
      const parts = await readAll(hostFiles(instances.map((lines) => promFile([lines])), 'metrics.prom'));
      assertSameRun(single, parts);
      assertSameVerdicts(['GET /api/items', 'GET /api/orders'], single, parts);
      // By hand: the +Inf bucket of the merge is every instance's requests.
      const items = mergeSeries('GET /api/items', parts.filter((s) => s.name === 'GET /api/items'));
      const infCount = (lines: string[]) =>
        lines.filter((l) => l.includes('route="/api/items"') && l.includes('le="+Inf"')).reduce((a, l) => a + Number(l.split(' ').pop()), 0);
      assert.equal(items.count, instances.reduce((a, lines) => a + infCount(lines), 0));
      assert.ok(items.buckets?.['95'], 'the p95 keeps the bucket it lies in');
    });
  }

  describe('the run\'s duration and throughput: the span from the earliest start to the latest end', () => {
    const part = (startSec: number, durationSec: number, count: number, source: string): Series => {
      const h = LatencyHistogram.create();
      h.recordMs(10, count);
      return {
        name: 'GET /x', format: 'k6-json', source, benchmark: BENCH, count, errors: 0, durationSec, throughputPerSec: count / durationSec,
        exact: false, histogram: h, percentiles: null, minMs: 10, maxMs: 10, meanMs: 10, startedAt: 1_700_000_000_000 + startSec * 1000,
      };
    };
    it('overlapping ranges are not summed; nested ones add nothing', () => {
      const m = mergeSeries('GET /x', [part(0, 60, 600, 'a'), part(30, 60, 600, 'b'), part(10, 10, 100, 'c')]);
      assert.equal(m.durationSec, 90);
      assert.equal(m.throughputPerSec, 1300 / 90);
      assert.equal(m.startedAt, 1_700_000_000_000);
    });
    it('disjoint ranges: the gap between them is part of the run', () => {
      const m = mergeSeries('GET /x', [part(0, 60, 600, 'a'), part(100, 60, 600, 'b')]);
      assert.equal(m.durationSec, 160);
      assert.equal(m.throughputPerSec, 1200 / 160);
    });
    it('a part without a start: generators started together, the longest part\'s duration (count over it)', () => {
      const m = mergeSeries('GET /x', [part(0, 60, 600, 'a'), { ...part(0, 50, 600, 'b'), startedAt: null }]);
      assert.equal(m.durationSec, 60);
      assert.equal(m.throughputPerSec, 1200 / 60);
    });
  });
});

describe('merges that are refused: percentile-only results from several files of one run', () => {
  /** The same real file, as if three generators had written it. */
  const copies = async (rel: string, base: string, format: FormatId | 'auto' = 'auto') =>
    readAll(hostFiles(Array.from({ length: 3 }, () => readFileSync(path.join(FIXTURES, rel), 'utf8')), base), format);
  const refusal = (budgets: Record<string, unknown>, series: readonly Series[]): string => {
    const config = parseConfig(JSON.stringify({ budgets }), 'perf-budgets.json');
    let message = '';
    assert.throws(
      () => evaluate(config, series, null),
      (e: unknown) => {
        assert.ok(e instanceof InputError, String(e));
        message = e.message;
        return true;
      },
    );
    assert.ok(!message.includes('\n'), 'one line');
    assert.ok(message.startsWith('results/host-1'), message);
    return message;
  };

  it('k6 summaries: refused, naming the files and `k6 run --out json`', async () => {
    const series = await copies('k6/parabank-handle-summary.json', 'summary.json', 'k6-summary');
    const message = refusal({ all: { allRequests: true, p95: '1s' } }, series);
    assert.match(message, /^results\/host-1\/summary\.json, results\/host-2\/summary\.json, results\/host-3\/summary\.json: k6 summaries from 3 files cannot be merged into one p95/);
    assert.match(message, /never averaged/);
    assert.match(message, /k6 run --out json=/);
  });

  it('autocannon --json: refused, pointing at the built-in HTTP benchmark or hdr logs', async () => {
    const series = await copies('autocannon/slow.json', 'autocannon.json', 'autocannon');
    const handler = series[0]!.name;
    const message = refusal({ [handler]: { p95: '1s' } }, series);
    assert.match(message, /autocannon --json summaries from 3 files cannot be merged into one p95 for "GET \/api\/slow"/);
    assert.match(message, /built-in HTTP benchmark/);
  });

  it('wrk reports, one per generator folder: refused', async () => {
    const series = await copies('wrk/slow.txt', 'wrk.txt', 'wrk');
    assert.deepEqual(series.map((s) => s.name), ['wrk', 'wrk', 'wrk'], 'named after the file, the same on every host');
    const message = refusal({ api: { p95: '1s', series: 'wrk' } }, series);
    assert.match(message, /wrk reports from 3 files cannot be merged into one p95 for "api"/);
    assert.match(message, /hey -o csv, k6 --out json/);
  });

  it('Locust stats CSVs of separate runs: refused, pointing at the master of a distributed run', async () => {
    const series = await copies('locust/burst_stats.csv', 'stats.csv', 'locust-csv');
    const message = refusal({ all: { allRequests: true, p95: '1s' } }, series);
    assert.match(message, /Locust stats CSVs from 3 files/);
    assert.match(message, /master's --csv/);
  });

  it('more than three files: the first three named, then how many more', async () => {
    const text = readFileSync(path.join(FIXTURES, 'autocannon/slow.json'), 'utf8');
    const series = await readAll(hostFiles(Array.from({ length: 8 }, () => text), '.json'), 'autocannon');
    assert.match(refusal({ [series[0]!.name]: { p95: '1s' } }, series), /^results\/host-1\.json, results\/host-2\.json, results\/host-3\.json and 5 more: autocannon/);
  });

  it('Prometheus buckets whose bounds differ: refused, never interpolated across', async () => {
    const other = ['0.01', '0.05', '0.2', '1', '+Inf'];
    const series = await readAll(hostFiles([promFile([promInstance(1)]), promFile([promInstance(2, other)])], '.prom'));
    const message = refusal({ 'GET /api/items': { p95: '1s' } }, series);
    assert.match(message, /^results\/host-1\.prom, results\/host-2\.prom: Prometheus buckets of "GET \/api\/items" from 2 files have different bounds/);
  });

  it('an HdrHistogram beside Prometheus buckets: refused, they cannot be added', async () => {
    const hlog = await readAll([{ name: 'results/host-1/api.hlog', text: hdrLogOf([hostLog(1, 0)]) }]);
    const prom = await readAll([{ name: 'results/host-2/metrics.prom', text: promFile([promInstance(1)]) }]);
    const series = [...hlog, ...prom].filter((s) => s.name === 'GET /api/items');
    assert.equal(series.length, 2);
    assert.match(refusal({ 'GET /api/items': { p95: '1s' } }, series), /histograms and Prometheus buckets from 2 files cannot be added/);
  });

  it('not refused: different handlers from different files (a template over routes benchmarked one after another)', async () => {
    const text = readFileSync(path.join(FIXTURES, 'autocannon/slow.json'), 'utf8');
    const one = (id: number, p99: number) => text.replace('/api/slow"', `/api/slow/${id}"`).replace('"p99":108,', `"p99":${p99},`);
    const series = await readAll([{ name: 'results/slow-7.json', text: one(7, 108) }, { name: 'results/slow-8.json', text: one(8, 250) }], 'autocannon');
    assert.deepEqual(series.map((s) => s.name), ['GET /api/slow/7', 'GET /api/slow/8']);
    const config = parseConfig(JSON.stringify({ budgets: { 'GET /api/slow/:id': { p99: '1s' } } }), 'perf-budgets.json');
    const [verdict] = evaluate(config, series, null)[0]!.verdicts;
    assert.equal(verdict!.value, 250, 'the higher of the two routes\' p99, as a bound');
    assert.equal(verdict!.exact, false);
  });

  it('not refused: separate benchmarks, and the runs of a repeat', async () => {
    const [run] = await readAll([{ name: 'results/run.json', text: readFileSync(path.join(FIXTURES, 'autocannon/slow.json'), 'utf8') }], 'autocannon');
    const budgets = parseConfig(JSON.stringify({ budgets: { [run!.name]: { p99: '1s' } } }), 'perf-budgets.json');
    // Two benchmarks' runs that one budget claims: each its own run; the highest p99 is the bound.
    const twoBenchmarks = [run!, { ...run!, source: 'results/other.json', benchmark: 'soak', percentiles: { ...run!.percentiles, '99': 500 } }];
    assert.equal(evaluate(budgets, twoBenchmarks, null)[0]!.verdicts[0]!.value, 500);
    // A repeat: runs one after another, each a summary; merged before evaluate, with each run kept.
    const repeated = mergeRuns([[run!], [{ ...run!, source: 'results/run2.json', percentiles: { ...run!.percentiles, '99': 300 } }]]);
    assert.deepEqual(repeated[0]!.runs?.map((r) => r.percentiles['99']), [108, 300], 'each run\'s own p99');
    assert.equal(evaluate(budgets, repeated, null)[0]!.verdicts[0]!.value, 300);
  });
});
