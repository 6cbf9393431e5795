import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Baseline, BaselineMeta } from '../core/baseline/baselineFile';
import type { AmbiguousSeries } from '../core/budgets/claim';
import type { HandlerResult } from '../core/budgets/verdict';
import { type InputError, NoResultsYet } from '../core/errors';
import { leftOverLines, summaryLine } from '../core/report/reports';
import type { Series } from '../core/series';
import { findGitDir, watchGitHead } from '../node/gitHead';
import { readAndJudge } from '../node/judge';
import type { PromWindow } from '../core/prometheus/promQueries';
import { readPrometheusSources } from '../node/prometheusSource';
import { newestModification } from '../node/resultFiles';
import { recentRuns, runThatWrote } from '../node/runHistory';
import type { LoadedConfig } from '../node/workspaceFiles';
import { Disposable } from './dispose';
import { CONFIG_FILE } from './ids';
import { ReadProgressNotice } from './readProgress';
import { affectsSettings, readSettings } from './settings';

/**
 * Where the baseline compared with came from, as the panel header and the hover say it:
 * "HEAD:perf/baseline.json", "working tree: perf/baseline.json (not committed: differs from
 * HEAD:perf/baseline.json)", "working tree: perf/baseline.json — git is not run in Restricted Mode".
 */
export function describeBaselineSource(model: BudgetsModel): string | null {
  if (!model.baselineFrom) return null;
  if (model.baselineFrom !== model.loaded.config.baseline) return model.baselineFrom;
  if (model.restricted) return vscode.l10n.t('working tree: {0} — git is not run in Restricted Mode', model.baselineFrom);
  if (model.baselineDiffersFrom) return vscode.l10n.t('working tree: {0} (not committed: differs from {1})', model.baselineFrom, model.baselineDiffersFrom);
  return vscode.l10n.t('working tree: {0}', model.baselineFrom);
}

/** What the editor shows for one workspace folder: the latest good evaluation. */
export interface BudgetsModel {
  folder: vscode.WorkspaceFolder;
  loaded: LoadedConfig;
  series: Series[];
  baseline: Baseline | null;
  /** Where the baseline came from: "HEAD:perf/baseline.json" or the working-tree path. */
  baselineFrom: string | null;
  /** Set when the working-tree baseline is shown because it differs from this ref's ("HEAD:perf/baseline.json"). */
  baselineDiffersFrom?: string;
  /** Read in Restricted Mode: no git was run, so the baseline (if any) is the working-tree file. */
  restricted: boolean;
  results: HandlerResult[];
  /** Names of the series no budget claims (from the same evaluation as `results`). */
  unclaimed: string[];
  /** Series budgets' templates tie for: they feed none of them. */
  ambiguous: AmbiguousSeries[];
  readAt: Date;
  /** Newest modification time (epoch ms) of the result files read. */
  resultsWrittenAt: number;
  /**
   * The provenance of the run that wrote these results, from its run-history record: its commit,
   * whether the tree was dirty, each handler's code then. Absent for results written elsewhere.
   */
  run?: BaselineMeta;
}

/** Run-history records looked at for the run that wrote the results (the newest ones). */
const RUNS_LOOKED_AT = 5;

const DEBOUNCE_MS = 300;
/** Unclaimed series named in the log line of a read (the model keeps them all). */
const LOGGED_NAMES = 100;

/**
 * One workspace folder with a perf-budgets.json: reads config, result files and the committed
 * baseline, evaluates them, and re-reads when any of them changes on disk (debounced).
 * A failed read keeps the previous model — bad input never replaces good results — and
 * records the one-line error.
 */
export class FolderBudgets extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private current: BudgetsModel | undefined;
  private lastError: InputError | Error | undefined;
  private loadedConfig: LoadedConfig | undefined;
  private resultWatchers: vscode.Disposable[] = [];
  private watchedGlobs = '';
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<BudgetsModel | undefined> | undefined;
  private again = false;
  private runInProgress = false;
  private held: string | undefined;
  private baselineRefOverride: string | undefined;
  private readAbort: AbortController | undefined;
  private isRemoved = false;
  /** Runs of this session by benchmark, for Prometheus "run" windows until run history has them. */
  private readonly runWindows = new Map<string, PromWindow>();
  private readonly willDispose = new vscode.EventEmitter<void>();
  /** Fires once, just before the folder is disposed (removed from the workspace, or its config deleted). */
  readonly onWillDispose = this.willDispose.event;
  private readonly progressShown = this.register(new vscode.EventEmitter<string>());
  /** Each message of the read progress notification, as shown ("Reading perf/results/big.jtl — 340 MB / 2.15 GB"). */
  readonly onDidShowReadProgress = this.progressShown.event;

  constructor(
    readonly folder: vscode.WorkspaceFolder,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    const configWatcher = this.register(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, CONFIG_FILE)));
    const onConfig = () => this.schedule('perf-budgets.json changed');
    this.register(configWatcher.onDidChange(onConfig));
    this.register(configWatcher.onDidCreate(onConfig));
    this.register(configWatcher.onDidDelete(onConfig));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => affectsSettings(e) && this.schedule('settings changed')));
    // Trust granted: read again, now with git (the baseline from HEAD, the run's commit).
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.schedule('the workspace is trusted now')));
    // HEAD moved (a commit, a checkout, a reset): HEAD's baseline may be another file now. Seen
    // from git's own files, no git process; read again only where git may be used (trusted).
    const gitDir = folder.uri.scheme === 'file' ? findGitDir(folder.uri.fsPath) : null;
    if (gitDir) {
      const head = watchGitHead(gitDir, () => vscode.workspace.isTrusted && this.schedule('HEAD moved'));
      this.register({ dispose: () => head.close() });
    }
    this.register({ dispose: () => this.disposeResultWatchers() });
    this.register({ dispose: () => this.timer && clearTimeout(this.timer) });
  }

  override dispose(): void {
    if (!this.isRemoved) {
      this.isRemoved = true;
      this.readAbort?.abort(new DOMException('the folder was removed', 'AbortError'));
      this.willDispose.fire();
      this.willDispose.dispose();
    }
    super.dispose();
  }

  /** True once the folder is gone (disposed): nothing reads or runs in it any more. */
  get removed(): boolean {
    return this.isRemoved;
  }

  get model(): BudgetsModel | undefined {
    return this.current;
  }

  get error(): InputError | Error | undefined {
    return this.lastError;
  }

  /** The config as last read successfully (even when reading results failed afterwards). */
  get config(): LoadedConfig | undefined {
    return this.loadedConfig;
  }

  get configUri(): vscode.Uri {
    return vscode.Uri.joinPath(this.folder.uri, CONFIG_FILE);
  }

  /** Why the shown results may not be current (the last run failed); undefined when they are. */
  get staleReason(): string | undefined {
    return this.held;
  }

  /**
   * While a benchmark runs, files it writes are not read (a failed run must not replace good
   * results). After a failed run the previous results stay, marked stale, until a successful
   * run or an explicit Re-read Results.
   */
  beginRun(): void {
    this.runInProgress = true;
  }

  endRun(failure?: string): void {
    this.runInProgress = false;
    this.held = failure;
    this.changed.fire();
  }

  /** Compare with another baseline for this session: a git ref, or "" for the working-tree file. */
  setBaselineRef(ref: string): void {
    this.baselineRefOverride = ref;
  }

  /** An explicit re-read (the user asked): reads whatever is on disk now. */
  rereadNow(): Promise<BudgetsModel | undefined> {
    this.held = undefined;
    return this.reload();
  }

  /** Cancels the read in progress (as the notification's Cancel does); false when none runs. */
  cancelRead(): boolean {
    if (!this.readAbort || this.readAbort.signal.aborted) return false;
    this.readAbort.abort(new DOMException('cancelled', 'AbortError'));
    return true;
  }

  /**
   * Of `benchmarks`, those none of whose result files (as last read) was written at or after
   * `sinceMs` (1 s earlier: file systems with whole-second times), or that have no results at all.
   */
  unwrittenSince(benchmarks: readonly string[], sinceMs: number): string[] {
    const series = this.current?.series ?? [];
    const root = this.folder.uri.fsPath;
    // A Prometheus source's series were queried by this read: nothing on disk to look at.
    const fresh = (s: Series) => s.format === 'prometheus-api' || newestModification(root, sourceFiles(s)) >= sinceMs - 1000;
    return benchmarks.filter((b) => !series.some((s) => s.benchmark === b && fresh(s)));
  }

  /** A run of `benchmarks` just ended, not recorded yet: their Prometheus "run" windows are its span. */
  noteRun(benchmarks: readonly string[], startMs: number, endMs: number): void {
    for (const b of benchmarks) this.runWindows.set(b, { startMs, endMs });
  }

  /**
   * Re-reads soon, once, however many changes arrive meanwhile. Checked again when the delay is
   * over: a change seen during a read that the user then cancels (or just before a run starts)
   * must not start that read again behind their back.
   */
  schedule(reason: string): void {
    if (this.isRemoved || this.notReading(reason)) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.isRemoved || this.notReading(reason)) return;
      this.log.debug(`${this.folder.name}: re-reading (${reason})`);
      this.reload().catch(() => {
        /* recorded in lastError, logged */
      });
    }, DEBOUNCE_MS);
  }

  /** True (and logged) while changes on disk are not read: a run in progress, or results held after a failed or cancelled one. */
  private notReading(reason: string): boolean {
    if (!this.runInProgress && !this.held) return false;
    this.log.debug(`${this.folder.name}: not re-reading (${reason}): ${this.runInProgress ? 'a run is in progress' : this.held}`);
    return true;
  }

  /** Reads now; concurrent calls share one read and a call during a read triggers one more. */
  reload(): Promise<BudgetsModel | undefined> {
    if (this.isRemoved) return Promise.resolve(undefined);
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.read().finally(() => {
      this.reading = undefined;
      if (this.again) {
        this.again = false;
        this.schedule('changed during a read');
      }
    });
    return this.reading;
  }

  private async read(): Promise<BudgetsModel | undefined> {
    const root = this.folder.uri.fsPath;
    const show = (abs: string) => path.relative(root, abs).split(path.sep).join('/') || abs;
    const abort = (this.readAbort = new AbortController());
    let reading = 'results';
    const notice = new ReadProgressNotice(
      vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders.length > 1 ? vscode.l10n.t('Perf Budgets ({0})', this.folder.name) : vscode.l10n.t('Perf Budgets'),
      () => this.cancelRead(),
      (message) => this.progressShown.fire(message),
    );
    try {
      // Restricted Mode: git is not run at all (a stranger's .git/config can name commands), so the
      // baseline is the working-tree file, and the model says so.
      const restricted = !vscode.workspace.isTrusted;
      const settings = readSettings(this.folder);
      const ref = restricted ? '' : (this.baselineRefOverride ?? settings.baselineRef);
      const { loaded, series, baseline, results, unclaimed, ambiguous } = await readAndJudge(path.join(root, CONFIG_FILE), {
        show,
        onConfig: (config) => {
          this.loadedConfig = config;
          this.watchResults(config);
        },
        results: {
          signal: abort.signal,
          onProgress: (progress) => {
            reading = progress.reading.join(', ') || reading;
            notice.update(progress);
          },
          maxSeriesPerFile: settings.maxSeriesPerFile,
          onWarning: (message) => this.log.warn(`${this.folder.name}: ${message}`),
        },
        // A benchmark's Prometheus source is queried only in a trusted workspace (else the read says why).
        readSources: (config) => readPrometheusSources(config, { trusted: !restricted, runs: this.runWindows, signal: abort.signal, log: (line) => this.log.info(`${this.folder.name}: ${line}`) }),
        // Outside git (or before the first commit), the working-tree file is the baseline. Unless
        // the user picked a ref, a working-tree file that differs from the ref's (just updated
        // from a run, not committed yet) is the one compared with, and baselineFrom says so.
        baseline: ref ? { kind: 'ref', ref, fallback: 'working-tree', preferChangedWorkingTree: this.baselineRefOverride === undefined } : { kind: 'working-tree' },
        onNote: (note) => this.log.info(`${this.folder.name}: ${note}`),
      });
      const resultsWrittenAt = newestModification(root, [...new Set(series.flatMap(sourceFiles))]);
      const run = runThatWrote(recentRuns(root, RUNS_LOOKED_AT), resultsWrittenAt)?.meta;
      this.current = {
        ...(run ? { run } : {}),
        folder: this.folder,
        loaded,
        series,
        baseline: baseline.state === 'loaded' ? baseline.baseline : null,
        baselineFrom: baseline.state === 'loaded' ? baseline.from : null,
        ...(baseline.state === 'loaded' && baseline.differsFrom ? { baselineDiffersFrom: baseline.differsFrom } : {}),
        restricted,
        results,
        unclaimed,
        ambiguous,
        readAt: new Date(),
        resultsWrittenAt,
      };
      this.lastError = undefined;
      this.log.info(`${this.folder.name}: read ${series.length} series: ${summaryLine(results)}`);
      if (unclaimed.length > 0) {
        const more = unclaimed.length > LOGGED_NAMES ? ` and ${unclaimed.length - LOGGED_NAMES} more` : '';
        this.log.info(`${this.folder.name}: ${unclaimed.length} series no budget claims: ${unclaimed.slice(0, LOGGED_NAMES).join(', ')}${more}`);
      }
      for (const a of ambiguous) this.log.warn(`${this.folder.name}: ${leftOverLines({ unclaimed: [], ambiguous: [a] })[0]}`);
      this.changed.fire();
      return this.current;
    } catch (e) {
      if (e instanceof NoResultsYet && !abort.signal.aborted) {
        // No result file any more (deleted, or never written): nothing current to show. Not bad
        // input, so no previous results are "kept" as if current: every surface says "not run".
        if (this.current) this.log.info(`${this.folder.name}: the result files are gone (${e.globs.join(', ')}); showing "not run"`);
        this.current = undefined;
        this.lastError = e;
        this.changed.fire();
        throw e;
      }
      if (abort.signal.aborted) {
        // Cancelled (or the folder went away): not an error; the previous results stay, marked stale.
        const cancelled = new DOMException(vscode.l10n.t('reading {0} was cancelled', reading), 'AbortError');
        if (this.isRemoved) throw cancelled;
        this.held = `${cancelled.message}; these are the previous results`;
        this.log.warn(`${this.folder.name}: ${cancelled.message}; the previous results are kept`);
        this.changed.fire();
        throw cancelled;
      }
      this.lastError = e instanceof Error ? e : new Error(String(e));
      this.log.error(`${this.folder.name}: ${this.lastError.message}`);
      this.changed.fire();
      throw this.lastError;
    } finally {
      notice.dispose();
      if (this.readAbort === abort) this.readAbort = undefined;
    }
  }

  private watchResults(loaded: LoadedConfig): void {
    const globs = [...new Set(loaded.config.benchmarks.flatMap((b) => b.results))].sort();
    const key = JSON.stringify(globs);
    if (key === this.watchedGlobs) return;
    this.disposeResultWatchers();
    this.watchedGlobs = key;
    const baselineWatcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.folder, loaded.config.baseline));
    // Created too: "Update baseline" writes the first one; deleted: there is none any more.
    const onBaseline = () => this.schedule('baseline changed');
    this.resultWatchers.push(baselineWatcher, baselineWatcher.onDidChange(onBaseline), baselineWatcher.onDidCreate(onBaseline), baselineWatcher.onDidDelete(onBaseline));
    for (const glob of globs) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(this.folder, glob));
      const on = (uri: vscode.Uri) => this.schedule(`${path.relative(this.folder.uri.fsPath, uri.fsPath)} changed`);
      this.resultWatchers.push(w, w.onDidChange(on), w.onDidCreate(on), w.onDidDelete(on));
    }
  }

  private disposeResultWatchers(): void {
    for (const d of this.resultWatchers.splice(0)) d.dispose();
    this.watchedGlobs = '';
  }
}

/** The result files a series came from, relative to the folder (merged series list several). */
function sourceFiles(s: Series): string[] {
  return s.source.split(', ');
}
