import * as vscode from 'vscode';
import type { SetupChoices, SetupPlan } from '../core/init/plan';
import { renderConfig } from '../core/init/renderConfig';
import { formatDuration, formatPercent, parseDuration, parsePercent } from '../core/units';
import { planSetup } from '../node/init/planSetup';
import { writeSetup } from '../node/init/writeSetup';
import type { BudgetsRegistry } from './budgetsRegistry';
import { Disposable } from './dispose';
import { COMMANDS, CONFIG_FILE } from './ids';
import { askSteps, type Step } from './multiStepInput';
import { uriExists } from './uriExists';

const DEFAULT_P95_MS = 500;
const DEFAULT_ERROR_RATE = 0.01;

/** What the set-up did, for the onboarding view and the tests. */
export interface SetUpOutcome {
  folder: vscode.WorkspaceFolder;
  file: vscode.Uri;
  backup: string | null;
  budgets: number;
  benchmarks: number;
}

/**
 * "Perf Budgets: Set Up Budgets…": reads the folder (routes, load tests, result files, how the
 * service starts), asks which benchmarks, which handlers and the default budgets in one
 * multi-step input, shows the file, and writes it only when the user says so. It starts nothing:
 * running the benchmarks is offered after the file is written and open.
 */
export class SetUpCommand extends Disposable {
  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(vscode.commands.registerCommand(COMMANDS.setUp, (arg?: { folder?: string }) => this.run(arg)));
  }

  async run(arg?: { folder?: string }): Promise<SetUpOutcome | undefined> {
    const folder = await pickFolder(arg?.folder);
    if (!folder) return undefined;
    const configUri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE);
    let force = false;
    if (await uriExists(configUri)) {
      const open = vscode.l10n.t('Open It');
      const again = vscode.l10n.t('Set Up Again (keeps a backup)');
      const pick = await vscode.window.showInformationMessage(vscode.l10n.t('{0} already has a {1}.', folder.name, CONFIG_FILE), open, again);
      if (pick === open) await vscode.window.showTextDocument(configUri);
      if (pick !== again) return undefined;
      force = true;
    }
    const plan = await this.scan(folder);
    if (!plan) return undefined;
    if (plan.routes.length === 0 && plan.loadTests.length === 0 && plan.resultFiles.length === 0) {
      const showLog = vscode.l10n.t('Show Log');
      const pick = await vscode.window.showWarningMessage(
        vscode.l10n.t('Perf Budgets found nothing to set up in {0}: no request handlers, no load test and no result files it knows.', folder.name),
        { detail: plan.notFound.join('\n') },
        showLog,
      );
      if (pick === showLog) this.log.show(true);
      return undefined;
    }
    const choices = await askChoices(plan);
    if (!choices) return undefined;
    const text = renderConfig(plan, choices);
    if (!(await confirmWrite(folder, text, plan, choices))) return undefined;
    let written: { file: string; backup: string | null };
    try {
      written = await writeSetup(folder.uri.fsPath, text, { force });
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Perf Budgets: {0}', (e as Error).message));
      return undefined;
    }
    const file = vscode.Uri.file(written.file);
    const budgets = choices.handlers?.length ?? plan.budgets.length;
    const benchmarks = choices.benchmarks?.length ?? plan.benchmarks.filter((b) => b.enabled).length;
    this.log.info(`${folder.name}: wrote ${CONFIG_FILE} (${budgets} budgets, ${benchmarks} benchmarks)${written.backup ? `; the previous file is kept as ${written.backup}` : ''}`);
    await vscode.window.showTextDocument(file);
    await this.registry.refreshFolders();
    void this.offerRun(folder, benchmarks, written.backup);
    return { folder, file, backup: written.backup, budgets, benchmarks };
  }

  /** The folder scan, with a cancellable progress notification; its findings go to the log. */
  private async scan(folder: vscode.WorkspaceFolder): Promise<SetupPlan | undefined> {
    try {
      const plan = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Perf Budgets: reading {0}…', folder.name), cancellable: true },
        (_progress, token) => {
          const abort = new AbortController();
          token.onCancellationRequested(() => abort.abort());
          return planSetup(folder.uri.fsPath, { signal: abort.signal });
        },
      );
      for (const line of plan.found) this.log.info(`${folder.name}: found ${line}`);
      for (const line of plan.notFound) this.log.warn(`${folder.name}: ${line}`);
      return plan;
    } catch (e) {
      if ((e as Error).name === 'AbortError') return undefined;
      void vscode.window.showErrorMessage(vscode.l10n.t('Perf Budgets: reading {0} failed: {1}', folder.name, (e as Error).message));
      return undefined;
    }
  }

  private async offerRun(folder: vscode.WorkspaceFolder, benchmarks: number, backup: string | null): Promise<void> {
    const kept = backup ? ` ${vscode.l10n.t('The previous file is kept as {0}.', backup)}` : '';
    if (benchmarks === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Perf Budgets: wrote {0}. It has no benchmark yet: add one, or point "results" at your result files.', CONFIG_FILE) + kept);
      return;
    }
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Perf Budgets: wrote {0}. Benchmarks run only in a trusted workspace: trust this folder, then run them.', CONFIG_FILE) + kept);
      return;
    }
    const runNow = vscode.l10n.t('Run Benchmarks');
    const pick = await vscode.window.showInformationMessage(
      vscode.l10n.t('Perf Budgets: wrote {0}. Review the commands it runs, then run the benchmarks.', CONFIG_FILE) + kept,
      runNow,
    );
    if (pick === runNow) await vscode.commands.executeCommand(COMMANDS.runBenchmarks, { folder: folder.uri.toString() });
  }
}

/** A folder for the set-up: the one given, the only one, or a pick (folders without a config first). */
async function pickFolder(key: string | undefined): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (key) return folders.find((f) => f.uri.toString() === key);
  if (folders.length === 0) {
    const open = vscode.l10n.t('Open Folder…');
    const pick = await vscode.window.showWarningMessage(vscode.l10n.t('Perf Budgets sets up a workspace folder: open the folder of your service first.'), open);
    if (pick === open) await vscode.commands.executeCommand('vscode.openFolder');
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  const items = await Promise.all(
    folders.map(async (f) => ({ label: f.name, description: (await uriExists(vscode.Uri.joinPath(f.uri, CONFIG_FILE))) ? vscode.l10n.t('has a {0}', CONFIG_FILE) : '', folder: f })),
  );
  items.sort((a, b) => Number(a.description !== '') - Number(b.description !== ''));
  return (await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Perf Budgets: Set Up Budgets'), placeHolder: vscode.l10n.t('Workspace folder to set up') }))?.folder;
}

/** Benchmarks, handlers, default p95 and error rate: one multi-step input with Back. */
async function askChoices(plan: SetupPlan): Promise<SetupChoices | undefined> {
  const title = vscode.l10n.t('Perf Budgets: Set Up Budgets');
  const steps: Step[] = [];
  if (plan.benchmarks.length > 0) {
    steps.push({
      kind: 'pick',
      key: 'benchmarks',
      placeholder: vscode.l10n.t('Benchmarks to configure (they run only when you run them)'),
      items: plan.benchmarks.map((b) => ({ id: b.name, label: b.name, description: b.tool, detail: b.description, picked: b.enabled })),
    });
  }
  steps.push({
    kind: 'pick',
    key: 'handlers',
    placeholder: vscode.l10n.t('Handlers to give a budget'),
    items: plan.budgets.map((b) => ({
      id: b.handler,
      label: b.handler,
      description: b.from === 'results' ? vscode.l10n.t('p95 {0} from the results', formatDuration(b.p95Ms)) : vscode.l10n.t('default budget'),
      detail: b.route ? `${b.route.file}:${b.route.line + 1}` : undefined,
      picked: true,
    })),
  });
  steps.push({
    kind: 'input',
    key: 'p95',
    prompt: vscode.l10n.t('p95 budget for handlers without results (a duration such as "500ms" or "1.5s")'),
    value: formatDuration(DEFAULT_P95_MS).replace(/\s+/g, ''),
    validate: (v) => (parseDuration(v.trim()) === undefined ? vscode.l10n.t('Expected a duration such as "500ms" or "1.5s"') : undefined),
  });
  steps.push({
    kind: 'input',
    key: 'errorRate',
    prompt: vscode.l10n.t('Error-rate budget for every handler (a percentage such as "1%")'),
    value: formatPercent(DEFAULT_ERROR_RATE),
    validate: (v) => (parsePercent(v.trim()) === undefined ? vscode.l10n.t('Expected a percentage such as "1%" or "0.5%"') : undefined),
  });
  const answers = await askSteps(title, steps);
  if (!answers) return undefined;
  const choices: SetupChoices = {
    handlers: answers.handlers as string[],
    defaultP95Ms: parseDuration(String(answers.p95).trim())!,
    defaultErrorRate: parsePercent(String(answers.errorRate).trim())!,
  };
  if (answers.benchmarks) choices.benchmarks = answers.benchmarks as string[];
  return choices;
}

/** Shows the file as it will be written (an unsaved JSONC editor) and asks before writing it. */
async function confirmWrite(folder: vscode.WorkspaceFolder, text: string, plan: SetupPlan, choices: SetupChoices): Promise<boolean> {
  const doc = await vscode.workspace.openTextDocument({ language: 'jsonc', content: text });
  await vscode.window.showTextDocument(doc, { preview: true });
  const write = vscode.l10n.t('Write {0}', CONFIG_FILE);
  const detail = [
    vscode.l10n.t('{0} budgets, {1} benchmarks.', choices.handlers?.length ?? plan.budgets.length, choices.benchmarks?.length ?? plan.benchmarks.length),
    vscode.l10n.t('Nothing runs until you run the benchmarks.'),
    ...plan.notFound,
  ].join('\n');
  const answer = await vscode.window.showInformationMessage(vscode.l10n.t('Write this {0} to {1}?', CONFIG_FILE, folder.name), { modal: true, detail }, write);
  // The preview is an unsaved document: close it without the "save changes?" prompt.
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === doc);
  if (editor) {
    await vscode.window.showTextDocument(doc, editor.viewColumn);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  return answer === write;
}
