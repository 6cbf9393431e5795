import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseBaseline, serializeBaseline, type Baseline } from '../core/baseline/baselineFile';
import { evaluate, gateFails } from '../core/budgets/evaluate';
import { mergeSeries } from '../core/budgets/mergeSeries';
import { type Benchmark, type Config, parseConfig } from '../core/config/parseConfig';
import { InputError, oneLine } from '../core/errors';
import { isFormatId } from '../core/formats/index';
import { REPORT_FORMATS, type ReportFormat, renderReport } from '../core/report/reports';
import { errorRateOf, type FormatId, percentileOf, type Series } from '../core/series';
import { formatDuration, formatNumber, formatPercent } from '../core/units';
import { writeFileAtomic } from '../node/atomicWrite';
import { headCommit, showAtRef } from '../node/git';
import { thisMachine } from '../node/machine';
import { expandResults, readResultFile } from '../node/resultFiles';
import { VERSION } from './version';

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
  summarize FILE... [--format ID] [--unit U] [--column C] [--json]
      Per series: count, error rate, throughput, p50/p90/p95/p99/max (ms). No config needed.
  check [--config F] [--results GLOB...] [--baseline F | --baseline-ref REF | --no-baseline]
        [--report text|markdown|json|junit|github]
      Verdicts of the latest results against the budgets and the baseline.
  baseline update [--config F] [--results GLOB...]
      Writes the baseline from the latest results (atomically).
  run [BENCHMARK...] [--config F] [--report ...]
      Runs the benchmarks' commands, then check.

Exit codes: 0 all budgets met and no regression; 1 a budget failed or a metric regressed;
2 usage, config or input error.`;

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
    },
  });
  if (positionals.length === 0) throw new UsageError('summarize needs at least one FILE');
  const format = formatOption(values.format);
  const unit = unitOption(values.unit);
  const series: Series[] = [];
  for (const file of positionals) {
    series.push(...(await readResultFile(path.resolve(io.cwd, file), { format, unit, column: values.column, displayName: file })));
  }
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
      String(s.count),
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
  'no-baseline': { type: 'boolean', default: false },
  report: { type: 'string', default: 'text' },
} as const;

interface Loaded {
  config: Config;
  configFile: string;
  workspace: string;
}

function loadConfig(file: string | undefined, io: CliIo): Loaded {
  const configFile = path.resolve(io.cwd, file ?? 'perf-budgets.json');
  const shown = file ?? 'perf-budgets.json';
  if (!existsSync(configFile)) throw new InputError(shown, 'config file not found');
  let text: string;
  try {
    text = readFileSync(configFile, 'utf8');
  } catch (e) {
    throw new InputError(shown, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { config: parseConfig(text, shown), configFile, workspace: path.dirname(configFile) };
}

/** Reads every result file: `--results` globs (relative to the shell), else each benchmark's. */
async function readResults(loaded: Loaded, results: string[] | undefined, io: CliIo): Promise<Series[]> {
  const sources: Array<{ bench: Benchmark | null; files: string[] }> = [];
  if (results && results.length > 0) {
    const files = await expandResults(results, io.cwd);
    if (files.length === 0) throw new InputError(results.join(' '), 'no result files match');
    sources.push({ bench: null, files });
  } else {
    if (loaded.config.benchmarks.length === 0) throw new UsageError('no --results given and no benchmarks in the config');
    for (const bench of loaded.config.benchmarks) {
      sources.push({ bench, files: await expandResults(bench.results, loaded.workspace) });
    }
    if (sources.every((s) => s.files.length === 0)) {
      throw new InputError(
        path.relative(io.cwd, loaded.configFile) || 'perf-budgets.json',
        `no result files match any benchmark's "results" (${loaded.config.benchmarks.flatMap((b) => b.results).join(', ')}); run the benchmarks first`,
      );
    }
  }
  const series: Series[] = [];
  for (const { bench, files } of sources) {
    for (const file of files) {
      series.push(
        ...(await readResultFile(file, {
          format: bench?.format,
          unit: bench?.unit,
          column: bench?.column,
          displayName: path.relative(io.cwd, file) || file,
        })),
      );
    }
  }
  return series;
}

async function loadBaseline(
  loaded: Loaded,
  opts: { baseline?: string; 'baseline-ref'?: string; 'no-baseline'?: boolean },
  io: CliIo,
): Promise<Baseline | null> {
  if (opts['no-baseline']) return null;
  if (opts.baseline && opts['baseline-ref']) throw new UsageError('give --baseline or --baseline-ref, not both');
  if (opts['baseline-ref']) {
    const rel = loaded.config.baseline;
    let text: string | null;
    try {
      text = await showAtRef(opts['baseline-ref'], rel, loaded.workspace);
    } catch (e) {
      throw new InputError(`${opts['baseline-ref']}:${rel}`, (e as Error).message);
    }
    if (text === null) {
      io.stderr.write(`perf-budgets: no baseline at ${opts['baseline-ref']}:${rel}; comparing with nothing\n`);
      return null;
    }
    return parseBaseline(text, `${opts['baseline-ref']}:${rel}`);
  }
  const file = opts.baseline ? path.resolve(io.cwd, opts.baseline) : path.resolve(loaded.workspace, loaded.config.baseline);
  const shown = path.relative(io.cwd, file) || file;
  if (!existsSync(file)) {
    if (opts.baseline) throw new InputError(shown, 'baseline file not found');
    return null;
  }
  return parseBaseline(readFileSync(file, 'utf8'), shown);
}

async function check(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: CHECK_OPTIONS });
  const report = reportOption(values.report);
  const loaded = loadConfig(values.config, io);
  const series = await readResults(loaded, values.results, io);
  const baseline = await loadBaseline(loaded, values, io);
  return emitCheck(loaded, series, baseline, report, io);
}

function emitCheck(loaded: Loaded, series: Series[], baseline: Baseline | null, report: ReportFormat, io: CliIo): number {
  const results = evaluate(loaded.config, series, baseline?.series ?? null);
  io.stdout.write(renderReport(report, results));
  if (baseline && report !== 'json' && report !== 'junit') {
    const here = thisMachine();
    if (baseline.meta.machine.fingerprint !== here.fingerprint) {
      io.stderr.write(
        `perf-budgets: the baseline was measured on another machine (${baseline.meta.machine.cpu}, ${baseline.meta.machine.cores} cores); deltas may reflect the machine, not the code\n`,
      );
    }
  }
  return gateFails(results.flatMap((r) => r.verdicts)) ? 1 : 0;
}

// ---------- baseline update

async function baselineUpdate(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { config: { type: 'string' }, results: { type: 'string', multiple: true } } });
  const loaded = loadConfig(values.config, io);
  const series = await readResults(loaded, values.results, io);
  const merged = mergeByName(series);
  const text = serializeBaseline(merged, {
    createdAt: new Date().toISOString(),
    commit: await headCommit(loaded.workspace),
    tool: `perf-budgets ${VERSION}`,
    machine: thisMachine(),
  });
  const target = path.resolve(loaded.workspace, loaded.config.baseline);
  const rel = path.relative(loaded.workspace, target);
  if (rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new InputError(path.relative(io.cwd, loaded.configFile), `baseline path ${JSON.stringify(loaded.config.baseline)} is outside the workspace; refusing to write it`);
  }
  writeFileAtomic(target, text);
  io.stdout.write(`Wrote ${path.relative(io.cwd, target) || target}: ${merged.length} series\n`);
  return 0;
}

/** Series with the same name from several files become one (histograms merged). */
function mergeByName(series: Series[]): Series[] {
  const byName = new Map<string, Series[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, parts]) => mergeSeries(name, parts));
}

// ---------- run

async function run(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...CHECK_OPTIONS, results: { type: 'string', multiple: true } },
  });
  const report = reportOption(values.report);
  const loaded = loadConfig(values.config, io);
  const wanted = positionals.length ? positionals : loaded.config.benchmarks.map((b) => b.name);
  for (const name of wanted) {
    const bench = loaded.config.benchmarks.find((b) => b.name === name);
    if (!bench) throw new UsageError(`no benchmark named ${JSON.stringify(name)} in the config`);
    if (!bench.command) throw new UsageError(`benchmark ${JSON.stringify(name)} has no "command" (only a task, which runs in the editor)`);
    io.stderr.write(`perf-budgets: running ${name}: ${bench.command}\n`);
    const outcome = await runCommand(bench.command, path.resolve(loaded.workspace, bench.cwd ?? '.'), bench.timeoutMs, io);
    if (outcome !== 0) {
      throw new InputError(
        path.relative(io.cwd, loaded.configFile) || 'perf-budgets.json',
        `benchmark ${JSON.stringify(name)} ${outcome === 'timeout' ? `timed out after ${formatDuration(bench.timeoutMs!)}` : `exited with code ${outcome}`}; results not checked`,
      );
    }
  }
  const series = await readResults(loaded, values.results, io);
  const baseline = await loadBaseline(loaded, values, io);
  return emitCheck(loaded, series, baseline, report, io);
}

/** Runs a shell command, its output to stderr; the exit code, or "timeout" (the process group is killed). */
function runCommand(command: string, cwd: string, timeoutMs: number | undefined, io: CliIo): Promise<number | 'timeout'> {
  return new Promise((resolve) => {
    const child = spawn(command, { cwd, shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: io.env });
    child.stdout.pipe(io.stderr, { end: false });
    child.stderr.pipe(io.stderr, { end: false });
    let timedOut = false;
    const timer =
      timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            try {
              if (child.pid) process.kill(-child.pid, 'SIGTERM');
            } catch {
              /* already gone */
            }
          }, timeoutMs)
        : undefined;
    child.on('error', () => resolve(127));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve(timedOut ? 'timeout' : (code ?? (signal ? 128 : 1)));
    });
  });
}

// ---------- options

function formatOption(v: string | undefined): FormatId | 'auto' | undefined {
  if (v === undefined || v === 'auto') return v;
  if (!isFormatId(v)) throw new UsageError(`unknown --format ${JSON.stringify(v)}`);
  return v;
}

function unitOption(v: string | undefined): 'ns' | 'us' | 'ms' | 's' | undefined {
  if (v === undefined) return undefined;
  if (v !== 'ns' && v !== 'us' && v !== 'ms' && v !== 's') throw new UsageError(`unknown --unit ${JSON.stringify(v)}; use ns, us, ms or s`);
  return v;
}

function reportOption(v: string | undefined): ReportFormat {
  const r = v ?? 'text';
  if (!(REPORT_FORMATS as readonly string[]).includes(r)) {
    throw new UsageError(`unknown --report ${JSON.stringify(r)}; use ${REPORT_FORMATS.join(', ')}`);
  }
  return r as ReportFormat;
}
