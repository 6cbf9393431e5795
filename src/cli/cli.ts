import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { InputError, NoResultsYet, oneLine } from '../core/errors';
import type { ReportFormat } from '../core/report/reports';
import { errorRateOf, type FormatId, percentileOf, type Series } from '../core/series';
import { formatDuration, formatNumber, formatPercent, parseDuration } from '../core/units';
import type { BaselineSource, LoadedConfig } from '../node/workspaceFiles';
import type { Judgement } from '../node/judge';
import { VERSION } from './version';

/**
 * The modules behind the commands, loaded when a command needs them: `summarize` does not load the
 * config schema, the reports, git or node:crypto, nor `check` the HTTP benchmark runner. A plain
 * require (typed as the module), which esbuild bundles as a module initialized on first require.
 */
const lazy = {
  readFiles: () => require('../node/read/readFiles') as typeof import('../node/read/readFiles'),
  formats: () => require('../core/formats/index') as typeof import('../core/formats/index'),
  workspaceFiles: () => require('../node/workspaceFiles') as typeof import('../node/workspaceFiles'),
  judge: () => require('../node/judge') as typeof import('../node/judge'),
  evaluate: () => require('../core/budgets/evaluate') as typeof import('../core/budgets/evaluate'),
  reports: () => require('../core/report/reports') as typeof import('../core/report/reports'),
  machine: () => require('../node/machine') as typeof import('../node/machine'),
  baselineFile: () => require('../core/baseline/baselineFile') as typeof import('../core/baseline/baselineFile'),
  mergeSeries: () => require('../core/budgets/mergeSeries') as typeof import('../core/budgets/mergeSeries'),
  safeFs: () => require('../node/safeFs') as typeof import('../node/safeFs'),
  git: () => require('../node/git') as typeof import('../node/git'),
  benchmarkProcess: () => require('../node/benchmarkProcess') as typeof import('../node/benchmarkProcess'),
  runHistory: () => require('../node/runHistory') as typeof import('../node/runHistory'),
  ab: () => require('../node/ab') as typeof import('../node/ab'),
  httpBenchmark: () => require('../core/config/httpBenchmark') as typeof import('../core/config/httpBenchmark'),
  abReport: () => require('../node/abReport') as typeof import('../node/abReport'),
  init: () => require('./init') as typeof import('./init'),
  locateHandlers: () => require('../node/locateHandlers') as typeof import('../node/locateHandlers'),
  whatChanged: () => require('../node/whatChanged') as typeof import('../node/whatChanged'),
  prometheusSource: () => require('../node/prometheusSource') as typeof import('../node/prometheusSource'),
};

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A usage error: exit 2 with the message. */
class UsageError extends Error {}

const USAGE = `Usage: perf-budgets <command> [options]

Commands:
  summarize FILE... [--format ID] [--unit U] [--column C] [--json] [--max-series N]
      Per series: count, error rate, throughput, p50/p90/p95/p99/max (ms). No config needed.
  check [--config F] [--results GLOB...] [--baseline F | --baseline-ref REF [--git-lazy-fetch] | --no-baseline]
        [--report text|markdown|json|junit|github] [--strict] [--max-series N]
      Verdicts of the latest results against the budgets and the baseline.
      REF: a branch, a tag, HEAD~N / HEAD^N or a commit id (nothing else is passed to git).
      --git-lazy-fetch: in a partial (blobless) clone, let git fetch the baseline blob from its
      promisor remote; without it git fetches nothing and the missing blob is an error.
      --strict: an inconclusive comparison (not enough data to decide) fails too.
  baseline update [--config F] [--results GLOB...] [--max-series N]
      Writes the baseline from the latest results (atomically).
  run [BENCHMARK...] [--config F] [--report ...] [--allow-remote HOST]...
      Runs the benchmarks (the built-in HTTP benchmark, or the command; "repeat" times each,
      every run kept in .perf-budgets/runs), then check.
      --allow-remote HOST: let the built-in HTTP benchmark send requests to HOST, which is not
      loopback (the config's "allowRemote" alone is refused); repeat it for each host.
  ab [--ref HEAD] [--benchmark NAME] [--max-runs 10] [--max-time 10m] [--format text|markdown|json]
     [--config F] [--strict]
      Local A/B: the benchmarks at REF (a temporary git worktree) and in the working tree, run
      alternately until every handler's p95 verdict is decided or the runs/time are spent.
  init [--yes] [--dry-run] [--force]
      Proposes perf-budgets.json for this folder from its routes, load-test scripts, result
      files and start command, says what it found and did not, and writes it. On a terminal it
      asks which benchmarks and handlers, and the default p95 and error rate, then shows the file;
      --yes (or no terminal: stdin or stdout not a TTY) writes the proposal as it is. It refuses
      (exit 2) when perf-budgets.json exists; --force keeps a backup (perf-budgets.json.bak-TIME).
      --dry-run prints the file and writes nothing. It only reads files: it starts no process.

Exit codes: 0 all budgets met and no regression; 1 a budget failed or a metric regressed
(or, with --strict, a comparison was inconclusive); 2 usage, config or input error.`;

export async function main(argv: string[], io: CliIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'summarize':
        return await summarize(rest, io);
      case 'check':
        return await check(rest, io);
      case 'baseline':
        if (rest[0] !== 'update') throw new UsageError('usage: perf-budgets baseline update [--config F] [--results GLOB...]');
        return await baselineUpdate(rest.slice(1), io);
      case 'run':
        return await run(rest, io);
      case 'ab':
        return await ab(rest, io);
      case 'init':
        return await lazy.init().init(rest, io);
      case '--version':
      case '-v':
        io.stdout.write(`${VERSION}\n`);
        return 0;
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}; see perf-budgets --help`);
    }
  } catch (e) {
    if (e instanceof InputError || e instanceof UsageError) {
      io.stderr.write(`perf-budgets: ${e.message}\n`);
      return 2;
    }
    if (e instanceof Error && /^(ERR_PARSE_ARGS|ERR_INVALID_ARG)/.test((e as NodeJS.ErrnoException).code ?? '')) {
      io.stderr.write(`perf-budgets: ${oneLine(e.message)}\n`);
      return 2;
    }
    throw e;
  }
}

// ---------- summarize

async function summarize(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string' },
      unit: { type: 'string' },
      column: { type: 'string' },
      json: { type: 'boolean', default: false },
      'max-series': { type: 'string' },
    },
  });
  if (positionals.length === 0) throw new UsageError('summarize needs at least one FILE');
  const cap = seriesCap(values, io);
  const format = formatOption(values.format);
  const unit = unitOption(values.unit);
  const { readFiles, seriesOrThrow } = lazy.readFiles();
  // Several files are read in parallel, bounded by the cores; one big k6-json/hey-csv file is
  // scanned by worker threads, the CLI's own thread too (mainThread). The first failure is reported.
  const files = positionals.map((file) => ({ file: path.resolve(io.cwd, file), options: { format, unit, column: values.column, displayName: file } }));
  const series: Series[] = seriesOrThrow(await readFiles(files, { mainThread: true, stopAfterError: true, ...cap })).flat();
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ series: series.map(summaryJson) })}\n`);
    return 0;
  }
  const header = ['Series', 'Format', 'Count', 'Errors', 'Throughput', 'p50', 'p90', 'p95', 'p99', 'max'];
  const rows = series.map((s) => {
    const p = (x: number) => {
      const v = percentileOf(s, x);
      return v === null ? '—' : formatDuration(v);
    };
    const rate = errorRateOf(s);
    return [
      s.name,
      s.format + (s.exact ? '' : ' (hdr)'),
      s.count === null ? '—' : String(s.count),
      s.errors === null ? '—' : `${s.errors} (${formatPercent(rate ?? 0)})`,
      s.throughputPerSec === null ? '—' : `${formatNumber(s.throughputPerSec)}/s`,
      p(50),
      p(90),
      p(95),
      p(99),
      p(100),
    ];
  });
  io.stdout.write(table([header, ...rows]));
  return 0;
}

function summaryJson(s: Series) {
  return {
    name: s.name,
    format: s.format,
    count: s.count,
    errors: s.errors,
    errorRate: errorRateOf(s),
    throughputPerSec: s.throughputPerSec,
    exact: s.exact,
    latencyMs: {
      p50: percentileOf(s, 50),
      p90: percentileOf(s, 90),
      p95: percentileOf(s, 95),
      p99: percentileOf(s, 99),
      max: percentileOf(s, 100),
    },
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  const lines = rows.map((r) => r.map((cell, c) => (c >= 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd());
  return `${lines.join('\n')}\n`;
}

// ---------- check

const CHECK_OPTIONS = {
  config: { type: 'string' },
  results: { type: 'string', multiple: true },
  baseline: { type: 'string' },
  'baseline-ref': { type: 'string' },
  'git-lazy-fetch': { type: 'boolean', default: false },
  'max-series': { type: 'string' },
  'no-baseline': { type: 'boolean', default: false },
  report: { type: 'string', default: 'text' },
  strict: { type: 'boolean', default: false },
} as const;

const configPath = (file: string | undefined, io: CliIo) => path.resolve(io.cwd, file ?? 'perf-budgets.json');
const shownFrom = (io: CliIo) => (abs: string) => path.relative(io.cwd, abs) || abs;

function loadConfig(file: string | undefined, io: CliIo): Promise<LoadedConfig> {
  return lazy.workspaceFiles().loadConfigFile(configPath(file, io), shownFrom(io));
}

/**
 * The one read-and-judge pipeline (src/node/judge.ts), as the CLI calls it: the latest results
 * (a benchmark's repeated runs merged from run history, unless --results names the files), the
 * baseline the options ask for, and the verdicts.
 */
function judge(values: { config?: string; results?: string[]; 'max-series'?: string } & BaselineFlags, io: CliIo, baseline: BaselineSource = baselineSource(values, io)): Promise<Judgement> {
  return lazy.judge().readAndJudge(configPath(values.config, io), {
    show: shownFrom(io),
    results: { globs: values.results, globCwd: io.cwd, mainThread: true, ...seriesCap(values, io) },
    // node:http/https are loaded only for a config with a Prometheus source.
    readSources: async (loaded) => (loaded.config.benchmarks.some((b) => b.prometheus) ? lazy.prometheusSource().readPrometheusSources(loaded, { trusted: true, env: io.env }) : []),
    baseline,
    onNote: (note) => io.stderr.write(`perf-budgets: ${note}\n`),
  });
}

/** --max-series N: series read at most per result file; what is skipped is said on stderr. */
function seriesCap(values: { 'max-series'?: string }, io: CliIo): { maxSeriesPerFile?: number; onWarning: (message: string) => void } {
  const onWarning = (message: string) => io.stderr.write(`perf-budgets: warning: ${message}\n`);
  if (values['max-series'] === undefined) return { onWarning };
  const n = Number(values['max-series']);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new UsageError(`--max-series must be a whole number from 1 to 1000000, not ${JSON.stringify(values['max-series'])}`);
  return { maxSeriesPerFile: n, onWarning };
}

type BaselineFlags = { baseline?: string; 'baseline-ref'?: string; 'git-lazy-fetch'?: boolean; 'no-baseline'?: boolean };

function baselineSource(opts: BaselineFlags, io: CliIo): BaselineSource {
  if (opts.baseline && opts['baseline-ref']) throw new UsageError('give --baseline or --baseline-ref, not both');
  if (opts['no-baseline']) return { kind: 'none' };
  if (opts['baseline-ref'] !== undefined) {
    const problem = lazy.git().refProblem(opts['baseline-ref']);
    if (problem) throw new UsageError(`--baseline-ref ${JSON.stringify(opts['baseline-ref'])} is refused: ${problem}`);
    return { kind: 'ref', ref: opts['baseline-ref'], lazyFetch: opts['git-lazy-fetch'] };
  }
  if (opts['git-lazy-fetch']) throw new UsageError('--git-lazy-fetch goes with --baseline-ref');
  if (opts.baseline) return { kind: 'file', file: path.resolve(io.cwd, opts.baseline) };
  return { kind: 'working-tree' };
}


async function check(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: CHECK_OPTIONS });
  const report = reportOption(values.report);
  return await emitCheck(await judge(values, io), report, io, values.strict);
}

async function emitCheck({ loaded, results, baseline: outcome, unclaimed, ambiguous }: Judgement, report: ReportFormat, io: CliIo, strict = false): Promise<number> {
  const { gateFails } = lazy.evaluate();
  // GitHub annotations land on the handler's line, found by the editor's discovery; markdown
  // (and github) say under each regressed handler what changed in it since the baseline.
  const wantsChanges = report === 'github' || report === 'markdown' || !!io.env.GITHUB_STEP_SUMMARY;
  const located = report === 'github' || (wantsChanges && results.some((r) => r.verdicts.some((v) => v.regression === 'regressed'))) ? await locate(loaded) : new Map();
  const places = report === 'github' ? new Map([...located].map(([h, l]) => [h, { file: l.file, line: l.line + 1 }])) : undefined;
  const extras = wantsChanges ? { changes: await regressedChanges(loaded, results, outcome.state === 'loaded' ? outcome.baseline.meta.commit : null, located) } : {};
  // Unclaimed and ambiguous series are listed, never a gate failure.
  io.stdout.write(lazy.reports().renderReport(report, results, { unclaimed, ambiguous }, places, extras));
  // In GitHub Actions the job summary page shows the table.
  const summary = io.env.GITHUB_STEP_SUMMARY;
  if (summary) {
    try {
      appendFileSync(summary, `${lazy.reports().renderReport('markdown', results, { unclaimed, ambiguous }, undefined, extras)}\n`);
    } catch (e) {
      io.stderr.write(`perf-budgets: cannot append to GITHUB_STEP_SUMMARY (${summary}): ${e instanceof Error ? e.message : String(e)}\n`);
    }
  }
  const baseline = outcome.state === 'loaded' ? outcome.baseline : null;
  if (baseline && report !== 'json' && report !== 'junit') {
    const here = lazy.machine().thisMachine();
    if (baseline.meta.machine.fingerprint !== here.fingerprint) {
      io.stderr.write(
        `perf-budgets: the baseline was measured on another machine (${baseline.meta.machine.cpu}, ${baseline.meta.machine.cores} cores); deltas may reflect the machine, not the code\n`,
      );
    }
  }
  return gateFails(results.flatMap((r) => r.verdicts), strict) ? 1 : 0;
}

type Located = Awaited<ReturnType<typeof import('../node/locateHandlers').locateHandlers>>;

/** Each budget's handler in code (discovery, as the editor does); a scan that fails leaves "at" to say it. */
async function locate(loaded: LoadedConfig): Promise<Located> {
  try {
    return await lazy.locateHandlers().locateHandlers(loaded.workspace, loaded.config.budgets);
  } catch {
    // Unreadable folders only cost the annotations their line.
    return new Map();
  }
}

/** Per regressed handler with a line of code: what git says changed in it since the baseline's commit. */
async function regressedChanges(loaded: LoadedConfig, results: Judgement['results'], from: string | null, located: Located): Promise<Map<string, import('../core/report/reports').HandlerChanges>> {
  const out = new Map<string, import('../core/report/reports').HandlerChanges>();
  const regressed = results.filter((r) => r.verdicts.some((v) => v.regression === 'regressed'));
  if (regressed.length === 0) return out;
  const git = lazy.git();
  const to = await git.headCommit(loaded.workspace).catch(() => null);
  const dirty = (await git.treeIsDirty(loaded.workspace).catch(() => null)) === true;
  for (const r of regressed) {
    const at = located.get(r.budget.handler);
    if (!at) continue;
    if (!from || !to) {
      out.set(r.budget.handler, { kind: 'unavailable', message: !from ? 'the baseline records no commit (made outside git)' : 'this folder is not a git repository with a commit' });
      continue;
    }
    out.set(r.budget.handler, await lazy.whatChanged().whatChanged(loaded.workspace, { file: at.file, start: at.start, end: at.end }, from, to, { dirty }));
  }
  return out;
}

// ---------- baseline update

async function baselineUpdate(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, results: { type: 'string', multiple: true }, 'max-series': { type: 'string' } } });
  const { loaded, series } = await judge(values, io, { kind: 'none' });
  const merged = lazy.mergeSeries().mergeByName(series);
  const text = lazy.baselineFile().serializeBaseline(merged, {
    createdAt: new Date().toISOString(),
    commit: await lazy.git().headCommit(loaded.workspace),
    tool: `perf-budgets ${VERSION}`,
    machine: lazy.machine().thisMachine(),
  });
  const target = lazy.workspaceFiles().baselinePath(loaded);
  lazy.safeFs().writeFileInside(loaded.workspace, target, text, loaded.show(target));
  io.stdout.write(`Wrote ${path.relative(io.cwd, target) || target}: ${merged.length} series\n`);
  return 0;
}

// ---------- run

/** Runs kept in .perf-budgets/runs by the CLI (the editor's default of perfBudgets.runHistory.maxRuns). */
const CLI_MAX_RUNS = 50;

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...CHECK_OPTIONS, results: { type: 'string', multiple: true }, 'allow-remote': { type: 'string', multiple: true } },
  });
  const report = reportOption(values.report);
  const loaded = await loadConfig(values.config, io);
  const wanted = positionals.length ? positionals : loaded.config.benchmarks.map((b) => b.name);
  const allowRemoteHosts = values['allow-remote'] ?? [];
  // Every benchmark is checked before the first starts: a config's "allowRemote" needs --allow-remote too.
  const benches = wanted.map((name) => {
    const bench = loaded.config.benchmarks.find((b) => b.name === name);
    if (!bench) throw new UsageError(`no benchmark named ${JSON.stringify(name)} in the config`);
    const host = bench.http ? lazy.httpBenchmark().remoteHostsRefused(bench.http, allowRemoteHosts) : null;
    if (host !== null) {
      throw new InputError(loaded.show(loaded.configFile), lazy.httpBenchmark().remoteRefusal(name, host, `pass --allow-remote ${host} to allow it`));
    }
    return bench;
  });
  for (const bench of benches) {
    const { name } = bench;
    const proc = lazy.benchmarkProcess();
    const what = proc.describeBenchmark(bench);
    // Read from Prometheus alone ("window": a duration): nothing to run; the check below queries it.
    if (what === null && bench.prometheus && !bench.task) continue;
    if (what === null) throw new UsageError(`benchmark ${JSON.stringify(name)} has no "command" or "http" (only a task, which runs in the editor)`);
    // Each run is bounded by the benchmark's timeout; its results are read right after it and
    // kept in run history (the runs of a repeat as one group), where `check` finds them.
    const group = new Date().toISOString();
    for (let index = 1; index <= bench.repeat; index++) {
      const startedAt = new Date().toISOString();
      io.stderr.write(`perf-budgets: running ${name}${bench.repeat > 1 ? ` (run ${index} of ${bench.repeat})` : ''}: ${what}\n`);
      const outcome = await proc.runBenchmarkProcess(bench, loaded.workspace, { env: io.env, output: io.stderr, allowRemoteHosts });
      if (outcome !== 0) {
        throw new InputError(
          loaded.show(loaded.configFile),
          `benchmark ${JSON.stringify(name)} ${outcome === 'timeout' ? `timed out after ${formatDuration(proc.benchmarkTimeoutMs(bench)!)}` : `exited with code ${outcome}`}${bench.repeat > 1 ? ` in run ${index} of ${bench.repeat}` : ''}; results not checked`,
        );
      }
      // Read with the same cap as the check below, so a repeat's last run matches what check reads
      // (its warnings are said once, by the check).
      // A benchmark read from Prometheus alone writes no result file: its series are read by the check.
      const runSeries = await lazy
        .workspaceFiles()
        .readBenchmarkResults(loaded, { benchmarks: [name], mainThread: true, maxSeriesPerFile: seriesCap(values, io).maxSeriesPerFile })
        .catch((e: unknown) => (e instanceof NoResultsYet && bench.prometheus ? [] : Promise.reject(e)));
      lazy.runHistory().recordRun(
        loaded.workspace,
        { benchmarks: [name], startedAt, finishedAt: new Date().toISOString(), ...(bench.repeat > 1 ? { repeat: { group, index, of: bench.repeat } } : {}) },
        runSeries,
        { createdAt: new Date().toISOString(), commit: await lazy.git().headCommit(loaded.workspace), tool: `perf-budgets ${VERSION}`, machine: lazy.machine().thisMachine() },
        CLI_MAX_RUNS,
      );
    }
  }
  return await emitCheck(await judge(values, io), report, io, values.strict);
}

// ---------- ab

async function ab(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      config: { type: 'string' },
      ref: { type: 'string', default: 'HEAD' },
      benchmark: { type: 'string' },
      'max-runs': { type: 'string' },
      'max-time': { type: 'string' },
      format: { type: 'string', default: 'text' },
      strict: { type: 'boolean', default: false },
    },
  });
  const { AB_FORMATS, renderAbReport } = lazy.abReport();
  const format = values.format as (typeof AB_FORMATS)[number];
  if (!AB_FORMATS.includes(format)) throw new UsageError(`unknown --format ${JSON.stringify(values.format)}; use ${AB_FORMATS.join(', ')}`);
  const { AB_MAX_RUNS, abGateFails, runAbCheck } = lazy.ab();
  const maxRuns = values['max-runs'] === undefined ? undefined : Number(values['max-runs']);
  if (maxRuns !== undefined && !(Number.isInteger(maxRuns) && maxRuns >= 2 && maxRuns <= AB_MAX_RUNS)) {
    throw new UsageError(`--max-runs must be a whole number from 2 to ${AB_MAX_RUNS}`);
  }
  const maxTimeMs = values['max-time'] === undefined ? undefined : parseDuration(values['max-time']);
  if (maxTimeMs === undefined ? values['max-time'] !== undefined : !(maxTimeMs > 0 && maxTimeMs <= 2 * 3_600_000)) {
    throw new UsageError('--max-time must be a duration such as "90s" or "10m", at most 2h');
  }
  const refRefused = lazy.git().refProblem(values.ref);
  if (refRefused) throw new UsageError(`--ref ${JSON.stringify(values.ref)} is refused: ${refRefused}`);
  const configFile = path.resolve(io.cwd, values.config ?? 'perf-budgets.json');
  // Ctrl-C stops the running benchmark (by its process group) and removes the worktree.
  const abort = new AbortController();
  const onSigint = () => abort.abort(new Error('cancelled (SIGINT)'));
  process.once('SIGINT', onSigint);
  try {
    const report = await runAbCheck({
      configFile,
      ref: values.ref,
      benchmark: values.benchmark,
      maxRuns,
      maxTimeMs,
      env: io.env,
      output: io.stderr,
      log: (line) => io.stderr.write(`perf-budgets ab: ${line}\n`),
      signal: abort.signal,
      show: (abs) => path.relative(io.cwd, abs) || abs,
    });
    io.stdout.write(renderAbReport(format, report));
    return abGateFails(report, values.strict) ? 1 : 0;
  } catch (e) {
    if (!abort.signal.aborted || e instanceof InputError) throw e;
    io.stderr.write('perf-budgets: ab: cancelled; the worktree was removed\n');
    return 130;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

// ---------- options

function formatOption(v: string | undefined): FormatId | 'auto' | undefined {
  if (v === undefined || v === 'auto') return v;
  if (!lazy.formats().isFormatId(v)) throw new UsageError(`unknown --format ${JSON.stringify(v)}`);
  return v;
}

function unitOption(v: string | undefined): 'ns' | 'us' | 'ms' | 's' | undefined {
  if (v === undefined) return undefined;
  if (v !== 'ns' && v !== 'us' && v !== 'ms' && v !== 's') throw new UsageError(`unknown --unit ${JSON.stringify(v)}; use ns, us, ms or s`);
  return v;
}

function reportOption(v: string | undefined): ReportFormat {
  const r = v ?? 'text';
  const { REPORT_FORMATS } = lazy.reports();
  if (!(REPORT_FORMATS as readonly string[]).includes(r)) {
    throw new UsageError(`unknown --report ${JSON.stringify(r)}; use ${REPORT_FORMATS.join(', ')}`);
  }
  return r as ReportFormat;
}
