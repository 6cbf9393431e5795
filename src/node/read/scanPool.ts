/**
 * Parallel scan of one large k6-json / hey-csv file. The file is cut into tasks (byte
 * ranges; a range owns the lines that start in it). Worker threads, and optionally the main
 * thread too, claim tasks from a shared atomic counter and read their ranges themselves
 * (positioned reads in 4 MiB chunks into one reused buffer: nothing is copied through the
 * main thread, memory stays a few MiB per thread). Each participant runs the same kernel
 * `read()` uses and returns one partial aggregate (encoded histograms + counts); they merge
 * here, in any order, to the same Series.
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InputError } from '../../core/errors';
import type { KernelSpec } from '../../core/formats/reader';
import type { KernelResult, PartialAggregate } from '../../core/formats/seriesAccumulator';
import { seriesFromPartials, seriesToKeep } from '../../core/formats/seriesAccumulator';
import { SeriesLimit } from '../../core/formats/seriesLimit';
import type { Series } from '../../core/series';
import { NONBLOCKING_READ } from '../safeFs';
import type { ScanJob, ScanReply } from './scanJob';
import { runScanJob } from './scanJob';

/** How often a read reports the bytes read so far (readJob.ts uses the same). */
export const PROGRESS_INTERVAL_MS = 250;

export interface ParallelScanOptions {
  /** Threads scanning, the main thread included when `mainThread` (default: 2). */
  threads: number;
  /**
   * Let the calling thread scan too (fastest: it starts at once while workers boot). Off by
   * default: an editor's extension host must not block for the length of a scan.
   */
  mainThread?: boolean;
  /** Byte offset where the data lines start (after a CSV header). */
  dataStart: number;
  /** Bytes per task (default: about 8 tasks per thread, 4..32 MiB). */
  taskBytes?: number;
  signal?: AbortSignal;
  /** The worker script (default: next to this bundle, or the .ts source under tsx). */
  workerScript?: string;
  /** Called about every 250 ms with the bytes scanned so far (a lower bound: tasks finished). */
  onProgress?: (bytes: number) => void;
  /** Told when series past the limit (`spec.maxSeries`) were skipped. */
  onWarning?: (message: string) => void;
}

/** The worker entry: dist/worker.js beside dist/cli.js (bundled), or the TS source in tests. */
export function defaultWorkerScript(): string | null {
  const ts = __filename.endsWith('.ts');
  const p = path.join(__dirname, ts ? 'scanWorker.ts' : 'worker.js');
  return existsSync(p) ? p : null;
}

/** Worker threads started here and not exited yet, and the most alive at once since resetWorkerPeak (what tests check the bound on). */
const alive = { live: 0, peak: 0 };

export function workersAlive(): { live: number; peak: number } {
  return { ...alive };
}

export function resetWorkerPeak(): void {
  alive.peak = alive.live;
}

/** Starts the worker entry with its job; from TypeScript sources (tests) through tsx's require hook. */
export function startWorker(script: string, workerData: unknown): Worker {
  const worker = script.endsWith('.ts')
    ? new Worker(`require('tsx/cjs'); require(${JSON.stringify(script)});`, { eval: true, workerData })
    : new Worker(script, { workerData });
  alive.peak = Math.max(alive.peak, ++alive.live);
  worker.once('exit', () => alive.live--);
  return worker;
}

/**
 * Scans the file and merges what the participants found. Past `spec.maxSeries` series, the
 * file's first ones are kept, as one thread would keep them; when a participant skipped one
 * of those (its own ranges held others first), the file is scanned again admitting exactly them.
 */
export async function scanFileParallel(file: string, size: number, spec: KernelSpec, options: ParallelScanOptions): Promise<Series[]> {
  const max = SeriesLimit.of(spec).max;
  let parts = await scanParts(file, size, spec, options);
  const kept = seriesToKeep(parts, max);
  if (kept && !kept.exact) parts = await scanParts(file, size, { ...spec, admit: [...kept.keep] }, options);
  const limit = new SeriesLimit(max, kept?.keep ?? null);
  const series = seriesFromPartials(parts, spec.fileName, spec.format, limit);
  limit.report({ fileName: spec.fileName, onWarning: options.onWarning });
  return series;
}

async function scanParts(file: string, size: number, spec: KernelSpec, options: ParallelScanOptions): Promise<Array<PartialAggregate | KernelResult>> {
  options.signal?.throwIfAborted();
  const dataBytes = Math.max(0, size - options.dataStart);
  const threads = Math.max(1, options.threads);
  const taskBytes = options.taskBytes ?? Math.min(32 << 20, Math.max(4 << 20, Math.ceil(dataBytes / (8 * threads))));
  const taskCount = Math.ceil(dataBytes / taskBytes);
  const mainThread = options.mainThread ?? false;
  const workerCount = Math.max(mainThread ? 0 : 1, Math.min(threads - (mainThread ? 1 : 0), taskCount));
  const job: ScanJob = { file, size, spec, dataStart: options.dataStart, taskBytes, taskCount, control: new SharedArrayBuffer(4 * (2 + workerCount)) };
  const ctl = new Int32Array(job.control);
  const script = workerCount > 0 ? (options.workerScript ?? defaultWorkerScript()) : null;
  if (workerCount > 0 && !script) throw new Error('worker script not found');

  const workers: Worker[] = [];
  const replies: Array<Promise<ScanReply>> = [];
  const stop = () => Atomics.store(ctl, 1, 1);
  for (let i = 0; i < workerCount; i++) {
    const w = startWorker(script!, { ...job, slot: i } satisfies ScanJob);
    workers.push(w);
    replies.push(
      new Promise<ScanReply>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`scan worker exited with code ${code}`)));
      }),
    );
  }
  const onAbort = () => {
    stop();
    for (const w of workers) void w.terminate();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // Tasks claimed beyond one per participant are finished ones (each claims the next when done).
  const participants = workerCount + (mainThread ? 1 : 0);
  const onProgress = options.onProgress;
  const progress = onProgress
    ? setInterval(() => {
        const claimed = Math.min(taskCount, Atomics.load(ctl, 0));
        onProgress(options.dataStart + Math.min(dataBytes, Math.max(0, claimed - participants) * taskBytes));
      }, PROGRESS_INTERVAL_MS)
    : undefined;
  try {
    const all: ScanReply[] = [];
    if (mainThread) all.push(runScanJob(job, true));
    if (all[0]?.type === 'error') stop();
    // Every task is done: a worker that has not started claiming (still booting, on a busy
    // machine) has nothing to add; it is told so and terminated, not waited for.
    const waited = replies.filter((reply, i) => {
      const late = mainThread && Atomics.compareExchange(ctl, 2 + i, 0, 2) === 0;
      if (late) reply.catch(() => undefined);
      return !late;
    });
    try {
      all.push(...(await Promise.all(waited)));
    } catch (e) {
      options.signal?.throwIfAborted(); // a worker terminated by the abort: report the abort
      throw e;
    }
    options.signal?.throwIfAborted();
    const partials: Array<PartialAggregate | KernelResult> = [];
    for (const r of all) {
      if (r.type === 'partial') {
        partials.push(r.partial);
        continue;
      }
      if (!r.input) throw new Error(r.reason);
      if (r.line === undefined || r.lineStart < 0) throw new InputError(spec.fileName, r.reason);
      throw new InputError(spec.fileName, r.reason, countNewlines(file, r.lineStart) + r.line);
    }
    return partials;
  } finally {
    if (progress) clearInterval(progress);
    options.signal?.removeEventListener('abort', onAbort);
    // Gone before the next read starts its own: at most `threads` workers are ever alive.
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** Newlines in the first `upTo` bytes: the line number base of a range (error path only). */
function countNewlines(file: string, upTo: number): number {
  const fd = openSync(file, NONBLOCKING_READ);
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let count = 0;
    for (let pos = 0; pos < upTo; ) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, upTo - pos), pos);
      if (n === 0) break;
      for (let i = buf.indexOf(10); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) count++;
      pos += n;
    }
    return count;
  } finally {
    closeSync(fd);
  }
}
