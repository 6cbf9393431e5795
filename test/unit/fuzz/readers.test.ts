/**
 * Seeded fuzzing of every result reader (the hardening issue): per format, 10,000 small cases
 * (mutated real fixtures: truncation, bit flips, NULs, invalid UTF-8, huge/negative/NaN numbers,
 * fields and JSON values replaced, UTF-16/Latin-1, CRLF/CR, BOMs, lines deleted/duplicated/
 * swapped/inserted, other formats spliced in; and documents fast-check builds from scratch), fed
 * in chunks of 1 byte to 1 MiB, plus one 10 MB single-line case (more in `npm run fuzz`). Each case must end in a
 * well-formed Series[] or an InputError naming the file (and a line inside it), within its time
 * bound, in a worker whose heap is capped; heap + external memory after a GC must not grow.
 *
 * Env: PB_FUZZ_CASES (per format, default 10000), PB_FUZZ_HUGE (10 MB cases per format, default
 * 1), PB_FUZZ_SEED (default 20240501; "random" picks one and prints it), PB_FUZZ_FORMATS
 * (comma-separated ids), PB_FUZZ_SELFTEST_HANG=<format>:<case> (that case loops forever: checks the
 * watchdog reports a hang and the run goes on). `npm run fuzz` is the long run: 10x the cases, 8 huge cases, a random seed.
 */
import assert from 'node:assert/strict';
import { FILE_FORMAT_IDS, type FileFormatId } from '../../../src/core/series';
import type { FuzzReport } from './engine';
import { runFuzzPool } from './pool';

const CASES = Number(process.env.PB_FUZZ_CASES ?? 10_000);
const HUGE = Number(process.env.PB_FUZZ_HUGE ?? 1);
const SEED = process.env.PB_FUZZ_SEED === 'random' ? (Math.random() * 2 ** 31) | 0 : Number(process.env.PB_FUZZ_SEED ?? 20240501);
const FORMATS = (process.env.PB_FUZZ_FORMATS ? process.env.PB_FUZZ_FORMATS.split(',') : [...FILE_FORMAT_IDS]) as FileFormatId[];
/** Heap + external memory may grow by at most this much over a format's run (after GC). */
const GROWTH_BOUND_MB = 32;
const HEAP_LIMIT_MB = 512;

describe('fuzzing every reader (seeded)', function () {
  this.timeout(Math.max(300_000, CASES * FORMATS.length * 5));
  let reports: FuzzReport[] = [];
  let wallMs = 0;

  before(async () => {
    const t0 = Date.now();
    reports = await runFuzzPool({ formats: FORMATS, cases: CASES, hugeCases: HUGE, seed: SEED, maxHeapMB: HEAP_LIMIT_MB });
    wallMs = Date.now() - t0;
    const rows = [['format', 'cases', 'Series', 'InputError', '(with line)', 'failures', 'longest ms', '(case, bytes)', 'mem MB start→end (peak)', 'memory']];
    for (const r of reports) {
      const growth = r.memEndMB - r.memStartMB;
      rows.push([
        r.format, String(r.cases), String(r.series), String(r.inputErrors), `${Math.round((100 * r.inputErrorsWithLine) / Math.max(1, r.inputErrors))}%`, String(r.failures.length), r.longestMs.toFixed(1),
        `#${r.longestCase}, ${r.longestBytes}`, `${r.memStartMB.toFixed(1)}→${r.memEndMB.toFixed(1)} (${r.memPeakMB.toFixed(0)})`,
        growth < GROWTH_BOUND_MB ? `ok <${GROWTH_BOUND_MB} MB` : 'GREW',
      ]);
    }
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
    const longest = reports.reduce((a, b) => (b.longestMs > a.longestMs ? b : a));
    console.log(`\n  fuzz: seed ${SEED}, ${CASES} cases + ${HUGE} x 10 MB-line cases per format, worker heap limit ${HEAP_LIMIT_MB} MB`);
    for (const row of rows) console.log(`    ${row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()}`);
    console.log(
      `    total ${reports.reduce((n, r) => n + r.cases, 0)} cases in ${(wallMs / 1000).toFixed(1)} s; longest case ${longest.longestMs.toFixed(1)} ms (${longest.format} #${longest.longestCase})`,
    );
    for (const r of reports) {
      for (const f of r.failures.slice(0, 5)) console.log(`    FAIL ${r.format} #${f.index} (seed ${f.seedName}, chunk ${f.chunk}): ${f.reason}${f.savedTo ? ` [${f.savedTo}]` : ''}`);
    }
  });

  for (const format of FORMATS) {
    it(`${format}: every case ends in Series[] or an InputError naming the file, bounded in time and memory`, () => {
      const r = reports.find((x) => x.format === format);
      assert.ok(r, 'ran');
      assert.equal(r.cases, CASES + HUGE, 'cases run');
      assert.deepEqual(
        r.failures.slice(0, 5).map((f) => `#${f.index}: ${f.reason}`),
        [],
        `${r.failures.length} failing cases (seed ${SEED})`,
      );
      assert.ok(r.memEndMB - r.memStartMB < GROWTH_BOUND_MB, `memory grew ${r.memStartMB.toFixed(1)} → ${r.memEndMB.toFixed(1)} MB`);
    });
  }
});
