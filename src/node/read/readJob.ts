/**
 * Reading one whole result file in a worker thread, for formats without a parallel kernel:
 * the extension host hands big files to a worker so its own thread never spends seconds in a
 * reader. Series cross the thread boundary as plain data (histograms encoded).
 */
import type { ReadStream } from 'node:fs';
import { InputError } from '../../core/errors';
import { readSeries } from '../../core/formats/index';
import type { ReadOptions } from '../../core/formats/reader';
import { LatencyHistogram } from '../../core/histograms/latencyHistogram';
import type { FormatId, Series } from '../../core/series';
import { openRegularFile } from '../safeFs';
import { PROGRESS_INTERVAL_MS, startWorker } from './scanPool';

export interface ReadJob {
  kind: 'read';
  file: string;
  head: string;
  fileName: string;
  format: FormatId;
  unit?: ReadOptions['unit'];
  column?: string;
  maxSeries?: number;
}

type WireSeries = Omit<Series, 'histogram'> & { histogram: string | null };

export type ReadReply =
  /** Sent while reading (every PROGRESS_INTERVAL_MS while bytes arrive), before the one final reply. */
  | { type: 'progress'; bytes: number }
  /** `warnings`: what ReadOptions.onWarning was told. */
  | { type: 'series'; series: WireSeries[]; warnings: string[] }
  | { type: 'error'; input: boolean; file: string; reason: string; line?: number; column?: number };

/** Calls `onProgress(bytes read)` every PROGRESS_INTERVAL_MS while the count grows; returns the stop function. */
export function watchBytesRead(stream: ReadStream, onProgress: (bytes: number) => void): () => void {
  let last = 0;
  const timer = setInterval(() => {
    if (stream.bytesRead > last) onProgress((last = stream.bytesRead));
  }, PROGRESS_INTERVAL_MS);
  return () => clearInterval(timer);
}

/** Runs in the worker: reads the file with its format's streaming reader, reporting the bytes read. */
export async function runReadJob(job: ReadJob, onProgress: (bytes: number) => void = () => {}): Promise<ReadReply> {
  let stream: ReadStream | undefined;
  let stopWatching = () => {};
  try {
    // Checked again on the descriptor: a FIFO swapped in since summarizeFile looked is refused, not waited on.
    stream = (await openRegularFile(job.file, job.fileName)).createReadStream({ highWaterMark: 1 << 16 });
    stopWatching = watchBytesRead(stream, onProgress);
    const options: ReadOptions & { format: FormatId } = { fileName: job.fileName, format: job.format };
    if (job.unit) options.unit = job.unit;
    if (job.column) options.column = job.column;
    if (job.maxSeries !== undefined) options.maxSeries = job.maxSeries;
    const warnings: string[] = [];
    options.onWarning = (w) => warnings.push(w);
    const series = await readSeries(stream, job.head, options);
    return { type: 'series', series: series.map((s) => ({ ...s, histogram: s.histogram ? s.histogram.encode() : null })), warnings };
  } catch (e) {
    if (e instanceof InputError) return { type: 'error', input: true, file: e.file, reason: e.reason, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) };
    return { type: 'error', input: false, file: job.fileName, reason: e instanceof Error ? e.message : String(e) };
  } finally {
    stopWatching();
    stream?.destroy();
  }
}

/**
 * Runs in the caller: starts the worker, waits for its reply, rebuilds the Series. Aborting
 * `signal` terminates the worker at once (the read stops mid-file) and rejects with the abort reason.
 */
export function readInWorker(
  script: string,
  job: ReadJob,
  signal?: AbortSignal,
  onProgress?: (bytes: number) => void,
  onWarning?: (message: string) => void,
): Promise<Series[]> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const worker = startWorker(script, job);
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      fn();
    };
    const onAbort = () => finish(() => reject(signal!.reason ?? new DOMException('aborted', 'AbortError')));
    signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (reply: ReadReply) => {
      if (reply.type === 'progress') {
        if (!settled) onProgress?.(reply.bytes);
        return;
      }
      finish(() => {
        if (reply.type === 'series') {
          for (const w of reply.warnings) onWarning?.(w);
          resolve(reply.series.map((w) => ({ ...w, histogram: w.histogram ? LatencyHistogram.decode(w.histogram) : null })));
        }
        else if (reply.input) reject(new InputError(reply.file, reply.reason, reply.line, reply.column));
        else reject(new InputError(job.fileName, `not a valid ${job.format} file (${reply.reason})`));
      });
    });
    worker.once('error', (e) => finish(() => reject(new InputError(job.fileName, `reading failed in a worker (${e.message})`))));
    worker.once('exit', (code) => finish(() => reject(new InputError(job.fileName, `reading stopped: worker exited with code ${code}`))));
  });
}
