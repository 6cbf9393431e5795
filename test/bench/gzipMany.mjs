// Gzip and many files (issue #19, items 3 and 4), `node test/bench/bench.mjs --gzip-only`:
//
//  - gzip: a ~500 MB realistic k6 NDJSON (k6Realistic.mjs) compressed with `gzip -6 -n` (no name
//    or time in the header, as k6's own `--out json=results.gz` writer leaves them), read by
//    `node dist/cli.js summarize FILE.gz --json`, beside `zcat FILE.gz > /dev/null` (the physical
//    limit: inflating alone) and `zcat FILE.gz | jq` computing the same answer (count and
//    nearest-rank p95 per series), all in this run. MB/s are of inflated bytes. Target: within
//    1.3x of zcat alone.
//  - many files: 8 copies of that NDJSON (8 generators' outputs) read by one `summarize` call,
//    beside one of them read alone and `cat` of the 8 (reading alone): MB/s over all bytes and
//    the process's peak RSS (worker threads included), beside 2 of them (as many as this 2-core
//    machine's workers). Targets: the 8 files at least 0.9x the MB/s of one; peak RSS at most
//    1.1x that of 2 files (memory bounded by the workers, not the files).
//
// Counts are checked against the generator's exact answers (x8 for the 8 files). Files go to the
// bench's temp dir and are deleted right after their part.
// Env: BENCH_SCALE (default 1) scales the 500 MB; BENCH_RUNS (default 3) runs of ours and zcat,
// best kept; BENCH_JQ=0 skips jq.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { writeK6Realistic } from './k6Realistic.mjs';

const TARGET = { vsZcat: 1.3, manyVsOne: 0.9, rssVsTwo: 1.1 };
const FILES = 8;

/** jq's answer per series, keyed as our reader keys k6 series: method + the URL name's path (query dropped). */
const JQ_K6 = `zcat "$1" | jq -n '[inputs | select(.type == "Point" and .metric == "http_req_duration") | [(.data.tags.method + " " + (.data.tags.name | sub("^https?://[^/]+"; "") | sub("\\\\?.*$"; ""))), .data.value]] | group_by(.[0]) | map({name: .[0][0], count: length, p95: (map(.[1]) | sort | .[((length * 0.95) | ceil) - 1])})'`;

async function best(runs, run) {
  let top = null;
  for (let i = 0; i < runs; i++) {
    const r = await run();
    if (!top || r.ms < top.ms) top = { ...r, rssMB: Math.max(r.rssMB, top?.rssMB ?? 0) };
    else top.rssMB = Math.max(top.rssMB, r.rssMB);
  }
  return top;
}

/** Differences between the CLI's --json series and the generator's answers (each count x `times`). */
function check(what, stdout, answers, times) {
  const got = new Map(JSON.parse(stdout).series.map((s) => [s.name, s]));
  const failures = [];
  for (const [key, ex] of answers.expected) {
    const s = got.get(key);
    if (!s) failures.push(`${what}: series ${key} missing`);
    else if (s.count !== ex.count * times || s.errors !== ex.errors * times) failures.push(`${what}: ${key} count/errors ${s.count}/${s.errors} != ${ex.count * times}/${ex.errors * times}`);
    else if (!(Math.abs(s.latencyMs.p95 - ex.p95) / ex.p95 <= 0.001)) failures.push(`${what}: ${key} p95 ${s.latencyMs.p95} vs exact ${ex.p95}`);
  }
  return failures;
}

export async function gzipManyBench({ root, tmp, preload, timeChild }) {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const runs = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
  const cli = path.join(root, 'dist/cli.js');
  const ours = (files) => timeChild('node', ['--require', preload, cli, 'summarize', ...files, '--json'], { rss: 'preload' });
  const plain = path.join(tmp, 'k6-results.json');
  const gz = `${plain}.gz`;
  const copies = Array.from({ length: FILES }, (_, i) => path.join(tmp, `k6-generator-${i + 1}.json`));
  const failures = [];
  const result = { scale, runs, failures };
  try {
    const answers = await writeK6Realistic(plain, { bytes: Math.round(500e6 * scale) });
    result.bytes = answers.bytes;
    execFileSync('/bin/sh', ['-c', 'gzip -6 -n -c "$1" > "$2"', 'sh', plain, gz]);
    result.gzBytes = statSync(gz).size;

    // Gzip: ours beside zcat alone and zcat | jq.
    result.zcat = await best(runs, () => timeChild('/bin/sh', ['-c', 'zcat "$1" > /dev/null', 'sh', gz], { rss: 'poll' }));
    result.gzip = await best(runs, () => ours([gz]));
    failures.push(...check('gzip', result.gzip.stdout, answers, 1));
    if (process.env.BENCH_JQ !== '0') {
      result.jq = await timeChild('/bin/sh', ['-c', JQ_K6, 'sh', gz], { rss: 'poll' });
      for (const s of JSON.parse(result.jq.stdout)) {
        const ex = answers.expected.get(s.name);
        if (!ex || s.count !== ex.count || Math.abs(s.p95 - ex.p95) > 1e-9 * ex.p95) failures.push(`jq: ${s.name} disagrees with the generator`);
      }
    }
    rmSync(gz, { force: true });

    // Many files: 8 generators' outputs in one summarize, beside one alone and cat of the 8.
    for (const c of copies) copyFileSync(plain, c);
    result.one = await best(runs, () => ours([copies[0]]));
    failures.push(...check('one file', result.one.stdout, answers, 1));
    result.cat = await best(Math.min(runs, 2), () => timeChild('/bin/sh', ['-c', 'cat "$@" > /dev/null', 'sh', ...copies], { rss: 'poll' }));
    result.two = await best(Math.min(runs, 2), () => ours(copies.slice(0, 2)));
    result.many = await best(Math.min(runs, 2), () => ours(copies));
    // summarize lists each file's series, in file order: each copy must give the exact answers.
    const series = JSON.parse(result.many.stdout).series;
    if (series.length !== FILES * answers.expected.size) failures.push(`${FILES} files: ${series.length} series, not ${FILES} x ${answers.expected.size}`);
    const per = answers.expected.size;
    for (let i = 0; i < FILES; i++) failures.push(...check(`${FILES} files, file ${i + 1}`, JSON.stringify({ series: series.slice(i * per, (i + 1) * per) }), answers, 1));
  } catch (e) {
    failures.push(e.message);
  } finally {
    for (const f of [plain, gz, ...copies]) rmSync(f, { force: true });
  }
  return result;
}

export function printGzipManyBench(r) {
  const mbps = (bytes, ms) => (bytes / 1e6 / (ms / 1000)).toFixed(0);
  console.log(`\nGzip and many files (realistic k6 NDJSON, ${(r.bytes / 1e6).toFixed(0)} MB; best of ${r.runs}; deleted after)`);
  if (r.gzip && r.zcat) {
    const ratio = r.gzip.ms / r.zcat.ms;
    console.log(`  .gz (gzip -6, ${(r.gzBytes / 1e6).toFixed(1)} MB): ours ${(r.gzip.ms / 1000).toFixed(2)} s = ${mbps(r.bytes, r.gzip.ms)} MB/s inflated, peak RSS ${r.gzip.rssMB.toFixed(0)} MB`);
    console.log(`    zcat > /dev/null ${(r.zcat.ms / 1000).toFixed(2)} s = ${mbps(r.bytes, r.zcat.ms)} MB/s; ours/zcat ${ratio.toFixed(2)}x  target <= ${TARGET.vsZcat}x ${ratio <= TARGET.vsZcat ? 'PASS' : 'MISS'}`);
    if (r.jq) console.log(`    zcat | jq ${(r.jq.ms / 1000).toFixed(1)} s = ${mbps(r.bytes, r.jq.ms)} MB/s, peak RSS ${r.jq.rssMB.toFixed(0)} MB; ours ${(r.jq.ms / r.gzip.ms).toFixed(1)}x faster`);
  }
  if (r.many && r.one && r.two) {
    const total = r.bytes * FILES;
    const vsOne = r.one.ms * FILES / r.many.ms;
    const vsTwo = r.many.rssMB / r.two.rssMB;
    console.log(`  ${FILES} files x ${(r.bytes / 1e6).toFixed(0)} MB in one summarize: ${(r.many.ms / 1000).toFixed(2)} s = ${mbps(total, r.many.ms)} MB/s, peak RSS ${r.many.rssMB.toFixed(0)} MB`);
    console.log(`    one file alone ${mbps(r.bytes, r.one.ms)} MB/s (RSS ${r.one.rssMB.toFixed(0)} MB); ${FILES} files / one ${vsOne.toFixed(2)}x  target >= ${TARGET.manyVsOne}x ${vsOne >= TARGET.manyVsOne ? 'PASS' : 'MISS'}`);
    console.log(`    2 files ${mbps(2 * r.bytes, r.two.ms)} MB/s, peak RSS ${r.two.rssMB.toFixed(0)} MB; RSS ${FILES} files / 2 files ${vsTwo.toFixed(2)}x  target <= ${TARGET.rssVsTwo}x ${vsTwo <= TARGET.rssVsTwo ? 'PASS' : 'MISS'}`);
    if (r.cat) console.log(`    cat of the ${FILES} > /dev/null ${mbps(total, r.cat.ms)} MB/s`);
  }
  if (r.failures.length) console.log(`  gzip/many files: ${r.failures.slice(0, 10).join('; ')}${r.failures.length > 10 ? `; and ${r.failures.length - 10} more` : ''}`);
}
