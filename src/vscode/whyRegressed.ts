import * as path from 'node:path';
import * as vscode from 'vscode';
import { calledFunctions } from '../core/discovery/calledFunctions';
import { handlerSpan, nextPlacedLine } from '../core/discovery/handlerSpan';
import { checkRef, headCommit, showAtRef } from '../node/git';
import { whatChanged, type WhatChanged } from '../node/whatChanged';
import { Disposable } from './dispose';
import type { HandlerLocator } from './handlerLocator';
import type { HandlerView } from './handlerViews';
import { type CalledChanges, whatChangedMarkdown } from './hoverMarkdown';
import { COMMANDS, REVISION_SCHEME } from './ids';

/** What a cause is looked up for: a placed handler with its evaluation. */
export type ViewOfHandler = Pick<HandlerView, 'folder' | 'result' | 'uri' | 'line'>;

/** Arguments of COMMANDS.openHandlerDiff (from a hover link: checked before use). */
interface DiffArgs {
  folder: string;
  file: string;
  /** The file's path at `from` (before a rename). */
  fromFile?: string;
  from: string;
  to: string;
  /** 1-based first line of the handler at `to`. */
  line: number;
}

/**
 * "Why did this regress?": at a regressed handler, the commits between the baseline's commit
 * and the run's that touched its lines (whatChanged: git log -L through the hardened git), the
 * uncommitted hunks first when the run was on a dirty tree, and a link that opens the diff
 * editor on the file between the two commits. No git in Restricted Mode (the process gate
 * refuses it, and the hover says so). Answers are cached per handler, range and commits.
 */
export class RegressionCauses extends Disposable {
  private readonly cache = new Map<string, Promise<WhatChanged>>();

  /** `locator`: where the folder's handlers are, so a handler's lines stop before the next one's. */
  constructor(private readonly locator: Pick<HandlerLocator, 'locate'>) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(REVISION_SCHEME, { provideTextDocumentContent: (uri) => revisionText(uri) }));
    this.register(vscode.commands.registerCommand(COMMANDS.openHandlerDiff, (arg: unknown) => openHandlerDiff(arg)));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.cache.clear()));
  }

  /** The hover section of a regressed handler; undefined when it did not regress or has no baseline commit. */
  async markdown(view: ViewOfHandler): Promise<vscode.MarkdownString | undefined> {
    const found = await this.changes(view);
    if (!found) return undefined;
    const m = new vscode.MarkdownString(whatChangedMarkdown(found.changed, found.diff ? { command: COMMANDS.openHandlerDiff, args: [found.diff] } : null, found.called), true);
    m.isTrusted = { enabledCommands: [COMMANDS.openHandlerDiff] };
    m.supportHtml = false;
    return m;
  }

  /** What changed in a regressed handler since the baseline's commit (and the diff's arguments); undefined when it did not regress or the baseline has no commit. */
  async changes(view: ViewOfHandler): Promise<{ changed: WhatChanged; called: CalledChanges[]; diff: DiffArgs | null } | undefined> {
    if (!view.result.verdicts.some((v) => v.regression === 'regressed')) return undefined;
    const model = view.folder.model;
    const from = model?.baseline?.meta.commit;
    if (!model || !from) return undefined;
    const root = view.folder.folder.uri.fsPath;
    const rel = path.relative(root, view.uri.fsPath).split(path.sep).join('/');
    const recorded = model.run?.handlers?.[view.result.budget.handler];
    let to = model.run?.commit ?? null;
    if (!to && vscode.workspace.isTrusted) to = await headCommit(root).catch(() => null);
    if (!to) return { changed: { kind: 'unavailable', reason: 'failed', message: vscode.l10n.t("the run's commit is not known (results written outside Perf Budgets, or outside git)") }, called: [], diff: null };
    // The handler's lines as the run measured them; else as they are now.
    const range = recorded && recorded.file === rel ? { file: rel, start: recorded.line, end: recorded.line + recorded.lines - 1 } : await this.rangeNow(view, rel);
    const ask = (r: { file: string; start: number; end: number }): Promise<WhatChanged> => {
      const k = JSON.stringify([root, r, from, to, model.run?.dirty ?? false]);
      let answer = this.cache.get(k);
      if (!answer) {
        answer = whatChanged(root, r, from, to, { dirty: model.run?.dirty === true });
        this.cache.set(k, answer);
        // Failures are not kept: trust granted or a fetch made, the next hover asks again.
        void answer.then((a) => a.kind === 'unavailable' && this.cache.delete(k));
      }
      return answer;
    };
    const changed = await ask(range);
    // The functions it calls in the same file, as discovery can tell: their changes are "called from here".
    const called: CalledChanges[] = [];
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === view.uri.toString());
    if (changed.kind === 'changes' && doc) {
      for (const fn of calledFunctions(rel, doc.getText(), { start: range.start - 1, end: range.end - 1 })) {
        const c = await ask({ file: rel, start: fn.start + 1, end: fn.end + 1 });
        if (c.kind === 'changes' && (c.commits.length || c.uncommitted.length)) called.push({ name: fn.name, changed: c });
      }
    }
    // The baseline side names the file as it was then (before a rename): the oldest commit's path.
    const fromFile = changed.kind === 'changes' && changed.commits.length ? changed.commits[changed.commits.length - 1]!.file : range.file;
    const diff: DiffArgs = { folder: view.folder.folder.uri.toString(), file: range.file, fromFile, from, to, line: range.start };
    return { changed, called, diff: changed.kind === 'changes' && (changed.commits.length || called.length) ? diff : null };
  }

  private async rangeNow(view: ViewOfHandler, rel: string): Promise<{ file: string; start: number; end: number }> {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === view.uri.toString());
    if (!doc) return { file: rel, start: view.line + 1, end: view.line + 1 };
    const placements = await this.locator.locate(view.folder);
    const span = handlerSpan(rel, doc.getText(), view.line, nextPlacedLine(placements, rel, view.line));
    return { file: rel, start: span.start + 1, end: span.end + 1 };
  }
}

function revisionUri(folder: vscode.Uri, file: string, ref: string): vscode.Uri {
  return vscode.Uri.from({ scheme: REVISION_SCHEME, path: `/${file}`, query: JSON.stringify({ folder: folder.toString(), ref }) });
}

/** A file at a commit of its workspace folder (git show through the hardened runGit); '' when absent. */
async function revisionText(uri: vscode.Uri): Promise<string> {
  const { folder, ref } = JSON.parse(uri.query) as { folder: string; ref: string };
  const ws = vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(folder));
  if (!ws) throw new Error(vscode.l10n.t('not a folder of this workspace: {0}', folder));
  checkRef(ref);
  return (await showAtRef(ref, uri.path.replace(/^\//, ''), ws.uri.fsPath)) ?? '';
}

async function openHandlerDiff(arg: unknown): Promise<void> {
  const a = arg as Partial<DiffArgs> | undefined;
  const ws = typeof a?.folder === 'string' ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(a.folder)) : undefined;
  const hex = /^[0-9a-f]{7,64}$/;
  const safe = (f: unknown): f is string => typeof f === 'string' && f !== '' && !f.split('/').includes('..') && !path.isAbsolute(f);
  if (!ws || !safe(a?.file) || (a.fromFile !== undefined && !safe(a.fromFile)) || !hex.test(a.from ?? '') || !hex.test(a.to ?? '')) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Perf Budgets: that diff cannot be opened.'));
    return;
  }
  const left = revisionUri(ws.uri, a.fromFile ?? a.file!, a.from!);
  const right = revisionUri(ws.uri, a.file!, a.to!);
  const line = Math.max(0, (a.line ?? 1) - 1);
  const title = vscode.l10n.t('{0} ({1} ↔ {2})', path.posix.basename(a.file!), a.from!.slice(0, 7), a.to!.slice(0, 7));
  await vscode.commands.executeCommand('vscode.diff', left, right, title, { selection: new vscode.Range(line, 0, line, 0), preview: false });
}
