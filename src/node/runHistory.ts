import { readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { serializeBaseline, type BaselineMeta } from '../core/baseline/baselineFile';
import { mergeByName } from '../core/budgets/mergeSeries';
import type { Series } from '../core/series';
import { writeFileAtomic } from './atomicWrite';

/** Folder of run history inside a workspace (kept out of git; see .gitignore handling). */
export const RUN_HISTORY_DIR = '.perf-budgets/runs';

export interface RunRecord {
  benchmarks: string[];
  startedAt: string;
  finishedAt: string;
}

/**
 * Keeps one completed run: its series in the baseline file format (so any run can become the
 * baseline, and the panel can plot history), named by time so listing order is run order.
 * Prunes the oldest beyond `maxRuns`. Returns the file written.
 */
export function recordRun(workspace: string, run: RunRecord, series: readonly Series[], meta: BaselineMeta, maxRuns: number): string {
  const dir = path.join(workspace, RUN_HISTORY_DIR);
  const stamp = run.finishedAt.replace(/[:.]/g, '-');
  const file = path.join(dir, `${stamp}.json`);
  const body = serializeBaseline(mergeByName(series), meta);
  // The run's own facts ride along under "run"; the rest is a valid baseline v1 document.
  const withRun = body.replace(/^\{\n/, `{\n  "run": ${JSON.stringify(run)},\n`);
  writeFileAtomic(file, withRun);
  pruneRuns(dir, maxRuns);
  return file;
}

export function listRuns(workspace: string): string[] {
  const dir = path.join(workspace, RUN_HISTORY_DIR);
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}

function pruneRuns(dir: string, maxRuns: number): void {
  const runs = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.startsWith('.')).sort();
  for (const f of runs.slice(0, Math.max(0, runs.length - maxRuns))) rmSync(path.join(dir, f), { force: true });
}
