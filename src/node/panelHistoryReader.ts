import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { inSlices } from './inSlices';
import { type PanelHistory, type PanelHistoryJob, PanelHistoryCache, panelHistorySteps, type PanelWorkerReply, type PanelWorkerRequest } from './panelHistory';
import { startWorker } from './read/scanPool';
import { listRuns } from './runHistory';

/** The panel worker's entry: dist/panelWorker.js beside dist/extension.js (bundled), or the TS source in tests. */
export function defaultPanelWorkerScript(): string | null {
  const ts = __filename.endsWith('.ts');
  const p = path.join(__dirname, ts ? 'panelWorker.ts' : 'panelWorker.js');
  return existsSync(p) ? p : null;
}

/**
 * Run files up to this many bytes in all are read in the calling thread, in slices; more go to the
 * worker. Starting the worker costs more than reading a few megabytes (the bench's 20 runs x 200
 * series are 2.7 MB), and it only pays off where the parse itself is long.
 */
export const IN_THREAD_MAX_BYTES = 8 * 1024 * 1024;

/** What a read answers when a newer read of the same lane started before its answer came. */
export const SUPERSEDED = Symbol('superseded');

interface Pending {
  id: number;
  lane: string;
  job: PanelHistoryJob;
  resolve: (h: PanelHistory | typeof SUPERSEDED) => void;
  reject: (e: Error) => void;
}

/**
 * Reads the panel's run history without blocking the calling thread: up to inThreadMaxBytes of
 * run files in this thread, through a cache of its own, with a turn of the event loop after each
 * run file and after the points of each run (a file's parse is the longest step); a bigger
 * history on one long-lived worker (its parse cache lives as long as it does), one job at a
 * time. Without a worker script (null) every job runs in this thread.
 *
 * Supersede rule: a read supersedes every earlier read of its lane that has not answered. Those
 * resolve SUPERSEDED at once; one still waiting is never sent, and the answer of one already sent
 * is dropped (in this thread: one still reading stops at its next slice). So a lane never answers
 * an older job after a newer one.
 */
export class PanelHistoryReader {
  private worker: Worker | undefined;
  private readonly cache = new PanelHistoryCache();
  private readonly waiting: Pending[] = [];
  private sent: Pending | undefined;
  private nextId = 1;
  private disposed = false;
  /** In this thread: the reads still running, by lane, to answer SUPERSEDED. */
  private readonly running = new Map<string, { stale: boolean; resolve: (h: typeof SUPERSEDED) => void }>();

  /** `script` null: always in this thread; `inThreadMaxBytes`: the history size up to which a read stays in this thread. */
  constructor(
    private readonly script: string | null = defaultPanelWorkerScript(),
    private readonly inThreadMaxBytes = IN_THREAD_MAX_BYTES,
  ) {}

  read(job: PanelHistoryJob, lane = 'panel'): Promise<PanelHistory | typeof SUPERSEDED> {
    if (this.disposed) return Promise.reject(new Error('the panel history reader was disposed'));
    this.supersede(lane);
    if (!this.script || historyBytes(job) <= this.inThreadMaxBytes) return this.readHere(job, lane);
    return new Promise((resolve, reject) => {
      this.waiting.push({ id: this.nextId++, lane, job, resolve, reject });
      this.pump();
    });
  }

  /**
   * Ends the worker and its cache (the panel closed): unanswered reads answer SUPERSEDED, there
   * being nothing left to show them in. The next read starts a new worker.
   */
  stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    for (const lane of [...this.running.keys()]) this.supersede(lane);
    for (const p of this.unanswered()) p.resolve(SUPERSEDED);
    void worker?.terminate();
  }

  dispose(): void {
    this.disposed = true;
    this.stop();
  }

  private readHere(job: PanelHistoryJob, lane: string): Promise<PanelHistory | typeof SUPERSEDED> {
    return new Promise((resolve, reject) => {
      const run = { stale: false, resolve };
      this.running.set(lane, run);
      inSlices(panelHistorySteps(job, this.cache), () => run.stale || this.disposed, 0).then(
        (history) => {
          if (this.running.get(lane) === run) this.running.delete(lane);
          resolve(history ?? SUPERSEDED);
        },
        (e: unknown) => {
          if (this.running.get(lane) === run) this.running.delete(lane);
          reject(e instanceof Error ? e : new Error(String(e)));
        },
      );
    });
  }

  private supersede(lane: string): void {
    const here = this.running.get(lane);
    if (here) {
      here.stale = true;
      this.running.delete(lane);
      here.resolve(SUPERSEDED);
    }
    for (const p of this.waiting.filter((w) => w.lane === lane)) {
      this.waiting.splice(this.waiting.indexOf(p), 1);
      p.resolve(SUPERSEDED);
    }
    // Its answer, when it comes, finds no one waiting for it.
    if (this.sent?.lane === lane) this.sent.resolve(SUPERSEDED);
  }

  private pump(): void {
    if (this.sent || this.waiting.length === 0) return;
    this.sent = this.waiting.shift()!;
    const worker = this.ensureWorker();
    // Held while it has a job; idle between panel updates, it never keeps the process alive.
    worker.ref();
    worker.postMessage({ id: this.sent.id, job: this.sent.job } satisfies PanelWorkerRequest);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker(this.script!, undefined);
    worker.on('message', (reply: PanelWorkerReply) => {
      const p = this.sent;
      if (!p || p.id !== reply.id) return;
      this.sent = undefined;
      worker.unref();
      if ('error' in reply) p.reject(new Error(reply.error));
      else p.resolve(reply.history);
      this.pump();
    });
    const lost = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(e);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`the panel history worker exited (code ${code})`)));
    this.worker = worker;
    return worker;
  }

  /** The worker failed: every read not answered yet rejects (a promise already resolved SUPERSEDED stays so). */
  private fail(e: Error): void {
    for (const p of this.unanswered()) p.reject(e);
  }

  /** The reads sent or waiting, taken off both lists. */
  private unanswered(): Pending[] {
    const out = [...(this.sent ? [this.sent] : []), ...this.waiting.splice(0)];
    this.sent = undefined;
    return out;
  }
}

/** The bytes of the run files a job reads (unreadable ones count 0). */
function historyBytes(job: PanelHistoryJob): number {
  let bytes = 0;
  for (const file of listRuns(job.workspace).slice(-job.count)) bytes += statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  return bytes;
}
