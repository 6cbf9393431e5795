import * as vscode from 'vscode';
import { serializeBaseline } from '../core/baseline/baselineFile';
import { mergeByName } from '../core/budgets/mergeSeries';
import { headCommit } from '../node/git';
import { thisMachine } from '../node/machine';
import { writeFileInside } from '../node/safeFs';
import { baselinePath } from '../node/workspaceFiles';
import type { BenchmarkRunner } from './benchmarkRunner';
import type { BudgetsRegistry } from './budgetsRegistry';
import type { FolderBudgets } from './folderBudgets';
import { COMMANDS } from './ids';
import { offerSetUp } from './onboarding';
import { openResultFile } from './openResultFile';
import { tell } from './userLog';

export interface CommandDeps {
  registry: BudgetsRegistry;
  runner: BenchmarkRunner;
  log: vscode.LogOutputChannel;
  version: string;
}

/** Every command of the palette (category "Perf Budgets"); one Disposable for all. */
export function registerCommands(deps: CommandDeps): vscode.Disposable {
  const { registry, runner, log } = deps;
  const subs = [
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
    vscode.commands.registerCommand(COMMANDS.runBenchmarks, async (arg?: { folder?: string }) => {
      const given = arg?.folder ? registry.all().find((f) => f.folder.uri.toString() === arg.folder) : undefined;
      const folder = given ?? (await pickFolder(registry, vscode.l10n.t('Running benchmarks')));
      if (folder) await runner.run(folder);
    }),
    vscode.commands.registerCommand(COMMANDS.runBenchmark, async (arg?: { folder?: string; benchmark?: string } | string) => {
      // From a CodeLens or hover link: the benchmark is given; from the palette: a quick pick.
      if (arg) {
        const name = typeof arg === 'string' ? arg : arg.benchmark;
        const folder = typeof arg === 'string' ? registry.all()[0] : registry.all().find((f) => f.folder.uri.toString() === arg.folder) ?? registry.all()[0];
        if (folder && name) await runner.run(folder, [name]);
        return;
      }
      const items = registry.all().flatMap((f) =>
        (f.config?.config.benchmarks ?? []).map((b) => ({
          label: b.name,
          description: registry.all().length > 1 ? f.folder.name : undefined,
          detail: b.task ? vscode.l10n.t('task: {0}', b.task) : b.command,
          folder: f,
        })),
      );
      if (registry.all().length === 0) {
        void offerSetUp(vscode.l10n.t('Running a benchmark'));
        return;
      }
      if (items.length === 0) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Perf Budgets: no benchmarks are configured in perf-budgets.json.'));
        return;
      }
      const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Perf Budgets: Run Benchmark'), placeHolder: vscode.l10n.t('Benchmark to run') });
      if (pick) await runner.run(pick.folder, [pick.label]);
    }),
    vscode.commands.registerCommand(COMMANDS.rereadResults, async () => {
      if (registry.all().length === 0) await registry.refreshFolders();
      const folders = registry.all();
      if (folders.length === 0) {
        void offerSetUp(vscode.l10n.t('Re-reading results'));
        return;
      }
      for (const f of folders) {
        try {
          const model = await f.rereadNow();
          if (!model) continue;
          const v = model.results.flatMap((r) => r.verdicts);
          const n = (s: string) => v.filter((x) => x.status === s).length;
          const counts = vscode.l10n.t('{0} pass, {1} warn, {2} fail, {3} missing', n('pass'), n('warn'), n('fail'), n('missing'));
          void vscode.window.showInformationMessage(folders.length > 1 ? vscode.l10n.t('Perf Budgets ({0}): {1}', f.folder.name, counts) : vscode.l10n.t('Perf Budgets: {0}', counts));
        } catch (e) {
          // Cancelled from the progress notification: the user knows; say what stays shown.
          const cancelled = e instanceof Error && e.name === 'AbortError';
          const message = vscode.l10n.t('{0}. The previous results are kept.', (e as Error).message);
          void tell(log, cancelled ? 'info' : 'error', folders.length > 1 ? vscode.l10n.t('Perf Budgets ({0}): {1}', f.folder.name, message) : vscode.l10n.t('Perf Budgets: {0}', message));
        }
      }
    }),
    vscode.commands.registerCommand(COMMANDS.updateBaseline, async () => {
      const folder = await pickFolder(registry, vscode.l10n.t('Updating the baseline'));
      if (!folder) return;
      await updateBaseline(folder, deps);
    }),
    // The hover's result-file links (not in the palette): opens only inside that workspace folder.
    vscode.commands.registerCommand(COMMANDS.openResultFile, (arg: unknown) => openResultFile(arg, log)),
  ];
  return vscode.Disposable.from(...subs);
}

/** Writes the baseline from the latest good results (atomically), then shows its diff for review. */
export async function updateBaseline(folder: FolderBudgets, deps: CommandDeps): Promise<vscode.Uri | undefined> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Perf Budgets does not write the baseline in an untrusted workspace.'));
    return undefined;
  }
  const model = folder.model;
  if (!model) {
    void vscode.window.showWarningMessage(
      folder.error ? vscode.l10n.t('Perf Budgets: no results to make a baseline from ({0}).', folder.error.message) : vscode.l10n.t('Perf Budgets: no results to make a baseline from.'),
    );
    return undefined;
  }
  try {
    const target = baselinePath(model.loaded);
    const root = folder.folder.uri.fsPath;
    writeFileInside(
      model.loaded.workspace,
      target,
      serializeBaseline(mergeByName(model.series), {
        createdAt: new Date().toISOString(),
        // The provenance of the run these results came from (its commit, dirty or not, the
        // handlers' code); HEAD now only for results no recorded run wrote.
        commit: model.run ? model.run.commit : await headCommit(root),
        ...(model.run?.dirty !== undefined ? { dirty: model.run.dirty } : {}),
        ...(model.run?.handlers ? { handlers: model.run.handlers } : {}),
        tool: `perf-budgets ${deps.version} (VS Code)`,
        machine: thisMachine(),
      }),
      model.loaded.config.baseline,
    );
    const uri = vscode.Uri.file(target);
    deps.log.info(`${folder.folder.name}: baseline written to ${model.loaded.config.baseline}`);
    // Review it as a change: the git extension's diff against HEAD when available.
    const opened = await vscode.commands.executeCommand('git.openChange', uri).then(
      () => true,
      () => false,
    );
    if (!opened) await vscode.window.showTextDocument(uri);
    void vscode.window.showInformationMessage(vscode.l10n.t('Perf Budgets: baseline updated ({0}). Review and commit it.', model.loaded.config.baseline));
    return uri;
  } catch (e) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Perf Budgets: {0}', (e as Error).message));
    return undefined;
  }
}

/** The folder a command acts on; `what` ("Updating the baseline") names it when there is none. */
export async function pickFolder(registry: BudgetsRegistry, what = vscode.l10n.t('This command')): Promise<FolderBudgets | undefined> {
  if (registry.all().length === 0) await registry.refreshFolders();
  const folders = registry.all();
  if (folders.length === 0) {
    void offerSetUp(what);
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  const pick = await vscode.window.showQuickPick(
    folders.map((f) => ({ label: f.folder.name, folder: f })),
    { title: vscode.l10n.t('Perf Budgets'), placeHolder: vscode.l10n.t('Workspace folder') },
  );
  return pick?.folder;
}
