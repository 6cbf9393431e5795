import * as vscode from 'vscode';
import type { BudgetsRegistry } from './budgetsRegistry';
import { Disposable } from './dispose';
import { COMMANDS, CONFIG_FILE, ONBOARDING, SET_UP_HINTS } from './ids';
import { uriExists } from './uriExists';


const EXCLUDE = '{**/node_modules/**,**/.git/**,**/.venv/**,**/venv/**,**/dist/**,**/build/**,**/target/**}';

/**
 * Folders that could use budgets but have no perf-budgets.json: a status-bar item offering the
 * set-up, and at most one notification per workspace (none after "Don't Show Again").
 */
export class Onboarding extends Disposable {
  private readonly item = this.register(vscode.window.createStatusBarItem(ONBOARDING.statusItem, vscode.StatusBarAlignment.Left, 49));
  private candidates: vscode.WorkspaceFolder[] = [];
  private refreshing: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly workspaceState: vscode.Memento,
    private readonly globalState: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.item.name = vscode.l10n.t('Perf Budgets: Set Up');
    this.item.text = `$(dashboard) ${vscode.l10n.t('Set Up Budgets')}`;
    this.item.command = { title: vscode.l10n.t('Set Up Budgets…'), command: COMMANDS.setUp };
    this.register(registry.onDidChange((f) => f === undefined && void this.refresh()));
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refresh()));
  }

  /** The folders offered for set-up (after the latest refresh). */
  get folders(): readonly vscode.WorkspaceFolder[] {
    return this.candidates;
  }

  /** Re-checks every folder; overlapping calls run one after another. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        await this.check();
      } while (this.again);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async check(): Promise<void> {
    const configured = new Set(this.registry.all().map((f) => f.folder.uri.toString()));
    const found: vscode.WorkspaceFolder[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file' || configured.has(folder.uri.toString())) continue;
      if (await uriExists(vscode.Uri.joinPath(folder.uri, CONFIG_FILE))) continue;
      const hint = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, `{${SET_UP_HINTS.join(',')}}`), EXCLUDE, 1);
      if (hint.length > 0) found.push(folder);
    }
    this.candidates = found;
    if (found.length === 0) {
      this.item.hide();
      return;
    }
    const names = found.map((f) => f.name).join(', ');
    this.item.tooltip = new vscode.MarkdownString(
      vscode.l10n.t('**Perf Budgets** — {0} has request handlers or a load test but no {1}. Set up budgets from them: nothing runs until you run the benchmarks.', names, CONFIG_FILE),
    );
    this.item.show();
    this.log.info(`${names}: no ${CONFIG_FILE} yet; "Perf Budgets: Set Up Budgets…" proposes one`);
    void this.notifyOnce(found);
  }

  private async notifyOnce(found: readonly vscode.WorkspaceFolder[]): Promise<void> {
    if (this.globalState.get<boolean>(ONBOARDING.neverKey) || this.workspaceState.get<boolean>(ONBOARDING.notifiedKey)) return;
    await this.workspaceState.update(ONBOARDING.notifiedKey, true);
    const setUp = vscode.l10n.t('Set Up…');
    const never = vscode.l10n.t("Don't Show Again");
    const pick = await vscode.window.showInformationMessage(
      vscode.l10n.t('Perf Budgets can hold the request handlers of {0} to latency budgets. Set up budgets from its routes and load tests?', found.map((f) => f.name).join(', ')),
      setUp,
      never,
    );
    if (pick === setUp) await vscode.commands.executeCommand(COMMANDS.setUp, found.length === 1 ? { folder: found[0]!.uri.toString() } : undefined);
    if (pick === never) await this.globalState.update(ONBOARDING.neverKey, true);
  }
}

/**
 * The answer of every command that needs a perf-budgets.json when no folder has one: what is
 * missing, and a button that starts the set-up.
 */
export async function offerSetUp(what: string): Promise<void> {
  const setUp = vscode.l10n.t('Set Up…');
  const folders = vscode.workspace.workspaceFolders ?? [];
  const text =
    folders.length === 0
      ? vscode.l10n.t('Perf Budgets: {0} needs an open folder with a {1}. Open the folder of your service, then set up budgets.', what, CONFIG_FILE)
      : vscode.l10n.t('Perf Budgets: {0} needs a {1}, and no workspace folder has one. Set up budgets from your routes and load tests?', what, CONFIG_FILE);
  const pick = await vscode.window.showWarningMessage(text, ...(folders.length ? [setUp] : []));
  if (pick === setUp) await vscode.commands.executeCommand(COMMANDS.setUp);
}
