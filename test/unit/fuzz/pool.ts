/**
 * Runs fuzz jobs (one per format) on worker threads, one per core. Each worker has a heap
 * limit (the memory bound: a case that needs more kills the worker, which is reported as a
 * failure of that case) and a watchdog: a case that has not finished after `hangMs` is a hang;
 * the worker is terminated and the job resumes after that case in a fresh worker.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileFormatId } from '../../../src/core/series';
import type { FuzzJob, FuzzReport } from './engine';

export interface PoolOptions {
  formats: readonly FileFormatId[];
  cases: number;
  hugeCases: number;
  seed: number;
  threads?: number;
  caseTimeoutMs?: number;
  hugeTimeoutMs?: number;
  /** Heap limit of a worker (old generation), MB. */
  maxHeapMB?: number;
}

const WORKER = path.join(__dirname, 'fuzzWorker.ts');

function merge(a: FuzzReport | undefined, b: FuzzReport): FuzzReport {
  if (!a) return b;
  return {
    ...b,
    cases: a.cases + b.cases,
    series: a.series + b.series,
    inputErrors: a.inputErrors + b.inputErrors,
    inputErrorsWithLine: a.inputErrorsWithLine + b.inputErrorsWithLine,
    failures: [...a.failures, ...b.failures],
    longestMs: Math.max(a.longestMs, b.longestMs),
    longestCase: a.longestMs >= b.longestMs ? a.longestCase : b.longestCase,
    longestBytes: a.longestMs >= b.longestMs ? a.longestBytes : b.longestBytes,
    memStartMB: a.memStartMB || b.memStartMB,
    memPeakMB: Math.max(a.memPeakMB, b.memPeakMB),
    totalMs: a.totalMs + b.totalMs,
  };
}

export async function runFuzzPool(options: PoolOptions): Promise<FuzzReport[]> {
  const threads = Math.max(1, Math.min(options.threads ?? availableParallelism(), options.formats.length));
  const caseTimeoutMs = options.caseTimeoutMs ?? 5000;
  const hugeTimeoutMs = options.hugeTimeoutMs ?? 60_000;
  const queue: FuzzJob[] = options.formats.map((format) => ({
    format, cases: options.cases, hugeCases: options.hugeCases, seed: options.seed, from: 0, caseTimeoutMs, hugeTimeoutMs,
  }));
  const reports = new Map<FileFormatId, FuzzReport>();

  const runOne = (job: FuzzJob): Promise<void> =>
    new Promise((resolve, reject) => {
      const shared = new SharedArrayBuffer(16);
      const progress = new Int32Array(shared);
      Atomics.store(progress, 0, job.from);
      const w = new Worker(`require('tsx/cjs'); require(${JSON.stringify(WORKER)});`, {
        eval: true,
        workerData: { progress: shared },
        resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMB ?? 512 },
      });
      let settled = false;
      let lastTick = -1;
      let lastChange = Date.now();
      const isHuge = () => Atomics.load(progress, 0) >= job.cases;
      const watchdog = setInterval(() => {
        const tick = Atomics.load(progress, 1);
        if (tick !== lastTick) {
          lastTick = tick;
          lastChange = Date.now();
          return;
        }
        // Worker start-up (tsx, first imports) counts against the first case; allow for it.
        const limit = (isHuge() ? hugeTimeoutMs : caseTimeoutMs) * 2 + (tick === 0 ? 20_000 : 0);
        if (Date.now() - lastChange > limit) abort(`hang: case still running after ${limit} ms (a synchronous loop)`);
      }, 250);
      const finish = () => {
        settled = true;
        clearInterval(watchdog);
      };
      /** The case in progress broke the worker: record it, resume after it. */
      const abort = (reason: string) => {
        if (settled) return;
        finish();
        const index = Atomics.load(progress, 0);
        const done = Math.max(0, index - job.from);
        const partial: FuzzReport = {
          format: job.format, cases: done + 1, series: Atomics.load(progress, 2), inputErrors: Atomics.load(progress, 3), inputErrorsWithLine: 0, longestMs: 0, longestCase: -1, longestBytes: 0,
          failures: [{ index, seedName: '?', chunk: 0, reason, savedTo: '' }], memStartMB: 0, memEndMB: 0, memPeakMB: 0, totalMs: 0,
        };
        reports.set(job.format, merge(reports.get(job.format), partial));
        void w.terminate();
        const rest = { ...job, from: index + 1 };
        if (rest.from < job.cases + job.hugeCases) queue.unshift(rest);
        resolve();
      };
      w.on('message', (msg: { ok: boolean; report?: FuzzReport; error?: string }) => {
        if (settled) return;
        finish();
        void w.terminate();
        if (!msg.ok) reject(new Error(`fuzz worker for ${job.format}: ${msg.error}`));
        else {
          reports.set(job.format, merge(reports.get(job.format), msg.report!));
          resolve();
        }
      });
      w.on('error', (e) => abort(`worker died: ${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`));
      w.on('exit', (code) => abort(`worker exited with code ${code}`));
      w.postMessage(job);
    });

  const lanes = Array.from({ length: threads }, async () => {
    for (let job = queue.shift(); job; job = queue.shift()) await runOne(job);
  });
  await Promise.all(lanes);
  return options.formats.map((f) => reports.get(f)!);
}
