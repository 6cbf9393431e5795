import * as path from 'node:path';
import * as vscode from 'vscode';
import { benchmarkResultsPositions, budgetPositions, insertAtEdit } from '../core/config/configLocations';
import type { Location } from '../core/discovery';
import { handlerCode, nextPlacedLine } from '../core/discovery/handlerSpan';
import { InputError, NoResultsYet } from '../core/errors';
import { describeDelta, describeVerdict } from '../core/report/describe';
import { withoutBom } from '../core/utf8';
import { readSmallFile } from '../node/safeFs';
import type { BudgetsRegistry } from './budgetsRegistry';
import { Disposable } from './dispose';
import type { FolderBudgets } from './folderBudgets';
import type { HandlerLocator } from './handlerLocator';
import { CONFIG_FILE } from './ids';
import { readSettings, SETTINGS } from './settings';

/** Edits re-check staleness after this quiet time: typing is never waited on. */
const EDIT_DEBOUNCE_MS = 300;

export const DIAGNOSTIC_SOURCE = 'perf-budgets';
export const NO_HANDLER = 'no-handler';
export const NO_SERIES = 'no-series';
export const NOT_RUN = 'not-run';

/**
 * The Problems panel tells the same story as the decorations: a Warning at a handler whose
 * metric is in the warn band, an Error for a failed budget or a regression; in perf-budgets.json,
 * config errors, budgets whose handler is not found in code (with a quick fix offering the
 * candidates) and budgets that no result series matches (a typo never passes silently); and
 * unreadable result files at their line.
 */
export class BudgetDiagnostics extends Disposable {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE));
  private readonly candidates = new Map<string, Location[]>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly locator: HandlerLocator,
  ) {
    super();
    this.register({ dispose: () => this.timer && clearTimeout(this.timer) });
    this.register(registry.onDidChange(() => this.schedule()));
    this.register(locator.onDidChange(() => this.schedule()));
    // A handler whose code a run recorded turns stale (or current again) as it is edited.
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        const folder = e.contentChanges.length ? registry.forUri(e.document.uri) : undefined;
        const recorded = folder?.model?.run?.handlers;
        if (!folder || !recorded) return;
        const rel = path.relative(folder.folder.uri.fsPath, e.document.uri.fsPath).split(path.sep).join('/');
        if (Object.values(recorded).some((h) => h.file === rel)) this.schedule(EDIT_DEBOUNCE_MS);
      }),
    );
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SETTINGS.staleBreaches) && this.schedule()));
    this.register(
      vscode.languages.registerCodeActionsProvider({ scheme: 'file', pattern: `**/${CONFIG_FILE}` }, { provideCodeActions: (doc, _r, ctx) => this.quickFixes(doc, ctx) }, {
        providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
      }),
    );
    this.schedule();
  }

  private schedule(delayMs = 150): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, delayMs);
  }

  private async update(): Promise<void> {
    const next = new Map<string, vscode.Diagnostic[]>();
    const add = (uri: vscode.Uri, d: vscode.Diagnostic) => {
      d.source = DIAGNOSTIC_SOURCE;
      next.set(uri.toString(), [...(next.get(uri.toString()) ?? []), d]);
    };
    this.candidates.clear();
    for (const folder of this.registry.all()) await this.folderDiagnostics(folder, add);
    this.collection.clear();
    for (const [uri, ds] of next) this.collection.set(vscode.Uri.parse(uri), ds);
  }

  private async folderDiagnostics(folder: FolderBudgets, add: (uri: vscode.Uri, d: vscode.Diagnostic) => void): Promise<void> {
    const configUri = folder.configUri;
    const configText = await readText(configUri);
    const positions = budgetPositions(configText);
    const budgetRange = (handler: string) => {
      const p = positions.get(handler);
      return p ? new vscode.Range(p.line, p.column, p.line, p.column + JSON.stringify(handler).length) : new vscode.Range(0, 0, 0, 0);
    };
    const err = folder.error;
    if (err instanceof NoResultsYet) {
      // Never run (or its results deleted): the normal first state, said at each benchmark's "results".
      const where = benchmarkResultsPositions(configText);
      for (const bench of folder.config?.config.benchmarks.filter((b) => err.benchmarks.includes(b.name)) ?? []) {
        const p = where.get(bench.name);
        const range = p ? new vscode.Range(p.line, p.column, p.line, p.endLine === p.line ? p.endColumn : p.column + 1) : new vscode.Range(0, 0, 0, 1);
        const d = new vscode.Diagnostic(
          range,
          vscode.l10n.t('Not run yet: no result file matches {0}. Run "Perf Budgets: Run Benchmarks" to measure.', bench.results.join(', ')),
          vscode.DiagnosticSeverity.Information,
        );
        d.code = NOT_RUN;
        add(configUri, d);
      }
    } else if (err) {
      if (err instanceof InputError) {
        const target = err.file === CONFIG_FILE || err.file.endsWith(`/${CONFIG_FILE}`) ? configUri : vscode.Uri.file(path.resolve(folder.folder.uri.fsPath, err.file));
        const line = Math.max(0, (err.line ?? 1) - 1);
        const col = Math.max(0, (err.column ?? 1) - 1);
        const inWorkspace = target.fsPath.startsWith(folder.folder.uri.fsPath);
        add(inWorkspace ? target : configUri, new vscode.Diagnostic(new vscode.Range(line, col, line, col + 1), inWorkspace ? err.reason : err.message, vscode.DiagnosticSeverity.Error));
      } else {
        add(configUri, new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), err.message, vscode.DiagnosticSeverity.Error));
      }
    }
    const model = folder.model;
    if (!model) return;
    const placements = await this.locator.locate(folder);
    const seriesNames = [...new Set(model.series.map((s) => s.name))];
    const { staleBreaches } = readSettings(folder.folder);
    for (const result of model.results) {
      const handler = result.budget.handler;
      const placed = placements.find((p) => p.handler === handler);
      if (!result.current) {
        const d = new vscode.Diagnostic(
          budgetRange(handler),
          `No result series matches "${handler}"${result.budget.series ? ` (series "${result.budget.series}")` : ''}; the results hold: ${seriesNames.slice(0, 8).join(', ')}${seriesNames.length > 8 ? ', …' : ''}`,
          vscode.DiagnosticSeverity.Warning,
        );
        d.code = NO_SERIES;
        add(configUri, d);
      }
      // An all-requests budget is not a handler: it has no line of code unless "at" gives one.
      const codeless = result.budget.allRequests === true && !result.budget.at;
      if (placed && placed.locations.length === 0 && !codeless) {
        const d = new vscode.Diagnostic(
          budgetRange(handler),
          result.budget.at
            ? `"at": "${result.budget.at}" of "${handler}" does not resolve to a line of code`
            : `No handler for "${handler}" was found in code; set "at" to "path#symbol" or "path:line"`,
          vscode.DiagnosticSeverity.Warning,
        );
        d.code = NO_HANDLER;
        this.candidates.set(`${configUri.toString()}|${handler}`, placed.candidates);
        add(configUri, d);
      }
      const budgetTarget = configUri.with({ fragment: `L${(positions.get(handler)?.line ?? 0) + 1}` });
      // Verdicts go to the handler's lines; a budget with none has them at its key in perf-budgets.json.
      const recorded = model.run?.handlers?.[handler];
      const places: Array<{ uri: vscode.Uri; range: vscode.Range; stale: boolean }> = placed?.locations.length
        ? await Promise.all(
            placed.locations.map(async (loc) => {
              const uri = vscode.Uri.file(path.resolve(folder.folder.uri.fsPath, loc.file));
              let stale = false;
              if (recorded && recorded.file === loc.file) {
                const text = await readText(uri);
                stale = text !== '' && handlerCode(loc.file, text, loc.line, nextPlacedLine(placements, loc.file, loc.line)).hash !== recorded.hash;
              }
              return { uri, range: new vscode.Range(loc.line, loc.column, loc.line, loc.column + 1), stale };
            }),
          )
        : [{ uri: configUri, range: budgetRange(handler), stale: false }];
      for (const { uri, range, stale } of places) {
        if (stale && staleBreaches === 'hide') continue;
        for (const v of result.verdicts) {
          const regressed = v.regression === 'regressed';
          if (v.status !== 'fail' && v.status !== 'warn' && !regressed) continue;
          // Stale results (the code changed since the run) never make an Error.
          const severity = (v.status === 'fail' || regressed) && !stale ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
          const delta = describeDelta(v);
          const message = `${handler}: ${describeVerdict(v)}${delta ? `; ${delta}` : ''}${stale ? ` (${vscode.l10n.t('stale: code changed since this run')})` : ''}`;
          const d = new vscode.Diagnostic(range, message, severity);
          d.code = { value: regressed && v.status !== 'fail' ? 'regression' : 'budget', target: budgetTarget };
          add(uri, d);
        }
      }
    }
  }

  private quickFixes(doc: vscode.TextDocument, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const d of ctx.diagnostics) {
      if (d.source !== DIAGNOSTIC_SOURCE || d.code !== NO_HANDLER) continue;
      const handler = JSON.parse(doc.getText(d.range)) as string;
      for (const c of this.candidates.get(`${doc.uri.toString()}|${handler}`) ?? []) {
        const at = `${c.file}:${c.line + 1}`;
        const edit = insertAtEdit(doc.getText(), handler, at);
        if (!edit) continue;
        const route = c.route ? ` (${c.route.method ?? 'any'} ${c.route.path})` : '';
        const action = new vscode.CodeAction(`Set "at" to ${at}${route}`, vscode.CodeActionKind.QuickFix);
        action.diagnostics = [d];
        action.edit = new vscode.WorkspaceEdit();
        action.edit.replace(doc.uri, new vscode.Range(doc.positionAt(edit.offset), doc.positionAt(edit.offset + edit.length)), edit.text);
        actions.push(action);
      }
    }
    return actions;
  }
}

/** The config's text ('' when it cannot be read; a FIFO, a device or a link out of its folder is not read). */
export async function readText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    if (uri.scheme === 'file') return withoutBom(await readSmallFile(uri.fsPath, { root: path.dirname(uri.fsPath) }));
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return '';
  }
}
