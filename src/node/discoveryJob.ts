/**
 * What a discovery worker does (discoveryWorker.ts runs it; discoverRoutes.ts starts the workers):
 * kept apart from discoverRoutes so that the worker's bundle holds only discovery and the safe reader.
 */
import { analyzeFile, keptByIndex } from '../core/discovery';
import { type GeneratedKind, GeneratedSkips, generatedKind } from '../core/discovery/generatedSource';
import { withoutBom } from '../core/utf8';
import { readSmallFileSync } from './safeFs';

export interface SourceFile {
  abs: string;
  /** Workspace-relative, "/" separators: the index's key. */
  rel: string;
}

/**
 * The job a discovery worker runs: `control[0]` is the next unclaimed index into the files.
 * The files travel as one string (abs NUL rel, one per line): cloning it for each worker is a
 * copy, where an array of 20,000 objects would be serialised on the scanning thread.
 */
export interface DiscoveryJob {
  files: string;
  root: string | null;
  maxBytes: number;
  control: SharedArrayBuffer;
}

export type DiscoveryReply =
  | { type: 'kept'; files: Array<{ rel: string; text: string }> }
  | { type: 'done'; read: number; skipped: Partial<Record<GeneratedKind, number>> };

/** Files a worker claims at a time. */
export const CLAIM = 16;

/**
 * A worker's part of a job: claims files until none are left, reads each with the safe
 * synchronous reader (a worker has no event loop to keep free; async reads cost more CPU here),
 * skips generated code, and posts the texts of the files the index keeps.
 */
export function runDiscoveryJob(job: DiscoveryJob, post: (reply: DiscoveryReply) => void): void {
  const next = new Int32Array(job.control);
  const files = job.files.split('\n').map((line) => {
    const [abs, rel] = line.split('\0') as [string, string];
    return { abs, rel };
  });
  const skipped = new GeneratedSkips();
  let read = 0;
  for (let start = Atomics.add(next, 0, CLAIM); start < files.length; start = Atomics.add(next, 0, CLAIM)) {
    const kept: Array<{ rel: string; text: string }> = [];
    for (const f of files.slice(start, start + CLAIM)) {
      read++;
      let text: string;
      try {
        text = withoutBom(readSmallFileSync(f.abs, { root: job.root, maxBytes: job.maxBytes }));
      } catch {
        continue;
      }
      const kind = generatedKind(f.rel, text);
      if (kind !== null) skipped.add(kind);
      else if (keptByIndex(analyzeFile(f.rel, text))) kept.push({ rel: f.rel, text });
    }
    // Posted claim by claim, so the scanning thread indexes them as they come, a few at a time.
    if (kept.length > 0) post({ type: 'kept', files: kept });
  }
  post({ type: 'done', read, skipped: skipped.toJSON() });
}
