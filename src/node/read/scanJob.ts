/**
 * One participant of a parallel scan (a worker thread, or the main thread itself): claims
 * task after task (byte ranges of the file) from a counter shared by all participants,
 * scans each with its own kernel, and returns one partial aggregate or the first error.
 */
import { closeSync, openSync } from 'node:fs';
import { InputError } from '../../core/errors';
import { readerFor } from '../../core/formats/index';
import type { KernelSpec } from '../../core/formats/reader';
import type { KernelResult, PartialAggregate, ScanKernel } from '../../core/formats/seriesAccumulator';
import { toPartial } from '../../core/formats/seriesAccumulator';
import { NONBLOCKING_READ } from '../safeFs';
import { READ_CHUNK_BYTES, scanRange } from './scanRange';

export interface ScanJob {
  file: string;
  size: number;
  spec: KernelSpec;
  /** Task i covers [dataStart + i*taskBytes, +taskBytes) ∩ [0, size). */
  dataStart: number;
  taskBytes: number;
  taskCount: number;
  /**
   * Int32 [next task, stop flag, then one slot per worker], shared by all participants. A worker's
   * slot is 0 until it starts claiming (then 1); the calling thread, done with every task, sets a
   * slot still 0 to 2, and that worker, still booting, claims nothing and is not waited for.
   */
  control: SharedArrayBuffer;
  /** This worker's slot in `control` (absent on the calling thread). */
  slot?: number;
}

export type ScanReply =
  /** A worker's partial is plain data (encoded histograms); the calling thread's stays a KernelResult. */
  | { type: 'partial'; partial: PartialAggregate | KernelResult }
  /** `line` counts from the line starting at byte `lineStart` (1 = that line). */
  | { type: 'error'; reason: string; input: boolean; line?: number; lineStart: number };

/** The kernel the spec's format declares (Reader.kernel). */
function createKernel(spec: KernelSpec): ScanKernel {
  const kernel = readerFor(spec.format).kernel;
  if (!kernel) throw new Error(`format ${spec.format} has no scanning kernel`);
  return kernel.create(spec);
}

export function runScanJob(job: ScanJob, local = false): ScanReply {
  const ctl = new Int32Array(job.control);
  const kernel = createKernel(job.spec);
  const state = { buf: Buffer.allocUnsafe(READ_CHUNK_BYTES), lineStart: -1 };
  let fd = -1;
  try {
    fd = openSync(job.file, NONBLOCKING_READ); // a FIFO swapped in: EAGAIN, not a wait
    const late = job.slot !== undefined && Atomics.compareExchange(ctl, 2 + job.slot, 0, 1) === 2;
    while (!late && Atomics.load(ctl, 1) === 0) {
      const i = Atomics.add(ctl, 0, 1);
      if (i >= job.taskCount) break;
      const start = job.dataStart + i * job.taskBytes;
      state.lineStart = -1;
      scanRange(fd, job.size, kernel, start, Math.min(job.size, start + job.taskBytes), state, job.spec.fileName);
    }
    return { type: 'partial', partial: local ? kernel.result() : toPartial(kernel.result()) };
  } catch (e) {
    Atomics.store(ctl, 1, 1); // the others stop at their next task
    const input = e instanceof InputError;
    return {
      type: 'error',
      reason: input ? e.reason : e instanceof Error ? e.message : String(e),
      input,
      ...(input && e.line !== undefined && state.lineStart >= 0 ? { line: e.line } : {}),
      lineStart: state.lineStart,
    };
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}
