/**
 * Reading one whole result file with its format's streaming reader, on the calling thread or
 * in a worker thread (for formats without a parallel kernel, and for gzip files, which cannot be
 * cut into ranges): the extension host hands big files to a worker so its own thread never
 * spends seconds in a reader. Series cross the thread boundary as plain data (histograms encoded).
 */
import type { ReadStream } from 'node:fs';
import { InputError } from '../../core/errors';
import { detectFormat, readSeries } from '../../core/formats/index';
import type { ByteSource, ReadOptions } from '../../core/formats/reader';
import { LatencyHistogram } from '../../core/histograms/latencyHistogram';
import type { FormatId, Series } from '../../core/series';
import { openRegularFile } from '../safeFs';
import { inflatedName, openGunzip } from './gunzipSource';
import { PROGRESS_INTERVAL_MS, startWorker } from './scanPool';

/** What a streaming read of one file needs (plain data: it crosses to a worker). */
export interface StreamRead {
  file: string;
  fileName: string;
  /** "auto": detected from the (inflated) head. */
  format: FormatId | 'auto';
  /** The file's first bytes decoded (decodeHead); for gzip, the inflated ones are read here instead. */
  head: string;
  /** The file starts with the gzip magic: inflate it as it is read. */
  gzip?: boolean;
  unit?: ReadOptions['unit'];
  column?: string;
  maxSeries?: number;
}

export interface ReadJob extends StreamRead {
  kind: 'read';
}

export interface StreamReadHooks {
  signal?: AbortSignal;
  /** Bytes of the file on disk read so far (compressed bytes for gzip), every PROGRESS_INTERVAL_MS while they grow. */
  onProgress?: (bytes: number) => void;
  onWarning?: (message: string) => void;
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

/**
 * Reads the file with its format's streaming reader, inflating it first when `read.gzip`.
 * Opened and checked again: a FIFO swapped in since the caller looked is refused, not waited on.
 */
export async function readStream(read: StreamRead, hooks: StreamReadHooks = {}): Promise<Series[]> {
  const opened = read.gzip ? await openGunzip(read.file, read.fileName, hooks.signal) : await openPlain(read, hooks.signal);
  const stopWatching = hooks.onProgress ? watchBytesRead(opened.file, hooks.onProgress) : () => {};
  try {
    const format = read.format === 'auto' ? detectGzipAware(opened.head, read) : read.format;
    const options: ReadOptions & { format: FormatId } = { fileName: read.fileName, format };
    if (read.unit) options.unit = read.unit;
    if (read.column) options.column = read.column;
    if (read.maxSeries !== undefined) options.maxSeries = read.maxSeries;
    if (hooks.signal) options.signal = hooks.signal;
    if (hooks.onWarning) options.onWarning = hooks.onWarning;
    return await readSeries(opened.source, opened.head, options);
  } finally {
    stopWatching();
    opened.close();
  }
}

/** detectFormat on the (inflated) head; a gzip file by its name without ".gz", its errors naming it whole. */
function detectGzipAware(head: string, read: StreamRead): FormatId {
  if (!read.gzip) return detectFormat(head, read.fileName);
  try {
    return detectFormat(head, inflatedName(read.fileName));
  } catch (e) {
    throw e instanceof InputError ? new InputError(read.fileName, e.reason) : e;
  }
}

/**
 * A plain file's stream. 64 KiB chunks: with 1 MiB ones each decoded chunk is a large-object
 * string that only a full GC frees, and a 2 GB JTL peaked at ~185 MB RSS (~90 MB with these);
 * the speed is the same.
 */
async function openPlain(read: StreamRead, signal?: AbortSignal): Promise<{ head: string; source: ByteSource; file: ReadStream; close(): void }> {
  const file = (await openRegularFile(read.file, read.fileName)).createReadStream({ highWaterMark: 1 << 16, ...(signal ? { signal } : {}) });
  return { head: read.head, source: file, file, close: () => file.destroy() };
}

/** Runs in the worker: readStream, its outcome as one reply. */
export async function runReadJob(job: ReadJob, onProgress: (bytes: number) => void = () => {}): Promise<ReadReply> {
  const warnings: string[] = [];
  try {
    const series = await readStream(job, { onProgress, onWarning: (w) => warnings.push(w) });
    return { type: 'series', series: series.map((s) => ({ ...s, histogram: s.histogram ? s.histogram.encode() : null })), warnings };
  } catch (e) {
    if (e instanceof InputError) return { type: 'error', input: true, file: e.file, reason: e.reason, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) };
    return { type: 'error', input: false, file: job.fileName, reason: e instanceof Error ? e.message : String(e) };
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
      // Settled once the worker is gone: the next read's worker never runs beside it.
      void worker.terminate().then(fn, fn);
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
        else reject(new InputError(job.fileName, `not a valid ${job.format === 'auto' ? 'result' : job.format} file (${reply.reason})`));
      });
    });
    worker.once('error', (e) => finish(() => reject(new InputError(job.fileName, `reading failed in a worker (${e.message})`))));
    worker.once('exit', (code) => finish(() => reject(new InputError(job.fileName, `reading stopped: worker exited with code ${code}`))));
  });
}
