// Huge inputs (the hardening issue): a 2 GB k6 NDJSON and a 2 GB JMeter JTL, summarized by
// `node dist/cli.js summarize FILE --json` with bounded memory (target: peak RSS < 150 MB).
//
// The files are written streaming with bounded generator memory: a seeded block of requests is
// built once (a few MB) and written again and again (the same multiset of latencies each time, so
// count and errors are known exactly and every percentile equals the block's), with backpressure.
// They go to the bench's temp dir (os.tmpdir()) and are deleted right after their run.
//
// Env: BENCH_HUGE=0 skips this section; BENCH_HUGE_GB (default 2) sets the size of each file.
import { createWriteStream, rmSync } from 'node:fs';
import * as path from 'node:path';
import { mulberry32 } from '../mulberry32.mjs';

const TARGET_RSS_MB = 150;

const ENDPOINTS = [
  { method: 'GET', path: '/api/items', median: 12, fail: 0.002 },
  { method: 'GET', path: '/api/items/${}', median: 25, fail: 0.01 },
  { method: 'POST', path: '/api/orders', median: 80, fail: 0.02 },
];

/** One block: `requests` requests over the endpoints; the text of both formats and the exact tallies. */
function makeBlock(requests, seed) {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const tallies = new Map(ENDPOINTS.map((e) => [`${e.method} ${e.path}`, { count: 0, errors: 0, values: [] }]));
  let k6 = '';
  let jtl = '';
  let t = 1714550400000;
  for (let i = 0; i < requests; i++) {
    const e = ENDPOINTS[Math.floor(rand() * ENDPOINTS.length)];
    const ms = Math.max(1, Math.round(e.median * Math.exp(0.5 * normal())));
    const failed = rand() < e.fail;
    t += 1;
    const key = `${e.method} ${e.path}`;
    const tally = tallies.get(key);
    tally.count++;
    if (failed) tally.errors++;
    tally.values.push(ms);
    const time = new Date(t).toISOString().replace('Z', '+00:00');
    const tags = `"tags":{"expected_response":"${failed ? 'false' : 'true'}","group":"","method":"${e.method}","name":"http://127.0.0.1:3000${e.path}","proto":"HTTP/1.1","scenario":"default","status":"${failed ? 503 : 200}","url":"http://127.0.0.1:3000${e.path}"}`;
    k6 += `{"type":"Point","data":{"time":"${time}","value":${ms},${tags}},"metric":"http_req_duration"}\n`;
    k6 += `{"type":"Point","data":{"time":"${time}","value":${failed ? 1 : 0},${tags}},"metric":"http_req_failed"}\n`;
    jtl += `${t},${ms},${key},${failed ? 503 : 200},${failed ? 'Service Unavailable' : 'OK'},Thread Group 1-${1 + (i % 16)},text,${!failed},,${180 + (i % 40)},120,16,16,http://127.0.0.1:3000${e.path},${ms - 1},0,${i % 3}\n`;
  }
  return { k6, jtl, tallies };
}

const K6_HEAD =
  '{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"http_req_duration"}\n' +
  '{"type":"Metric","data":{"name":"http_req_failed","type":"rate","contains":"default","thresholds":[],"submetrics":null},"metric":"http_req_failed"}\n';
const JTL_HEAD = 'timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n';

/** Writes head + block repeated until `bytes` (at least once); resolves { bytes, repeats }. Memory: the block. */
export async function writeRepeated(file, head, block, bytes) {
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  const buf = Buffer.from(block);
  let written = 0;
  const write = async (b) => {
    written += b.length;
    if (!out.write(b)) await new Promise((r) => out.once('drain', r));
  };
  await write(Buffer.from(head));
  let repeats = 0;
  while (written + buf.length <= bytes || repeats === 0) {
    await write(buf);
    repeats++;
  }
  await new Promise((r) => out.end(r));
  return { bytes: written, repeats };
}

/** Nearest-rank percentile (p in 0..100) of ascending values. */
export function nearestRank(sorted, p) {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

/**
 * Runs the section. `timeChild(cmd, args, { rss: 'preload' })` and `preload` come from bench.mjs
 * (peak RSS: process.resourceUsage().maxRSS of the child, all threads).
 */
export async function hugeBench({ root, tmp, preload, timeChild }) {
  const gb = Number(process.env.BENCH_HUGE_GB ?? 2);
  const target = Math.round(gb * 1024 ** 3);
  const block = makeBlock(20_000, 424242);
  const rows = [];
  const failures = [];
  for (const [format, name, head, text] of [
    ['k6-json', 'huge-k6.json', K6_HEAD, block.k6],
    ['jmeter', 'huge.jtl', JTL_HEAD, block.jtl],
  ]) {
    const file = path.join(tmp, name);
    const t0 = Date.now();
    const { bytes, repeats } = await writeRepeated(file, head, text, target);
    const genSec = (Date.now() - t0) / 1000;
    try {
      const res = await timeChild('node', ['--require', preload, path.join(root, 'dist/cli.js'), 'summarize', file, '--json'], { rss: 'preload' });
      const got = new Map(JSON.parse(res.stdout).series.map((s) => [s.name, s]));
      for (const [key, tally] of block.tallies) {
        const s = got.get(key);
        const sorted = [...tally.values].sort((a, b) => a - b);
        const p95 = nearestRank(sorted, 95);
        if (!s) failures.push(`${format}: series ${key} missing (got ${[...got.keys()].join(', ')})`);
        else {
          if (s.count !== tally.count * repeats) failures.push(`${format}: ${key} count ${s.count} != ${tally.count * repeats}`);
          if (s.errors !== tally.errors * repeats) failures.push(`${format}: ${key} errors ${s.errors} != ${tally.errors * repeats}`);
          if (!(Math.abs(s.latencyMs.p95 - p95) / p95 <= 0.001)) failures.push(`${format}: ${key} p95 ${s.latencyMs.p95} vs exact ${p95}`);
        }
      }
      rows.push({ format, bytes, genSec, ms: res.ms, cpuMs: res.cpuMs, rssMB: res.rssMB });
    } catch (e) {
      failures.push(`${format}: ${e.message}`);
    } finally {
      rmSync(file, { force: true });
    }
  }
  return { rows, failures, gb };
}

export function printHugeBench({ rows, failures, gb }) {
  console.log(`\nHuge inputs (${gb} GB each, generated streaming, deleted after): node dist/cli.js summarize FILE --json`);
  const header = ['format', 'file GB', 'generate s', 'summarize s', 'CPU s', 'MB/s', 'peak RSS MB', `target RSS < ${TARGET_RSS_MB} MB`];
  const table = [header];
  for (const r of rows) {
    table.push([
      r.format,
      (r.bytes / 1024 ** 3).toFixed(2),
      r.genSec.toFixed(1),
      (r.ms / 1000).toFixed(1),
      Number.isNaN(r.cpuMs) ? '' : (r.cpuMs / 1000).toFixed(1),
      (r.bytes / 1e6 / (r.ms / 1000)).toFixed(0),
      r.rssMB.toFixed(0),
      r.rssMB < TARGET_RSS_MB ? 'PASS' : 'MISS',
    ]);
  }
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  if (failures.length) console.log(`  huge inputs: ${failures.join('; ')}`);
}
