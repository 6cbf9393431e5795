import { statSync } from 'node:fs';
import type { Baseline } from '../core/baseline/baselineFile';
import type { Budget } from '../core/config/parseConfig';
import { type HistoryPoints, historyPointsSteps, historyRunOf } from '../core/report/historyPoints';
import { allSteps } from '../core/steps';
import { listRuns } from './runHistory';
import { readSmallFileSync } from './safeFs';

/** What the comparison panel takes from the run history. Plain data: it crosses a worker boundary as it is. */
export interface PanelHistory {
  /** The runs read, oldest first: provenance and run facts only (runThatWrote picks from these). */
  runs: Array<Pick<Baseline, 'meta' | 'run'>>;
  /** Each budget's p95 in those runs (historyPoints). */
  points: HistoryPoints;
}

/** The last `count` runs of `workspace`'s history, judged by `budgets`. */
export interface PanelHistoryJob {
  workspace: string;
  count: number;
  budgets: Budget[];
}

/** The worker's messages: one answer per job, by the job's id. */
export type PanelWorkerRequest = { id: number; job: PanelHistoryJob };
export type PanelWorkerReply = { id: number; history: PanelHistory } | { id: number; error: string };

type HistoryFile = ReturnType<typeof historyRunOf>;

/**
 * What a reader keeps between jobs. `files`: run files as read (historyRunOf), by path, reused
 * while a file's size and modification time stay the same (recordRun writes each file once and
 * never rewrites it); files no longer listed are dropped. `points`: the last job's points, reused
 * while the budgets and those files are the same (a refresh that changed neither).
 */
export class PanelHistoryCache {
  readonly files = new Map<string, { size: number; mtimeMs: number; run: HistoryFile }>();
  points: { key: string; points: HistoryPoints } | undefined;
}

/**
 * The job in this thread: the last runs as recentRuns lists them (a file that does not read or
 * parse is not shown), each read once through `cache`, and the points of every budget.
 */
export function readPanelHistory(job: PanelHistoryJob, cache: PanelHistoryCache): PanelHistory {
  return allSteps(panelHistorySteps(job, cache));
}

/** readPanelHistory as steps, one after each run file (for inSlices). */
export function* panelHistorySteps(job: PanelHistoryJob, cache: PanelHistoryCache): Generator<void, PanelHistory, void> {
  const files = listRuns(job.workspace).slice(-job.count);
  const runs: HistoryFile[] = [];
  const stamps: Array<[string, number, number]> = [];
  for (const file of files) {
    try {
      const { size, mtimeMs } = statSync(file);
      runs.push(cachedRun(job.workspace, file, size, mtimeMs, cache));
      stamps.push([file, size, mtimeMs]);
    } catch {
      /* a torn or foreign file in the history: not shown */
    }
    yield;
  }
  for (const file of cache.files.keys()) if (!files.includes(file)) cache.files.delete(file);
  const key = JSON.stringify([job.budgets, stamps]);
  if (cache.points?.key !== key) cache.points = { key, points: yield* historyPointsSteps(job.budgets, runs.map((r) => r.history)) };
  return { runs: runs.map(({ meta, run }) => (run ? { meta, run } : { meta })), points: cache.points.points };
}

function cachedRun(workspace: string, file: string, size: number, mtimeMs: number, cache: PanelHistoryCache): HistoryFile {
  const hit = cache.files.get(file);
  if (hit && hit.size === size && hit.mtimeMs === mtimeMs) return hit.run;
  const run = historyRunOf(readSmallFileSync(file, { root: workspace }), file);
  cache.files.set(file, { size, mtimeMs, run });
  return run;
}
