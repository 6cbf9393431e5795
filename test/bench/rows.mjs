// Rows per second of the per-request CSV readers (issue #19, items 1 and 6): `node dist/cli.js
// summarize FILE --json` on what the tools really write, beside awk computing the same answer
// (count and nearest-rank p95 per series; Locust: count and median) in the same run.
//
//  - JMeter JTL (~2 GB): JMeter 5.x's default CSV columns, quoted where JMeter quotes (a message
//    holding a comma), sub-results `Home Page-0`/`-1` (saved by default), a transaction
//    controller row per purchase, HTTP 500s, assertion failures (one with the multi-line message
//    of a Response Assertion, quoted across lines) and socket timeouts;
//  - k6 `--out csv` (~500 MB): k6's 19 columns, every built-in metric of each request (http_reqs,
//    http_req_duration, _blocked, _connecting, _tls_handshaking, _sending, _waiting, _receiving,
//    http_req_failed) and of each iteration (data_sent, data_received, iteration_duration,
//    iterations), vus/vus_max each second; values with 6 decimals (Go's 'f', 6);
//  - Locust 2.x `_stats_history.csv` with `--csv-full-history` (~500 MB): a row per entry and
//    Aggregated every second, cumulative Total columns;
//  - hey `-o csv` (~500 MB), times in seconds with 4 decimals.
//
// JTL, k6 CSV and hey files repeat a seeded block (the same multiset of samples each time, so
// counts and percentiles are known exactly); Locust's history is written tick after tick (its
// totals are cumulative). Written streaming to the bench's temp dir, deleted right after each run.
// Env: BENCH_ROWS_SCALE (default 1) scales every file; BENCH_RUNS (default 3) runs of ours, best kept.
import { createWriteStream, rmSync } from 'node:fs';
import * as path from 'node:path';
import { mulberry32 } from '../mulberry32.mjs';
import { nearestRank, writeRepeated } from './huge.mjs';

const TARGET = { jmeterMBps: 300, heyRowsPerSec: 5e6 };
const MB = 1024 * 1024;

function lognormal(rand, median, sigma) {
  const n = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return median * Math.exp(sigma * n);
}

function tally(map, key, value, failed) {
  let t = map.get(key);
  if (!t) map.set(key, (t = { count: 0, errors: 0, values: [] }));
  t.count++;
  if (failed) t.errors++;
  t.values.push(value);
}

// ---------- JMeter JTL

export const JTL_HEAD = 'timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n';
const SHOP = 'https://shop.example.test';
const SAMPLERS = [
  { label: 'Home Page', path: '/', median: 45, sub: [{ path: '/home', code: 200, msg: 'OK', type: 'text' }, { path: '/static/logo.png', code: 200, msg: 'OK', type: 'bin' }] },
  { label: 'Login', path: '/login', median: 80 },
  { label: 'Search Products', path: '/search?q=lamp&page=1', median: 120 },
  { label: 'View Product', path: '/product/4711', median: 35 },
  { label: 'Add To Cart', path: '/cart', median: 60, tc: true },
  { label: 'Checkout', path: '/checkout', median: 200, tc: true },
];
const ASSERTION = '"Test failed: code expected to equal /\n\n****** received  : [[[500]]]\n\n****** comparison: [[[200]]]\n\n/"';

/** `iterations` passes through the sampler list by 50 threads: the JTL text and the exact tallies per label. */
export function jtlBlock(iterations, seed) {
  const rand = mulberry32(seed);
  const tallies = new Map();
  const rows = [];
  let t = 1714550400000;
  const row = (ts, elapsed, label, code, msg, thread, type, ok, fail, bytes, url) =>
    rows.push(`${ts},${elapsed},${label},${code},${msg},${thread},${type},${ok},${fail},${bytes},${140 + (bytes % 97)},50,50,${url},${Math.max(0, elapsed - 2)},0,${bytes % 5 === 0 ? 3 : 0}`);
  for (let i = 0; i < iterations; i++) {
    const thread = `Thread Group 1-${1 + (i % 50)}`;
    let tcStart = 0;
    let tcElapsed = 0;
    let tcBytes = 0;
    let tcFailed = 0;
    for (const s of SAMPLERS) {
      t += 1 + Math.floor(rand() * 4);
      const r = rand();
      let elapsed = Math.max(1, Math.round(lognormal(rand, s.median, 0.5)));
      let [code, msg, ok, fail, type] = [200, 'OK', true, '', 'text'];
      if (r < 0.002) [elapsed, code, msg, ok, type] = [30000 + Math.floor(rand() * 50), 'Non HTTP response code: java.net.SocketTimeoutException', 'Non HTTP response message: Read timed out', false, 'text'];
      else if (r < 0.012) [code, msg, ok] = [500, 'Internal Server Error', false];
      else if (r < 0.0125) [code, msg, ok, fail] = [500, 'Internal Server Error', false, ASSERTION];
      else if (r < 0.015) [ok, fail] = [false, '"Test failed: text expected to contain /Welcome, shopper/"'];
      const bytes = 900 + Math.floor(rand() * 9000);
      if (s.sub) {
        let at = t;
        for (const [k, sub] of s.sub.entries()) {
          const e = Math.max(1, Math.round(lognormal(rand, s.median / 3, 0.4)));
          row(at, e, `${s.label}-${k}`, sub.code, sub.msg, thread, sub.type, true, '', 400 + k * 3000, `${SHOP}${sub.path}`);
          tally(tallies, `${s.label}-${k}`, e, false);
          at += e;
          elapsed = Math.max(elapsed, at - t);
        }
      }
      row(t, elapsed, s.label, code, msg, thread, type, ok, fail, bytes, `${SHOP}${s.path}`);
      tally(tallies, s.label, elapsed, !ok);
      if (s.tc) {
        if (tcStart === 0) tcStart = t;
        tcElapsed += elapsed;
        tcBytes += bytes;
        if (!ok) tcFailed++;
      }
      t += elapsed;
    }
    // Transaction controller (generateParentSample off): its own row after its children.
    const tcMsg = `"Number of samples in transaction : 2, number of failing samples : ${tcFailed}"`;
    row(tcStart, tcElapsed, 'TC Purchase', tcFailed ? 500 : 200, tcMsg, thread, '', tcFailed === 0, '', tcBytes, 'null');
    tally(tallies, 'TC Purchase', tcElapsed, tcFailed > 0);
  }
  return { text: `${rows.join('\n')}\n`, tallies, rows: rows.length };
}

// awk: count and nearest-rank p95 per label (integer ms: a counting histogram), skipping the
// continuation lines of a quoted multi-line field as the reader does (quote parity).
const JTL_AWK = String.raw`NR == 1 { next }
open { if (gsub(/"/, "&") % 2) open = 0; next }
index($0, "\"") && gsub(/"/, "&") % 2 { open = 1 }
{ c[$3]++; h[$3, $2 + 0]++; if ($2 + 0 > m[$3]) m[$3] = $2 + 0 }
END { for (l in c) { r = c[l] * 0.95; r = (r == int(r)) ? r : int(r) + 1; s = 0; for (v = 0; v <= m[l]; v++) { s += h[l, v]; if (s >= r) break } print l "\t" c[l] "\t" v } }`;

// ---------- k6 --out csv

const K6_HEAD = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata\n';
const K6_HOST = 'http://127.0.0.1:3000';
const K6_ENDPOINTS = [
  { method: 'GET', path: '/api/items', median: 12, fail: 0.002 },
  { method: 'GET', path: '/api/items/42', median: 25, fail: 0.01 },
  { method: 'POST', path: '/api/orders', median: 80, fail: 0.02 },
  { method: 'GET', path: '/api/search', median: 150, fail: 0.05 },
];
const f6 = (x) => x.toFixed(6);

/** `iterations` iterations of 2 requests each, 50 per second: k6's CSV rows and the tallies per handler. */
function k6CsvBlock(iterations, seed) {
  const rand = mulberry32(seed);
  const tallies = new Map();
  const rows = [];
  let sec = 1714550400;
  for (let i = 0; i < iterations; i++) {
    if (i % 50 === 0) {
      sec++;
      rows.push(`vus,${sec},50.000000,,,,,,,,,,,,,,,,`, `vus_max,${sec},50.000000,,,,,,,,,,,,,,,,`);
    }
    let iterMs = 0;
    for (let k = 0; k < 2; k++) {
      const e = K6_ENDPOINTS[Math.floor(rand() * K6_ENDPOINTS.length)];
      const failed = rand() < e.fail;
      const status = failed ? 503 : 200;
      const url = `${K6_HOST}${e.path}`;
      const tags = `,${failed ? '1503' : ''},${!failed},,${e.method},${url},HTTP/1.1,default,,${status},,,${url},,`;
      const waiting = Math.round(lognormal(rand, e.median, 0.5) * 1e3) / 1e3;
      const sending = Math.round(rand() * 50) / 1e3;
      const receiving = Math.round(rand() * 200) / 1e3;
      const duration = Number(f6(sending + waiting + receiving));
      const blocked = i % 25 === 0 ? 0.512 : 0.002;
      const connecting = i % 25 === 0 ? 0.301 : 0;
      iterMs += duration + blocked;
      tally(tallies, `${e.method} ${e.path}`, duration, failed);
      for (const [metric, v] of [
        ['http_reqs', 1], ['http_req_duration', duration], ['http_req_blocked', blocked], ['http_req_connecting', connecting],
        ['http_req_tls_handshaking', 0], ['http_req_sending', sending], ['http_req_waiting', waiting], ['http_req_receiving', receiving],
        ['http_req_failed', failed ? 1 : 0],
      ]) rows.push(`${metric},${sec},${f6(v)},,${tags}`);
    }
    // Iteration metrics carry only the group and scenario tags (columns 7 and 11).
    const it = (metric, v) => [metric, sec, f6(v), '', '', '', '', '', '', '', '', 'default', '', '', '', '', '', '', ''].join(',');
    rows.push(it('data_sent', 412), it('data_received', 3821), it('iteration_duration', iterMs + 1.5), it('iterations', 1));
  }
  return { text: `${rows.join('\n')}\n`, tallies, rows: rows.length };
}

// awk (+ sort, as mawk has none): http_req_duration values per "METHOD /path", sorted, nearest rank.
const K6_AWK = String.raw`$1 == "http_req_duration" { n = $10; sub(/^[a-z]+:\/\/[^\/]*/, "", n); sub(/[?#].*/, "", n); print $9 " " n "\t" $3 }`;
const RANK_AWK = String.raw`function out() { if (k != "") { r = c * 0.95; r = (r == int(r)) ? r : int(r) + 1; print k "\t" c "\t" v[r] } }
{ if ($1 != k) { out(); k = $1; c = 0 } v[++c] = $2 }
END { out() }`;

// ---------- Locust --csv-full-history

const LOCUST_HEAD =
  'Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size\n';
const LOCUST_ENTRIES = Array.from({ length: 20 }, (_, i) => ({ type: i % 4 === 3 ? 'POST' : 'GET', name: `/api/v1/resource${i}`, median: 8 + i * 3 }));

/** Locust's response-time key: whole ms below 100, then 2 significant digits. */
function locustRound(ms) {
  if (ms < 100) return Math.round(ms);
  const p = 10 ** (Math.floor(Math.log10(ms)) - 1);
  return Math.round(ms / p) * p;
}

/** Writes `ticks` seconds of full history; resolves the tallies of the last rows (count, errors, median). */
async function writeLocust(file, ticks, seed) {
  const rand = mulberry32(seed);
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  const state = [...LOCUST_ENTRIES.map((e) => ({ ...e, key: `${e.type} ${e.name}` })), { type: '', name: 'Aggregated', key: 'Aggregated', median: 20 }].map((e) => ({ ...e, count: 0, fails: 0, sum: 0, min: Infinity, max: 0 }));
  let buf = LOCUST_HEAD;
  let bytes = 0;
  let rows = 0;
  const t0 = 1714550400;
  for (let t = 0; t < ticks; t++) {
    const agg = state[state.length - 1];
    let aggNew = 0;
    let aggFail = 0;
    for (const e of state) {
      let n;
      let f;
      if (e === agg) [n, f] = [aggNew, aggFail];
      else {
        n = 5 + Math.floor(rand() * 10);
        f = rand() < 0.05 ? 1 : 0;
        aggNew += n;
        aggFail += f;
      }
      e.count += n;
      e.fails += f;
      const now = lognormal(rand, e.median, 0.3);
      e.sum += now * n;
      e.min = Math.min(e.min, now * 0.6);
      e.max = Math.max(e.max, now * 2);
      const pct = [0.5, 0.66, 0.75, 0.8, 0.9, 0.95, 0.98, 0.99, 0.999, 0.9999, 1].map((q) => locustRound(e.median * (1 + q * q))).join(',');
      e.last = locustRound(e.median * (1 + rand() * 0.1));
      buf += `${t0 + t},50,${e.type},${e.name},${f6(n)},${f6(f)},${pct},${e.count},${e.fails},${e.last},${e.sum / e.count},${e.min},${e.max},${(1800 + e.median).toFixed(1)}\n`;
      rows++;
    }
    if (buf.length > 1 << 20) {
      bytes += buf.length;
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  bytes += buf.length;
  out.write(buf);
  await new Promise((r) => out.end(r));
  const expected = new Map(state.map((e) => [e.key, { count: e.count, errors: e.fails, p50: e.last }]));
  return { bytes, rows, expected };
}

const LOCUST_AWK = String.raw`NR > 1 { k = ($4 == "Aggregated") ? "Aggregated" : $3 " " $4; c[k] = $18; m[k] = $20 } END { for (k in c) print k "\t" c[k] "\t" m[k] }`;

// ---------- hey -o csv

const HEY_HEAD = 'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset';

function heyBlock(rowsWanted, seed) {
  const rand = mulberry32(seed);
  const values = [];
  let errors = 0;
  let offset = 0;
  let text = '';
  const f4 = (x) => x.toFixed(4);
  for (let i = 0; i < rowsWanted; i++) {
    const rt = f4(Math.max(1, Math.round(lognormal(rand, 95, 0.4))) / 1e4);
    const status = rand() < 0.01 ? 500 : 200;
    if (status !== 200) errors++;
    offset += rand() * 0.0004;
    text += `\n${rt},${i % 50 === 0 ? '0.0004' : '0.0000'},0.0000,0.0001,${f4(Math.max(0, Number(rt) - 0.0002))},0.0001,${status},${f4(offset)}`;
    values.push(Number(rt) * 1000);
  }
  return { text, tallies: new Map([['rows', { count: rowsWanted, errors, values }]]), rows: rowsWanted };
}

const HEY_AWK = String.raw`NR > 1 { v = int($1 * 10000 + 0.5); h[v]++; c++; if (v > m) m = v } END { r = c * 0.95; r = (r == int(r)) ? r : int(r) + 1; for (v = 0; v <= m; v++) { s += h[v]; if (s >= r) break } print "rows\t" c "\t" v / 10 }`;

// ---------- running

/** Exact answers of a repeated block: count, errors, p95 per series (× repeats). */
function blockExpected(tallies, repeats) {
  const out = new Map();
  for (const [key, t] of tallies) {
    const sorted = [...t.values].sort((a, b) => a - b);
    out.set(key, { count: t.count * repeats, errors: t.errors * repeats, p95: nearestRank(sorted, 95) });
  }
  return out;
}

/** Differences between our series (CLI JSON) and the exact answers. */
function check(format, series, expected, failures) {
  const got = new Map(series.map((s) => [s.name, s]));
  for (const [key, ex] of expected) {
    const s = got.get(key);
    if (!s) {
      failures.push(`${format}: series ${key} missing`);
      continue;
    }
    if (s.count !== ex.count) failures.push(`${format}: ${key} count ${s.count} != ${ex.count}`);
    if (s.errors !== ex.errors) failures.push(`${format}: ${key} errors ${s.errors} != ${ex.errors}`);
    for (const p of ['p50', 'p95']) {
      if (ex[p] !== undefined && !(Math.abs(s.latencyMs[p] - ex[p]) <= ex[p] * 0.001)) failures.push(`${format}: ${key} ${p} ${s.latencyMs[p]} vs exact ${ex[p]}`);
    }
  }
  if (got.size !== expected.size) failures.push(`${format}: ${got.size} series, expected ${expected.size}`);
}

/** awk's lines `key \t count \t p` against the exact answers (p: p95, or p50 for Locust). */
function checkAwk(format, stdout, expected, failures) {
  const lines = stdout.trim().split('\n').map((l) => l.split('\t'));
  for (const [key, count, p] of lines) {
    const ex = expected.get(key);
    const want = ex?.p95 ?? ex?.p50;
    if (!ex || Number(count) !== ex.count || Math.abs(Number(p) - want) > want * 0.001) failures.push(`awk ${format}: ${key} ${count} ${p} vs ${ex ? `${ex.count} ${want}` : 'no such series'}`);
  }
  if (lines.length !== expected.size) failures.push(`awk ${format}: ${lines.length} series, expected ${expected.size}`);
}

/**
 * Runs the section. `timeChild(cmd, args, { rss, shell })` and `preload` come from bench.mjs.
 */
export async function rowsBench({ root, tmp, preload, timeChild }) {
  const scale = Number(process.env.BENCH_ROWS_SCALE ?? 1);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const rows = [];
  const failures = [];
  const cases = [
    { format: 'jmeter', file: 'rows.jtl', mb: 2048, make: () => jtlBlock(4000, 1919), head: JTL_HEAD, awk: (f) => `awk -F, '${JTL_AWK}' "${f}"` },
    { format: 'k6-csv', file: 'rows-k6.csv', mb: 500, make: () => k6CsvBlock(4000, 1920), head: K6_HEAD, awk: (f) => `awk -F, '${K6_AWK}' "${f}" | LC_ALL=C sort -t "$(printf '\\t')" -k1,1 -k2,2g | awk -F '\\t' '${RANK_AWK}'` },
    { format: 'locust-csv', file: 'rows_stats_history.csv', mb: 500, locust: true, awk: (f) => `awk -F, '${LOCUST_AWK}' "${f}"` },
    { format: 'hey-csv', file: 'rows.csv', mb: 500, make: () => heyBlock(50_000, 1921), head: HEY_HEAD, awk: (f) => `awk -F, '${HEY_AWK}' "${f}"` },
  ];
  for (const c of cases) {
    const file = path.join(tmp, c.file);
    const target = Math.round(c.mb * scale * MB);
    const t0 = Date.now();
    let written;
    try {
      if (c.locust) {
        // ~170 bytes a row, 21 rows a tick
        const w = await writeLocust(file, Math.max(10, Math.round(target / (170 * 21))), 1922);
        written = { bytes: w.bytes, rows: w.rows, expected: w.expected };
      } else {
        const block = c.make();
        const w = await writeRepeated(file, c.head, block.text, target);
        written = { bytes: w.bytes, rows: block.rows * w.repeats, expected: blockExpected(block.tallies, w.repeats) };
      }
      const genSec = (Date.now() - t0) / 1000;
      let best = null;
      for (let i = 0; i < runs; i++) {
        const res = await timeChild('node', ['--require', preload, path.join(root, 'dist/cli.js'), 'summarize', file, '--json'], { rss: 'preload' });
        if (!best || res.ms < best.ms) best = res;
      }
      check(c.format, JSON.parse(best.stdout).series, written.expected, failures);
      const awk = await timeChild('sh', ['-c', c.awk(file)], { rss: 'poll' });
      checkAwk(c.format, awk.stdout, written.expected, failures);
      rows.push({ format: c.format, bytes: written.bytes, rows: written.rows, genSec, ms: best.ms, rssMB: best.rssMB, awkMs: awk.ms });
    } catch (e) {
      failures.push(`${c.format}: ${e.message}`);
    } finally {
      rmSync(file, { force: true });
    }
  }
  return { rows, failures, runs };
}

export function printRowsBench({ rows, failures, runs }) {
  console.log(`\nRows of the CSV readers (generated streaming, deleted after): node dist/cli.js summarize FILE --json, best of ${runs}; awk: the same answer, one run`);
  const header = ['format', 'file MB', 'rows', 'generate s', 'ours s', 'rows/s', 'MB/s', 'RSS MB', 'awk s', 'awk rows/s', 'awk/ours', 'target'];
  const table = [header];
  for (const r of rows) {
    const sec = r.ms / 1000;
    const mbps = r.bytes / 1e6 / sec;
    const rps = r.rows / sec;
    let target = '';
    if (r.format === 'jmeter') target = `${mbps >= TARGET.jmeterMBps ? 'PASS' : 'MISS'} >= ${TARGET.jmeterMBps} MB/s`;
    if (r.format === 'hey-csv') target = `${rps >= TARGET.heyRowsPerSec ? 'PASS' : 'MISS'} >= 5M rows/s`;
    table.push([
      r.format,
      (r.bytes / 1e6).toFixed(0),
      String(r.rows),
      r.genSec.toFixed(1),
      sec.toFixed(2),
      `${(rps / 1e6).toFixed(2)}M`,
      mbps.toFixed(0),
      r.rssMB.toFixed(0),
      (r.awkMs / 1000).toFixed(2),
      `${(r.rows / (r.awkMs / 1000) / 1e6).toFixed(2)}M`,
      `${(r.awkMs / r.ms).toFixed(1)}x`,
      target,
    ]);
  }
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  if (failures.length) console.log(`  rows: ${failures.join('; ')}`);
}
