import { existsSync, lstatSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BaselineMeta, HandlerSource } from '../core/baseline/baselineFile';
import { remoteHostsRefused, remoteRefusal } from '../core/config/httpBenchmark';
import type { Benchmark } from '../core/config/parseConfig';
import { formatDuration } from '../core/units';
import { headCommit, treeIsDirty } from '../node/git';
import { HTTP_SPEC_ENV, httpBenchCommand } from '../node/httpBenchProcess';
import { thisMachine } from '../node/machine';
import { recordRun, type RunRecord } from '../node/runHistory';
import { readSmallFile, writeFileInside } from '../node/safeFs';
import { lastTextLine, shownLine, startTaskProcess, STOP_GRACE_MS, type TaskCommand, type TaskProcessEnd, terminalEnv } from '../node/taskProcess';
import { readBenchmarkResults } from '../node/workspaceFiles';
import { launchKey, Launches } from './benchmarkLaunches';
import { BenchmarkPty } from './benchmarkPty';
import { Disposable } from './dispose';
import type { FolderBudgets } from './folderBudgets';
import { TASK_TYPE } from './ids';
import { readSettings, SETTINGS } from './settings';
import { tell } from './userLog';

export type RunOutcome =
  | { kind: 'ok' }
  | {
      kind: 'failed';
      exitCode: number | undefined;
      /** The last lines of its stderr, when its process was ours (undefined for a user's task, whose output nobody can read). */
      stderrTail?: string[];
      /** The user's task it ran ("task" in perf-budgets.json), if it ran one. */
      task?: string;
    }
  | { kind: 'cancelled' }
  | { kind: 'timeout'; afterMs: number }
  /** Its workspace folder was removed from the workspace while it ran. */
  | { kind: 'removed' };

export interface RunReport {
  folder: FolderBudgets;
  benchmarks: string[];
  outcome: RunOutcome;
  /** The benchmark the run stopped at, when it did not complete. */
  stoppedAt?: string;
}

/**
 * Runs benchmarks as VS Code tasks — the benchmark's own task (tasks.json, npm scripts, any
 * provider) or its command as a shell task — one run at a time, with a cancellable progress
 * notification. Only a complete, successful run re-reads results; anything else leaves the
 * previous results and verdicts in place and says why.
 */
export class BenchmarkRunner extends Disposable {
  private active: Promise<RunReport | undefined> | undefined;
  private readonly stateChanged = this.register(new vscode.EventEmitter<boolean>());
  /** Fires true when a run starts, false when it ends. */
  readonly onDidChangeRunning = this.stateChanged.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly workspaceState: vscode.Memento,
    /** Each placed handler's code as it is when a run starts (HandlerLocator.sources). */
    private readonly handlerSources: (folder: FolderBudgets) => Promise<Record<string, HandlerSource>> = async () => ({}),
  ) {
    super();
  }

  get running(): boolean {
    return this.active !== undefined;
  }

  /** Runs `names` (default: every benchmark) of a folder. Refuses when untrusted or already running. */
  async run(folder: FolderBudgets, names?: readonly string[]): Promise<RunReport | undefined> {
    if (!vscode.workspace.isTrusted) {
      const manage = vscode.l10n.t('Manage Workspace Trust');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('Perf Budgets does not run benchmarks in an untrusted workspace. Existing results are still shown.'), manage)
        .then((pick) => pick === manage && vscode.commands.executeCommand('workbench.trust.manage'));
      return undefined;
    }
    if (this.active) {
      // Refused, not queued: one run at a time, so no two runs ever write results or history at once.
      void tell(this.log, 'warn', vscode.l10n.t('Perf Budgets: a benchmark run is already in progress; wait for it or cancel it.'));
      return undefined;
    }
    this.active = this.runNow(folder, names);
    this.stateChanged.fire(true);
    try {
      return await this.active;
    } finally {
      this.active = undefined;
      this.stateChanged.fire(false);
    }
  }

  private async runNow(folder: FolderBudgets, names?: readonly string[]): Promise<RunReport | undefined> {
    // Read the config afresh: the run uses what is on disk now.
    await folder.reload().catch(() => undefined);
    const loaded = folder.config;
    if (!loaded) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Perf Budgets: {0}', folder.error?.message ?? vscode.l10n.t('perf-budgets.json cannot be read')));
      return undefined;
    }
    const benches = loaded.config.benchmarks.filter((b) => !names || names.includes(b.name));
    if (benches.length === 0) {
      const file = `${folder.folder.name}/perf-budgets.json`;
      void vscode.window.showWarningMessage(
        names ? vscode.l10n.t('Perf Budgets: no benchmarks named {0} in {1}', names.join(', '), file) : vscode.l10n.t('Perf Budgets: no benchmarks in {0}', file),
      );
      return undefined;
    }
    if (this.remoteRefused(folder, benches)) return undefined;
    const startedAt = new Date();
    // The run's provenance is the commit it starts on (HEAD may move while it runs, or after).
    const commit = await headCommit(folder.folder.uri.fsPath).catch(() => null);
    // And the code it measured: dirty or not, and each handler's code (for "stale" and "what changed").
    const provenance = await this.provenance(folder);
    // A cancelled run gives the folder back as it was (stale or not): cancelling says nothing about the results.
    const staleBefore = folder.staleReason;
    folder.beginRun();
    let report: RunReport;
    try {
      report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Perf Budgets'), cancellable: true },
        async (progress, token): Promise<RunReport> => {
          for (const bench of benches) {
            // "repeat": N runs, each bounded by the timeout, each kept in run history right after it.
            const group = new Date().toISOString();
            for (let index = 1; index <= bench.repeat; index++) {
              if (folder.removed) return { folder, benchmarks: benches.map((b) => b.name), outcome: { kind: 'removed' }, stoppedAt: bench.name };
              const label = bench.repeat > 1 ? vscode.l10n.t('{0} (run {1} of {2})', bench.name, index, bench.repeat) : bench.name;
              this.log.info(`${folder.folder.name}: running benchmark ${label}`);
              const runStarted = new Date();
              const outcome = await this.runOne(folder, bench, token, (elapsed) => progress.report({ message: vscode.l10n.t('running {0} ({1})', label, formatDuration(elapsed)) }));
              if (outcome.kind !== 'ok') return { folder, benchmarks: benches.map((b) => b.name), outcome, stoppedAt: bench.name };
              if (bench.repeat > 1) {
                // The folder's read uses the same cap: a repeat's last run must match what it reads.
                const series = await readBenchmarkResults(loaded, { benchmarks: [bench.name], maxSeriesPerFile: readSettings(folder.folder).maxSeriesPerFile });
                await this.keepHistory(folder, [bench.name], runStarted, series, commit, provenance, { group, index, of: bench.repeat });
              }
            }
          }
          progress.report({ message: vscode.l10n.t('reading results') });
          return { folder, benchmarks: benches.map((b) => b.name), outcome: { kind: 'ok' } };
        },
      );
    } catch (e) {
      folder.endRun(`the last run failed (${(e as Error).message}); these are the previous results`);
      const message = (e as Error).message;
      void tell(
        this.log,
        'error',
        hasResults(folder) ? vscode.l10n.t('Perf Budgets: the run failed: {0}. The previous results are kept.', message) : vscode.l10n.t('Perf Budgets: the run failed: {0}. No results were read.', message),
      );
      return undefined;
    }
    if (report.outcome.kind !== 'ok') {
      const why = describeOutcome(report.outcome);
      if (report.outcome.kind === 'removed') {
        void tell(this.log, 'warn', vscode.l10n.t('Perf Budgets: benchmark "{0}" {1} ({2}); nothing was read or kept from the run.', String(report.stoppedAt), why, folder.folder.name));
        return report;
      }
      folder.endRun(report.outcome.kind === 'cancelled' ? staleBefore : `the last run of "${report.stoppedAt}" ${why}; these are the previous results`);
      if (report.outcome.kind === 'failed') {
        this.tellFailure(folder, names, String(report.stoppedAt), report.outcome);
        return report;
      }
      const name = String(report.stoppedAt);
      void tell(
        this.log,
        'warn',
        hasResults(folder)
          ? vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}. The previous results are kept.', name, why)
          : vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}. No results were read.', name, why),
      );
      return report;
    }
    folder.endRun();
    try {
      folder.noteRun(report.benchmarks, startedAt.getTime(), Date.now());
      const model = await folder.reload();
      // Exit code 0 but no result file written during the run: the files read are the previous run's.
      const unwritten = folder.unwrittenSince(report.benchmarks, startedAt.getTime());
      if (unwritten.length > 0) {
        const globs = loaded.config.benchmarks.filter((b) => unwritten.includes(b.name)).flatMap((b) => b.results);
        const what = `benchmark ${unwritten.map((n) => `"${n}"`).join(', ')} finished but wrote no result file (${globs.join(', ')})`;
        folder.endRun(`${what}; these are the previous results`);
        void tell(this.log, 'warn', hasResults(folder) ? vscode.l10n.t('Perf Budgets: {0}. The previous results are kept.', what) : vscode.l10n.t('Perf Budgets: {0}. No results were read.', what));
      } else if (model) {
        // Repeated benchmarks were kept run by run.
        const single = report.benchmarks.filter((n) => loaded.config.benchmarks.find((b) => b.name === n)?.repeat === 1);
        const series = model.series.filter((s) => s.benchmark === undefined || single.includes(s.benchmark));
        if (single.length > 0) await this.keepHistory(folder, single, startedAt, series, commit, provenance);
      }
    } catch (e) {
      void tell(this.log, 'error', vscode.l10n.t('Perf Budgets: {0}. The previous results are kept.', (e as Error).message));
    }
    return report;
  }

  private async runOne(folder: FolderBudgets, bench: Benchmark, token: vscode.CancellationToken, tick: (elapsedMs: number) => void): Promise<RunOutcome> {
    // How our own task's process ended (its exit code and stderr tail), told by its terminal.
    let processEnd: TaskProcessEnd | undefined;
    let onProcessEnd: (end: TaskProcessEnd) => void = () => {};
    const processEnded = new Promise<void>((resolve) => {
      onProcessEnd = (end) => {
        processEnd ??= end;
        resolve();
      };
    });
    const task = await this.taskFor(folder, bench);
    if (!task) return { kind: 'failed', exitCode: undefined };
    // Whichever execution of this task VS Code starts (see Launches), it runs this benchmark and tells this run how it ended.
    const launch = bench.task ? undefined : launches.expect(launchKey(folder.folder.uri.toString(), bench.name), { bench, onEnd: onProcessEnd });
    const started = Date.now();
    let exitCode: number | undefined;
    let execution: vscode.TaskExecution | undefined;
    const ended = new Promise<void>((resolve) => {
      const subs = [
        vscode.tasks.onDidEndTaskProcess((e) => {
          if (execution && e.execution === execution) exitCode = e.exitCode;
        }),
        vscode.tasks.onDidEndTask((e) => {
          if (execution && e.execution === execution) {
            subs.forEach((s) => s.dispose());
            resolve();
          }
        }),
      ];
    });
    let stop: 'cancelled' | 'timeout' | 'removed' | undefined;
    let retry: NodeJS.Timeout | undefined;
    const halt = (why: NonNullable<typeof stop>) => {
      stop ??= why;
      if (!execution || retry) return;
      execution.terminate();
      // A task still starting can miss a terminate (seen under load): ask again each second until it ends, at most 30 times.
      let tries = 0;
      retry = setInterval(() => (++tries > 30 ? clearInterval(retry) : execution?.terminate()), 1000);
    };
    void ended.then(() => clearInterval(retry));
    // Listening before the task starts: a cancel or a removal while it starts stops it too.
    const cancel = token.onCancellationRequested(() => halt('cancelled'));
    let onRemoved = () => {};
    const gone = new Promise<void>((resolve) => (onRemoved = resolve));
    const removed = folder.onWillDispose(() => {
      halt('removed');
      onRemoved();
    });
    try {
      execution = await vscode.tasks.executeTask(task);
    } catch (e) {
      cancel.dispose();
      removed.dispose();
      launch?.dispose();
      throw e;
    }
    if (stop) halt(stop);
    tick(0);
    const ticker = setInterval(() => tick(Date.now() - started), 1000);
    // The built-in HTTP benchmark bounds itself; this bounds it from outside too.
    const timeoutMs = bench.timeoutMs ?? (bench.http ? bench.http.readyTimeoutMs + bench.http.durationMs + 60_000 : undefined);
    const timer = timeoutMs ? setTimeout(() => halt('timeout'), timeoutMs) : undefined;
    try {
      // A removed folder's run is over at once: nothing of it is read or kept, whenever its task ends.
      await Promise.race([ended, gone]);
    } finally {
      clearInterval(ticker);
      if (timer) clearTimeout(timer);
      cancel.dispose();
      removed.dispose();
    }
    if (stop === 'removed') {
      launch?.dispose();
      return { kind: 'removed' };
    }
    if (!bench.task && !processEnd) {
      // A terminated task ends at once; its process group may take up to the grace period to go.
      // Waited for (bounded), so that the next run or read never overlaps it.
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([processEnded, new Promise<void>((resolve) => (bound = setTimeout(resolve, STOP_GRACE_MS + 3000)))]);
      clearTimeout(bound);
      if (!processEnd) this.log.warn(`${folder.folder.name}: benchmark "${bench.name}": its terminal did not say how its process ended; the task's exit code is ${exitCode ?? 'unknown'}`);
    }
    launch?.dispose();
    if (stop === 'cancelled') return { kind: 'cancelled' };
    if (stop === 'timeout') return { kind: 'timeout', afterMs: timeoutMs! };
    // Ctrl-C in its terminal, or its terminal closed: the user stopped it.
    if (processEnd?.stopped) return { kind: 'cancelled' };
    const code = processEnd ? processEnd.exitCode : exitCode;
    if (code === 0) return { kind: 'ok' };
    if (bench.task) return { kind: 'failed', exitCode: code, task: bench.task };
    // Why it could not start (a refusal, a missing cwd) is its last word.
    const stderrTail = processEnd && (processEnd.error ? [...processEnd.stderrTail, processEnd.error] : processEnd.stderrTail);
    return { kind: 'failed', exitCode: code, ...(stderrTail ? { stderrTail } : {}) };
  }

  /**
   * A failed run, told with its reason (the last line of its stderr), its stderr tail in the log,
   * and "Show Output" and "Run Again" (the same benchmarks of the same folder); the previous
   * results are said to be kept only when there are some. A user's task's output cannot be read:
   * the toast points at its terminal.
   */
  private tellFailure(folder: FolderBudgets, names: readonly string[] | undefined, name: string, outcome: Extract<RunOutcome, { kind: 'failed' }>): void {
    const why = describeOutcome(outcome);
    const kept = hasResults(folder);
    let text: string;
    if (outcome.task !== undefined) {
      this.log.warn(`${folder.folder.name}: benchmark "${name}" ran the task "${outcome.task}"; its output is in that task's terminal`);
      text = kept
        ? vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}; its task "{2}" shows why in its terminal. The previous results are kept.', name, why, outcome.task)
        : vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}; its task "{2}" shows why in its terminal. No results were read.', name, why, outcome.task);
    } else if (outcome.stderrTail === undefined) {
      // It did not start (no task, told already) or its terminal never said how it ended.
      text = kept
        ? vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}. The previous results are kept.', name, why)
        : vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}. No results were read.', name, why);
    } else {
      const tail = outcome.stderrTail;
      this.log.warn(
        tail.length === 0
          ? `${folder.folder.name}: benchmark "${name}" printed nothing on stderr`
          : `${folder.folder.name}: benchmark "${name}", the last ${tail.length} line(s) of its stderr:\n${tail.map((l) => `  ${shownLine(l)}`).join('\n')}`,
      );
      // "…: port 1 refused." reads as one sentence: its own final full stop is dropped.
      const reason = lastTextLine(tail)?.replace(/\.+$/, '');
      if (reason) {
        text = kept
          ? vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}: {2}. The previous results are kept.', name, why, reason)
          : vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}: {2}. No results were read.', name, why, reason);
      } else {
        text = kept
          ? vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}. The previous results are kept.', name, why)
          : vscode.l10n.t('Perf Budgets: benchmark "{0}" {1}. No results were read.', name, why);
      }
    }
    const showOutput = vscode.l10n.t('Show Output');
    const runAgain = vscode.l10n.t('Run Again');
    void tell(this.log, 'warn', text, showOutput, runAgain).then((pick) => {
      if (pick === showOutput) this.log.show();
      else if (pick === runAgain && !folder.removed) void this.run(folder, names);
    });
  }

  /**
   * True (and the user told which user setting to add) when a benchmark would send requests to a
   * non-loopback host the user has not allowed: "allowRemote" in the workspace's own config is not
   * enough. Checked before anything starts; the child process checks again.
   */
  private remoteRefused(folder: FolderBudgets, benches: readonly Benchmark[]): boolean {
    const { allowRemoteHosts } = readSettings(folder.folder);
    for (const bench of benches) {
      const host = bench.http ? remoteHostsRefused(bench.http, allowRemoteHosts) : null;
      if (host === null) continue;
      const how = vscode.l10n.t('add "{0}" to the user setting {1} to allow it', host, SETTINGS.allowRemoteHosts);
      const open = vscode.l10n.t('Open User Settings');
      void tell(this.log, 'error', vscode.l10n.t('Perf Budgets: {0}/perf-budgets.json: {1}', folder.folder.name, remoteRefusal(bench.name, host, how)), open).then(
        (pick) => pick === open && vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS.allowRemoteHosts),
      );
      return true;
    }
    return false;
  }

  /** The benchmark's task by label among all the workspace's tasks, or its command as a task of ours. */
  private async taskFor(folder: FolderBudgets, bench: Benchmark): Promise<vscode.Task | undefined> {
    if (bench.task) {
      const tasks = await vscode.tasks.fetchTasks();
      const inFolder = (t: vscode.Task) => t.scope === undefined || typeof t.scope === 'number' || t.scope.uri.toString() === folder.folder.uri.toString();
      const found =
        tasks.find((t) => inFolder(t) && t.name === bench.task) ?? tasks.find((t) => inFolder(t) && `${t.source}: ${t.name}` === bench.task);
      if (!found) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Perf Budgets: benchmark "{0}" names the task "{1}", which no tasks.json or task provider defines.', bench.name, bench.task));
        return undefined;
      }
      return found;
    }
    return shellTaskFor(folder.folder, bench);
  }

  private async keepHistory(
    folder: FolderBudgets,
    benchmarks: string[],
    startedAt: Date,
    series: Parameters<typeof recordRun>[2],
    commit: string | null,
    provenance: Pick<BaselineMeta, 'dirty' | 'handlers'>,
    repeat?: RunRecord['repeat'],
  ): Promise<void> {
    const root = folder.folder.uri.fsPath;
    try {
      const file = recordRun(
        root,
        { benchmarks, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), ...(repeat ? { repeat } : {}) },
        series,
        { createdAt: new Date().toISOString(), commit, ...provenance, tool: 'perf-budgets (VS Code)', machine: thisMachine() },
        readSettings(folder.folder).maxRuns,
      );
      this.log.info(`${folder.folder.name}: run kept in ${path.relative(root, file)}`);
      // Asked without waiting: the run is over whether or not the user answers.
      void this.offerGitignore(folder.folder).catch((e: unknown) => this.log.warn(`.gitignore: ${(e as Error).message}`));
    } catch (e) {
      this.log.warn(`${folder.folder.name}: could not keep run history: ${(e as Error).message}`);
    }
  }

  /** Whether the tree is dirty (git; unknown outside a repository) and each handler's code, now. */
  private async provenance(folder: FolderBudgets): Promise<Pick<BaselineMeta, 'dirty' | 'handlers'>> {
    const out: Pick<BaselineMeta, 'dirty' | 'handlers'> = {};
    const dirty = await treeIsDirty(folder.folder.uri.fsPath).catch(() => null);
    if (dirty !== null) out.dirty = dirty;
    try {
      const handlers = await this.handlerSources(folder);
      if (Object.keys(handlers).length > 0) out.handlers = handlers;
    } catch (e) {
      this.log.warn(`${folder.folder.name}: could not record the handlers' code with the run: ${(e as Error).message}`);
    }
    return out;
  }

  /** Run history stays out of git, but only if the user agrees to edit .gitignore. */
  private async offerGitignore(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = `perfBudgets.gitignoreAsked:${folder.uri.toString()}`;
    if (this.workspaceState.get(key)) return;
    const root = folder.uri.fsPath;
    const gitignore = path.join(root, '.gitignore');
    // Not a FIFO, a device or a link out of the workspace (refusals go to the log); absent: none yet.
    const text = lstatSync(gitignore, { throwIfNoEntry: false }) ? await readSmallFile(gitignore, { root, shown: '.gitignore' }) : '';
    if (/^\/?\.perf-budgets\/?\s*$/m.test(text)) return;
    await this.workspaceState.update(key, true);
    const add = vscode.l10n.t('Add to .gitignore');
    const pick = await vscode.window.showInformationMessage(vscode.l10n.t('Perf Budgets keeps run history in .perf-budgets/. Add it to .gitignore?'), add, vscode.l10n.t('Not now'));
    if (pick !== add) return;
    const next = `${text}${text && !text.endsWith('\n') ? '\n' : ''}.perf-budgets/\n`;
    writeFileInside(root, gitignore, next, '.gitignore');
  }
}

/** The runner's runs waiting for their terminals (one at a time: the runner runs one benchmark at a time). */
const launches = new Launches<Benchmark>();

/**
 * A benchmark as a task of type perf-budgets (also what the task provider offers), run by a
 * terminal of ours (a CustomExecution with a BenchmarkPty) so that its output can be read — VS
 * Code gives nobody a task's output. When the runner runs it, its terminal runs the runner's
 * benchmark and tells the runner how its process ended, stderr tail included (Launches: whichever
 * execution of the task VS Code starts); else the benchmark as it was given here.
 */
export function shellTaskFor(folder: vscode.WorkspaceFolder, bench: Benchmark): vscode.Task | undefined {
  const detail = bench.http ? httpBenchLabel(bench.http) : bench.command;
  if (detail === undefined) return undefined;
  const key = launchKey(folder.uri.toString(), bench.name);
  const execution = new vscode.CustomExecution(async () => {
    const launch = launches.take(key);
    return benchmarkPty(folder, launch?.bench ?? bench, launch?.onEnd);
  });
  const task = new vscode.Task({ type: TASK_TYPE, benchmark: bench.name }, folder, bench.name, 'perf-budgets', execution, []);
  task.group = vscode.TaskGroup.Test;
  task.detail = detail;
  return task;
}

/** The task's detail, and the first line of its terminal, for a built-in HTTP benchmark. */
const httpBenchLabel = (http: { baseUrl: string }): string => `built-in HTTP benchmark of ${http.baseUrl}`;

/**
 * The terminal of a benchmark's run. Its process (startTaskProcess: its own process group,
 * stopped with its task) is the built-in HTTP benchmark — the extension host's own executable
 * running dist/httpbench.js as Node (ELECTRON_RUN_AS_NODE), which stops the service it started —
 * or else the command through the shell, in the benchmark's cwd. The HTTP benchmark's spec
 * (header values included) goes in the process's environment, never on its command line (which
 * `ps` shows every user). `onEnd` gets how its process ended.
 */
function benchmarkPty(folder: vscode.WorkspaceFolder, bench: Benchmark, onEnd?: (end: TaskProcessEnd) => void): BenchmarkPty {
  const echo = bench.http ? httpBenchLabel(bench.http) : `$ ${bench.command ?? ''}`;
  return new BenchmarkPty(
    (output) => {
      // Worked out as it starts: what cannot start (the build's script missing, no cwd) says why in its terminal and its run's toast.
      let command: TaskCommand;
      let cwd: string;
      let extraEnv: Record<string, string> = {};
      if (bench.http) {
        const child = httpBenchCommand(bench, folder.uri.fsPath, readSettings(folder).allowRemoteHosts);
        command = { file: child.command, args: child.args };
        cwd = child.cwd;
        extraEnv = { ...child.env, [HTTP_SPEC_ENV]: child.spec };
      } else {
        command = { shell: bench.command ?? '' };
        cwd = bench.cwd ? path.resolve(folder.uri.fsPath, bench.cwd) : folder.uri.fsPath;
      }
      if (!existsSync(cwd)) throw new Error(`the benchmark's cwd ${cwd} does not exist`);
      return startTaskProcess(`benchmark ${JSON.stringify(bench.name)}`, command, { cwd, env: { ...terminalEnv(process.env), ...extraEnv }, ...output });
    },
    echo,
    onEnd,
  );
}

/** True when the folder shows results (series) that a failed run leaves in place. */
function hasResults(folder: FolderBudgets): boolean {
  return (folder.model?.series.length ?? 0) > 0;
}

export function describeOutcome(outcome: RunOutcome): string {
  switch (outcome.kind) {
    case 'ok':
      return vscode.l10n.t('finished');
    case 'cancelled':
      return vscode.l10n.t('was cancelled');
    case 'timeout':
      return vscode.l10n.t('timed out after {0}', formatDuration(outcome.afterMs));
    case 'removed':
      return vscode.l10n.t('was stopped: its workspace folder was removed');
    case 'failed':
      return outcome.exitCode === undefined ? vscode.l10n.t('did not start or was stopped') : vscode.l10n.t('failed with exit code {0}', outcome.exitCode);
  }
}
