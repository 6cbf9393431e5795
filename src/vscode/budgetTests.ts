import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Verdict } from '../core/budgets/verdict';
import { budgetPositions } from '../core/config/configLocations';
import { describeDelta, describeVerdict } from '../core/report/describe';
import { type BenchmarkRunner, describeOutcome } from './benchmarkRunner';
import type { BudgetsRegistry } from './budgetsRegistry';
import { Disposable } from './dispose';
import type { FolderBudgets } from './folderBudgets';
import { readText } from './diagnostics';
import type { HandlerLocator } from './handlerLocator';

interface ItemData {
  folder: FolderBudgets;
  benchmark: string | null;
  handler: string | null;
}

/**
 * The Testing view: each budget is a test under its benchmark; running it runs the benchmark.
 * The view reflects the latest results whatever produced them — on load, after a run from the
 * palette, a task or CI files, and after a Testing-view run, for every budget of the folder (a
 * run measures them all) — and results that went away (deleted, or stale after a failed run)
 * are marked outdated.
 *
 * Failure messages are located at the budget's key in perf-budgets.json, not at the handler: VS
 * Code draws a failure message inline at its location (at the test item's, when it has none),
 * and on the handler's line it would cover our own end-of-line text, which says the same and
 * stays current while the code changes. In perf-budgets.json it marks the budget that failed.
 * The gutter icon at the handler, the Testing view and the Test Results peek keep the message.
 */
export class BudgetTests extends Disposable {
  private readonly controller = this.register(vscode.tests.createTestController('perfBudgets', 'Perf Budgets'));
  private readonly data = new WeakMap<vscode.TestItem, ItemData>();
  /** The outcome of each budget in the last test run, by test id (what the Test Results view shows). */
  readonly lastOutcomes = new Map<string, 'passed' | 'failed' | 'skipped' | 'errored'>();
  /** Per folder, the results (by read time) last shown in the view, so each read is reported once. */
  private readonly shown = new Map<FolderBudgets, Date | null>();
  /** Where each budget's key is written in its perf-budgets.json ("folder|handler"): where failure messages point. */
  private readonly budgetKeys = new Map<string, vscode.Location>();
  /** Folders a Testing-view run is reporting: their re-read is reported by that run. */
  private readonly reporting = new Set<FolderBudgets>();

  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly locator: HandlerLocator,
    private readonly runner: BenchmarkRunner,
  ) {
    super();
    this.controller.createRunProfile('Run benchmark', vscode.TestRunProfileKind.Run, (req, token) => this.run(req, token), true);
    this.controller.refreshHandler = () => this.refresh();
    this.register(registry.onDidChange(() => void this.refresh()));
    this.register(locator.onDidChange(() => void this.refresh()));
    // A run's re-read happens while it still counts as running: show it once the run is over.
    this.register(runner.onDidChangeRunning((running) => !running && this.reflectLatest()));
  }

  /** The test tree as plain data: [label, parent label, file, 0-based line]. */
  snapshot(): Array<{ id: string; label: string; parent: string | null; uri: string | null; line: number | null }> {
    const out: Array<{ id: string; label: string; parent: string | null; uri: string | null; line: number | null }> = [];
    const walk = (items: vscode.TestItemCollection, parent: string | null) =>
      items.forEach((i) => {
        out.push({ id: i.id, label: i.label, parent, uri: i.uri?.toString() ?? null, line: i.range?.start.line ?? null });
        walk(i.children, i.label);
      });
    walk(this.controller.items, null);
    return out;
  }

  /** Refreshes the tree now (also what the Testing view's refresh button does). */
  async refresh(): Promise<void> {
    const roots: vscode.TestItem[] = [];
    for (const folder of this.registry.all()) {
      const loaded = folder.config;
      if (!loaded) continue;
      const placements = await this.locator.locate(folder).catch(() => []);
      const keys = budgetPositions(await readText(folder.configUri));
      for (const [handler, p] of keys) {
        this.budgetKeys.set(`${folder.folder.uri.toString()}|${handler}`, new vscode.Location(folder.configUri, new vscode.Range(p.line, p.column, p.line, p.column + JSON.stringify(handler).length)));
      }
      const byBench = new Map<string | null, vscode.TestItem>();
      const benchItem = (name: string | null) => {
        let item = byBench.get(name);
        if (!item) {
          item = this.controller.createTestItem(`${folder.folder.uri.toString()}|bench|${name ?? ''}`, name ?? '(no results yet)');
          this.data.set(item, { folder, benchmark: name, handler: null });
          byBench.set(name, item);
        }
        return item;
      };
      for (const budget of loaded.config.budgets) {
        const result = folder.model?.results.find((r) => r.budget.handler === budget.handler);
        const bench = result?.current?.benchmark ?? null;
        const loc = placements.find((p) => p.handler === budget.handler)?.locations[0];
        const uri = loc ? vscode.Uri.file(path.resolve(folder.folder.uri.fsPath, loc.file)) : folder.configUri;
        const item = this.controller.createTestItem(`${folder.folder.uri.toString()}|budget|${budget.handler}`, budget.handler, uri);
        if (loc) item.range = new vscode.Range(loc.line, loc.column, loc.line, loc.column);
        this.data.set(item, { folder, benchmark: bench, handler: budget.handler });
        benchItem(bench).children.add(item);
      }
      if (this.registry.all().length > 1) {
        const root = this.controller.createTestItem(folder.folder.uri.toString(), folder.folder.name, folder.folder.uri);
        for (const b of byBench.values()) root.children.add(b);
        roots.push(root);
      } else roots.push(...byBench.values());
    }
    this.controller.items.replace(roots);
    this.reflectLatest();
  }

  /** Shows each folder's latest results as test states, once per read; outdated when they went away. */
  private reflectLatest(): void {
    for (const folder of this.registry.all()) {
      if (this.reporting.has(folder) || this.runner.running) continue;
      const model = folder.model;
      const current = model && !folder.staleReason ? model.readAt : null;
      if (this.shown.has(folder) && this.shown.get(folder) === current) continue;
      this.shown.set(folder, current);
      const items = this.itemsOf(folder);
      if (items.length === 0) continue;
      if (!current) {
        this.controller.invalidateTestResults(items);
        continue;
      }
      const run = this.controller.createTestRun(new vscode.TestRunRequest(items), vscode.l10n.t('Latest results ({0})', model!.readAt.toLocaleTimeString()), false);
      for (const item of items) this.report(run, item, folder);
      run.end();
    }
  }

  /** The budget items of a folder. */
  private itemsOf(folder: FolderBudgets): vscode.TestItem[] {
    return this.leaves([...collect(this.controller.items)]).filter((i) => this.data.get(i)?.folder === folder && this.data.get(i)?.handler);
  }

  private async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const wanted = this.leaves(request.include ?? [...collect(this.controller.items)]).filter((i) => !request.exclude?.includes(i));
    const byFolder = new Map<FolderBudgets, { benches: Set<string>; items: vscode.TestItem[] }>();
    for (const item of wanted) {
      const d = this.data.get(item);
      if (!d) continue;
      const entry = byFolder.get(d.folder) ?? { benches: new Set(), items: [] };
      if (d.benchmark) entry.benches.add(d.benchmark);
      entry.items.push(item);
      byFolder.set(d.folder, entry);
      run.enqueued(item);
    }
    for (const [folder, { benches, items }] of byFolder) {
      if (token.isCancellationRequested) break;
      items.forEach((i) => run.started(i));
      // Budgets with no results yet run every benchmark of the folder.
      this.reporting.add(folder);
      try {
        await this.runAndReport(run, folder, benches, items);
      } finally {
        this.reporting.delete(folder);
      }
    }
    run.end();
  }

  private async runAndReport(run: vscode.TestRun, folder: FolderBudgets, benches: Set<string>, items: vscode.TestItem[]): Promise<void> {
    const report = await this.runner.run(folder, benches.size > 0 && !items.some((i) => !this.data.get(i)?.benchmark) ? [...benches] : undefined);
    if (!report || report.outcome.kind !== 'ok') {
      const why = report ? `the benchmark ${describeOutcome(report.outcome)}` : 'the benchmark did not run';
      items.forEach((i) => {
        run.errored(i, new vscode.TestMessage(why));
        this.lastOutcomes.set(i.id, 'errored');
      });
      return;
    }
    // The benchmark measured every budget it feeds, not only the ones asked for: all get a state.
    await this.refresh();
    for (const item of this.itemsOf(folder)) this.report(run, item, folder);
    this.shown.set(folder, folder.model && !folder.staleReason ? folder.model.readAt : null);
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, folder: FolderBudgets): void {
    const handler = this.data.get(item)?.handler;
    const result = folder.model?.results.find((r) => r.budget.handler === handler);
    if (!result) {
      run.skipped(item);
      this.lastOutcomes.set(item.id, 'skipped');
      return;
    }
    const bad = result.verdicts.filter((v) => v.status === 'fail' || v.regression === 'regressed');
    if (bad.length === 0) {
      const skipped = result.verdicts.every((v) => v.status === 'missing');
      if (skipped) run.skipped(item);
      else run.passed(item);
      this.lastOutcomes.set(item.id, skipped ? 'skipped' : 'passed');
      return;
    }
    const at = this.budgetKeys.get(`${folder.folder.uri.toString()}|${handler}`);
    run.failed(item, bad.map((v) => this.message(v, at ?? new vscode.Location(folder.configUri, new vscode.Position(0, 0)))));
    this.lastOutcomes.set(item.id, 'failed');
  }

  private message(v: Verdict, at: vscode.Location): vscode.TestMessage {
    const delta = describeDelta(v);
    const m = new vscode.TestMessage(`${describeVerdict(v)}${delta ? `; ${delta}` : ''}`);
    // At the budget in perf-budgets.json, never the handler's line: see the class comment.
    m.location = at;
    return m;
  }

  private leaves(items: readonly vscode.TestItem[]): vscode.TestItem[] {
    return items.flatMap((i) => (i.children.size === 0 ? [i] : this.leaves([...collect(i.children)])));
  }
}

function collect(items: vscode.TestItemCollection): vscode.TestItem[] {
  const out: vscode.TestItem[] = [];
  items.forEach((i) => out.push(i));
  return out;
}
