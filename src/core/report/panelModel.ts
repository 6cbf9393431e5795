import * as l10n from '@vscode/l10n';
import type { Baseline, BaselineMeta } from '../baseline/baselineFile';
import type { HandlerResult } from '../budgets/verdict';
import { type LatencyMetric, LATENCY_METRICS, METRIC_PERCENTILE } from '../config/schema';
import type { Config } from '../config/parseConfig';
import type { MetricJudgement, Status } from '../kinds';
import type { CurvePoint, PanelChanges, PanelModel, PanelRow, PanelSide, ProductionLine, WorstMetric } from '../protocol';
import { errorRateOf, percentileOf, type Series } from '../series';
import { allSteps } from '../steps';
import { describeEvidence, regressionPhrase } from './describe';
import type { HistoryPoints } from './historyPoints';
import { worstStatus } from './inline';

/** Percentiles sampled for the latency-by-percentile plot from a histogram. */
export const CURVE_PERCENTILES = [0, 25, 50, 75, 90, 95, 97.5, 99, 99.5, 99.75, 99.9, 99.95, 99.99];

export interface PanelInputs {
  folder: string;
  config: Config;
  results: readonly HandlerResult[];
  run: { time: Date; benchmarks: string[]; sources?: string[]; commit: string | null; machine: BaselineMeta['machine'] | null };
  baseline: Baseline | null;
  baselineFrom: string | null;
  /** Each budget's p95 in the run history, oldest first (historyPoints over the run files). */
  history: HistoryPoints;
  /** Handlers with a known code location. */
  located: ReadonlySet<string>;
  error?: string | null;
  stale?: string | null;
  /** Per handler: why its numbers may not describe its code now (its code changed since the run). */
  staleHandlers?: ReadonlyMap<string, string>;
  /** Per regressed handler: what changed in it since the baseline. */
  changes?: ReadonlyMap<string, PanelChanges>;
  /** Per handler: its production line (productionLine.ts), when the folder has a production source. */
  production?: ReadonlyMap<string, ProductionLine>;
  /** Why git-based and run actions are off (Restricted Mode); null or absent when they are on. */
  restricted?: string | null;
  /** Series no budget claims, and those tied between budgets (from the same evaluation as `results`). */
  unclaimed?: readonly Series[];
  ambiguous?: ReadonlyArray<{ series: string; budgets: readonly string[] }>;
}

/** Everything the comparison panel shows, as plain data (the webview renders it, nothing more). */
export function buildPanelModel(input: PanelInputs): PanelModel {
  return allSteps(panelModelSteps(input));
}

/**
 * buildPanelModel in steps: it yields after each row, so that a caller on a thread that must stay
 * responsive (the extension host) can let other work run between rows. Run to the end, it
 * returns exactly what buildPanelModel returns.
 */
export function* panelModelSteps(input: PanelInputs): Generator<void, PanelModel, void> {
  const rows: PanelRow[] = [];
  for (const r of input.results) {
    rows.push(row(r, input));
    yield;
  }
  const side = (label: string, meta: BaselineMeta | null, time: string | null): PanelSide => ({
    label,
    time: meta?.createdAt ?? time,
    commit: meta?.commit ?? null,
    machine: meta ? `${meta.machine.cpu}, ${meta.machine.cores} cores, ${meta.machine.os}` : null,
    fingerprint: meta?.machine.fingerprint ?? null,
  });
  const run: PanelModel['run'] = {
    label: l10n.t('This run'),
    time: input.run.time.toISOString(),
    commit: input.run.commit,
    machine: input.run.machine ? `${input.run.machine.cpu}, ${input.run.machine.cores} cores, ${input.run.machine.os}` : null,
    fingerprint: input.run.machine?.fingerprint ?? null,
    benchmarks: input.run.benchmarks,
    sources: input.run.sources ?? [],
  };
  const from = input.baselineFrom ?? l10n.t('file');
  const baseline = input.baseline ? { ...side(l10n.t('Baseline ({0})', from), input.baseline.meta, null), from } : null;
  return {
    folder: input.folder,
    run,
    baseline,
    machineMismatch: !!(baseline?.fingerprint && run.fingerprint && baseline.fingerprint !== run.fingerprint),
    rows,
    error: input.error ?? null,
    stale: input.stale ?? null,
    restricted: input.restricted ?? null,
    unclaimed: (input.unclaimed ?? []).map((s) => ({ name: s.name, p95: percentileOf(s, 95), count: s.count })),
    ambiguous: (input.ambiguous ?? []).map((a) => ({ series: a.series, budgets: [...a.budgets] })),
  };
}

function row(r: HandlerResult, input: PanelInputs): PanelRow {
  const cur = r.current;
  const base = r.baseline;
  const p = (s: Series | null, q: number) => (s ? percentileOf(s, q) : null);
  return {
    handler: r.budget.handler,
    status: worstStatus(r),
    regressed: r.verdicts.some((v) => v.regression === 'regressed'),
    worst: worstMetric(r.verdicts),
    metrics: r.verdicts.map((v) => ({
      metric: v.metric,
      value: v.value,
      budget: v.budget,
      status: v.status,
      marginPct: finite(v.marginPct),
      baseline: v.baseline,
      deltaPct: finite(v.deltaPct),
      regression: v.regression,
      // The order-statistic interval when there is one (it comes with the sample's support).
      ci: v.support?.ci && v.support.ci[0] !== null && v.support.ci[1] !== null ? [v.support.ci[0], v.support.ci[1]] : (v.evidence?.valueCi ?? null),
      evidence: describeEvidence(v),
      regressionPhrase: regressionPhrase(v),
      ...(v.support ? { support: v.support } : {}),
    })),
    p50: p(cur, 50),
    p95: p(cur, 95),
    p99: p(cur, 99),
    baseP50: p(base, 50),
    baseP95: p(base, 95),
    baseP99: p(base, 99),
    errorRate: cur ? errorRateOf(cur) : null,
    baseErrorRate: base ? errorRateOf(base) : null,
    throughput: cur?.throughputPerSec ?? null,
    baseThroughput: base?.throughputPerSec ?? null,
    ...(input.staleHandlers?.get(r.budget.handler) ? { stale: input.staleHandlers.get(r.budget.handler)! } : {}),
    ...(input.changes?.get(r.budget.handler) ? { changes: input.changes.get(r.budget.handler)! } : {}),
    ...(input.production?.get(r.budget.handler) ? { production: input.production.get(r.budget.handler)! } : {}),
    count: cur?.count ?? null,
    exact: cur ? cur.exact : null,
    curve: curve(cur),
    baseCurve: curve(base),
    budgetLines: LATENCY_METRICS.filter((m) => r.budget.latency[m] !== undefined).map((m: LatencyMetric) => ({
      metric: m,
      p: METRIC_PERCENTILE[m],
      ms: r.budget.latency[m]!,
    })),
    history: [...(input.history.get(r.budget.handler) ?? [])],
    hasLocation: input.located.has(r.budget.handler),
  };
}

const STATUS_RANK: Record<Status, number> = { pass: 0, missing: 1, warn: 2, fail: 3 };

/**
 * The metric that speaks for a handler in the panel's Margin column: the one with the worst
 * status (fail, warn, missing, pass); among equals the smallest margin (a budget of 0 that is
 * exceeded is −∞), then the budget's order. A handler failing on errors 3.85% of 1% shows
 * "−285% errors", not its passing p95's margin.
 */
export function worstMetric(metrics: readonly MetricJudgement[]): WorstMetric | null {
  let worst: MetricJudgement | undefined;
  for (const m of metrics) {
    if (!worst) worst = m;
    else {
      const d = STATUS_RANK[m.status] - STATUS_RANK[worst.status];
      if (d > 0 || (d === 0 && m.marginPct !== null && (worst.marginPct === null || m.marginPct < worst.marginPct))) worst = m;
    }
  }
  return worst ? { metric: worst.metric, status: worst.status, marginPct: finite(worst.marginPct) } : null;
}

/** The latency-by-percentile curve: sampled from a histogram, or the points a summary gives. */
export function curve(s: Series | null): CurvePoint[] {
  if (!s) return [];
  if (s.histogram && s.histogram.count > 0) {
    return [...CURVE_PERCENTILES, 100].map((p) => ({ p, ms: percentileOf(s, p)! }));
  }
  const pts = Object.entries(s.percentiles ?? {})
    .map(([k, ms]) => ({ p: Number(k), ms }))
    .filter((x) => Number.isFinite(x.p) && Number.isFinite(x.ms));
  if (s.maxMs !== null && !pts.some((x) => x.p === 100)) pts.push({ p: 100, ms: s.maxMs });
  return pts.sort((a, b) => a.p - b.p);
}

function finite(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : x;
}
