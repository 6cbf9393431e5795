import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { FolderBudgets } from './folderBudgets';
import { CONFIG_FILE } from './ids';
import { uriExists } from './uriExists';

/**
 * Every workspace folder holding a perf-budgets.json, each with its own config and results
 * (multi-root). Folders are added and removed as the workspace and its config files change.
 */
export class BudgetsRegistry extends Disposable {
  private readonly folders = new Map<string, FolderBudgets>();
  private readonly changed = this.register(new vscode.EventEmitter<FolderBudgets | undefined>());
  /** Fires with the folder whose model or error changed (undefined: the set of folders changed). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    this.register(
      vscode.workspace.onDidChangeWorkspaceFolders((e) => {
        // A removed folder goes at once (its read and any run in it stop), before the slower refresh.
        for (const removed of e.removed) this.drop(removed.uri.toString());
        void this.refreshFolders();
      }),
    );
    const anyConfig = this.register(vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE}`, false, true, false));
    this.register(anyConfig.onDidCreate(() => void this.refreshFolders()));
    this.register(anyConfig.onDidDelete(() => void this.refreshFolders()));
    this.register({ dispose: () => this.folders.forEach((f) => f.dispose()) });
  }

  /** Finds the folders with a config, reads each new one; resolves when all have been read once. */
  async refreshFolders(): Promise<void> {
    const wanted = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const key = folder.uri.toString();
      if (!(await uriExists(vscode.Uri.joinPath(folder.uri, CONFIG_FILE)))) continue;
      if (!vscode.workspace.workspaceFolders?.some((f) => f.uri.toString() === key)) continue; // removed meanwhile
      wanted.add(key);
      if (this.folders.has(key)) continue;
      const fb = new FolderBudgets(folder, this.log);
      fb.onDidChange(() => this.changed.fire(fb));
      this.folders.set(key, fb);
    }
    for (const key of [...this.folders.keys()]) if (!wanted.has(key)) this.drop(key);
    this.changed.fire(undefined);
    await Promise.all([...this.folders.values()].filter((f) => !f.model && !f.error).map((f) => f.reload().catch(() => undefined)));
  }

  /** Disposes a folder's watchers, read and model; the views clear it on the change event. */
  private drop(key: string): void {
    const fb = this.folders.get(key);
    if (!fb) return;
    this.folders.delete(key);
    fb.dispose();
    this.log.info(`${fb.folder.name}: no longer in the workspace (or its ${CONFIG_FILE} is gone); its results are no longer shown`);
    this.changed.fire(undefined);
  }

  all(): FolderBudgets[] {
    return [...this.folders.values()];
  }

  /** The folder a file belongs to, if that folder has budgets. */
  forUri(uri: vscode.Uri): FolderBudgets | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.folders.get(folder.uri.toString()) : undefined;
  }
}
