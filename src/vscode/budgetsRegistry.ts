import * as vscode from 'vscode';
import { Disposable } from './dispose';
import { FolderBudgets } from './folderBudgets';
import { CONFIG_FILE } from './ids';

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
    this.register(vscode.workspace.onDidChangeWorkspaceFolders(() => void this.refreshFolders()));
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
      if (!(await exists(vscode.Uri.joinPath(folder.uri, CONFIG_FILE)))) continue;
      wanted.add(key);
      if (this.folders.has(key)) continue;
      const fb = new FolderBudgets(folder, this.log);
      fb.onDidChange(() => this.changed.fire(fb));
      this.folders.set(key, fb);
    }
    for (const [key, fb] of this.folders) {
      if (!wanted.has(key)) {
        fb.dispose();
        this.folders.delete(key);
      }
    }
    this.changed.fire(undefined);
    await Promise.all([...this.folders.values()].filter((f) => !f.model && !f.error).map((f) => f.reload().catch(() => undefined)));
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

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
