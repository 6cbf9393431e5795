import { Writable } from 'node:stream';
import * as vscode from 'vscode';
import { type AbCheckOptions, runAbCheck } from '../node/ab';
import { renderAbReport } from '../node/abReport';
import { refProblem, runGit } from '../node/git';
import type { BenchmarkRunner } from './benchmarkRunner';
import type { BudgetsRegistry } from './budgetsRegistry';
import { pickFolder } from './commands';
import { COMMANDS } from './ids';
import { tell } from './userLog';

/** Arguments of perfBudgets.compareWithRef when called programmatically (no UI then). */
export interface CompareWithRefArgs {
  ref?: string;
  /** The workspace folder's URI (default: the only one, or a pick). */
  folder?: string;
  maxRuns?: number;
  maxTimeMs?: number;
}

/** Benchmark output lines logged per check at most. */
const MAX_OUTPUT_LINES = 2000;
/** The reports' read-only documents: `perf-budgets-ab:/<name>.md`, the latest REPORTS_KEPT kept. */
export const AB_REPORT_SCHEME = 'perf-budgets-ab';
const REPORTS_KEPT = 20;

/**
 * "Perf Budgets: Compare Working Tree with HEAD…": asks for the ref (HEAD, HEAD~1, the
 * repository's branches and tags, or one typed), runs the local A/B check (src/node/ab.ts: a
 * temporary git worktree for the ref, runs A B A B …) in a cancellable progress notification
 * ("run 3/10 · A"), logs every step and the benchmarks' output, and opens the report — the CLI's
 * markdown — as a read-only markdown document (nothing to save), which the command returns.
 * Trusted workspaces only; one check at a time, and not while benchmarks run (both would start
 * the same service).
 */
export function registerAbCommand(registry: BudgetsRegistry, runner: BenchmarkRunner, log: vscode.LogOutputChannel): vscode.Disposable {
  let busy = false;
  const reports = new Map<string, string>();
  const provider = vscode.workspace.registerTextDocumentContentProvider(AB_REPORT_SCHEME, { provideTextDocumentContent: (uri) => reports.get(uri.path) ?? '' });
  const command = vscode.commands.registerCommand(COMMANDS.compareWithRef, async (args?: CompareWithRefArgs): Promise<vscode.TextDocument | undefined> => {
    if (!vscode.workspace.isTrusted) {
      void tell(log, 'warn', vscode.l10n.t('Perf Budgets does not run benchmarks in an untrusted workspace, so it cannot compare with a ref.'));
      return undefined;
    }
    if (busy || runner.running) {
      void tell(log, 'warn', vscode.l10n.t('Perf Budgets: a benchmark run or A/B check is already in progress; wait for it or cancel it.'));
      return undefined;
    }
    const folder = args?.folder ? registry.all().find((f) => f.folder.uri.toString() === args.folder) : await pickFolder(registry, vscode.l10n.t('The A/B check'));
    if (!folder) {
      if (args?.folder) void tell(log, 'error', vscode.l10n.t('Perf Budgets: no workspace folder with a perf-budgets.json at {0}', args.folder));
      return undefined;
    }
    await folder.reload().catch(() => undefined);
    const loaded = folder.config;
    if (!loaded) {
      void tell(log, 'error', vscode.l10n.t('Perf Budgets: {0}', folder.error?.message ?? vscode.l10n.t('perf-budgets.json cannot be read')));
      return undefined;
    }
    const ref = args?.ref ?? (await pickRef(loaded.workspace));
    if (ref === undefined) return undefined;
    const problem = refProblem(ref);
    if (problem) {
      void tell(log, 'error', vscode.l10n.t('Perf Budgets: {0}: {1}', problem, JSON.stringify(ref)));
      return undefined;
    }
    busy = true;
    try {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Perf Budgets: working tree vs {0}', ref), cancellable: true },
        (progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort(new Error('cancelled')));
          const options: AbCheckOptions = {
            configFile: loaded.configFile,
            ref,
            maxRuns: args?.maxRuns,
            maxTimeMs: args?.maxTimeMs,
            env: process.env,
            output: lineLogger((line) => log.info(`[ab] ${line}`)),
            log: (line) => log.info(`${folder.folder.name}: A/B: ${line}`),
            onProgress: (p) => progress.report({ message: vscode.l10n.t('run {0}/{1} · {2}', p.run, p.maxRuns, p.side) }),
            signal: abort.signal,
            show: loaded.show,
          };
          return runAbCheck(options);
        },
      );
      const markdown = renderAbReport('markdown', report);
      log.info(`${folder.folder.name}: A/B vs ${ref}: ${report.handlers.map((h) => `${h.handler} ${h.verdict}`).join(', ')}`);
      const uri = vscode.Uri.from({ scheme: AB_REPORT_SCHEME, path: `/A-B ${folder.folder.name} vs ${ref.replace(/[/\\]/g, '-')} ${report.runsDir.split('/').pop()}.md` });
      reports.set(uri.path, markdown);
      for (const old of [...reports.keys()].slice(0, Math.max(0, reports.size - REPORTS_KEPT))) reports.delete(old);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      return doc;
    } catch (e) {
      const message = (e as Error).message;
      if (message === 'cancelled') log.info(`${folder.folder.name}: A/B vs ${ref}: cancelled; the worktree was removed`);
      else void tell(log, 'error', vscode.l10n.t('Perf Budgets: the A/B check of {0} vs {1} stopped: {2}', folder.folder.name, ref, message));
      return undefined;
    } finally {
      busy = false;
    }
  });
  return vscode.Disposable.from(provider, command);
}

/** HEAD, HEAD~1, the repository's branches and tags, or a ref typed into the box. */
async function pickRef(cwd: string): Promise<string | undefined> {
  const refs = await runGit(['for-each-ref', '--format=%(refname:short)', '--count=200', 'refs/heads', 'refs/tags'], { cwd });
  const items: vscode.QuickPickItem[] = [
    { label: 'HEAD', description: vscode.l10n.t('the last commit') },
    { label: 'HEAD~1', description: vscode.l10n.t('the commit before it') },
    ...(refs.code === 0 ? refs.stdout.split('\n').filter((r) => r && refProblem(r) === null) : []).map((label) => ({ label })),
  ];
  const qp = vscode.window.createQuickPick();
  const title = vscode.l10n.t('Perf Budgets: compare the working tree (B) with which ref (A)?');
  qp.title = title;
  qp.placeholder = vscode.l10n.t('HEAD, a branch, a tag, a commit — or type one');
  qp.items = items;
  return new Promise((resolve) => {
    qp.onDidChangeValue((v) => {
      // What is typed comes first, so Enter takes it rather than the nearest listed ref.
      const typed = v.trim();
      const problem = typed ? refProblem(typed) : null;
      // (QuickPick.validationMessage is newer than the VS Code this supports: the title says it.)
      qp.title = problem ? `${title} — ${problem}` : title;
      qp.items = typed && !problem && !items.some((i) => i.label === typed) ? [{ label: typed, description: vscode.l10n.t('typed') }, ...items] : items;
    });
    qp.onDidAccept(() => {
      const ref = (qp.selectedItems[0]?.label ?? qp.value).trim();
      if (!ref || refProblem(ref)) return;
      resolve(ref);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/** A stream that hands each line to `log`, at most MAX_OUTPUT_LINES of them. */
function lineLogger(log: (line: string) => void): Writable {
  let partial = '';
  let lines = 0;
  const emit = (line: string) => {
    if (line.trim() === '') return;
    lines++;
    if (lines <= MAX_OUTPUT_LINES) log(line);
    else if (lines === MAX_OUTPUT_LINES + 1) log('(further output not shown)');
  };
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = partial + chunk.toString('utf8');
      const parts = text.split(/\r?\n/);
      partial = parts.pop() ?? '';
      parts.forEach(emit);
      done();
    },
    final(done) {
      emit(partial);
      done();
    },
  });
}
