import type { FormatId, Series } from '../series';

/** Bytes of one input file, delivered in chunks (a file stream, or one Uint8Array in tests). */
export type ByteSource = AsyncIterable<Uint8Array>;

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
}
