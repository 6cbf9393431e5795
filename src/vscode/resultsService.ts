import * as path from 'node:path';
import * as vscode from 'vscode';
import { evaluate, type HandlerResult } from '../core/budgets/evaluate';
import { InputError } from '../core/errors';
import { summaryLine } from '../core/report/reports';
import { type LoadedConfig, loadBaseline, loadConfigFile, readBenchmarkResults } from '../node/workspaceFiles';
import { Disposable } from './dispose';
import { CONFIG_FILE } from './ids';

/** What the editor shows: the latest good evaluation of one workspace folder. */
export interface BudgetsModel {
  folder: vscode.WorkspaceFolder;
  loaded: LoadedConfig;
  results: HandlerResult[];
  readAt: Date;
}

/**
 * Reads config, result files and the committed baseline of the workspace, and evaluates them.
 * A failed read keeps the previous model (bad input never replaces good results) and reports
 * the one-line error.
 */
export class ResultsService extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<BudgetsModel | undefined>());
  readonly onDidChange = this.changed.event;
  private current: BudgetsModel | undefined;
  private lastError: string | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
  }

  get model(): BudgetsModel | undefined {
    return this.current;
  }

  get error(): string | undefined {
    return this.lastError;
  }

  /** The first workspace folder holding perf-budgets.json. */
  folder(): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
  }

  async reload(): Promise<BudgetsModel | undefined> {
    const folder = this.folder();
    if (!folder) return undefined;
    const root = folder.uri.fsPath;
    const show = (abs: string) => path.relative(root, abs) || abs;
    try {
      const loaded = loadConfigFile(path.join(root, CONFIG_FILE), show);
      const series = await readBenchmarkResults(loaded);
      // The editor compares with the committed baseline; outside git, the working-tree file.
      const baseline = await loadBaseline(loaded, { kind: 'ref', ref: 'HEAD' }, (n) => this.log.info(n)).catch((e: unknown) => {
        if (e instanceof InputError && /not a git repository|unknown git ref/.test(e.reason)) {
          return loadBaseline(loaded, { kind: 'working-tree' });
        }
        throw e;
      });
      const results = evaluate(loaded.config, series, baseline?.series ?? null);
      this.current = { folder, loaded, results, readAt: new Date() };
      this.lastError = undefined;
      this.log.info(`Read ${series.length} series: ${summaryLine(results)}`);
      this.changed.fire(this.current);
      return this.current;
    } catch (e) {
      const message = e instanceof InputError ? e.message : `unexpected error: ${e instanceof Error ? e.message : String(e)}`;
      this.lastError = message;
      this.log.error(message);
      this.changed.fire(this.current);
      throw e instanceof InputError ? e : new Error(message);
    }
  }
}
