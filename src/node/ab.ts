import { copyFileSync, existsSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Benchmark } from '../core/config/parseConfig';
import { InputError } from '../core/errors';
import type { Series } from '../core/series';
import { abReportJson } from './abReport';
import { type AbHandler, type AbReport, type AbSide, abVerdicts } from './abVerdicts';

export type { AbReport, AbSide } from './abVerdicts';
import { type BenchmarkExit, describeBenchmark, runBenchmarkProcess } from './benchmarkProcess';
import { resolveCommit, runGit } from './git';
import { expandResults } from './resultFiles';
import { isRealFolderInside, prepareWriteInside, writeFileInside } from './safeFs';
import { summarizeFile } from './read/summarizeFile';
import { type LoadedConfig, loadConfigFile } from './workspaceFiles';

/** Where each A/B check keeps its runs' result files and report, inside the working tree's folder. */
export const AB_DIR = '.perf-budgets/ab';
export const AB_DEFAULT_MAX_RUNS = 10;
export const AB_DEFAULT_MAX_TIME_MS = 10 * 60_000;
/** Upper bounds of --max-runs (per side) and --max-time. */
export const AB_MAX_RUNS = 100;
export const AB_MAX_TIME_MS = 2 * 60 * 60_000;


export interface AbProgress {
  /** 1-based run of the side. */
  run: number;
  maxRuns: number;
  side: AbSide;
}

export interface AbCheckOptions {
  /** The working tree's perf-budgets.json (absolute); its folder is B's workspace. */
  configFile: string;
  /** What A is: a commit-ish (default HEAD). */
  ref?: string;
  /** Only this benchmark (default: every benchmark with "http" or "command"). */
  benchmark?: string;
  /** Runs per side at most (default 10). */
  maxRuns?: number;
  /** Stop starting runs once this much time has gone (default 10 min). */
  maxTimeMs?: number;
  /** Family-wise error rate over the handlers (default 0.05). */
  alpha?: number;
  /** Environment of the benchmark processes. */
  env: NodeJS.ProcessEnv;
  /** Where the benchmark processes' output goes. */
  output: NodeJS.WritableStream;
  /** One line per step (worktree, each run, each verdict round). */
  log: (line: string) => void;
  onProgress?: (p: AbProgress) => void;
  signal?: AbortSignal;
  /** Name of a working-tree file in messages (default: relative to the config's folder). */
  show?: (absolute: string) => string;
}


/**
 * A local A/B check: the benchmarks of the working tree (B) against the same benchmarks at a ref
 * (A, checked out into a temporary `git worktree`), run alternately A B A B … one at a time, each
 * run exactly as `perf-budgets run` runs it (src/node/benchmarkProcess.ts). After every pair the
 * per-handler verdicts are computed from all runs so far (abVerdicts); it stops when every
 * handler is decided, after `maxRuns` per side, or when starting another pair would pass
 * `maxTimeMs`. Each run's result files are kept under `.perf-budgets/ab/<time>/<side>-<run>/`
 * (the built-in HTTP benchmark writes its log there directly, so the working tree's own results
 * are untouched; a command's results are copied there after the run). The worktree is removed
 * (`git worktree remove --force`, then `git worktree prune`) whatever happens, cancellation too.
 */
export async function runAbCheck(options: AbCheckOptions): Promise<AbReport> {
  const started = Date.now();
  const ref = options.ref ?? 'HEAD';
  const maxRuns = options.maxRuns ?? AB_DEFAULT_MAX_RUNS;
  const maxTimeMs = options.maxTimeMs ?? AB_DEFAULT_MAX_TIME_MS;
  const alpha = options.alpha ?? 0.05;
  if (!Number.isInteger(maxRuns) || maxRuns < 2 || maxRuns > AB_MAX_RUNS) throw new Error(`max runs must be a whole number from 2 to ${AB_MAX_RUNS}`);
  if (!(maxTimeMs > 0 && maxTimeMs <= AB_MAX_TIME_MS)) throw new Error('max time must be more than 0 and at most 2 h');
  const workspaceB = path.dirname(options.configFile);
  const show = options.show ?? ((abs: string) => path.relative(workspaceB, abs) || abs);
  const b = await loadConfigFile(options.configFile, show);
  const benches = selectBenchmarks(b, options.benchmark);
  const commit = await resolveCommit(ref, workspaceB).catch((e: Error) => {
    throw new InputError(show(options.configFile), `cannot compare with ${JSON.stringify(ref)}: ${e.message}`);
  });

  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  const runsDir = path.posix.join(AB_DIR, stamp);
  const worktree = await addWorktree(commit, workspaceB, options.log).catch((e: Error) => {
    throw new InputError(show(options.configFile), `cannot check out ${JSON.stringify(ref)}: ${e.message}`);
  });
  try {
    const workspaceA = path.join(worktree.dir, worktree.relWorkspace);
    const configA = path.join(workspaceA, path.relative(workspaceB, options.configFile));
    const a = await loadConfigFile(configA, (abs) => `${ref}:${path.relative(worktree.dir, abs).split(path.sep).join('/')}`);
    const benchesA = benches.map((bench) => {
      const same = a.config.benchmarks.find((x) => x.name === bench.name);
      if (!same || describeBenchmark(same) === null) throw new InputError(a.show(a.configFile), `no benchmark ${JSON.stringify(bench.name)} with "http" or "command" at ${ref}`);
      checkLocal(same, a.show(a.configFile));
      return same;
    });

    const sides = { A: { loaded: a, benches: benchesA, runs: [] as Series[][] }, B: { loaded: b, benches, runs: [] as Series[][] } };
    const files: AbReport['files'] = [];
    let handlers: AbHandler[] = [];
    let stoppedBy: AbReport['stoppedBy'] = 'max-runs';
    let pairMs = 0;
    for (let run = 1; run <= maxRuns; run++) {
      if (run > 1 && Date.now() - started + pairMs > maxTimeMs) {
        stoppedBy = 'max-time';
        break;
      }
      const pairStart = Date.now();
      for (const side of ['A', 'B'] as const) {
        options.signal?.throwIfAborted();
        options.onProgress?.({ run, maxRuns, side });
        const dir = path.posix.join(runsDir, `${side}-${String(run).padStart(2, '0')}`);
        const got = await runSide(sides[side].loaded, sides[side].benches, dir, workspaceB, `${side}, run ${run}`, options);
        sides[side].runs.push(got.series);
        files.push({ side, run, files: got.files.map((f) => path.posix.relative(runsDir, f)) });
      }
      pairMs = Date.now() - pairStart;
      handlers = abVerdicts(b.config.budgets, sides.A.runs, sides.B.runs, { threshold: b.config.regressionThreshold, alpha });
      options.log(`after ${run} run(s) per side: ${handlers.map((h) => `${h.handler} ${h.verdict}`).join(', ')}`);
      if (handlers.length > 0 && handlers.every((h) => h.decided)) {
        stoppedBy = 'decided';
        break;
      }
    }
    const report: AbReport = {
      ref,
      commit,
      benchmarks: benches.map((x) => x.name),
      threshold: b.config.regressionThreshold,
      alpha,
      runs: { a: sides.A.runs.length, b: sides.B.runs.length },
      maxRuns,
      stoppedBy,
      elapsedMs: Date.now() - started,
      runsDir,
      files,
      handlers,
    };
    writeFileInside(workspaceB, path.join(workspaceB, runsDir, 'report.json'), `${JSON.stringify(abReportJson(report), null, 2)}\n`, path.posix.join(runsDir, 'report.json'));
    return report;
  } finally {
    await worktree.remove();
  }
}

/** The exit-code rule of `perf-budgets ab`: a regression fails; an inconclusive handler only when strict. */
export function abGateFails(report: AbReport, strict = false): boolean {
  return report.handlers.some((h) => h.verdict === 'regressed' || (strict && h.verdict === 'inconclusive'));
}

function selectBenchmarks(loaded: LoadedConfig, name: string | undefined): Benchmark[] {
  const where = loaded.show(loaded.configFile);
  if (name !== undefined) {
    const bench = loaded.config.benchmarks.find((x) => x.name === name);
    if (!bench) throw new InputError(where, `no benchmark named ${JSON.stringify(name)}`);
    if (describeBenchmark(bench) === null) throw new InputError(where, `benchmark ${JSON.stringify(name)} has no "http" or "command" (only a task, which runs in the editor)`);
    checkLocal(bench, where);
    return [bench];
  }
  const runnable = loaded.config.benchmarks.filter((x) => describeBenchmark(x) !== null);
  if (runnable.length === 0) throw new InputError(where, 'no benchmark with "http" or "command" to compare');
  runnable.forEach((b) => checkLocal(b, where));
  return runnable;
}

/**
 * The built-in HTTP benchmark must start each side's own service on loopback: without "start"
 * both sides would load the one service already running, and a remote one is not this code.
 */
function checkLocal(bench: Benchmark, where: string): void {
  if (!bench.http) return;
  if (bench.http.allowRemote) throw new InputError(where, `benchmark ${JSON.stringify(bench.name)}: the A/B check runs loopback services only ("allowRemote" is set)`);
  if (!bench.http.start) throw new InputError(where, `benchmark ${JSON.stringify(bench.name)}: the A/B check needs "start" to run each version's own service (without it both sides would load the one already running)`);
}

interface Worktree {
  dir: string;
  /** The config's folder relative to the repository's top. */
  relWorkspace: string;
  remove: () => Promise<void>;
}

/**
 * `git worktree add --detach` of the commit into a new temporary folder. The working tree's
 * node_modules (at the top and in the config's folder) are linked in when the ref's tree has none
 * there, so a service that needs them starts at the ref too. `remove()` never throws.
 */
async function addWorktree(commit: string, workspace: string, log: (line: string) => void): Promise<Worktree> {
  const top = realpathSync((await runGit(['rev-parse', '--show-toplevel'], { cwd: workspace })).stdout.trim());
  const relWorkspace = path.relative(top, realpathSync(workspace));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'perf-budgets-ab-'));
  const dir = path.join(tmp, 'a');
  const remove = async () => {
    const r = await runGit(['worktree', 'remove', '--force', dir], { cwd: top });
    if (r.code !== 0 && existsSync(dir)) log(`git worktree remove: ${r.stderr.trim().split('\n')[0]}`);
    rmSync(tmp, { recursive: true, force: true });
    await runGit(['worktree', 'prune'], { cwd: top });
  };
  const add = await runGit(['worktree', 'add', '--detach', dir, commit], { cwd: top, timeoutMs: 300_000 });
  if (add.code !== 0) {
    await remove();
    throw new Error(`git worktree add failed: ${add.stderr.trim().split('\n').pop()}`);
  }
  log(`A: ${commit.slice(0, 12)} checked out in ${dir}`);
  for (const rel of new Set(['node_modules', path.join(relWorkspace, 'node_modules')])) {
    const from = path.join(top, rel);
    const to = path.join(dir, rel);
    // Only into a real folder of the checkout: the ref may commit the config's folder as a link out.
    if (existsSync(from) && !existsSync(to) && isRealFolderInside(dir, path.dirname(to))) symlinkSync(from, to, 'dir');
  }
  return { dir, relWorkspace, remove };
}

/**
 * One run of one side: each benchmark in turn; its result files end in `<workspaceB>/<dir>/`.
 * The built-in HTTP benchmark writes its log into `<its workspace>/<dir>/` (copied over for A);
 * a command's result files — only those it wrote during this run — are copied there.
 */
async function runSide(
  loaded: LoadedConfig,
  benches: readonly Benchmark[],
  dir: string,
  workspaceB: string,
  what: string,
  options: AbCheckOptions,
): Promise<{ series: Series[]; files: string[] }> {
  const series: Series[] = [];
  const kept: string[] = [];
  for (const bench of benches) {
    options.log(`${what}: ${bench.name}: ${describeBenchmark(bench)}`);
    const runStart = Date.now();
    let produced: string[];
    if (bench.http) {
      const rel = path.posix.join(dir, `${bench.name}.hlog`);
      const exit = await runBenchmarkProcess({ ...bench, http: { ...bench.http, results: rel } }, loaded.workspace, { env: options.env, output: options.output, signal: options.signal });
      failUnlessOk(exit, loaded, bench, what, options.signal);
      produced = [path.join(loaded.workspace, rel)];
    } else {
      const exit = await runBenchmarkProcess(bench, loaded.workspace, { env: options.env, output: options.output, signal: options.signal });
      failUnlessOk(exit, loaded, bench, what, options.signal);
      // File times can be coarser than the clock: a second's slack.
      produced = (await expandResults(bench.results, loaded.workspace, { source: loaded.show(loaded.configFile) })).filter((f) => statSync(f).mtimeMs >= runStart - 1000);
      if (produced.length === 0) throw new InputError(loaded.show(loaded.configFile), `benchmark ${JSON.stringify(bench.name)} (${what}) wrote no result file matching ${bench.results.join(', ')}`);
    }
    for (const file of produced) {
      const target = path.join(workspaceB, dir, bench.http ? path.basename(file) : path.relative(loaded.workspace, file));
      if (path.resolve(file) !== path.resolve(target)) {
        // Not through a committed symlink (.perf-budgets linked out of the workspace).
        prepareWriteInside(workspaceB, target, path.relative(workspaceB, target));
        copyFileSync(file, target);
      }
      kept.push(path.relative(workspaceB, target).split(path.sep).join('/'));
      const read = await summarizeFile(target, {
        format: bench.format,
        unit: bench.unit,
        column: bench.column,
        displayName: path.relative(workspaceB, target),
        mainThread: true,
        signal: options.signal,
      });
      series.push(...read.map((s) => ({ ...s, benchmark: bench.name })));
    }
  }
  return { series, files: kept };
}

function failUnlessOk(exit: BenchmarkExit, loaded: LoadedConfig, bench: Benchmark, what: string, signal: AbortSignal | undefined): void {
  if (exit === 0) return;
  if (exit === 'cancelled') {
    signal?.throwIfAborted();
    throw new Error('cancelled');
  }
  throw new InputError(
    loaded.show(loaded.configFile),
    `benchmark ${JSON.stringify(bench.name)} (${what}) ${exit === 'timeout' ? 'timed out' : `exited with code ${exit}`}; the A/B check stopped`,
  );
}
