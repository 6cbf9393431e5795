import * as vscode from 'vscode';
import type { Benchmark, Config } from '../core/config/parseConfig';
import { type PrometheusSource, shownUrl } from '../core/prometheus/prometheusSource';
import type { ProductionLine } from '../core/protocol';
import { type ProductionReading, productionLineFor } from '../core/report/productionLine';
import type { Series } from '../core/series';
import { prometheusWindow, readPrometheusSource } from '../node/prometheusSource';
import type { BudgetsRegistry } from './budgetsRegistry';
import { Disposable } from './dispose';
import type { FolderBudgets } from './folderBudgets';
import type { HoverFacts } from './hoverMarkdown';
import { PollLoop } from './pollLoop';
import { readSettings, SETTINGS } from './settings';

/** After n failed polls in a row the next waits interval × 2^n, at most this long (or the interval, if longer). */
const MAX_BACKOFF_MS = 15 * 60_000;

/**
 * A folder's production source: its first benchmark with `"role": "production"` and a
 * `prometheus` source over a duration window ("1h"; a "run" window has no run to follow here).
 */
function productionBenchmark(config: Config): ProductionBenchmark | undefined {
  return config.benchmarks.find((b): b is ProductionBenchmark => b.role === 'production' && !!b.prometheus && b.prometheus.window !== 'run');
}

type ProductionBenchmark = Benchmark & { prometheus: PrometheusSource & { window: { ms: number; text: string } } };

/**
 * Polls the production source of every folder, in a trusted workspace only (a poll is network
 * access to a host the workspace names): every SETTINGS.productionPollInterval seconds, one
 * poll at a time per source (the next is timed from the end of the last), backing off on failures.
 * A poll that fails keeps the previous good series and records its one-line reason. The log gets
 * one line per change of state (answering, or a new failure), never one per poll. Polling stops
 * when the folder goes, its config drops or changes the source, or this is disposed; in Restricted
 * Mode nothing is polled and `reading` says so, until trust is granted.
 */
export class ProductionSources extends Disposable {
  private readonly pollers = new Map<string, SourcePoller>();
  private readonly changed = this.register(new vscode.EventEmitter<FolderBudgets>());
  /** Fires with the folder whose production reading changed. */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this.register(registry.onDidChange(() => this.reconcile()));
    this.register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reconcile()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration(SETTINGS.productionPollInterval) && this.reconcile()));
    this.register({ dispose: () => this.pollers.forEach((p) => p.dispose()) });
    this.reconcile();
  }

  /** The folder's production reading; undefined when its config has no production source. */
  reading(folder: FolderBudgets): ProductionReading | undefined {
    const bench = folder.config && productionBenchmark(folder.config.config);
    if (!bench) return undefined;
    const base = { benchmark: bench.name, window: bench.prometheus.window.text, host: hostOf(bench.prometheus.url) };
    if (!vscode.workspace.isTrusted) return { ...base, restricted: true, series: null, error: null };
    const poller = this.pollers.get(keyOf(folder));
    return { ...base, restricted: false, series: poller?.series ?? null, error: poller?.error ?? null };
  }

  /** Each budget's production line in the folder, by handler; undefined without a production source. */
  lines(folder: FolderBudgets): Map<string, ProductionLine> | undefined {
    const reading = this.reading(folder);
    const budgets = folder.config?.config.budgets;
    if (!reading || !budgets) return undefined;
    return new Map(budgets.map((b) => [b.handler, productionLineFor(b, budgets, reading)]));
  }

  /** What a handler's hover adds: its production line (a reason, shown muted, when there is no number). */
  hover(folder: FolderBudgets, handler: string): HoverFacts['production'] | undefined {
    const line = this.lines(folder)?.get(handler);
    return line && { text: line.text, muted: line.error !== undefined || line.p95Ms === null };
  }

  /** Starts a poller per folder with a production source (trusted only), stops those no longer wanted. */
  private reconcile(): void {
    const wanted = new Map<string, { folder: FolderBudgets; bench: ProductionBenchmark }>();
    if (vscode.workspace.isTrusted) {
      for (const folder of this.registry.all()) {
        const bench = folder.config && productionBenchmark(folder.config.config);
        if (bench && !folder.removed) wanted.set(keyOf(folder), { folder, bench });
      }
    }
    for (const [key, poller] of this.pollers) {
      const w = wanted.get(key);
      if (w && poller.folder === w.folder && poller.sameSource(w.bench)) continue;
      poller.dispose();
      this.pollers.delete(key);
      this.changed.fire(poller.folder);
    }
    for (const [key, { folder, bench }] of wanted) {
      const intervalMs = readSettings(folder.folder).productionPollSec * 1000;
      const existing = this.pollers.get(key);
      if (existing) {
        existing.intervalMs = intervalMs;
        continue;
      }
      this.pollers.set(key, new SourcePoller(folder, bench, intervalMs, this.log, () => this.changed.fire(folder)));
    }
  }
}

function keyOf(folder: FolderBudgets): string {
  return folder.folder.uri.toString();
}

/** "127.0.0.1:9090", "mimir.example": the host a user is asked to trust. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return shownUrl(url);
  }
}

/** One production source: its poll loop (PollLoop: one poll at a time, backoff) and its latest reading. */
class SourcePoller implements vscode.Disposable {
  series: Series[] | null = null;
  error: string | null = null;
  /** What the log last said about this source: a new line only when it changes. */
  private logged = '';
  private readonly sourceKey: string;
  private readonly where: string;
  private readonly loop: PollLoop<Series[]>;

  constructor(
    readonly folder: FolderBudgets,
    bench: ProductionBenchmark,
    intervalMs: number,
    private readonly log: vscode.LogOutputChannel,
    onChange: () => void,
  ) {
    this.sourceKey = JSON.stringify([bench.name, bench.prometheus]);
    this.where = `${folder.folder.name}: production source ${bench.name} (prometheus ${shownUrl(bench.prometheus.url)})`;
    this.log.info(`${this.where}: polling every ${Math.round(intervalMs / 1000)} s`);
    this.loop = new PollLoop({
      intervalMs,
      maxBackoffMs: MAX_BACKOFF_MS,
      allowed: () => !folder.removed && vscode.workspace.isTrusted,
      poll: (signal) => readPrometheusSource(bench.name, bench.prometheus, prometheusWindow(bench.prometheus, null)!, { signal, cwd: folder.folder.uri.fsPath }),
      onResult: (outcome) => {
        if (outcome.ok) {
          // Named by the production benchmark, so a budget scoped to it claims them.
          this.series = outcome.value.map((x) => ({ ...x, benchmark: bench.name }));
          this.error = null;
          this.say('info', `answers: ${outcome.value.length} series over the last ${bench.prometheus.window.text}`);
        } else {
          this.error = outcome.error.message.split('\n')[0]!;
          this.say('warn', `${this.error}; the previous production numbers are kept, polling again with backoff`);
        }
        onChange();
      },
    });
  }

  set intervalMs(ms: number) {
    this.loop.intervalMs = ms;
  }

  sameSource(bench: Benchmark): boolean {
    return JSON.stringify([bench.name, bench.prometheus]) === this.sourceKey;
  }

  private say(level: 'info' | 'warn', text: string): void {
    if (text === this.logged) return;
    this.logged = text;
    this.log[level](`${this.where}: ${text}`);
  }

  dispose(): void {
    this.loop.stop('the production source is no longer polled');
    this.log.info(`${this.where}: polling stopped`);
  }
}
