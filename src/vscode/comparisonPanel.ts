import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { type Baseline, parseBaseline } from '../core/baseline/baselineFile';
import type { PanelState, ToWebview } from '../core/protocol';
import { buildPanelModel } from '../core/report/panelModel';
import { renderReport } from '../core/report/reports';
import { headCommit } from '../node/git';
import { thisMachine } from '../node/machine';
import { listRuns } from '../node/runHistory';
import type { BenchmarkRunner } from './benchmarkRunner';
import type { BudgetsRegistry } from './budgetsRegistry';
import { type CommandDeps, updateBaseline } from './commands';
import { Disposable } from './dispose';
import type { FolderBudgets } from './folderBudgets';
import type { HandlerLocator } from './handlerLocator';
import { VIEW_TYPES } from './ids';
import { parseWebviewMessage } from './webviewMessage';

const HISTORY_RUNS = 20;

/**
 * The comparison panel: this run against the baseline, per handler, with distributions.
 * One panel at a time; it follows the registry live, survives reloads through its serializer,
 * and acts only on validated messages.
 */
export class ComparisonPanel extends Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelSubs: vscode.Disposable[] = [];
  private folderKey: string | undefined;
  private pendingSelect: string | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly registry: BudgetsRegistry,
    private readonly locator: HandlerLocator,
    private readonly runner: BenchmarkRunner,
    private readonly deps: CommandDeps,
  ) {
    super();
    this.register(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES.comparison, {
        deserializeWebviewPanel: async (panel, state: PanelState | undefined) => {
          await this.registry.refreshFolders();
          this.adopt(panel, state?.folder);
        },
      }),
    );
    this.register(registry.onDidChange(() => this.schedule()));
    this.register(locator.onDidChange(() => this.schedule()));
    this.register(runner.onDidChangeRunning((running) => this.post({ type: 'running', running })));
    this.register({ dispose: () => this.panel?.dispose() });
    this.register({ dispose: () => this.timer && clearTimeout(this.timer) });
  }

  /** Opens (or reveals) the panel on a folder, optionally selecting a handler. */
  async open(arg?: { folder?: string; handler?: string }): Promise<void> {
    if (this.registry.all().length === 0) await this.registry.refreshFolders();
    const folder = (arg?.folder && this.registry.all().find((f) => f.folder.uri.toString() === arg.folder)) || this.registry.all()[0];
    if (!folder) {
      void vscode.window.showWarningMessage('Perf Budgets: no workspace folder with a perf-budgets.json is open.');
      return;
    }
    this.pendingSelect = arg?.handler;
    if (this.panel) {
      this.folderKey = folder.folder.uri.toString();
      this.panel.reveal(undefined, false);
      await this.update();
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPES.comparison, 'Perf Budgets: Comparison', vscode.ViewColumn.Active, this.options());
    this.adopt(panel, folder.folder.uri.toString());
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  private options(): vscode.WebviewPanelOptions & vscode.WebviewOptions {
    return { enableScripts: true, retainContextWhenHidden: false, localResourceRoots: [vscode.Uri.joinPath(this.extensionUri, 'media')] };
  }

  private adopt(panel: vscode.WebviewPanel, folderKey: string | undefined): void {
    this.panel = panel;
    this.folderKey = folderKey ?? this.registry.all()[0]?.folder.uri.toString();
    panel.webview.options = this.options();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icons', 'pass.svg');
    panel.webview.html = this.html(panel.webview);
    this.panelSubs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidDispose(() => {
        this.panelSubs.forEach((d) => d.dispose());
        this.panelSubs = [];
        this.panel = undefined;
      }),
    ];
  }

  private folder(): FolderBudgets | undefined {
    return this.registry.all().find((f) => f.folder.uri.toString() === this.folderKey) ?? this.registry.all()[0];
  }

  private schedule(): void {
    if (!this.panel) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, 100);
  }

  private post(msg: ToWebview): void {
    void this.panel?.webview.postMessage(msg);
  }

  /** Sends the current model of the panel's folder. */
  async update(): Promise<void> {
    const folder = this.folder();
    const model = folder?.model;
    if (!this.panel || !folder || !model) return;
    const placements = await this.locator.locate(folder).catch(() => []);
    const panelModel = buildPanelModel({
      folder: folder.folder.uri.toString(),
      config: model.loaded.config,
      results: model.results,
      run: { time: new Date(model.resultsWrittenAt || model.readAt.getTime()), benchmarks: [...new Set(model.series.map((s) => s.benchmark).filter((b): b is string => !!b))], commit: await headCommit(folder.folder.uri.fsPath), machine: thisMachine() },
      baseline: model.baseline,
      baselineFrom: model.baselineFrom,
      history: readHistory(folder.folder.uri.fsPath),
      located: new Set(placements.filter((p) => p.locations.length > 0).map((p) => p.handler)),
      error: folder.error?.message ?? null,
      stale: folder.staleReason ?? null,
    });
    const msg: ToWebview = { type: 'model', model: panelModel };
    if (this.pendingSelect) msg.select = this.pendingSelect;
    this.pendingSelect = undefined;
    this.post(msg);
    this.post({ type: 'running', running: this.runner.running });
  }

  private async onMessage(raw: unknown): Promise<void> {
    const msg = parseWebviewMessage(raw);
    const folder = this.folder();
    if (!msg) {
      this.deps.log.warn('comparison panel: ignored a malformed message');
      return;
    }
    switch (msg.type) {
      case 'ready':
        await this.update();
        return;
      case 'openHandler': {
        if (!folder) return;
        const placed = (await this.locator.locate(folder)).find((p) => p.handler === msg.handler)?.locations[0];
        if (!placed) return;
        const uri = vscode.Uri.file(path.resolve(folder.folder.uri.fsPath, placed.file));
        const pos = new vscode.Position(placed.line, placed.column);
        await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'updateBaseline':
        if (folder) await updateBaseline(folder, this.deps);
        return;
      case 'runAgain':
        if (folder) await this.runner.run(folder);
        return;
      case 'exportReport': {
        if (!folder?.model) return;
        const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: renderReport('markdown', folder.model.results) });
        await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
        return;
      }
      case 'pickBaseline':
        if (folder) await pickBaseline(folder);
        return;
    }
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const media = (f: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', f)).toString();
    const csp = [
      "default-src 'none'",
      `img-src ${webview.cspSource} data:`,
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('panel.css')}">
<title>Perf Budgets: Comparison</title>
</head>
<body>
<div id="head"></div>
<div id="table"><p>Reading results…</p></div>
<section id="detail" aria-live="polite"></section>
<script nonce="${nonce}" src="${media('panel.js')}"></script>
</body>
</html>`;
  }
}

/** The last runs of the run history, oldest first; unreadable files are skipped. */
function readHistory(root: string): Baseline[] {
  const out: Baseline[] = [];
  for (const file of listRuns(root).slice(-HISTORY_RUNS)) {
    try {
      out.push(parseBaseline(readFileSync(file, 'utf8'), file));
    } catch {
      /* a torn or foreign file in the history: not shown */
    }
  }
  return out;
}

/** Lets the user compare with another ref or the working-tree file (a session override). */
async function pickBaseline(folder: FolderBudgets): Promise<void> {
  const items: Array<vscode.QuickPickItem & { ref: string | null }> = [
    { label: 'HEAD', description: 'the committed baseline', ref: 'HEAD' },
    { label: 'Working tree', description: 'the file as it is on disk', ref: '' },
    { label: 'Another git ref…', ref: null },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: 'Perf Budgets: compare with which baseline?' });
  if (!pick) return;
  let ref = pick.ref;
  if (ref === null) {
    ref = (await vscode.window.showInputBox({ title: 'Git ref of the baseline', placeHolder: 'main, origin/main, v1.2.0, HEAD~3', validateInput: (v) => (/^[\w./~^@{}-]+$/.test(v.trim()) ? null : 'not a git ref') }))?.trim() ?? null;
    if (!ref) return;
  }
  folder.setBaselineRef(ref);
  await folder.rereadNow().catch(() => undefined);
}
