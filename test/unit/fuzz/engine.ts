/**
 * Runs the fuzz cases of one format against its reader, in the calling thread, and classifies
 * each outcome: `series` (a well-formed Series[]), `input-error` (an InputError naming the file,
 * with a sane line), or a failure (any other exception, a malformed Series, a detector that
 * throws, a case over its time bound). Cases come from fast-check with a fixed seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { InputError } from '../../../src/core/errors';
import { decodeHead, readerFor } from '../../../src/core/formats/index';
import { bytesOf } from '../../../src/core/formats/lines';
import type { ReadOptions } from '../../../src/core/formats/reader';
import { FILE_FORMAT_IDS, FORMAT_IDS, type FileFormatId, type Series } from '../../../src/core/series';
import { pickSeed, seedsFor } from './corpus';
import { caseArbitrary, type FuzzCase, hugeArbitrary, materialize } from './mutations';

export interface FuzzJob {
  format: FileFormatId;
  cases: number;
  hugeCases: number;
  seed: number;
  /** Start at this case index (after a hang or crash the pool resumes past the bad case). */
  from: number;
  caseTimeoutMs: number;
  hugeTimeoutMs: number;
}

export interface FuzzFailure {
  index: number;
  seedName: string;
  chunk: number;
  reason: string;
  /** The case's bytes, saved for reproduction (empty for huge cases: they are regenerated). */
  savedTo: string;
}

export interface FuzzReport {
  format: FileFormatId;
  cases: number;
  series: number;
  inputErrors: number;
  /** InputErrors that name a line (the rest name only the file: empty file, no header, whole-file JSON). */
  inputErrorsWithLine: number;
  failures: FuzzFailure[];
  longestMs: number;
  longestCase: number;
  longestBytes: number;
  /** heapUsed + external (ArrayBuffers), MB, after a full GC, once warmed up / at the end; and the largest seen. */
  memStartMB: number;
  memEndMB: number;
  memPeakMB: number;
  totalMs: number;
}

/** A flattened Series must hold only finite numbers or null where a number is expected. */
function checkSeries(out: unknown, format: FileFormatId, fileName: string): string | null {
  if (!Array.isArray(out)) return `read() resolved with ${typeof out}, not an array`;
  for (const s of out as Series[]) {
    if (!s || typeof s !== 'object') return 'a series is not an object';
    if (typeof s.name !== 'string') return `series name is ${typeof s.name}`;
    if (!(FORMAT_IDS as readonly string[]).includes(s.format)) return `series format ${String(s.format)}`;
    if (s.source !== fileName) return `series source ${JSON.stringify(s.source)} is not the file`;
    for (const k of ['count', 'errors', 'durationSec', 'throughputPerSec', 'minMs', 'maxMs', 'meanMs'] as const) {
      const v = s[k];
      if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) return `${s.name}: ${k} is ${String(v)}`;
    }
    for (const k of ['count', 'errors'] as const) {
      const v = s[k];
      if (v !== null && v < 0) return `${s.name}: ${k} is negative (${v})`;
    }
    if (s.percentiles) {
      for (const [p, v] of Object.entries(s.percentiles)) if (typeof v !== 'number' || !Number.isFinite(v)) return `${s.name}: p${p} is ${String(v)}`;
    }
    if (s.histogram) {
      const h = s.histogram;
      if (h.count > 0 && !Number.isFinite(h.percentileMs(95))) return `${s.name}: histogram p95 ${h.percentileMs(95)}`;
    }
  }
  void format;
  return null;
}

function checkError(e: unknown, fileName: string, lines: number): string | null {
  if (!(e instanceof InputError)) {
    const err = e as Error;
    return `${err?.name ?? typeof e}: ${err?.message ?? String(e)}${err?.stack ? ` @ ${err.stack.split('\n').slice(1, 4).map((l) => l.trim()).join(' | ')}` : ''}`;
  }
  if (e.file !== fileName || !e.message.startsWith(fileName)) return `InputError does not name the file: ${e.message}`;
  if (e.line !== undefined && (!Number.isInteger(e.line) || e.line < 1 || e.line > lines + 1)) return `InputError line ${e.line} outside 1..${lines + 1}: ${e.message}`;
  if (e.message.length > 1000) return `InputError message of ${e.message.length} chars`;
  return null;
}

class CaseTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CaseTimeout(`no outcome within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

let gcFn: (() => void) | null = null;
function gc(): void {
  if (!gcFn) {
    setFlagsFromString('--expose-gc');
    gcFn = runInNewContext('gc') as () => void;
  }
  gcFn();
}
function memMB(): number {
  const m = process.memoryUsage();
  return (m.heapUsed + m.external) / 1048576;
}

/** Generates the job's cases: `cases` small ones, then `hugeCases` 10 MB-line ones. */
export function generateCases(job: Pick<FuzzJob, 'cases' | 'hugeCases' | 'seed'>, from = 0): Generator<{ index: number; c: FuzzCase }> {
  const BATCH = 500;
  const small = caseArbitrary();
  return (function* () {
    const first = Math.floor(from / BATCH);
    for (let b = first; b * BATCH < job.cases; b++) {
      const n = Math.min(BATCH, job.cases - b * BATCH);
      const batch = fc.sample(small, { seed: (job.seed + b * 7919) | 0, numRuns: n });
      for (let i = 0; i < n; i++) if (b * BATCH + i >= from) yield { index: b * BATCH + i, c: batch[i]! };
    }
    if (job.hugeCases > 0) {
      const huge = fc.sample(hugeArbitrary(), { seed: (job.seed ^ 0x5eed) | 0, numRuns: job.hugeCases });
      for (let i = 0; i < huge.length; i++) if (job.cases + i >= from) yield { index: job.cases + i, c: huge[i]! };
    }
  })();
}

const UNITS: Array<ReadOptions['unit']> = [undefined, undefined, undefined, 'ns', 'us', 'ms', 's'];
const COLUMNS = [undefined, undefined, undefined, 'latency_ms', 'status', 'nope', ''];

/** Runs the job; `progress(i, series, inputErrors)` is called before each case with the counts so far (the pool's watchdog reads them). */
export async function runFuzzJob(job: FuzzJob, progress: (index: number, series: number, inputErrors: number) => void = () => {}): Promise<FuzzReport> {
  const reader = readerFor(job.format);
  const seeds = seedsFor(job.format);
  const others = FILE_FORMAT_IDS.filter((f) => f !== job.format).flatMap((f) => seedsFor(f).map((s) => s.bytes.subarray(0, 4096)));
  const failDir = path.join(tmpdir(), 'perf-budgets-fuzz-failures');
  const report: FuzzReport = {
    format: job.format, cases: 0, series: 0, inputErrors: 0, inputErrorsWithLine: 0, failures: [], longestMs: 0, longestCase: -1, longestBytes: 0,
    memStartMB: 0, memEndMB: 0, memPeakMB: 0, totalMs: 0,
  };
  const t0 = performance.now();
  let warm = false;
  for (const { index, c } of generateCases(job, job.from)) {
    progress(index, report.series, report.inputErrors);
    // Self-test of the pool's watchdog: PB_FUZZ_SELFTEST_HANG=<format>:<case> loops forever there.
    if (process.env.PB_FUZZ_SELFTEST_HANG === `${job.format}:${index}`) for (;;);
    const seed = pickSeed(seeds, c.seed, c.opts);
    const bytes = materialize(c, seed.bytes, others);
    // Byte-sized chunks of a large input only cost time: they are exercised on the small ones.
    const chunk = bytes.length > 16384 ? Math.max(c.chunk, 4096) : c.chunk;
    const fileName = `fuzz/${job.format}/${seed.fileName}`;
    const options: ReadOptions = { fileName };
    if (job.format === 'samples' || job.format === 'hdr-log') {
      const unit = UNITS[c.opts % UNITS.length];
      if (unit) options.unit = unit;
      const column = COLUMNS[(c.opts >> 3) % COLUMNS.length];
      if (column !== undefined && job.format === 'samples') options.column = column;
    }
    const huge = c.kind === 'hugeLine';
    const start = performance.now();
    let reason: string | null = null;
    try {
      reader.detect(decodeHead(bytes), fileName);
    } catch (e) {
      reason = `detect() threw ${(e as Error)?.name}: ${(e as Error)?.message}`;
    }
    if (reason === null) {
      try {
        const out = await withTimeout(reader.read(bytesOf(bytes, chunk), options), huge ? job.hugeTimeoutMs : job.caseTimeoutMs);
        reason = checkSeries(out, job.format, fileName);
        if (reason === null) report.series++;
      } catch (e) {
        if (e instanceof CaseTimeout) reason = `hang: ${e.message}`;
        else {
          let lines = 1;
          for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
          reason = checkError(e, fileName, lines);
          if (reason === null) {
            report.inputErrors++;
            if ((e as InputError).line !== undefined) report.inputErrorsWithLine++;
          }
        }
      }
    }
    const ms = performance.now() - start;
    report.cases++;
    if (ms > report.longestMs) {
      report.longestMs = ms;
      report.longestCase = index;
      report.longestBytes = bytes.length;
    }
    if (reason !== null) {
      let savedTo = '';
      if (!huge && report.failures.length < 20) {
        mkdirSync(failDir, { recursive: true });
        savedTo = path.join(failDir, `${job.format}-seed${job.seed}-case${index}.bin`);
        writeFileSync(savedTo, bytes);
      }
      if (report.failures.length < 200) report.failures.push({ index, seedName: seed.name, chunk, reason, savedTo });
    }
    if (!warm && report.cases >= 50) {
      gc();
      report.memStartMB = memMB();
      report.memPeakMB = report.memStartMB;
      warm = true;
    }
    if (warm && (report.cases % 250 === 0 || huge)) report.memPeakMB = Math.max(report.memPeakMB, memMB());
  }
  gc();
  gc();
  report.memEndMB = memMB();
  if (!warm) report.memStartMB = report.memEndMB;
  report.memPeakMB = Math.max(report.memPeakMB, report.memEndMB);
  report.totalMs = performance.now() - t0;
  return report;
}
