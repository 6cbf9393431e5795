/**
 * summarizeFile(path): the Series of one result file on disk. Files of a format with a kernel
 * (Reader.kernel: k6-json, hey-csv) of at least its `parallelMinBytes` are scanned by worker
 * threads (scanPool.ts), the
 * calling thread joining in when `mainThread`; smaller ones are scanned in the calling thread
 * when `mainThread`, else streamed through the format's reader, like every other format.
 * A gzip file (gunzipSource.ts) is inflated as it streams through its format's reader.
 * All paths give the same Series (same kernel; merged histograms are bucket-for-bucket identical).
 */
import { availableParallelism } from 'node:os';
import { InputError } from '../../core/errors';
import { decodeHead, detectFormat, HEAD_BYTES, READERS } from '../../core/formats/index';
import type { KernelSpec, ReadOptions } from '../../core/formats/reader';
import type { FormatId, Series } from '../../core/series';
import { openRegularFile } from '../safeFs';
import { isGzip } from './gunzipSource';
import { readInWorker, readStream, type StreamRead } from './readJob';
import { defaultWorkerScript, scanFileParallel } from './scanPool';

/** Without `mainThread`, files at least this big (of formats without a kernel) are read by a worker. */
export const WORKER_READ_MIN_BYTES = 8 << 20;
/** A gzip file counts as this many times its size against WORKER_READ_MIN_BYTES (k6 NDJSON inflates 20-30x, CSV 5-10x). */
const GZIP_SIZE_FACTOR = 16;

export interface SummarizeOptions {
  /** Format id, or "auto"/absent to detect it from the file's first bytes and name. */
  format?: FormatId | 'auto';
  /** Name of the file in errors, Series.source and file-named series (default: `file` as given). */
  displayName?: string;
  unit?: ReadOptions['unit'];
  column?: string;
  signal?: AbortSignal;
  /**
   * "auto" (default): workers for big k6-json/hey-csv files (with one thread and `mainThread`, the
   * calling thread scans alone); false: never; true: whenever the format has a kernel.
   */
  parallel?: boolean | 'auto';
  /** Threads for the parallel path (default: os.availableParallelism()). */
  threads?: number;
  /**
   * Parallel path: let the calling thread scan too (faster: it starts while workers boot).
   * Default false; the CLI passes true. Keep it false in the editor's extension host.
   */
  mainThread?: boolean;
  /** Size threshold of "auto" (default: the format's kernel's parallelMinBytes). */
  parallelMinBytes?: number;
  /** Without `mainThread`, files at least this big are read by a worker (default WORKER_READ_MIN_BYTES). */
  workerMinBytes?: number;
  /**
   * Called with the bytes read so far and the file's size: 0 when the read starts, then about
   * every 250 ms while it runs off the calling thread or streams (not while the calling thread
   * scans: it is busy then).
   */
  onProgress?: (bytesRead: number, totalBytes: number) => void;
  /**
   * Series read at most (default DEFAULT_MAX_SERIES_PER_FILE, 2000): the file's first ones in
   * full; past it, the others are skipped and `onWarning` says how many. Each series costs memory.
   */
  maxSeriesPerFile?: number;
  /** Told what the read left out, as `file: more than 2000 series; read the first 2000, skipped … more …`. */
  onWarning?: (message: string) => void;
}

export async function summarizeFile(file: string, options: SummarizeOptions = {}): Promise<Series[]> {
  const fileName = options.displayName ?? file;
  let size: number;
  let headBytes: Buffer;
  try {
    // Without waiting on a FIFO (swapped in after the glob, say): refused on its fstat instead.
    const fh = await openRegularFile(file, fileName);
    try {
      const st = await fh.stat();
      size = st.size;
      const buf = Buffer.alloc(Math.min(HEAD_BYTES, size));
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      headBytes = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(fileName, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const onProgress = options.onProgress && ((bytes: number) => options.onProgress!(Math.min(bytes, size), size));
  onProgress?.(0);
  const mainThread = options.mainThread ?? false;
  // Gzip: inflated as it streams (its format detected on the inflated head); never cut into ranges.
  if (isGzip(headBytes)) return readStreamHere(file, size, { fileName, format: options.format ?? 'auto', head: '', gzip: true, ...readSpec(options) }, mainThread, options, onProgress);
  const head = decodeHead(headBytes);
  const format = !options.format || options.format === 'auto' ? detectFormat(head, fileName) : options.format;

  const threads = options.threads ?? availableParallelism();
  const kernel = READERS.find((r) => r.id === format)?.kernel;
  const big =
    kernel !== undefined &&
    (options.parallel === true ||
      ((options.parallel ?? 'auto') === 'auto' && (threads > 1 || !mainThread) && size >= (options.parallelMinBytes ?? kernel.parallelMinBytes)));
  // Small kernel-format files, when the calling thread may block: scan them right here with
  // positioned reads (no stream, no workers), which beats the streaming reader.
  const local = !big && mainThread && options.parallel !== false && kernel !== undefined;
  if (kernel && ((big && defaultWorkerScript() !== null) || local)) {
    const spec: KernelSpec = { format, fileName };
    if (options.maxSeriesPerFile !== undefined) spec.maxSeries = options.maxSeriesPerFile;
    // A header the kernel needs (hey-csv's columns); none found: let the reader report it.
    const start = kernel.header ? kernel.header(headBytes) : { dataStart: 0, header: undefined };
    if (start) {
      if (kernel.header) spec.header = start.header;
      try {
        return await scanFileParallel(file, size, spec, {
          threads: local ? 1 : threads,
          dataStart: start.dataStart,
          mainThread,
          ...(options.signal ? { signal: options.signal } : {}),
          ...(onProgress ? { onProgress } : {}),
          ...(options.onWarning ? { onWarning: options.onWarning } : {}),
        });
      } catch (e) {
        if (e instanceof InputError) throw e;
        if (e instanceof Error && e.name === 'AbortError') throw e;
        throw new InputError(fileName, `not a valid ${format} file (${e instanceof Error ? e.message : String(e)})`);
      }
    }
  }

  return readStreamHere(file, size, { fileName, format, head, ...readSpec(options) }, mainThread, options, onProgress);
}

/** What both streaming paths take from the options (plain data). */
function readSpec(options: SummarizeOptions): Pick<StreamRead, 'unit' | 'column' | 'maxSeries'> {
  return {
    ...(options.unit ? { unit: options.unit } : {}),
    ...(options.column ? { column: options.column } : {}),
    ...(options.maxSeriesPerFile !== undefined ? { maxSeries: options.maxSeriesPerFile } : {}),
  };
}

/**
 * The format's streaming reader (gzip files inflated as they stream): off the calling thread
 * when it must not block (the extension host) and the file is big, in a worker running the
 * same reader; else here.
 */
function readStreamHere(
  file: string,
  size: number,
  read: Omit<StreamRead, 'file'>,
  mainThread: boolean,
  options: SummarizeOptions,
  onProgress: ((bytes: number) => void) | undefined,
): Promise<Series[]> {
  const script = defaultWorkerScript();
  const inflated = read.gzip ? size * GZIP_SIZE_FACTOR : size;
  if (!mainThread && script && inflated >= (options.workerMinBytes ?? WORKER_READ_MIN_BYTES)) {
    return readInWorker(script, { kind: 'read', file, ...read }, options.signal, onProgress, options.onWarning);
  }
  return readStream({ file, ...read }, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(options.onWarning ? { onWarning: options.onWarning } : {}),
  });
}
