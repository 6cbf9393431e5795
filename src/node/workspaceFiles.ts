import { existsSync, realpathSync } from 'node:fs';
import * as path from 'node:path';
import { type Baseline, parseBaseline } from '../core/baseline/baselineFile';
import { type Benchmark, type Config, parseConfig } from '../core/config/parseConfig';
import { InputError, NoResultsYet } from '../core/errors';
import type { Series } from '../core/series';
import { showAtRef } from './git';
import { expandResults } from './resultFiles';
import { readSmallFile } from './safeFs';
import { type ReadFilesProgress, readFiles, seriesOrThrow } from './read/readFiles';

/**
 * The files of a Perf Budgets workspace — config, result files, baseline — read the same way
 * by the CLI and the extension. `show` turns an absolute path into the name used in messages.
 */
export interface LoadedConfig {
  config: Config;
  /** Absolute path of perf-budgets.json. */
  configFile: string;
  /** Absolute path of the folder holding it: paths in the config are relative to it. */
  workspace: string;
  show: (absolute: string) => string;
}

/** Reads and parses perf-budgets.json: a regular file (or a link to one inside its folder) of at most MAX_READ_BYTES. */
export async function loadConfigFile(configFile: string, show: (absolute: string) => string): Promise<LoadedConfig> {
  const shown = show(configFile);
  if (!existsSync(configFile)) throw new InputError(shown, 'config file not found');
  const workspace = path.dirname(configFile);
  const text = await readSmallFile(configFile, { root: workspace, shown });
  return { config: parseConfig(text, shown), configFile, workspace, show };
}

export interface ResultsOptions {
  /** Globs to read instead of the benchmarks' own, relative to `globCwd`. */
  globs?: readonly string[];
  globCwd?: string;
  /** Only these benchmarks (default: all). */
  benchmarks?: readonly string[];
  signal?: AbortSignal;
  /**
   * Whether the calling thread scans big files too (the CLI: yes). The extension host leaves it
   * false, so big files are read by worker threads only and typing never stutters.
   */
  mainThread?: boolean;
  /** Progress of the whole read (all files): bytes read, their sizes, the files being read (names as shown). */
  onProgress?: (progress: ReadFilesProgress) => void;
  /** Series read at most per file (summarizeFile's maxSeriesPerFile; default 2000). */
  maxSeriesPerFile?: number;
  /** What a read left out (more series than maxSeriesPerFile), one message per file, naming it as shown. */
  onWarning?: (message: string) => void;
}

/** Reads every result file of the benchmarks (or of the given globs). InputError when none exist. */
export async function readBenchmarkResults(loaded: LoadedConfig, options: ResultsOptions = {}): Promise<Series[]> {
  const sources: Array<{ bench: Benchmark | null; files: string[] }> = [];
  if (options.globs && options.globs.length > 0) {
    // Typed on the command line: a user may point anywhere (a config may not; see expandResults).
    const files = await expandResults(options.globs, options.globCwd ?? loaded.workspace, { allowOutside: true });
    if (files.length === 0) throw new InputError(options.globs.join(' '), 'no result files match');
    sources.push({ bench: null, files });
  } else {
    const benches = loaded.config.benchmarks.filter((b) => !options.benchmarks || options.benchmarks.includes(b.name));
    if (benches.length === 0) throw new InputError(loaded.show(loaded.configFile), 'no benchmarks to read results of (add "benchmarks", or give result files)');
    for (const bench of benches) {
      sources.push({ bench, files: await expandResults(bench.results, loaded.workspace, { source: loaded.show(loaded.configFile) }) });
    }
    if (sources.every((s) => s.files.length === 0)) {
      throw new NoResultsYet(
        loaded.show(loaded.configFile),
        benches.flatMap((b) => b.results),
        benches.map((b) => b.name),
      );
    }
  }
  // All files of all benchmarks in one schedule (readFiles.ts): in parallel, bounded by the cores.
  const toRead = sources.flatMap(({ bench, files }) => files.map((file) => ({ bench, file })));
  const outcomes = await readFiles(
    toRead.map(({ bench, file }) => ({ file, options: { format: bench?.format, unit: bench?.unit, column: bench?.column, displayName: loaded.show(file) } })),
    {
      mainThread: options.mainThread ?? false,
      stopAfterError: true,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.maxSeriesPerFile !== undefined ? { maxSeriesPerFile: options.maxSeriesPerFile } : {}),
      ...(options.onWarning ? { onWarning: options.onWarning } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
  return seriesOrThrow(outcomes).flatMap((read, i) => {
    const bench = toRead[i]!.bench;
    return bench ? read.map((s) => ({ ...s, benchmark: bench.name })) : read;
  });
}

export type BaselineSource =
  | { kind: 'none' }
  /** The config's baseline file in the working tree (absent: no baseline). */
  | { kind: 'working-tree' }
  /** A given file, which must exist. */
  | { kind: 'file'; file: string }
  /** The config's baseline path at a git ref (absent at that ref: no baseline, and `onNote` says so). */
  | { kind: 'ref'; ref: string; /** Let git fetch a missing blob (partial clone; the CLI's --git-lazy-fetch). */ lazyFetch?: boolean };

export async function loadBaseline(loaded: LoadedConfig, source: BaselineSource, onNote: (msg: string) => void = () => {}): Promise<Baseline | null> {
  if (source.kind === 'none') return null;
  if (source.kind === 'ref') {
    const rel = loaded.config.baseline;
    const where = `${source.ref}:${rel}`;
    let text: string | null;
    try {
      text = await showAtRef(source.ref, rel, loaded.workspace, { lazyFetch: source.lazyFetch });
    } catch (e) {
      // The git failure stays attached: the pipeline (judge.ts) falls back on its reason, not its words.
      const error = new InputError(where, (e as Error).message);
      error.cause = e;
      throw error;
    }
    if (text === null) {
      onNote(`no baseline at ${where}; comparing with nothing`);
      return null;
    }
    return parseBaseline(text, where);
  }
  const file = source.kind === 'file' ? source.file : baselinePath(loaded);
  if (!existsSync(file)) {
    if (source.kind === 'file') throw new InputError(loaded.show(file), 'baseline file not found');
    return null;
  }
  // A --baseline the user typed may be anywhere; the config's stays inside the workspace.
  const text = await readSmallFile(file, { root: source.kind === 'file' ? null : loaded.workspace, shown: loaded.show(file) });
  return parseBaseline(text, loaded.show(file));
}

/** Absolute path of the config's baseline; an InputError when it points outside the workspace. */
export function baselinePath(loaded: LoadedConfig): string {
  const target = path.resolve(loaded.workspace, loaded.config.baseline);
  const rel = path.relative(loaded.workspace, target);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new InputError(loaded.show(loaded.configFile), `baseline path ${JSON.stringify(loaded.config.baseline)} is outside the workspace folder`);
  }
  // A folder on the way that is a symlink out of the workspace would take the write outside too.
  let existing = path.dirname(target);
  while (!existsSync(existing) && existing !== loaded.workspace) existing = path.dirname(existing);
  const realRel = path.relative(realpathSync(loaded.workspace), realpathSync(existing));
  if (realRel.startsWith('..') || path.isAbsolute(realRel)) {
    throw new InputError(loaded.show(loaded.configFile), `baseline path ${JSON.stringify(loaded.config.baseline)} leads outside the workspace folder (through a symlink)`);
  }
  return target;
}
