/** What both JTL readers (jmeter.ts's line reader and jmeterKernel.ts's byte scan) share: columns and per-label state. */
import { SeriesAcc } from './seriesAccumulator';

/** The columns a row is read by (indices into the header; -1: not in the file). */
export interface JtlColumns {
  sep: string;
  names: string[];
  time: number;
  elapsed: number;
  label: number;
  success: number;
  /** The largest of the indices: a row needs more fields than this. */
  need: number;
}

/** Columns of a header (or of the default order, for a header-less file). */
export function jtlColumns(names: string[], sep: string): JtlColumns {
  const time = names.indexOf('timeStamp');
  const elapsed = names.indexOf('elapsed');
  const label = names.indexOf('label');
  const success = names.indexOf('success');
  return { sep, names, time, elapsed, label, success, need: Math.max(time, elapsed, label, success) };
}

/** One label's running state: its samples (count, histogram, `failed` = success=false rows) and time span. */
export class JtlLabel extends SeriesAcc {
  /** Smallest timeStamp and largest timeStamp + elapsed, epoch ms (±Infinity: no timeStamp column). */
  start = Infinity;
  end = -Infinity;
}

/** Adds one row to its label: `ts` NaN when the file has no timeStamp column. */
export function record(st: JtlLabel, elapsed: number, failed: boolean, ts: number): void {
  st.record(elapsed);
  if (failed) st.failed++;
  if (Number.isFinite(ts)) {
    if (ts < st.start) st.start = ts;
    if (ts + elapsed > st.end) st.end = ts + elapsed;
  }
}
