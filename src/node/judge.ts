import type { Baseline } from '../core/baseline/baselineFile';
import type { AmbiguousSeries } from '../core/budgets/claim';
import { evaluateWithClaims } from '../core/budgets/evaluate';
import type { HandlerResult } from '../core/budgets/verdict';
import { InputError, NoResultsYet } from '../core/errors';
import type { Series } from '../core/series';
import { GitError } from './git';
import { withRepeatedRuns } from './runHistory';
import { type BaselineSource, type LoadedConfig, loadBaseline, loadConfigFile, type ResultsOptions, readBenchmarkResults } from './workspaceFiles';

/**
 * The one read-and-judge pipeline of Perf Budgets, for the CLI (`check`, `run`) and the editor
 * (each workspace folder's read): config → result files → a benchmark's repeated runs (run
 * history) → baseline → verdicts. New sources join here, once, and both front-ends only present
 * what it returns.
 *
 *   perf-budgets.json ──loadConfigFile──▶ LoadedConfig ──readBenchmarkResults (+ readSources: Prometheus)──▶ Series[]
 *        ──withRepeatedRuns──▶ Series[] ──(+ baseline: loadBaseline)──evaluateWithClaims──▶ HandlerResult[]
 *                                                                             + unclaimed, ambiguous series
 */
export interface JudgeOptions {
  /** How an absolute path is named in messages. */
  show: (absolute: string) => string;
  /** Told once the config is read, before the results are (the editor watches its result globs). */
  onConfig?: (loaded: LoadedConfig) => void;
  results?: ResultsOptions;
  /**
   * Series of the config's non-file sources (a benchmark's `prometheus`: readPrometheusSources),
   * read beside the result files unless `results.globs` names files; a config with such a source
   * needs no result file.
   */
  readSources?: (loaded: LoadedConfig) => Promise<Series[]>;
  baseline: BaselineRequest;
  /** Notes for the user that are not errors ("no baseline at HEAD:perf/baseline.json"). */
  onNote?: (message: string) => void;
}

/**
 * Which baseline to compare with. With `fallback: 'working-tree'`, a ref that cannot be looked up
 * because the folder is not a git repository or the ref does not exist yet (no commit) gives the
 * working-tree file instead, and the outcome says why. Any other failure (a refused ref, a blob a
 * partial clone lacks) is an error.
 */
export type BaselineRequest = BaselineSource & {
  fallback?: 'working-tree';
  /**
   * With a ref: when the working-tree file differs from the ref's (another createdAt, or the ref
   * has none), compare with the working-tree file: a baseline just updated from a run is what
   * the user wants to see next, before they commit it. The outcome says so (`differsFrom`).
   */
  preferChangedWorkingTree?: boolean;
};

/** What became of the baseline: typed, so a front-end never reads it from an error's words. */
export type BaselineOutcome =
  | { state: 'not-asked' }
  /** No baseline file: in the working tree, or at the ref. */
  | { state: 'absent'; where: string }
  | {
      state: 'loaded';
      baseline: Baseline;
      /** "HEAD:perf/baseline.json", or the file as shown. */
      from: string;
      kind: 'ref' | 'working-tree' | 'file';
      /** Set when a ref was asked for and the working tree was used instead, and why. */
      fellBack?: 'not-a-repository' | 'unknown-ref';
      /** The working-tree file was used because it differs from this ref's ("HEAD:perf/baseline.json"). */
      differsFrom?: string;
    };

export interface Judgement {
  loaded: LoadedConfig;
  series: Series[];
  baseline: BaselineOutcome;
  results: HandlerResult[];
  /** Names of the series no budget claims (claimSeries), each once. */
  unclaimed: string[];
  /** Series two or more budgets' templates match equally well: they feed none of them. */
  ambiguous: AmbiguousSeries[];
}

/** Reads everything and judges it. InputError (one line naming the file) for bad input. */
export async function readAndJudge(configFile: string, options: JudgeOptions): Promise<Judgement> {
  const loaded = await loadConfigFile(configFile, options.show);
  options.onConfig?.(loaded);
  const fromSources = options.readSources && !options.results?.globs?.length ? await options.readSources(loaded) : [];
  const read = [...(await readBenchmarkResults(loaded, options.results).catch((e: unknown) => (e instanceof NoResultsYet && fromSources.length > 0 ? [] : Promise.reject(e)))), ...fromSources];
  options.results?.signal?.throwIfAborted();
  // Results named on the command line are read as they are; a config's benchmarks get their
  // repeated runs (kept in run history) merged, with per-run summaries.
  const series = options.results?.globs?.length ? read : withRepeatedRuns(loaded.workspace, read);
  const baseline = await resolveBaseline(loaded, options.baseline, options.onNote ?? (() => {}));
  const { results, unclaimed, ambiguous } = evaluateWithClaims(loaded.config, series, baseline.state === 'loaded' ? baseline.baseline.series : null);
  return { loaded, series, baseline, results, unclaimed, ambiguous };
}

/** Two baseline documents with the same provenance and the same numbers (what a commit of the file keeps). */
function sameBaseline(a: Baseline, b: Baseline): boolean {
  const facts = (x: Baseline) =>
    JSON.stringify([x.meta.createdAt, x.meta.commit, x.series.map((s) => [s.name, s.count, s.errors, s.durationSec, s.percentiles, s.histogram?.count ?? null])]);
  return facts(a) === facts(b);
}

async function resolveBaseline(loaded: LoadedConfig, request: BaselineRequest, onNote: (message: string) => void): Promise<BaselineOutcome> {
  if (request.kind === 'none') return { state: 'not-asked' };
  const workingTree = async (fellBack?: 'not-a-repository' | 'unknown-ref'): Promise<BaselineOutcome> => {
    const baseline = await loadBaseline(loaded, { kind: 'working-tree' });
    return baseline
      ? { state: 'loaded', baseline, from: loaded.config.baseline, kind: 'working-tree', ...(fellBack ? { fellBack } : {}) }
      : { state: 'absent', where: loaded.config.baseline };
  };
  if (request.kind === 'working-tree') return workingTree();
  if (request.kind === 'file') {
    const baseline = await loadBaseline(loaded, request);
    return baseline ? { state: 'loaded', baseline, from: loaded.show(request.file), kind: 'file' } : { state: 'absent', where: loaded.show(request.file) };
  }
  const where = `${request.ref}:${loaded.config.baseline}`;
  try {
    const baseline = await loadBaseline(loaded, request, onNote);
    if (request.preferChangedWorkingTree) {
      const local = await loadBaseline(loaded, { kind: 'working-tree' });
      if (local && (!baseline || !sameBaseline(local, baseline))) {
        onNote(`comparing with the working-tree ${loaded.config.baseline}: it differs from ${where}`);
        return { state: 'loaded', baseline: local, from: loaded.config.baseline, kind: 'working-tree', differsFrom: where };
      }
    }
    return baseline ? { state: 'loaded', baseline, from: where, kind: 'ref' } : { state: 'absent', where };
  } catch (e) {
    const reason = e instanceof InputError && e.cause instanceof GitError ? e.cause.reason : null;
    if (request.fallback === 'working-tree' && (reason === 'not-a-repository' || reason === 'unknown-ref')) return workingTree(reason);
    throw e;
  }
}
