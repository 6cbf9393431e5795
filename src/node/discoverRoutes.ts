/**
 * The workspace scan of handler discovery, shared by the editor (HandlerLocator), the CLI
 * (locateHandlers) and the bench: source files are read, minified and bundled ones skipped
 * (generatedKind), and the rest analysed into a RouteIndex.
 *
 * With workers, threads read and analyse the files (claiming batches from a shared counter) and
 * post back only the texts of files with routes, mounts or a global prefix; this thread re-analyses
 * just those into the index, in slices that yield. Without workers (tests, non-file schemes), this
 * thread does it all, yielding between slices. Both give the same index: a RouteIndex's result does
 * not depend on the order of updates.
 *
 * Reads follow the safe readers' rules (safeFs.ts): regular files (or links to them) of at most
 * `maxBytes`, never a FIFO or a device, inside `root` when given. Nothing here starts a process:
 * a worker thread runs in this process, so the workspace-trust gate (processGate.ts) is not involved.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { RouteIndex } from '../core/discovery';
import { GeneratedSkips, generatedKind } from '../core/discovery/generatedSource';
import { withoutBom } from '../core/utf8';
import { CLAIM, type DiscoveryJob, type DiscoveryReply, type SourceFile } from './discoveryJob';
import { startWorker } from './read/scanPool';
import { readSmallFile } from './safeFs';

export type { SourceFile } from './discoveryJob';

export interface DiscoverOptions {
  /** The folder reads must stay inside (real paths), or null to follow links out of it too. */
  root: string | null;
  maxBytes: number;
  /**
   * Worker threads (default: one per core, at most 4; on Linux they run at a lower priority than the
   * calling thread, discoveryWorker.ts); 0 scans on this thread.
   */
  workers?: number;
  /** The worker entry (default: dist/discoveryWorker.js beside this bundle, or the TS source). */
  workerScript?: string | null;
  signal?: AbortSignal;
  /**
   * Reads one file on this thread (default: readSmallFile with `root` and `maxBytes`); undefined
   * when it cannot or must not be read. Given, it forces the scan onto this thread.
   */
  read?: (file: SourceFile) => Promise<string | undefined>;
}

export interface DiscoverySummary {
  /** Files read (skipped ones included). */
  read: number;
  skipped: GeneratedSkips;
  /** Whether worker threads did the reading. */
  inWorkers: boolean;
}

/** Longest run of work on the calling thread between two yields to its event loop. */
const SLICE_MS = 10;

/** Scans `files` into `index`. Rejects only when aborted; unreadable files are left out. */
export async function discoverRoutes(index: RouteIndex, files: readonly SourceFile[], options: DiscoverOptions): Promise<DiscoverySummary> {
  options.signal?.throwIfAborted();
  const workers = options.read ? 0 : (options.workers ?? Math.min(4, availableParallelism()));
  const script = workers > 0 ? (options.workerScript ?? discoveryWorkerScript()) : null;
  if (script && files.length > 0) {
    try {
      return await discoverInWorkers(index, files, options, Math.min(workers, Math.ceil(files.length / CLAIM)), script);
    } catch {
      // A worker that failed (not an abort): this thread scans everything again, updates being idempotent.
      options.signal?.throwIfAborted();
    }
  }
  const read = options.read ?? ((f: SourceFile) => readSource(f, options));
  const skipped = new GeneratedSkips();
  const slice = new Slicer();
  for (const f of files) {
    options.signal?.throwIfAborted();
    const text = await read(f);
    if (text !== undefined) indexSource(index, f.rel, text, skipped);
    await slice.pause();
  }
  return { read: files.length, skipped, inWorkers: false };
}

/**
 * Updates one file in the index, or leaves it out (and removes it) when it is generated code;
 * true when routes changed. The one way the scan, file events and edits update an index.
 */
export function indexSource(index: RouteIndex, rel: string, text: string, skipped?: GeneratedSkips): boolean {
  const kind = generatedKind(rel, text);
  if (kind === null) return index.update(rel, text);
  skipped?.add(kind);
  return index.remove(rel);
}

/** The worker entry: dist/discoveryWorker.js beside the bundle, or the TS source under tsx (tests). */
export function discoveryWorkerScript(): string | null {
  const p = path.join(__dirname, __filename.endsWith('.ts') ? 'discoveryWorker.ts' : 'discoveryWorker.js');
  return existsSync(p) ? p : null;
}

async function discoverInWorkers(index: RouteIndex, files: readonly SourceFile[], options: DiscoverOptions, count: number, script: string): Promise<DiscoverySummary> {
  const job: DiscoveryJob = { files: files.map((f) => `${f.abs}\0${f.rel}`).join('\n'), root: options.root, maxBytes: options.maxBytes, control: new SharedArrayBuffer(4) };
  const slice = new Slicer();
  const skipped = new GeneratedSkips();
  let read = 0;
  // Kept files are indexed in arrival order, one drain at a time, in slices.
  const queue: Array<{ rel: string; text: string }> = [];
  let draining: Promise<void> = Promise.resolve();
  const drain = async (): Promise<void> => {
    while (queue.length > 0) {
      const f = queue.shift()!;
      index.update(f.rel, f.text);
      await slice.pause();
    }
  };
  const started: Worker[] = [];
  const onAbort = (): void => void Promise.all(started.map((w) => w.terminate()));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const runs: Array<Promise<void>> = [];
    for (let i = 0; i < count; i++) {
      // Starting a worker takes this thread a few milliseconds (more on a busy machine): one per slice.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const w = startWorker(script, job);
      started.push(w);
      runs.push(
        new Promise<void>((resolve, reject) => {
          w.on('message', (m: DiscoveryReply) => {
            if (m.type === 'kept') {
              queue.push(...m.files);
              draining = draining.then(drain);
              return;
            }
            read += m.read;
            skipped.addAll(m.skipped);
            resolve();
          });
          w.once('error', reject);
          w.once('exit', (code) => reject(new Error(`discovery worker exited with code ${code}`)));
        }),
      );
    }
    try {
      await Promise.all(runs);
    } catch (e) {
      options.signal?.throwIfAborted(); // a worker terminated by the abort: report the abort
      throw e;
    }
    await draining;
    options.signal?.throwIfAborted();
    return { read, skipped, inWorkers: true };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await Promise.all(started.map((w) => w.terminate()));
  }
}

/** A file's text as an editor shows it (without a byte order mark), or undefined when the safe reader refuses it. */
function readSource(f: SourceFile, limits: { root: string | null; maxBytes: number }): Promise<string | undefined> {
  return readSmallFile(f.abs, { root: limits.root, maxBytes: limits.maxBytes }).then(withoutBom, () => undefined);
}

/** Yields to the event loop once SLICE_MS have passed since the last yield. */
class Slicer {
  private since = performance.now();

  async pause(): Promise<void> {
    if (performance.now() - this.since < SLICE_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }
}
