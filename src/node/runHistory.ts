import { existsSync, lstatSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { type Baseline, type BaselineMeta, parseBaseline, type RunFacts, serializeBaseline } from '../core/baseline/baselineFile';
import { mergeRefusal } from '../core/budgets/mergeRefusal';
import { groupByName, mergeByName, mergeRuns } from '../core/budgets/mergeSeries';
import type { Series } from '../core/series';
import { isRealFolderInside, readSmallFileSync, writeFileInside } from './safeFs';

/** Folder of run history inside a workspace (kept out of git; see .gitignore handling). */
export const RUN_HISTORY_DIR = '.perf-budgets/runs';

export type RunRecord = RunFacts;

/** The name recordRun gives a run: its finish time (`:` and `.` as `-`), and `-<n>` within one millisecond. */
const RUN_FILE_RE = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z(?:-\d{1,2})?\.json$/;

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
  // Not through a committed symlink (.perf-budgets or runs linked out of the workspace).
  writeFileInside(workspace, file, withRun, path.posix.join(RUN_HISTORY_DIR, path.basename(file)));
  // Never prune runs of the repeat being recorded.
  pruneRuns(workspace, Math.max(maxRuns, run.repeat?.of ?? 1));
  return file;
}

/**
 * The run files, oldest first: names recordRun gives, regular files only (not links, folders or
 * FIFOs), in a history folder that is a real folder inside the workspace; none otherwise.
 */
export function listRuns(workspace: string): string[] {
  const dir = path.join(workspace, RUN_HISTORY_DIR);
  if (!isRealFolderInside(workspace, dir)) return [];
  try {
    return readdirSync(dir)
      .filter((f) => RUN_FILE_RE.test(f))
      .sort()
      .map((f) => path.join(dir, f))
      .filter((f) => lstatSync(f, { throwIfNoEntry: false })?.isFile() === true);
  } catch {
    return [];
  }
}

/** The last `count` runs of the run history, oldest first, as baseline documents; unreadable files are skipped. */
export function recentRuns(workspace: string, count: number): Baseline[] {
  const out: Baseline[] = [];
  for (const file of listRuns(workspace).slice(-count)) {
    try {
      out.push(parseBaseline(readSmallFileSync(file, { root: workspace }), file));
    } catch {
      /* a torn or foreign file in the history: not shown */
    }
  }
  return out;
}

/** Deletes the oldest runs beyond `maxRuns`: only what listRuns lists, so nothing else is ever deleted. */
function pruneRuns(workspace: string, maxRuns: number): void {
  const runs = listRuns(workspace);
  for (const f of runs.slice(0, Math.max(0, runs.length - maxRuns))) rmSync(f, { force: true });
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
      const b = parseBaseline(readSmallFileSync(file, { root: workspace }), file);
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
    // Files of this run that cannot be merged stay as read, for evaluate to refuse (mergeRefusal).
    if (!same || [...groupByName(now)].some(([name, parts]) => mergeRefusal(name, parts) !== null)) continue;
    const sources = [...new Set(now.map((s) => s.source))].join(', ');
    out = [...out.filter((s) => s.benchmark !== bench), ...mergeRuns(g.runs).map((s) => ({ ...s, benchmark: bench, source: sources }))];
  }
  return out;
}

/**
 * The run-history record of the run that wrote the results read now: started before the newest
 * result file was written and finished after it (1 s slack: whole-second file times). Its meta
 * is the run's provenance as recorded when it was made — the commit then, not HEAD now.
 */
export function runThatWrote<T extends Pick<Baseline, 'run'>>(history: readonly T[], writtenAtMs: number): T | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const run = history[i]!.run;
    if (!run) continue;
    const started = Date.parse(run.startedAt);
    const finished = Date.parse(run.finishedAt);
    if (started <= writtenAtMs + 1000 && finished >= writtenAtMs - 1000) return history[i];
  }
  return undefined;
}
