/**
 * readFiles: the one schedule by which the CLI and the extension read a benchmark's result
 * files (workspaceFiles.ts readBenchmarkResults, cli.ts summarize).
 *
 * Invariants:
 * - At most `threads` threads read at once, whatever the number of files: `lanes` =
 *   min(threads, files) files are read at a time, each with threads / lanes threads (one file:
 *   all of them, the calling thread among them when `mainThread`; several files: worker threads
 *   only, so one file's scan never holds up the others'). Memory grows with the lanes (each read
 *   holds a few MiB of buffers), not with the files.
 * - Outcomes come back in the order of `files`, whatever order the reads finish in; merging
 *   them (mergeSeries, an HDR `add`) is exact, so the result equals reading them one by one.
 * - With `stopAfterError`, a failed file stops the reads of the files after it (running ones
 *   are aborted, pending ones skipped: their outcomes are `skipped`); the files before it are
 *   still read, so the first failure in file order is always the one reported.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Series } from '../../core/series';
import { type SummarizeOptions, summarizeFile } from './summarizeFile';

/** One file to read: its path and how (its format, unit, column, name as shown). */
export interface FileToRead {
  file: string;
  options?: Pick<SummarizeOptions, 'format' | 'unit' | 'column' | 'displayName'>;
}

export type FileOutcome = { file: string; series: Series[] } | { file: string; error: unknown } | { file: string; skipped: true };

/** The progress of the whole read, over all its files. */
export interface ReadFilesProgress {
  /** Bytes of the files on disk read so far (a finished file counts whole). */
  bytesRead: number;
  /** The files' sizes together. */
  totalBytes: number;
  files: number;
  /** Files read to the end (or failed). */
  done: number;
  /** Names (as shown) of the files being read now. */
  reading: string[];
}

export interface ReadFilesOptions extends Pick<SummarizeOptions, 'signal' | 'maxSeriesPerFile' | 'onWarning' | 'mainThread' | 'parallelMinBytes' | 'workerMinBytes'> {
  /** Threads reading at most (default: os.availableParallelism()). */
  threads?: number;
  /** Called when a file starts and ends, and with each file's own progress (about every 250 ms). */
  onProgress?: (progress: ReadFilesProgress) => void;
  /** A failed file stops the reads of the files after it (see the invariants). */
  stopAfterError?: boolean;
  /** Told the number of reads running each time one starts (a structural check of the bound). */
  onReadStart?: (running: number) => void;
}

/** Reads `files`, `lanes` at a time (see the invariants above); one outcome per file, in order. */
export async function readFiles(files: readonly FileToRead[], options: ReadFilesOptions = {}): Promise<FileOutcome[]> {
  const threads = Math.max(1, options.threads ?? availableParallelism());
  const lanes = Math.min(threads, files.length);
  const perFile = Math.max(1, Math.floor(threads / Math.max(1, lanes)));
  const sizes = files.map((f) => statSync(f.file, { throwIfNoEntry: false })?.size ?? 0);
  const read = new Array<number>(files.length).fill(0);
  const reading = new Map<number, string>();
  let done = 0;
  const report = () =>
    options.onProgress?.({ bytesRead: sum(read), totalBytes: sum(sizes), files: files.length, done, reading: [...reading.values()] });

  const outcomes = new Array<FileOutcome | undefined>(files.length);
  // Each file's own abort: the caller's signal aborts them all, a failure (stopAfterError) those after it.
  const aborts = files.map(() => new AbortController());
  const abortAll = () => {
    for (const a of aborts) a.abort(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', abortAll, { once: true });
  let failedAt = files.length;
  let next = 0;
  const readOne = async (i: number): Promise<void> => {
    const { file, options: own = {} } = files[i]!;
    const name = own.displayName ?? file;
    reading.set(i, name);
    options.onReadStart?.(reading.size);
    report();
    try {
      const series = await summarizeFile(file, {
        ...own,
        signal: aborts[i]!.signal,
        threads: perFile,
        mainThread: lanes === 1 && (options.mainThread ?? false),
        ...(options.maxSeriesPerFile !== undefined ? { maxSeriesPerFile: options.maxSeriesPerFile } : {}),
        ...(options.onWarning ? { onWarning: options.onWarning } : {}),
        ...(options.parallelMinBytes !== undefined ? { parallelMinBytes: options.parallelMinBytes } : {}),
        ...(options.workerMinBytes !== undefined ? { workerMinBytes: options.workerMinBytes } : {}),
        onProgress: (bytes) => {
          read[i] = bytes;
          report();
        },
      });
      outcomes[i] = { file, series };
    } catch (e) {
      options.signal?.throwIfAborted();
      if (i > failedAt && aborts[i]!.signal.aborted) outcomes[i] = { file, skipped: true };
      else {
        outcomes[i] = { file, error: e };
        if (options.stopAfterError) stopAfter(i);
      }
    } finally {
      read[i] = sizes[i]!;
      reading.delete(i);
      done++;
      report();
    }
  };
  const stopAfter = (i: number) => {
    failedAt = Math.min(failedAt, i);
    for (let j = i + 1; j < files.length; j++) aborts[j]!.abort();
  };
  const lane = async (): Promise<void> => {
    for (let i = next++; i < files.length; i = next++) {
      options.signal?.throwIfAborted();
      if (i > failedAt) outcomes[i] = { file: files[i]!.file, skipped: true };
      else await readOne(i);
    }
  };
  // Settled all: an abort returns once every lane's read has stopped (and its workers exited).
  const ended = await Promise.allSettled(Array.from({ length: lanes }, lane));
  options.signal?.removeEventListener('abort', abortAll);
  const failed = ended.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return outcomes as FileOutcome[];
}

/** The series of every file, in order; the first failure (in file order) is thrown. */
export function seriesOrThrow(outcomes: readonly FileOutcome[]): Series[][] {
  const failed = outcomes.find((o): o is { file: string; error: unknown } => 'error' in o);
  if (failed) throw failed.error;
  return outcomes.map((o) => ('series' in o ? o.series : []));
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
