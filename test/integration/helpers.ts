// Shared by the integration tests (bundled into each *.test.js).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'perf-budgets.perf-budgets';

/**
 * The fields of the extension's `activate()` return value (src/vscode/extension.ts PerfBudgetsApi)
 * the tests use, declared structurally so the suite never bundles a second copy of the extension.
 */
export interface FolderApi {
  folder: vscode.WorkspaceFolder;
  model?: { readAt: Date; results: { verdicts: { handler: string; metric: string; status: string; value: number | null }[] }[] };
  error?: Error;
  reload(): Promise<unknown>;
}
export interface PerfBudgetsApi {
  registry: { all(): FolderApi[] };
  tests: {
    snapshot(): Array<{ id: string; label: string; parent: string | null; uri: string | null; line: number | null }>;
    refresh(): Promise<void>;
    lastOutcomes: Map<string, string>;
  };
  runner: { readonly running: boolean };
  /** Resolves once every folder with a perf-budgets.json has been read once. */
  ready: Promise<void>;
  /** The log's latest lines, "level message" (everything the user was told is there too). */
  recentLog(): string[];
}

/** A line in the runner's output (test/integration/index.ts), e.g. how long a set-up step took. */
export function note(line: string): void {
  const sink = (globalThis as { perfBudgetsItNote?: (line: string) => void }).perfBudgetsItNote;
  if (sink) sink(line);
  else console.log(`[perf-budgets-it] ${line}`);
}

/**
 * Poll `probe` until it returns a truthy value; fail after timeoutMs with `what`. A probe that does
 * not return (a command waiting on a slow provider) is bounded by the same deadline, so the failure
 * names what was awaited instead of becoming the enclosing test's or hook's timeout.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const late = Symbol('late');
  for (;;) {
    let timer: NodeJS.Timeout | undefined;
    const left = Math.max(deadline - Date.now(), 0);
    const v = await Promise.race([Promise.resolve(probe()), new Promise<typeof late>((r) => (timer = setTimeout(() => r(late), left + 1000)))]).finally(() => clearTimeout(timer));
    if (v === late) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what} (the last check had not returned)`);
    if (v) return v;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export function extension(): vscode.Extension<PerfBudgetsApi> {
  const ext = vscode.extensions.getExtension<PerfBudgetsApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  return ext;
}

/** The extension after it activated by itself (its activation event), and its API. */
export async function activeApi(): Promise<PerfBudgetsApi> {
  const ext = extension();
  await waitFor('the extension to activate', () => ext.isActive, 30_000);
  return ext.exports;
}

/** Log lines written from now on. */
export async function logFromNow(): Promise<() => string[]> {
  const a = await activeApi();
  const start = a.recentLog().length;
  return () => a.recentLog().slice(start);
}

/** The one folder of the fixture workspace, as the extension sees it. */
export async function fixtureFolder(): Promise<FolderApi> {
  const api = await activeApi();
  await api.ready;
  return waitFor('the fixture folder in the registry', () => api.registry.all()[0]);
}

export function workspaceRoot(): vscode.Uri {
  const f = vscode.workspace.workspaceFolders?.[0];
  assert.ok(f, 'no workspace folder open');
  return f.uri;
}

/** "handler metric status" for every verdict, sorted: a compact, exact picture of the model. */
export function verdictLines(folder: FolderApi): string[] {
  return (folder.model?.results ?? []).flatMap((r) => r.verdicts.map((v) => `${v.handler} ${v.metric} ${v.status}`)).sort();
}

/** Resolves when no benchmark run is in progress (a second run is refused while one is). */
export async function runnerIdle(timeoutMs = 30_000): Promise<void> {
  const api = await activeApi();
  await waitFor('the benchmark runner to be idle', () => !api.runner.running, timeoutMs);
}

/** The exit code of the next task process matching `match`; fails after timeoutMs. */
export function nextTaskExit(match: (t: vscode.Task) => boolean, timeoutMs = 30_000): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`no matching task ended within ${timeoutMs} ms`));
    }, timeoutMs);
    const sub = vscode.tasks.onDidEndTaskProcess((e) => {
      if (!match(e.execution.task)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(e.exitCode);
    });
  });
}

/**
 * Adds a folder to the workspace (after the existing ones; the suite opens a one-folder
 * .code-workspace, so this does not reload the window) and waits until the extension has read it.
 */
export async function addWorkspaceFolder(dir: string, name: string): Promise<FolderApi> {
  const uri = vscode.Uri.file(dir);
  const t0 = Date.now();
  await changeWorkspaceFolders(`add ${name}`, () => vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri, name }), () => folderIndex(dir) >= 0);
  const t1 = Date.now();
  const api = await activeApi();
  const folder = await waitFor(`folder ${name} read`, () => api.registry.all().find((f) => f.folder.uri.toString() === uri.toString() && (f.model || f.error)), 30_000);
  note(`added folder ${name}: workspace changed in ${t1 - t0} ms, read ${Date.now() - t1} ms later`);
  return folder;
}

/** Removes a folder added by addWorkspaceFolder (nothing when it is not in the workspace). */
export async function removeWorkspaceFolder(dir: string): Promise<void> {
  if (folderIndex(dir) < 0) return;
  await changeWorkspaceFolders(`remove ${dir}`, () => vscode.workspace.updateWorkspaceFolders(folderIndex(dir), 1), () => folderIndex(dir) < 0);
}

function folderIndex(dir: string): number {
  return vscode.workspace.workspaceFolders?.findIndex((f) => f.uri.fsPath === dir) ?? -1;
}

/**
 * Applies a change to the workspace folders and resolves once the workbench confirmed it (the
 * change event, and `done` holds). The extension host applies a change at once but unconfirmed:
 * the workbench writes the .code-workspace file and only then sends the new folders. That write
 * can fail (the workbench shows "failed to update workspace folders" and the extension host drops
 * the change, sending no event: CI saw a 90 s hang on exactly this), and while a change is
 * unconfirmed the next one is refused. So each attempt waits for the event for a bounded time,
 * then checks the folders, and a lost change is asked for again, at most 3 times.
 */
async function changeWorkspaceFolders(what: string, apply: () => boolean, done: () => boolean): Promise<void> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    let sub: vscode.Disposable | undefined;
    let timer: NodeJS.Timeout | undefined;
    const changed = new Promise<boolean>((resolve) => {
      sub = vscode.workspace.onDidChangeWorkspaceFolders(() => resolve(true));
      timer = setTimeout(() => resolve(false), 20_000);
    });
    const accepted = apply();
    const event = await changed.finally(() => (sub?.dispose(), clearTimeout(timer)));
    if (event && done()) return;
    if (done()) {
      note(`workspace folders: ${what}: shown, but the workbench has not confirmed it in 20 s`);
      return;
    }
    note(`workspace folders: ${what}, attempt ${attempt}: ${accepted ? (event ? 'a change event without this change' : 'accepted, but the workbench sent no change in 20 s') : 'refused (another change was unconfirmed)'}; ${attempt < 3 ? 'asking again' : 'giving up'}`);
  }
  assert.fail(`the workspace folders did not change: ${what} (3 attempts, see the notes above)`);
}

/** A hover's text with the Markdown escapes the extension adds (hoverContent.ts mdText) taken out. */
export function hoverPlainText(h: vscode.Hover): string {
  const md = h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');
  return md.replace(/\\([\\`*_{}[\]()#+\-.!|<>&~])/g, '$1');
}

/** The Perf Budgets hover at a line of a document (its text, escapes taken out), once it names `handler`. */
export async function handlerHover(uri: vscode.Uri, line: number, handler: string): Promise<string> {
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const pos = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex + 5);
  return waitFor(`a Perf Budgets hover naming ${handler}`, async () => {
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
    return hovers.map(hoverPlainText).find((t) => t.includes(`Perf Budgets`) && t.includes(handler));
  });
}
