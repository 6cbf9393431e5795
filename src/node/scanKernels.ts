import type { HeyColumns } from '../core/formats/heyCsvKernel';
import { HeyCsvKernel } from '../core/formats/heyCsvKernel';
import { K6JsonKernel } from '../core/formats/k6JsonKernel';
import type { ScanKernel } from '../core/formats/rawScan';
import { SeriesLimit } from '../core/formats/seriesLimit';

/** Formats that have a scanning kernel (and so a parallel path). */
export const PARALLEL_FORMATS = ['k6-json', 'hey-csv'] as const;
export type ParallelFormat = (typeof PARALLEL_FORMATS)[number];

export function isParallelFormat(f: string): f is ParallelFormat {
  return (PARALLEL_FORMATS as readonly string[]).includes(f);
}

/** What a worker needs to build its kernel (plain data: it crosses the thread boundary). */
export interface KernelSpec {
  format: ParallelFormat;
  fileName: string;
  /** hey-csv: the columns of the header, which the main thread has read. */
  heyColumns?: HeyColumns;
  /** Series per file (ReadOptions.maxSeries); each participant keeps the first ones of its ranges. */
  maxSeries?: number;
  /** Keep exactly these series (a scan run again after one past the limit, see seriesToKeep). */
  admit?: string[];
}

export function createKernel(spec: KernelSpec): ScanKernel {
  if (spec.format === 'hey-csv') return new HeyCsvKernel(spec.fileName, spec.heyColumns ?? null);
  const limit = SeriesLimit.of(spec);
  return new K6JsonKernel(spec.fileName, spec.admit ? new SeriesLimit(limit.max, new Set(spec.admit)) : limit);
}
