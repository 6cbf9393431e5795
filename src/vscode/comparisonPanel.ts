import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { PanelModel, PanelState, ToWebview } from '../core/protocol';
import { comparisonMarkdown } from '../core/report/comparisonExport';
import { panelModelSteps } from '../core/report/panelModel';
import type { Series } from '../core/series';
import { headCommit, refProblem, showAtRef } from '../node/git';
import { thisMachine } from '../node/machine';
import { PanelHistoryCache, type PanelHistoryJob, readPanelHistory } from '../node/panelHistory';
import { PanelHistoryReader, SUPERSEDED } from '../node/panelHistoryReader';
import { inSlices } from '../node/inSlices';
import { runThatWrote } from '../node/runHistory';
import { baselinePath } from '../node/workspaceFiles';
import type { BenchmarkRunner } from './benchmarkRunner';
import type { BudgetsRegistry } from './budgetsRegistry';
import { type CommandDeps, updateBaseline } from './commands';
import { Disposable } from './dispose';
import { type BudgetsModel, describeBaselineSource, type FolderBudgets } from './folderBudgets';
import type { HandlerLocator } from './handlerLocator';
import { VIEW_TYPES } from './ids';
import { addBudgetForSeries } from './unclaimedSeries';
import { planWebviewAction } from './webviewMessage';
import type { RegressionCauses } from './whyRegressed';
import type { ProductionSources } from './productionSource';
import { readText } from './diagnostics';
import { handlerCode, nextPlacedLine } from '../core/discovery/handlerSpan';
import type { PanelChanges } from '../core/protocol';
import * as path from 'node:path';
import { offerSetUp } from './onboarding';

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
  /** Counts update() calls: an update posts only if no newer one started meanwhile. */
  private updates = 0;
  /** The run history is read and judged on a worker thread, never on the extension host's. */
  private readonly history = new PanelHistoryReader();

  private readonly registry: BudgetsRegistry;
  private readonly runner: BenchmarkRunner;

  /** Each service once, from activate(): the registry and the runner come with `deps`. */
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly locator: HandlerLocator,
    private readonly deps: CommandDeps,
    private readonly causes?: RegressionCauses,
    private readonly production?: ProductionSources,
  ) {
    super();
    this.registry = deps.registry;
    this.runner = deps.runner;
    this.register(
      vscode.window.registerWebviewPanelSerializer(VIEW_TYPES.comparison, {
        deserializeWebviewPanel: async (panel, state: PanelState | undefined) => {
          await this.registry.refreshFolders();
          this.adopt(panel, state?.folder);
        },
      }),
    );
    this.register(this.registry.onDidChange(() => this.schedule()));
    this.register(locator.onDidChange(() => this.schedule()));
    if (production) this.register(production.onDidChange(() => this.schedule()));
    this.register(
      this.runner.onDidChangeRunning((running) => {
        this.post({ type: 'running', running });
        // The run history is written after the results are re-read: show the run's p95 in it too.
        if (!running) this.schedule();
      }),
    );
    this.register({ dispose: () => this.panel?.dispose() });
    this.register({ dispose: () => this.timer && clearTimeout(this.timer) });
    this.register(this.history);
  }

  /** Opens (or reveals) the panel on a folder, optionally selecting a handler. */
  async open(arg?: { folder?: string; handler?: string }): Promise<void> {
    if (this.registry.all().length === 0) await this.registry.refreshFolders();
    const folder = (arg?.folder && this.registry.all().find((f) => f.folder.uri.toString() === arg.folder)) || this.registry.all()[0];
    if (!folder) {
      void offerSetUp('The comparison panel');
      return;
    }
    this.pendingSelect = arg?.handler;
    if (this.panel) {
      this.folderKey = folder.folder.uri.toString();
      this.panel.reveal(undefined, false);
      await this.update();
      return;
    }
    const panel = vscode.window.createWebviewPanel(VIEW_TYPES.comparison, vscode.l10n.t('Perf Budgets: Comparison'), vscode.ViewColumn.Active, this.options());
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
    this.prefetchHistory();
    this.panelSubs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.onMessage(raw)),
      panel.onDidDispose(() => {
        this.panelSubs.forEach((d) => d.dispose());
        this.panelSubs = [];
        this.panel = undefined;
        // Its worker and parse cache go with it; the next panel starts them again.
        this.history.stop();
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

  /** Sends the current model of the panel's folder, unless a newer update started meanwhile (it sends its own). */
  async update(): Promise<void> {
    const folder = this.folder();
    if (!this.panel || !folder) return;
    const update = ++this.updates;
    const stale = () => update !== this.updates || !this.panel;
    const panelModel = await this.panelModel(folder, 'panel', stale);
    if (stale() || !panelModel) return;
    const msg: ToWebview = { type: 'model', model: panelModel };
    if (this.pendingSelect) msg.select = this.pendingSelect;
    this.pendingSelect = undefined;
    this.post(msg);
    this.post({ type: 'running', running: this.runner.running });
  }

  /**
   * What the panel shows of a folder (and what "Export report" heads its report with); undefined
   * before the first read, and when a newer build of the same `lane` superseded this one (its
   * history read) or `stale()` says so between the slices the rows are built in.
   */
  private async panelModel(folder: FolderBudgets, lane: 'panel' | 'export', stale?: () => boolean): Promise<PanelModel | undefined> {
    const model = folder.model;
    if (!model) return undefined;
    // The worker reads the run history while this thread locates the handlers.
    const reading = this.readHistory(historyJob(folder, model), lane);
    const placements = await this.locator.locate(folder).catch(() => []);
    // No git in an untrusted workspace: the run's commit is what its own record says, or unknown.
    const trusted = vscode.workspace.isTrusted;
    const history = await reading;
    if (history === SUPERSEDED) return undefined;
    const wrote = runThatWrote(history.runs, model.resultsWrittenAt);
    const { staleHandlers, changes } = await this.handlerFacts(folder, model, placements);
    const production = this.production?.lines(folder);
    const steps = panelModelSteps({
      staleHandlers,
      changes,
      folder: folder.folder.uri.toString(),
      config: model.loaded.config,
      results: model.results,
      // Every row's production line, when the folder has a production source.
      ...(production ? { production } : {}),
      run: {
        time: new Date(model.resultsWrittenAt || model.readAt.getTime()),
        benchmarks: shownBenchmarks(model.series),
        sources: [...new Set(model.series.flatMap((s) => s.source.split(', ')))].sort(),
        // The commit the run was made on, as its run-history record says; not HEAD now (it may have moved since).
        commit: wrote?.meta.commit ?? null,
        machine: wrote?.meta.machine ?? thisMachine(),
      },
      baseline: model.baseline,
      // The working-tree file is named so, a ref as REF:path.
      baselineFrom: describeBaselineSource(model),
      history: history.points,
      located: new Set(placements.filter((p) => p.locations.length > 0).map((p) => p.handler)),
      error: folder.error?.message ?? null,
      stale: folder.staleReason ?? null,
      restricted: trusted ? null : RESTRICTED_PANEL_NOTE,
      unclaimed: unclaimedSeries(model),
      ambiguous: model.ambiguous,
    });
    // Row by row in slices: the extension host's event loop gets a turn every few milliseconds.
    return inSlices(steps, stale);
  }

  /**
   * The worker reads the run history while the webview loads (its answer is not used): the
   * first model, asked for once the webview is ready, then finds the run files parsed.
   */
  private prefetchHistory(): void {
    const folder = this.folder();
    if (folder?.model) void this.history.read(historyJob(folder, folder.model), 'prefetch').catch(() => undefined);
  }

  /** The run history from the worker; in this thread if the worker fails (the same answer, only slower). */
  private readHistory(job: PanelHistoryJob, lane: 'panel' | 'export'): ReturnType<PanelHistoryReader['read']> {
    return this.history.read(job, lane).catch((e: Error) => {
      this.deps.log.warn(`comparison panel: reading the run history in the extension host (${e.message})`);
      return readPanelHistory(job, new PanelHistoryCache());
    });
  }

  /**
   * Per handler: stale when its code differs from what the run recorded (as in the editor), and,
   * at a regressed one, the commits that changed it since the baseline (RegressionCauses).
   */
  private async handlerFacts(folder: FolderBudgets, model: BudgetsModel, placements: Awaited<ReturnType<HandlerLocator['locate']>>): Promise<{ staleHandlers: Map<string, string>; changes: Map<string, PanelChanges> }> {
    const staleHandlers = new Map<string, string>();
    const changes = new Map<string, PanelChanges>();
    const root = folder.folder.uri.fsPath;
    const texts = new Map<string, string>();
    for (const p of placements) {
      const loc = p.locations[0];
      const result = model.results.find((r) => r.budget.handler === p.handler);
      if (!loc || !result) continue;
      const uri = vscode.Uri.file(path.join(root, loc.file));
      const recorded = model.run?.handlers?.[p.handler];
      if (recorded && recorded.file === loc.file) {
        if (!texts.has(loc.file)) texts.set(loc.file, await readText(uri));
        const text = texts.get(loc.file)!;
        if (text !== '' && handlerCode(loc.file, text, loc.line, nextPlacedLine(placements, loc.file, loc.line)).hash !== recorded.hash) staleHandlers.set(p.handler, vscode.l10n.t('stale: code changed since this run'));
      }
      const found = await this.causes?.changes({ folder, result, uri, line: loc.line }).catch(() => undefined);
      if (!found) continue;
      const c = found.changed;
      changes.set(
        p.handler,
        c.kind === 'changes'
          ? { commits: c.commits.map((x) => ({ short: x.short, subject: x.subject, author: x.author, date: x.date })), uncommitted: c.uncommitted.length > 0 }
          : { commits: [], uncommitted: false, unavailable: c.message },
      );
    }
    return { staleHandlers, changes };
  }

  /** "Export report": the comparison as an unsaved Markdown document beside the panel, and a message saying what was exported. */
  private async exportReport(folder: FolderBudgets): Promise<void> {
    const model = folder.model;
    const panelModel = await this.panelModel(folder, 'export');
    if (!model || !panelModel) return;
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: comparisonMarkdown(panelModel, model.results) });
    await vscode.window.showTextDocument(doc, vscode.ViewColumn.Beside);
    const n = model.results.length;
    void vscode.window.showInformationMessage(
      n === 1 ? vscode.l10n.t('Exported the comparison of 1 handler as Markdown (unsaved document).') : vscode.l10n.t('Exported the comparison of {0} handlers as Markdown (unsaved document).', n),
    );
  }

  private async onMessage(raw: unknown): Promise<void> {
    const folder = this.folder();
    if (!folder) return;
    const placements = await this.locator.locate(folder).catch(() => []);
    const model = folder.model;
    const action = planWebviewAction(raw, {
      root: folder.folder.uri.fsPath,
      baselineFile: ((): string | Error => {
        if (!model) return new Error('no results yet');
        try {
          return baselinePath(model.loaded);
        } catch (e) {
          return e as Error;
        }
      })(),
      configured: folder.config?.config.benchmarks.map((b) => b.name) ?? [],
      shown: shownBenchmarks(model?.series ?? []),
      locate: (handler) => placements.find((p) => p.handler === handler)?.locations[0],
      unclaimed: model?.unclaimed ?? [],
    });
    switch (action.kind) {
      case 'refuse':
        this.deps.log.warn(`comparison panel: ignored a message (${action.reason})`);
        return;
      case 'refresh':
        await this.update();
        return;
      case 'open': {
        const pos = new vscode.Position(action.line, action.column);
        await vscode.window.showTextDocument(vscode.Uri.file(action.file), { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.Beside });
        return;
      }
      case 'writeBaseline':
        // updateBaseline writes to the same baselinePath(model.loaded) the plan checked.
        await updateBaseline(folder, this.deps);
        return;
      case 'run':
        // The runner refuses an untrusted workspace too, and says so.
        await this.runner.run(folder, action.benchmarks);
        return;
      case 'export':
        await this.exportReport(folder);
        return;
      case 'pickBaseline':
        if (!vscode.workspace.isTrusted) {
          this.deps.log.warn(`comparison panel: ${RESTRICTED_PANEL_NOTE}`);
          return;
        }
        if (await pickBaseline(folder, this.deps.log)) await this.update();
        return;
      case 'addBudget':
        // Saved at once: the config watcher re-reads, and the panel follows.
        await addBudgetForSeries(folder, action.series, this.deps.log);
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
    // The panel's texts go through the same translation bundle as the host's (src/webview/l10n.ts).
    const bundle = attr(JSON.stringify(vscode.l10n.bundle ?? {}));
    return `<!DOCTYPE html>
<html lang="${attr(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${media('panel.css')}">
<title>${attr(vscode.l10n.t('Perf Budgets: Comparison'))}</title>
</head>
<body data-l10n="${bundle}">
<div id="head"></div>
<div id="table"><p>${attr(vscode.l10n.t('Reading results…'))}</p></div>
<section id="unclaimed"></section>
<section id="detail" aria-live="polite"></section>
<script nonce="${nonce}" src="${media('panel.js')}"></script>
</body>
</html>`;
  }
}

/** The panel's one line in Restricted Mode. */
export const RESTRICTED_PANEL_NOTE = vscode.l10n.t(
  'Restricted Mode: git is not run, so the baseline is the working-tree file. Trust this folder to compare with HEAD or another ref and to run benchmarks.',
);

/** Lets the user compare with another ref or the working-tree file (a session override). True when the choice changed. */
async function pickBaseline(folder: FolderBudgets, log: vscode.LogOutputChannel): Promise<boolean> {
  const loaded = folder.config;
  if (!loaded) return false;
  const file = loaded.config.baseline;
  const current = folder.model?.baselineFrom ?? null;
  const items: Array<vscode.QuickPickItem & { ref: string | null }> = [
    { label: 'HEAD', description: vscode.l10n.t('git show HEAD:{0} (the committed baseline)', file), ref: 'HEAD' },
    { label: vscode.l10n.t('Working tree'), description: vscode.l10n.t('{0} as it is on disk', file), ref: '' },
    { label: vscode.l10n.t('Another git ref…'), description: vscode.l10n.t('a tag, a branch, HEAD~1, a commit'), ref: null },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Perf Budgets: compare with which baseline?'), placeHolder: current ? vscode.l10n.t('now: {0}', current) : undefined });
  if (!pick) return false;
  let ref = pick.ref;
  if (ref === null) {
    const root = folder.folder.uri.fsPath;
    ref =
      (
        await vscode.window.showInputBox({
          title: vscode.l10n.t('Git ref of the baseline ({0} at that ref)', file),
          placeHolder: 'main, origin/main, v1.2.0, HEAD~3',
          validateInput: async (v) => refProblem(v.trim()) ?? (await refHasBaseline(v.trim(), file, root)),
        })
      )?.trim() ?? null;
    if (!ref || refProblem(ref)) return false;
  }
  folder.setBaselineRef(ref);
  log.info(`${folder.folder.name}: comparing with ${ref ? `${ref}:${file}` : `the working-tree ${file}`}`);
  await folder.rereadNow().catch(() => undefined);
  return true;
}

/** Null when git has the baseline file at `ref`; else why not (the ref goes to git as one argument). */
async function refHasBaseline(ref: string, file: string, root: string): Promise<string | null> {
  try {
    return (await showAtRef(ref, file, root)) === null ? vscode.l10n.t('{0} does not exist at {1}', file, ref) : null;
  } catch (e) {
    return (e as Error).message;
  }
}

/** The series no budget claims, once each, in the order the folder lists them. */
function unclaimedSeries(model: BudgetsModel): Series[] {
  const byName = new Map<string, Series>();
  for (const s of model.series) if (!byName.has(s.name)) byName.set(s.name, s);
  return [...new Set(model.unclaimed)].map((n) => byName.get(n)).filter((s): s is Series => s !== undefined);
}

/** The panel's run-history job for a folder: its last runs, judged by its budgets. */
function historyJob(folder: FolderBudgets, model: BudgetsModel): PanelHistoryJob {
  return { workspace: folder.folder.uri.fsPath, count: HISTORY_RUNS, budgets: model.loaded.config.budgets };
}

/** Benchmarks the shown series came from. */
function shownBenchmarks(series: ReadonlyArray<{ benchmark?: string }>): string[] {
  return [...new Set(series.map((s) => s.benchmark).filter((b): b is string => !!b))];
}

/** Text for an HTML attribute or element: & < > " ' as entities. */
function attr(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
