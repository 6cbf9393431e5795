// Benchmark of the raw-data readers (npm run bench = build + this).
//
// 1. Generates into a temp dir (removed afterwards), with a seeded PRNG:
//    - k6.json: k6 `--out json` NDJSON as k6 writes it (test/bench/k6Realistic.mjs: 13 points per
//      request, vus/vus_max, Metric lines), ~680 MB, 4 routes with different latency
//      distributions, ~1% failures;
//    - decide.csv: hey `-o csv`, 1M rows.
// 2. Times `node dist/cli.js summarize FILE --json` and `node dist/bench-summarize.js FILE`
//    (summarizeFile directly; built here from test/bench/summarizeEntry.ts) RUNS times each;
//    min and median wall time. Peak RSS of the child: a preload (`node --require`) writes
//    process.resourceUsage().maxRSS (getrusage: the whole process, all threads) at exit.
// 3. Times jq computing the same answer (count and nearest-rank p95 per series; one run;
//    its peak RSS from /proc/<pid>/status VmHWM polled every 20 ms).
// 4. Checks count, errors and p95 per series against the exact values the generator knows
//    (p95 within 0.1% of the nearest-rank value), so the bench is also a correctness test.
//
// 5. The comparison panel (test/bench/panel.mjs): a 200-handler model from buildPanelModel posted
//    to media/panel.js in headless Chromium; median message -> rendered, PASS/MISS against 300 ms.
//
// 6. Huge inputs (test/bench/huge.mjs): a 2 GB k6 NDJSON and a 2 GB JTL written streaming to the temp
//    dir, each summarized by dist/cli.js once (wall time, MB/s, peak RSS: PASS/MISS against 150 MB),
//    deleted right after. BENCH_HUGE=0 skips it, BENCH_HUGE_GB sets the size; `--huge-only` runs just it.
//
// 7. Bundles and start-up (test/bench/startup.mjs): `node esbuild.mjs --production` in a scratch
//    copy; sizes of dist/extension.js (PASS/MISS against < 400 KB), cli.js, worker.js; require and
//    activate() of the minified extension in plain node with a stub vscode (PASS/MISS of activate()
//    against < 20 ms); `cli.js summarize` on a small file; the size of the VSIX, packed by vsce from
//    another minified build in the scratch dir (test/bench/vsix.mjs: not out/, which may be stale).
//    `--startup-only` runs just this section.
//
// 8. Event-loop stalls while a big JTL is read (test/bench/stall.mjs: summarizeFile in plain node, 200 MB;
//    test/bench/vscodeStall.mjs: the extension's Re-read Results inside code-server's extension host,
//    400 MB; code-server is installed into .vscode-test/ on first use). PASS/MISS against a longest stall < 50 ms.
//
// 9. Show why (test/bench/why.mjs): staleness of 500 handlers in 200 files after an edit (PASS/MISS
//    against 50 ms) and "what changed" for one handler in a 10,000-commit repository (against 1 s).
//    `--why-only` runs just it.
//
// 14. Handler discovery (test/bench/discovery.mjs): a 20,000-file tree of real route files and real
//    node_modules code scanned as the extension does, beside ripgrep (PASS/MISS <= 3x) with the
//    longest event-loop stall (PASS/MISS < 50 ms). `--discovery-only` runs just it.
//
// 10. Rows of the CSV readers (test/bench/rows.mjs): a JMeter JTL (~2 GB, PASS/MISS against 300 MB/s),
//    a k6 `--out csv`, a Locust full stats_history and a hey CSV (~500 MB each, hey PASS/MISS against
//    5M rows/s), rows/s and MB/s beside awk computing the same answer. `--rows-only` runs just it.
//
// 11. Prometheus HTTP API source (test/bench/prometheusApi.mjs): 200 handlers × 1 h at 15 s backfilled
//    into a real Prometheus; our query + read beside curl sending the same queries, PASS/MISS against
//    1 s, p95/p99 checked against histogram_quantile. `--prometheus-only` runs just it.
//
// 12. Gzip and many files (test/bench/gzipMany.mjs): a ~500 MB realistic k6 NDJSON gzipped (-6),
//    ours beside zcat > /dev/null (PASS/MISS within 1.3x) and zcat | jq; 8 such files in one
//    summarize: MB/s and peak RSS (PASS/MISS < 120 MB). BENCH_SCALE scales it; `--gzip-only` runs just it.
//
// 13. Realistic k6 NDJSON (test/bench/k6Realistic.mjs): ~500 MB in k6 v0.55's layout, the older
//    layout and with 17-digit values, best of RUNS beside jq (PASS/MISS >= 1.5 GB/s, >= 25x jq,
//    17-digit <= 1.5x); growth at 100 MB, 1 GB, 4 GB (time, peak RSS < 120 MB). `--k6-only` runs just it.
//
// Env: BENCH_RUNS (default 3), BENCH_JQ=0 to skip jq, BENCH_KEEP=1 to keep the temp dir,
// BENCH_SCALE (default 1) to shrink the files for a quick try, BENCH_PANEL_RUNS (default 7).
// `--build-only` just bundles dist/bench-summarize.js; `--panel-only` runs only the panel section.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from '../mulberry32.mjs';
import { bundleBenchEntry } from './bundle.mjs';
import { hugeBench, printHugeBench } from './huge.mjs';
import { JQ_K6, k6RealisticBench, printK6RealisticBench, writeK6Realistic } from './k6Realistic.mjs';
import { gzipManyBench, printGzipManyBench } from './gzipMany.mjs';
import { panelBench, printPanelBench } from './panel.mjs';
import { printRowsBench, rowsBench } from './rows.mjs';
import { printStallBench, stallBench } from './stall.mjs';
import { printStartupBench, startupBench } from './startup.mjs';
import { printVsixBench, vsixBench } from './vsix.mjs';
import { printVscodeStallBench, vscodeStallBench } from './vscodeStall.mjs';
import { printWhyBench, whyBench } from './why.mjs';
import { discoveryBench, printDiscoveryBench } from './discovery.mjs';
import { printPrometheusApiBench, prometheusApiBench } from './prometheusApi.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const HEY_ROWS = Math.round(1_000_000 * SCALE);
const TARGET = { k6MBps: 1000, k6RssMB: 120, heyRowsPerSec: 5e6 };

// ---------- seeded PRNG and distributions

const rand = mulberry32(20240501);
function normal() {
  const u = 1 - rand();
  const v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
/** Log-normal with the given median (ms) and sigma, as integer nanoseconds (>= 1 µs). */
function lognormalNs(medianMs, sigma) {
  return Math.max(1000, Math.round(medianMs * Math.exp(sigma * normal()) * 1e6));
}

// ---------- hey CSV

async function writeHey(file) {
  const out = createWriteStream(file, { highWaterMark: 1 << 22 });
  const values = new Float64Array(HEY_ROWS);
  let errors = 0;
  let buf = 'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset';
  let bytes = 0;
  let offset = 0;
  const f4 = (x) => x.toFixed(4);
  for (let i = 0; i < HEY_ROWS; i++) {
    const rt = Math.max(1, Math.round(lognormalNs(9.5, 0.4) / 1e5)) / 1e4; // seconds, 0.1 ms resolution
    const status = rand() < 0.01 ? 500 : 200;
    if (status !== 200) errors++;
    offset += rand() * 0.0004;
    const dial = i % 50 === 0 ? 0.0004 : 0;
    buf += `\n${f4(rt)},${f4(dial)},0.0000,0.0001,${f4(Math.max(0, rt - 0.0002))},0.0001,${status},${f4(offset)}`;
    values[i] = Number(f4(rt)) * 1000;
    if (buf.length > 1 << 20) {
      bytes += Buffer.byteLength(buf);
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  bytes += Buffer.byteLength(buf);
  out.write(buf); // like hey: no newline at the end
  await new Promise((r) => out.end(r));
  return { expected: new Map([['decide', { values: Array.from(values), errors }]]), lines: HEY_ROWS + 1, bytes };
}

// ---------- measuring

function nearestRank(sorted, p) {
  return sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1];
}

/** Runs a child; resolves { ms, rssMB, stdout }. rss: 'preload' (node) or 'poll' (/proc VmHWM). */
function timeChild(cmd, args, { rss, env = {}, shell = false } = {}) {
  return new Promise((resolve, reject) => {
    const rssFile = path.join(tmp, `rss-${process.hrtime.bigint()}.txt`);
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { env: { ...process.env, ...env, PB_RSS_FILE: rssFile }, stdio: ['ignore', 'pipe', 'pipe'], shell });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    let hwmKB = 0;
    const poll =
      rss === 'poll'
        ? setInterval(() => {
            for (const pid of pidsOf(child.pid)) {
              try {
                const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
                if (m) hwmKB = Math.max(hwmKB, Number(m[1]));
              } catch {
                /* exited */
              }
            }
          }, 20)
        : null;
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (poll) clearInterval(poll);
      if (code !== 0) {
        reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().slice(0, 500)}`));
        return;
      }
      let rssMB = hwmKB / 1024;
      let cpuMs = NaN;
      if (rss === 'preload') {
        const u = existsSync(rssFile) ? JSON.parse(readFileSync(rssFile, 'utf8')) : { maxRSS: NaN, cpuMs: NaN };
        rssMB = u.maxRSS / 1024;
        cpuMs = u.cpuMs;
        rmSync(rssFile, { force: true });
      }
      resolve({ ms, rssMB, cpuMs, stdout: Buffer.concat(out).toString() });
    });
  });
}

/** The pid and its descendants (a shell pipeline's jq). */
function pidsOf(pid) {
  const all = [pid];
  try {
    for (const c of readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) all.push(...pidsOf(Number(c)));
  } catch {
    /* gone */
  }
  return all;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// ---------- main

const tmp = mkdtempSync(path.join(tmpdir(), 'perf-budgets-bench-'));
const cleanup = () => {
  if (process.env.BENCH_KEEP !== '1') rmSync(tmp, { recursive: true, force: true });
};
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

/** `--<section>-only`: runs just that section, prints it and exits (code 1 when it failed). */
async function only(flag, run, print) {
  if (!process.argv.includes(flag)) return;
  const result = await run();
  print(result);
  if (result.failures.length) process.exitCode = 1;
  cleanup();
  process.exit();
}

try {
  await bundleBenchEntry(ROOT, 'test/bench/summarizeEntry.ts', path.join(ROOT, 'dist/bench-summarize.js'));
  if (process.argv.includes('--build-only')) {
    cleanup();
    process.exit(0);
  }
  const base = { root: ROOT, tmp };
  await only('--startup-only', () => startupBench(base), (startup) => {
    printStartupBench(startup);
    printVsixBench(vsixBench(base));
  });
  await only('--discovery-only', () => discoveryBench(base), printDiscoveryBench);
  await only('--why-only', () => whyBench(base), printWhyBench);
  await only('--prometheus-only', () => prometheusApiBench(base), printPrometheusApiBench);
  await only('--panel-only', () => panelBench(base), printPanelBench);
  const preload = path.join(tmp, 'rss-preload.cjs');
  writeFileSync(
    preload,
    "process.on('exit', () => { if (process.env.PB_RSS_FILE) { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.PB_RSS_FILE, JSON.stringify({ maxRSS: u.maxRSS, cpuMs: (u.userCPUTime + u.systemCPUTime) / 1000 })); } });\n",
  );

  const timed = { ...base, preload, timeChild };
  const withLoad = (print) => (result) => {
    print(result);
    console.log(`load average: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  };
  await only('--huge-only', () => hugeBench(timed), printHugeBench);
  await only('--k6-only', () => k6RealisticBench(timed), printK6RealisticBench);
  await only('--gzip-only', () => gzipManyBench(timed), withLoad(printGzipManyBench));
  await only('--rows-only', () => rowsBench(timed), withLoad(printRowsBench));

  const loadBefore = loadavg().map((x) => x.toFixed(2)).join(' ');
  const k6File = path.join(tmp, 'k6.json');
  const heyFile = path.join(tmp, 'decide.csv');
  let t = Date.now();
  const k6 = await writeK6Realistic(k6File, { bytes: Math.round(680e6 * SCALE) });
  console.log(`generated ${k6File}: ${(k6.bytes / 1e6).toFixed(0)} MB, ${k6.lines} lines (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  t = Date.now();
  const hey = await writeHey(heyFile);
  console.log(`generated ${heyFile}: ${(hey.bytes / 1e6).toFixed(1)} MB, ${hey.lines - 1} rows (${((Date.now() - t) / 1000).toFixed(1)} s)`);
  // Warm the page cache (every runner below reads the same cached bytes).
  execFileSync('cat', [k6File, heyFile], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 });

  const cliOk = (() => {
    try {
      execFileSync('node', [path.join(ROOT, 'dist/cli.js'), 'summarize', heyFile, '--json'], { stdio: 'pipe' });
      return true;
    } catch {
      return false;
    }
  })();

  const rows = [];
  const failures = [];
  const check = (label, stdout, data, extraTolerance = 0) => {
    const got = new Map(JSON.parse(stdout).series.map((s) => [s.name, s]));
    for (const [name, ex] of data.expected) {
      const s = got.get(name);
      if (!s) {
        failures.push(`${label}: series ${name} missing (got ${[...got.keys()].join(', ')})`);
        continue;
      }
      const sorted = Float64Array.from(ex.values).sort();
      const p95 = nearestRank(sorted, 95);
      const rel = Math.abs(s.latencyMs.p95 - p95) / p95;
      if (s.count !== ex.values.length) failures.push(`${label}: ${name} count ${s.count} != ${ex.values.length}`);
      if (s.errors !== ex.errors) failures.push(`${label}: ${name} errors ${s.errors} != ${ex.errors}`);
      if (!(rel <= 0.001 + extraTolerance)) failures.push(`${label}: ${name} p95 ${s.latencyMs.p95} vs exact ${p95} (${(rel * 100).toFixed(3)}%)`);
    }
    if (got.size !== data.expected.size) failures.push(`${label}: ${got.size} series, expected ${data.expected.size}`);
  };

  const runners = [];
  if (cliOk) runners.push({ label: 'cli summarize --json', args: (f) => [path.join(ROOT, 'dist/cli.js'), 'summarize', f, '--json'] });
  else console.log('note: dist/cli.js summarize did not run; timing summarizeFile only');
  runners.push({ label: 'summarizeFile', args: (f) => [path.join(ROOT, 'dist/bench-summarize.js'), f] });
  runners.push({ label: 'summarizeFile 1 thread', args: (f) => [path.join(ROOT, 'dist/bench-summarize.js'), f], env: { PB_PARALLEL: '0' }, runs: 1 });

  const jqHey = `jq -R -n '[inputs | select(startswith("response-time") | not) | split(",") | .[0] | tonumber] | sort | {count: length, p95: .[((length * 0.95) | ceil) - 1]}' "$1"`;

  for (const [fmt, file, data] of [
    ['k6-json', k6File, k6],
    ['hey-csv', heyFile, hey],
  ]) {
    for (const r of runners) {
      const times = [];
      const cpu = [];
      let rss = 0;
      for (let i = 0; i < (r.runs ?? RUNS); i++) {
        const res = await timeChild('node', ['--require', preload, ...r.args(file)], { rss: 'preload', env: r.env ?? {} });
        times.push(res.ms);
        cpu.push(res.cpuMs);
        rss = Math.max(rss, res.rssMB);
        if (i === 0) check(`${fmt} ${r.label}`, res.stdout, data);
      }
      rows.push({ fmt, runner: r.label, runs: times.length, min: Math.min(...times), med: median(times), cpu: median(cpu), rss, bytes: data.bytes, lines: data.lines });
    }
    if (process.env.BENCH_JQ !== '0') {
      const res = await timeChild('/bin/sh', ['-c', fmt === 'k6-json' ? JQ_K6 : jqHey, 'sh', file], { rss: 'poll' });
      const jq = JSON.parse(res.stdout);
      // jq keys k6 series by our names (JQ_K6), hey's in seconds: ms here.
      const jqSeries = Array.isArray(jq)
        ? jq
        : [{ count: jq.count, p95: jq.p95 * 1000, name: 'decide' }];
      for (const s of jqSeries) {
        const ex = data.expected.get(s.name);
        const p95 = ex && nearestRank(Float64Array.from(ex.values).sort(), 95);
        if (!ex || s.count !== ex.values.length || Math.abs(s.p95 - p95) > 1e-9 * p95) failures.push(`jq ${fmt}: ${s.name} disagrees with the generator`);
      }
      rows.push({ fmt, runner: 'jq (count + exact p95 per series)', runs: 1, min: res.ms, med: res.ms, cpu: NaN, rss: res.rssMB, bytes: data.bytes, lines: data.lines });
    }
  }

  // ---------- table
  const jqOf = (fmt) => rows.find((r) => r.fmt === fmt && r.runner.startsWith('jq'));
  const header = ['format', 'runner', 'runs', 'min s', 'median s', 'CPU s', 'MB/s', 'lines/s', 'peak RSS MB', 'vs jq', 'target'];
  const table = [header];
  for (const r of rows) {
    const mbps = r.bytes / 1e6 / (r.med / 1000);
    const lps = r.lines / (r.med / 1000);
    const jq = jqOf(r.fmt);
    let target = '';
    if (!r.runner.startsWith('jq') && !r.runner.includes('1 thread')) {
      if (r.fmt === 'k6-json') target = `${mbps >= TARGET.k6MBps ? 'PASS' : 'MISS'} >=1 GB/s, ${r.rss < TARGET.k6RssMB ? 'PASS' : 'MISS'} RSS<120 MB`;
      else target = `${lps >= TARGET.heyRowsPerSec ? 'PASS' : 'MISS'} >=5M rows/s`;
    }
    table.push([
      r.fmt,
      r.runner,
      String(r.runs),
      (r.min / 1000).toFixed(3),
      (r.med / 1000).toFixed(3),
      Number.isNaN(r.cpu) ? '' : (r.cpu / 1000).toFixed(3),
      mbps.toFixed(0),
      `${(lps / 1e6).toFixed(2)}M`,
      r.rss.toFixed(0),
      jq && jq !== r ? `${(jq.med / r.med).toFixed(1)}x faster` : '',
      target,
    ]);
  }
  const widths = header.map((_, c) => Math.max(...table.map((row) => row[c].length)));
  console.log('');
  for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  console.log('');
  console.log(`Machine: ${cpus().length} cores; load average before ${loadBefore}, after ${loadavg().map((x) => x.toFixed(2)).join(' ')} (other work on the machine slows every runner).`);
  console.log('Times are wall-clock for the whole child process (node start-up included), files in the page cache;');
  console.log('MB/s and lines/s use the median; target columns judge the median of the parallel runners.');
  console.log('CPU s: user + system CPU time of the node child (all threads; median run), less sensitive to other load than wall time.');
  console.log('Peak RSS: node children via process.resourceUsage().maxRSS at exit (--require preload); jq via /proc VmHWM polling.');
  // Each section prints its own figures; what it found wrong joins the correctness verdict below.
  const section = async (label, run, print) => {
    const result = await run();
    print(result);
    for (const f of result.failures ?? []) failures.push(`${label}: ${f}`);
  };
  await section('gzip/many files', () => gzipManyBench(timed), printGzipManyBench);
  await section('rows', () => rowsBench(timed), printRowsBench);
  await section('panel', () => panelBench(base), printPanelBench);
  await section('show why', () => whyBench(base), printWhyBench);
  await section('handler discovery', () => discoveryBench(base), printDiscoveryBench);
  await section('prometheus api', () => prometheusApiBench(base), printPrometheusApiBench);
  await section('startup', () => startupBench(base), (startup) => {
    printStartupBench(startup);
    printVsixBench(vsixBench(base));
  });
  printStallBench(await stallBench(ROOT));
  const vscodeStall = await vscodeStallBench(ROOT).catch((e) => ({ error: e }));
  if (vscodeStall.error) failures.push(`extension-host stall in VS Code: ${vscodeStall.error.message}`);
  else await section('extension-host stall in VS Code', () => vscodeStall, printVscodeStallBench);
  await section('k6 realistic', () => k6RealisticBench(timed), printK6RealisticBench);
  if (process.env.BENCH_HUGE !== '0') await section('huge', () => hugeBench(timed), printHugeBench);
  if (failures.length) {
    console.log(`\nCORRECTNESS: FAIL\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  } else {
    console.log(`\nCORRECTNESS: PASS (count, errors and p95 within 0.1% of the exact nearest-rank value, every series, every runner)`);
  }
} finally {
  cleanup();
}
