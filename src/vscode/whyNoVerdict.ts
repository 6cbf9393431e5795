import * as vscode from 'vscode';
import { describeNoVerdict } from '../core/budgets/explain';
import { InputError, NoResultsYet } from '../core/errors';
import { addBudget, useSeries } from './addBudgetEdit';
import type { BudgetsRegistry } from './budgetsRegistry';
import { Disposable } from './dispose';
import type { FolderBudgets } from './folderBudgets';
import type { HandlerLocator } from './handlerLocator';
import { COMMANDS, CONFIG_FILE } from './ids';
import { budgetKeyForRoute, type FolderFacts, type NextStep, nextSteps, reasonForBudget, reasonForRoute } from './noVerdict';
import { readSettings, SETTINGS } from './settings';
import { tell } from './userLog';

/** A handler in code that shows no p95, and why. */
export interface NoVerdictSpot {
  uri: vscode.Uri;
  /** 0-based. */
  line: number;
  /** The budget placed there, or the route's id when none is. */
  handler: string;
  folder: vscode.WorkspaceFolder;
  /** False: the folder has no perf-budgets.json at all. */
  configured: boolean;
  /** The one line that says why ("no budget names GET /api/health — add one"). */
  text: string;
  steps: NextStep[];
}

export const NO_CONFIG_TEXT = vscode.l10n.t('No perf budgets here — Set Up…');
export const WHY_TITLE = vscode.l10n.t('Why no p95 here?');

/**
 * "Why no p95 here?" at every discovered handler without a verdict on screen: a CodeLens
 * (perfBudgets.codeLens.enabled), a line in the hover (handlerHovers.ts asks `spotsAt`), and
 * COMMANDS.explainNoVerdict, which says the reason in a notification with the next step as
 * buttons: Add Budget, Use Series X, Run Benchmarks, Open Result File. In a folder without a
 * perf-budgets.json the lens offers Set Up… instead.
 */
export class NoVerdictExplainer extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());

  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly locator: HandlerLocator,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(registry.onDidChange(() => this.changed.fire()));
    this.register(locator.onDidChange(() => this.changed.fire()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SETTINGS.codeLens) && this.changed.fire()));
    this.register(
      vscode.languages.registerCodeLensProvider(
        { scheme: 'file' },
        {
          onDidChangeCodeLenses: this.changed.event,
          provideCodeLenses: async (doc) => (readSettings(doc.uri).codeLens ? (await this.spotsIn(doc.uri)).map((s) => lensOf(s)) : []),
        },
      ),
    );
    this.register(vscode.commands.registerCommand(COMMANDS.explainNoVerdict, (arg: unknown) => this.explain(arg)));
  }

  /** Every handler of the file without a verdict shown, by line. */
  async spotsIn(uri: vscode.Uri): Promise<NoVerdictSpot[]> {
    const wf = vscode.workspace.getWorkspaceFolder(uri);
    if (!wf || wf.uri.scheme !== 'file') return [];
    const routes = await this.locator.routesInFile(uri);
    const folder = this.registry.forUri(uri);
    if (!folder) {
      return routes.map((r) => ({ uri, line: r.line, handler: budgetKeyForRoute(r), folder: wf, configured: false, text: vscode.l10n.t('this folder has no {0}', CONFIG_FILE), steps: [] }));
    }
    const facts = folderFacts(folder);
    const placed = await this.locator.inFile(uri);
    const spots: NoVerdictSpot[] = [];
    for (const p of placed) {
      const reason = reasonForBudget(p.handler, folder.model?.results.find((r) => r.budget.handler === p.handler), facts);
      if (reason) spots.push({ uri, line: p.line, handler: p.handler, folder: wf, configured: true, text: describeNoVerdict(reason), steps: localized(nextSteps(reason)) });
    }
    const placedLines = new Set(placed.map((p) => p.line));
    for (const r of routes) {
      if (placedLines.has(r.line)) continue;
      const reason = reasonForRoute(r, facts, folder.config !== undefined);
      spots.push({ uri, line: r.line, handler: budgetKeyForRoute(r), folder: wf, configured: true, text: describeNoVerdict(reason), steps: localized(nextSteps(reason)) });
    }
    return spots.sort((a, b) => a.line - b.line);
  }

  async spotsAt(uri: vscode.Uri, line: number): Promise<NoVerdictSpot[]> {
    return (await this.spotsIn(uri)).filter((s) => s.line === line);
  }

  /** COMMANDS.explainNoVerdict `{ uri, line }` (from the lens or a hover link): the reason, then the chosen step. */
  async explain(arg: unknown): Promise<void> {
    const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { uri?: unknown; line?: unknown };
    if (typeof a.uri !== 'string' || typeof a.line !== 'number' || !Number.isInteger(a.line) || a.line < 0) return;
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(a.uri, true);
    } catch {
      return;
    }
    const spots = await this.spotsAt(uri, a.line);
    if (spots.length === 0) {
      void tell(this.log, 'info', vscode.l10n.t('Perf Budgets: this handler shows its numbers now.'));
      return;
    }
    for (const spot of spots) {
      if (!spot.configured) {
        await vscode.commands.executeCommand(COMMANDS.setUp, { folder: spot.folder.uri.toString() });
        continue;
      }
      const buttons = spot.steps.map((s) => s.title);
      const pick = await tell(this.log, 'info', vscode.l10n.t('Perf Budgets: {0}', spot.text), ...buttons);
      const step = spot.steps.find((s) => s.title === pick);
      if (step) await this.take(step, spot.folder);
    }
  }

  private async take(step: NextStep, folder: vscode.WorkspaceFolder): Promise<void> {
    switch (step.kind) {
      case 'add-budget':
        await addBudget(folder, step.key, undefined, this.log);
        return;
      case 'use-series':
        await useSeries(folder, step.handler, step.series, this.log);
        return;
      case 'run':
        await vscode.commands.executeCommand(COMMANDS.runBenchmarks);
        return;
      case 'open-file':
        await vscode.commands.executeCommand(COMMANDS.openResultFile, { folder: folder.uri.toString(), file: step.file });
        return;
      case 'open-config':
        await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, CONFIG_FILE), { preview: false });
        return;
    }
  }
}

/** The lens above a handler without a verdict. */
function lensOf(s: NoVerdictSpot): vscode.CodeLens {
  const range = new vscode.Range(s.line, 0, s.line, 0);
  if (!s.configured) return new vscode.CodeLens(range, { title: NO_CONFIG_TEXT, command: COMMANDS.setUp, arguments: [{ folder: s.folder.uri.toString() }] });
  return new vscode.CodeLens(range, { title: WHY_TITLE, command: COMMANDS.explainNoVerdict, arguments: [{ uri: s.uri.toString(), line: s.line }], tooltip: s.text });
}

/** The command and arguments of a spot's action (the hover's link). */
export function spotCommand(s: NoVerdictSpot): { title: string; command: string; args: unknown[] } {
  return s.configured
    ? { title: WHY_TITLE, command: COMMANDS.explainNoVerdict, args: [{ uri: s.uri.toString(), line: s.line }] }
    : { title: vscode.l10n.t('Set Up…'), command: COMMANDS.setUp, args: [{ folder: s.folder.uri.toString() }] };
}

/** What a folder's last read, run and results say, for every handler in it. */
function folderFacts(folder: FolderBudgets): FolderFacts {
  const e = folder.error;
  const model = folder.model;
  return {
    error: e
      ? {
          file: e instanceof InputError ? e.file : CONFIG_FILE,
          message: e.message,
          // readBenchmarkResults says this of a config whose result globs match no file yet.
          noResults: e instanceof NoResultsYet,
        }
      : null,
    read: model !== undefined,
    stale: folder.staleReason ?? null,
    seriesNames: model?.series.map((s) => s.name) ?? [],
    ambiguous: model?.ambiguous ?? [],
    benchmarksWithoutResults: model
      ? (folder.config?.config.benchmarks ?? []).filter((b) => !model.series.some((s) => s.benchmark === b.name)).map((b) => ({ name: b.name, results: b.results }))
      : [],
  };
}

/** The buttons' titles in the display language (noVerdict.ts, plain Node, names them in English). */
function localized(steps: NextStep[]): NextStep[] {
  return steps.map((step): NextStep => {
    switch (step.kind) {
      case 'add-budget':
        return { ...step, title: vscode.l10n.t('Add Budget') };
      case 'use-series':
        return { ...step, title: vscode.l10n.t('Use Series {0}', step.series) };
      case 'run':
        return { ...step, title: vscode.l10n.t('Run Benchmarks') };
      case 'open-file':
        return { ...step, title: step.file === CONFIG_FILE ? vscode.l10n.t('Open {0}', CONFIG_FILE) : vscode.l10n.t('Open Result File') };
      case 'open-config':
        return { ...step, title: vscode.l10n.t('Open {0}', CONFIG_FILE) };
    }
  });
}
