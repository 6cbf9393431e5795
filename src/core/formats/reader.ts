import type { FormatId, Series } from '../series';
import type { ByteSource } from './byteSource';
import type { ScanKernel } from './seriesAccumulator';

export type { ByteSource };

export interface ReadOptions {
  /** Display name of the file (used in errors and for series named after the file). */
  fileName: string;
  /** Unit of bare numbers, for formats that do not say (samples, hdr-log). */
  unit?: 'ns' | 'us' | 'ms' | 's';
  /** For `samples` CSV: the column holding the latency. */
  column?: string;
  /** Cancels a long read; readers check it between chunks. */
  signal?: AbortSignal;
  /**
   * At most this many series (default DEFAULT_MAX_SERIES_PER_FILE, seriesLimit.ts): the first
   * ones are read in full, later ones skipped, and `onWarning` says how many.
   */
  maxSeries?: number;
  /** Told what a read left out (more series than `maxSeries`); the read still succeeds. */
  onWarning?: (message: string) => void;
}

export interface Reader {
  id: FormatId;
  /**
   * True when the file's first bytes (up to 64 KiB, decoded as UTF-8, BOM removed) and its
   * name identify this format. Detection is tried in registry order; specific formats first.
   */
  detect(head: string, fileName: string): boolean;
  /** Reads the whole file. Bad input throws InputError naming the file (and line). */
  read(source: ByteSource, options: ReadOptions): Promise<Series[]>;
  /**
   * The fast kernel of a format whose files get big (raw per-request output): it scans any byte
   * range of whole lines, so src/node/read/ scans big files in parallel, a range per task, and
   * merges what the ranges found to the Series `read` gives.
   */
  kernel?: ReaderKernel;
}

export interface ReaderKernel {
  /** With parallel "auto", files of at least this many bytes are scanned by worker threads. */
  parallelMinBytes: number;
  /**
   * For a format whose data lines follow a header: reads it from the file's first bytes (up to
   * 64 KiB). `dataStart` is the byte offset after it, `header` what each range's kernel needs
   * from it (plain data, for KernelSpec); null when it is not there (the reader then reads the
   * file, and says why). Without this method the data start at byte 0.
   */
  header?(head: Uint8Array): { dataStart: number; header: unknown } | null;
  /** A kernel for ranges of the file. */
  create(spec: KernelSpec): ScanKernel;
}

/** What builds a kernel for one file (plain data: it crosses to worker threads). */
export interface KernelSpec {
  format: FormatId;
  fileName: string;
  /** What the kernel's `header` read (hey-csv: the columns). */
  header?: unknown;
  /** Series per file (ReadOptions.maxSeries); each participant keeps the first ones of its ranges. */
  maxSeries?: number;
  /** Keep exactly these series (a scan run again after one past the limit, see seriesToKeep). */
  admit?: string[];
}
