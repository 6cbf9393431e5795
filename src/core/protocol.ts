/**
 * The one message protocol between the extension and the comparison panel's webview.
 * Both sides import these types; the extension validates every incoming message
 * (webviewMessage.ts) before acting on it. Plain JSON only.
 */
import type { Metric, MetricJudgement, Status } from './kinds';

export interface PanelMetric extends MetricJudgement {
  /** 95% confidence interval of the value, when the data allows one. */
  ci: [number, number] | null;
  /** How the regression verdict was reached (intervals and p-value, or the plain threshold). */
  evidence: string | null;
  /** The regression verdict as every surface says it first ("same data as the baseline", "too few requests to tell (13 vs 13): run longer"). */
  regressionPhrase: string | null;
}

/** A point of the "latency by percentile" plot: p in 0..100 (drawn on the 1/(1-p) scale), ms. */
export interface CurvePoint {
  p: number;
  ms: number;
}

export interface PanelRow {
  handler: string;
  /** Worst status over the handler's budgeted metrics. */
  status: Status;
  regressed: boolean;
  metrics: PanelMetric[];
  /**
   * The metric that speaks for the row where there is room for one (the Margin column): the worst
   * status, among equals the smallest margin (worstMetric in core/report/panelModel.ts); null when
   * the budget has no metrics.
   */
  worst: WorstMetric | null;
  /** p50/p95/p99 now and in the baseline, ms (null when not given). */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  baseP50: number | null;
  baseP95: number | null;
  baseP99: number | null;
  errorRate: number | null;
  baseErrorRate: number | null;
  throughput: number | null;
  baseThroughput: number | null;
  count: number | null;
  /** True when the numbers are the tool's own (summary-only), false when from histograms. */
  exact: boolean | null;
  curve: CurvePoint[];
  baseCurve: CurvePoint[];
  /** Budget lines for the plot: latency budgets at their percentile. */
  budgetLines: Array<{ metric: Metric; p: number; ms: number }>;
  /** p95 in each run of the run history, oldest first (null where the run lacks it). */
  history: Array<number | null>;
  /** A code location is known (clicking the row opens it). */
  hasLocation: boolean;
  /** Why these numbers may not describe the handler's code now ("code changed since this run"); absent when current. */
  stale?: string;
  /** At a regressed handler: what git says changed in it since the baseline (absent when not asked). */
  changes?: PanelChanges;
  /** The handler in production (a `"role": "production"` source), beside this run's p95; absent without one. */
  production?: ProductionLine;
}

/**
 * One handler's production numbers (core/report/productionLine.ts). `text` is the line as every
 * surface shows it: "prod p95 (1h): 212 ms (bucket 200–250 ms)", or, when the source failed or was
 * not queried, the one-line reason (`error` set: shown muted).
 */
export interface ProductionLine {
  /** "prod p95 (1h)" */
  label: string;
  /** ms; null when the source gave none for this handler. */
  p95Ms: number | null;
  /** The bucket (ms) the p95 was interpolated in. */
  bucket?: { lower: number; upper: number };
  count: number | null;
  error?: string;
  /** What the panel's cell shows under the label: "212 ms (bucket 200–250 ms)", or the reason (short in Restricted Mode). */
  value: string;
  text: string;
}

/** The commits (and uncommitted changes) that touched a regressed handler since the baseline, or why unknown. */
export interface PanelChanges {
  commits: Array<{ short: string; subject: string; author: string; date: string }>;
  uncommitted: boolean;
  /** Set when git cannot tell (no git, a shallow clone, Restricted Mode…): what holds and what to do. */
  unavailable?: string;
}

export interface WorstMetric {
  metric: Metric;
  status: Status;
  /** Headroom, % of the budget (negative when over); null when missing or not finite (a budget of 0). */
  marginPct: number | null;
}

export interface PanelSide {
  label: string;
  time: string | null;
  commit: string | null;
  machine: string | null;
  fingerprint: string | null;
}

/** A series in the results that no budget claims, with what it measured. */
export interface UnclaimedSeriesRow {
  name: string;
  /** ms; null when the results give none. */
  p95: number | null;
  count: number | null;
}

export interface PanelModel {
  folder: string;
  /** The run being shown. */
  run: PanelSide & { benchmarks: string[]; /** Result files read (workspace-relative). */ sources: string[] };
  /** The baseline compared against, and where it came from ("HEAD:perf/baseline.json"); null when there is none. */
  baseline: (PanelSide & { from: string }) | null;
  /** Both sides carry machine fingerprints and they differ. */
  machineMismatch: boolean;
  rows: PanelRow[];
  /** The last read failed: the rows are the previous good results. */
  error: string | null;
  stale: string | null;
  /**
   * Set in an untrusted workspace (Restricted Mode): the one line that says what is off. Git is
   * not run, so the baseline is the working-tree file and the actions that need git or a process
   * (Baseline…, Run again) are greyed out.
   */
  restricted: string | null;
  /** Series no budget claims ("Add budget" each); empty when every series is claimed. */
  unclaimed: UnclaimedSeriesRow[];
  /** Series that match several budgets equally well, and so feed none. */
  ambiguous: Array<{ series: string; budgets: string[] }>;
}

export type ToWebview = { type: 'model'; model: PanelModel; select?: string } | { type: 'running'; running: boolean };

export type FromWebview =
  | { type: 'ready' }
  | { type: 'openHandler'; handler: string }
  | { type: 'updateBaseline' }
  | { type: 'runAgain' }
  | { type: 'exportReport' }
  | { type: 'pickBaseline' }
  | { type: 'addBudget'; series: string };

/** State the webview keeps across reloads (getState/setState). */
export interface PanelState {
  folder?: string;
  sort?: { column: string; descending: boolean };
  filter?: string;
  status?: string;
  selected?: string;
}
