import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { parseBaseline, serializeBaseline, type BaselineMeta, type RunFacts } from '../core/baseline/baselineFile';
import { mergeByName, mergeRuns } from '../core/budgets/mergeSeries';
import type { Series } from '../core/series';
import { writeFileAtomic } from './atomicWrite';

/** Folder of run history inside a workspace (kept out of git; see .gitignore handling). */
export const RUN_HISTORY_DIR = '.perf-budgets/runs';

export type RunRecord = RunFacts;

/**
 * Keeps one completed run: its series in the baseline file format (so any run can become the
 * baseline, and the panel can plot history), named by time so listing order is run order.
 * Prunes the oldest beyond `maxRuns`. Returns the file written.
 */
export function recordRun(workspace: string, run: RunRecord, series: readonly Series[], meta: BaselineMeta, maxRuns: number): string {
  const dir = path.join(workspace, RUN_HISTORY_DIR);
  const stamp = run.finishedAt.replace(/[:.]/g, '-');
  let file = path.join(dir, `${stamp}.json`);
  // Runs of a repeat can finish within one millisecond: never overwrite one with the next.
  for (let i = 2; run.repeat && existsSync(file) && i < 100; i++) file = path.join(dir, `${stamp}-${i}.json`);
  const body = serializeBaseline(mergeByName(series), meta);
  // The run's own facts ride along under "run"; the rest is a valid baseline v1 document.
  const withRun = body.replace(/^\{\n/, `{\n  "run": ${JSON.stringify(run)},\n`);
  writeFileAtomic(file, withRun);
  // Never prune runs of the repeat being recorded.
  pruneRuns(dir, Math.max(maxRuns, run.repeat?.of ?? 1));
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

/**
 * The latest results with repeated runs put back together: for each benchmark whose newest run
 * history is a complete repeat (every run of one group) whose last run is what the result files
 * hold now (same series, same counts), that benchmark's series become the merge of its runs, with
 * per-run summaries. Anything else (single runs, an interrupted repeat, results rewritten since)
 * is left as read.
 */
export function withRepeatedRuns(workspace: string, series: readonly Series[]): Series[] {
  const files = listRuns(workspace).reverse();
  const groups = new Map<string, { group: string; of: number; runs: Series[][] }>();
  const done = new Set<string>();
  for (const file of files) {
    let run: RunFacts | undefined;
    let runSeries: Series[];
    try {
      const b = parseBaseline(readFileSync(file, 'utf8'), file);
      run = b.run;
      runSeries = b.series;
    } catch {
      continue; // a damaged history file says nothing
    }
    if (!run) continue;
    for (const bench of run.benchmarks) {
      if (done.has(bench)) continue;
      const g = groups.get(bench);
      if (!run.repeat) {
        done.add(bench); // the newest run of it was a single run
        continue;
      }
      if (!g) groups.set(bench, { group: run.repeat.group, of: run.repeat.of, runs: [runSeries] });
      else if (g.group === run.repeat.group) g.runs.unshift(runSeries);
      else done.add(bench);
    }
  }
  let out = [...series];
  for (const [bench, g] of groups) {
    if (g.runs.length !== g.of || g.of < 2) continue;
    const now = out.filter((s) => s.benchmark === bench);
    const last = mergeByName(g.runs[g.runs.length - 1]!);
    const same =
      now.length > 0 &&
      mergeByName(now).length === last.length &&
      mergeByName(now).every((s, i) => s.name === last[i]!.name && s.count === last[i]!.count);
    if (!same) continue;
    const sources = [...new Set(now.map((s) => s.source))].join(', ');
    out = [...out.filter((s) => s.benchmark !== bench), ...mergeRuns(g.runs).map((s) => ({ ...s, benchmark: bench, source: sources }))];
  }
  return out;
}
