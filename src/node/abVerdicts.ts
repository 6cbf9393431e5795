import type { Budget } from '../core/config/parseConfig';
import { mergeSeries } from '../core/budgets/mergeSeries';
import { seriesFor } from '../core/budgets/evaluate';
import { percentileOf, type Series } from '../core/series';
import { compareRuns, minimumP, runsOutcome, type RunsOutcome } from '../core/stats/compareRuns';
import { Ecdf } from '../core/stats/ecdf';
import { holmAdjust } from '../core/stats/multipleTesting';
import { compareQuantile } from '../core/stats/quantileTest';
import { normalQuantile } from '../core/stats/random';

// Pure (no I/O): the verdicts of a local A/B comparison from each run's series. It lives beside
// ab.ts, its only user; it depends on src/core only.

/** The percentile an A/B check compares. */
export const AB_PERCENTILE = 95;
/** Power at which the minimum detectable change is stated. */
export const AB_POWER = 0.8;

/** `missing`: a side has no results for the handler (more runs cannot help). */
export type AbVerdict = 'regressed' | 'improved' | 'unchanged' | 'inconclusive' | 'missing';

export interface AbHandler {
  handler: string;
  /** Each run's p95 (ms), in run order. */
  aRuns: number[];
  bRuns: number[];
  /** p95 of every request of the side's runs together (merged histograms), or the median run's without histograms. */
  aP95: number | null;
  bP95: number | null;
  /** B / A. */
  ratio: number | null;
  /** Between runs: the ratio's confidence interval from the runs' pairwise ratios (Hodges–Lehmann / Moses). */
  runsRatioCi: [number, number] | null;
  /** Within runs: the ratio's confidence interval from the merged histograms' order statistics. */
  histogramRatioCi: [number, number] | null;
  /** The hull of both intervals: what the report shows. */
  ratioCi: [number, number] | null;
  /** Holm-adjusted two-sided Mann–Whitney p of the per-run p95s (null before both sides have runs). */
  pValue: number | null;
  /** The between-run test's verdict, and the histograms' (null without histograms on both sides). */
  runsVerdict: RunsOutcome | null;
  histogramVerdict: RunsOutcome | null;
  verdict: AbVerdict;
  /** Whether more runs can change nothing: every verdict but inconclusive. */
  decided: boolean;
  /**
   * Minimum detectable change at the runs made: the smallest growth of p95 (a fraction; 0.3 =
   * +30%) these runs would flag as a regression with 80% power. Infinity: none can be yet.
   */
  minDetectable: number;
  note?: string;
}

export interface AbOptions {
  /** Regression threshold (fraction). */
  threshold: number;
  /** Family-wise error rate over the handlers. */
  alpha?: number;
}

/**
 * Per handler: A's runs against B's runs. A handler is
 * - regressed (improved) when both the between-run test — Mann–Whitney on the runs' p95s, as
 *   compareRuns: significant after Holm over the handlers, and the median moved past the
 *   threshold — and the within-run test — the merged histograms' p95 ratio against 1 + threshold,
 *   Holm over both directions of every handler — say so;
 * - unchanged when the runs are enough for the rank test to reach α/m at all (α/m: Holm's first
 *   step, m handlers) and neither test points to a regression or a doubtful one;
 * - inconclusive otherwise (too few runs, or the tests disagree).
 * Handlers are the budgets' (each budget's series merged per run), or every series name without budgets.
 */
export function abVerdicts(budgets: readonly Budget[], aRuns: readonly Series[][], bRuns: readonly Series[][], options: AbOptions): AbHandler[] {
  const alpha = options.alpha ?? 0.05;
  const t = options.threshold;
  const handlers = budgets.length
    ? budgets.map((b) => ({ name: b.handler, pick: (all: readonly Series[]) => seriesFor(b, all, budgets) }))
    : [...new Set([...aRuns, ...bRuns].flat().map((s) => s.name))].sort().map((name) => ({ name, pick: (all: readonly Series[]) => all.filter((s) => s.name === name) }));
  const m = Math.max(1, handlers.length);

  const rows = handlers.map(({ name, pick }) => {
    const side = (runs: readonly Series[][]) => {
      const perRun = runs.map((r) => pick(r)).filter((parts) => parts.length > 0).map((parts) => mergeSeries(name, parts));
      const p95s = perRun.map((s) => percentileOf(s, AB_PERCENTILE)).filter((v): v is number => v !== null && v > 0);
      const merged = perRun.length ? mergeSeries(name, perRun) : null;
      return { p95s, merged };
    };
    const a = side(aRuns);
    const b = side(bRuns);
    const runs = a.p95s.length && b.p95s.length ? compareRuns(a.p95s, b.p95s, t, alpha) : null;
    const ecdf = (s: Series | null) => (s?.histogram && s.histogram.count > 1 ? Ecdf.of(s.histogram) : null);
    const ea = ecdf(a.merged);
    const eb = ecdf(b.merged);
    const hist = ea && eb ? compareQuantile(eb, ea, AB_PERCENTILE, t, 1 - alpha) : null;
    return { name, a, b, runs, hist };
  });

  const runsP = holmAdjust(rows.map((r) => r.runs?.p ?? 1));
  const histP = holmAdjust(rows.flatMap((r) => [r.hist?.pRegressed ?? 1, r.hist?.pImproved ?? 1]));
  const z = normalQuantile(1 - alpha / (2 * m)) + normalQuantile(AB_POWER);

  return rows.map(({ name, a, b, runs, hist }, i): AbHandler => {
    const aP95 = a.merged?.histogram ? percentileOf(a.merged, AB_PERCENTILE) : a.p95s.length ? median(a.p95s) : null;
    const bP95 = b.merged?.histogram ? percentileOf(b.merged, AB_PERCENTILE) : b.p95s.length ? median(b.p95s) : null;
    const base: AbHandler = {
      handler: name,
      aRuns: a.p95s,
      bRuns: b.p95s,
      aP95,
      bP95,
      ratio: aP95 && bP95 !== null ? bP95 / aP95 : null,
      runsRatioCi: null,
      histogramRatioCi: hist ? [hist.lo, hist.hi] : null,
      ratioCi: null,
      pValue: null,
      runsVerdict: null,
      histogramVerdict: null,
      verdict: 'missing',
      decided: true,
      minDetectable: Infinity,
    };
    if (!runs) return { ...base, note: `no p${AB_PERCENTILE} on side ${a.p95s.length ? 'B' : 'A'}` };
    const pValue = runsP[i]!;
    const runsVerdict = runsOutcome(runs, pValue, t, alpha);
    let histogramVerdict: RunsOutcome | null = null;
    if (hist) {
      const pReg = histP[2 * i]!;
      const pImp = histP[2 * i + 1]!;
      histogramVerdict = pReg < alpha ? 'regressed' : pImp < alpha ? 'improved' : hist.hi > 1 + t ? 'inconclusive' : 'unchanged';
    }
    const runsRatioCi = shiftInterval(a.p95s, b.p95s, alpha);
    const ratioCi = hull(runsRatioCi, base.histogramRatioCi);
    // The rank test can reach α/m at all only with enough runs (4 + 4 for one handler, 5 + 5 for 2–3).
    const enoughRuns = minimumP(a.p95s.length, b.p95s.length) < alpha / m;
    const tests = hist ? [runsVerdict, histogramVerdict!] : [runsVerdict];
    let verdict: AbVerdict;
    if (tests.every((v) => v === 'regressed')) verdict = 'regressed';
    else if (tests.every((v) => v === 'improved')) verdict = 'improved';
    else if (enoughRuns && tests.every((v) => v === 'unchanged' || v === 'improved')) verdict = 'unchanged';
    else verdict = 'inconclusive';
    const minDetectable = Math.max(
      enoughRuns ? runsMinDetectable(a.p95s, b.p95s, t, z) : Infinity,
      hist ? (1 + t) * Math.exp(z * hist.se) - 1 : 0,
    );
    return {
      ...base,
      runsRatioCi,
      ratioCi,
      pValue,
      runsVerdict,
      histogramVerdict,
      verdict,
      decided: verdict !== 'inconclusive',
      minDetectable,
      ...(hist ? {} : { note: 'no histograms: the runs alone decide' }),
    };
  });
}

/**
 * Minimum detectable change of the between-run test: the rank test's detectable log-shift,
 * δ = (z(1−α/2m) + z(power)) · s · √(1/nA + 1/nB) · √(π/3) — the two-sample normal formula with
 * s the pooled standard deviation of log(per-run p95) and √(π/3) the Mann–Whitney test's
 * efficiency relative to the t-test (3/π for normal data) — and the median must also move past
 * the threshold: max(1 + threshold, e^δ) − 1. Infinity when a side has one run (no spread).
 */
export function runsMinDetectable(a: readonly number[], b: readonly number[], threshold: number, z: number): number {
  const df = a.length + b.length - 2;
  if (a.length < 2 || b.length < 2) return Infinity;
  const ss = (xs: readonly number[]) => {
    const logs = xs.map(Math.log);
    const mean = logs.reduce((s, v) => s + v, 0) / logs.length;
    return logs.reduce((s, v) => s + (v - mean) ** 2, 0);
  };
  const s = Math.sqrt((ss(a) + ss(b)) / df);
  const delta = z * s * Math.sqrt(1 / a.length + 1 / b.length) * Math.sqrt(Math.PI / 3);
  return Math.max(1 + threshold, Math.exp(delta)) - 1;
}

/**
 * The confidence interval of B / A from the runs (Moses): the k-th smallest and largest of the
 * nA·nB pairwise ratios b/a, k = ⌊nA·nB/2 − z(1−α/2)·√(nA·nB·(nA+nB+1)/12)⌋ (the normal
 * approximation of the rank test's critical value; exact for 4 + 4 and 10 + 10). Null when k < 1:
 * too few runs for that confidence.
 */
export function shiftInterval(a: readonly number[], b: readonly number[], alpha: number): [number, number] | null {
  const ratios = b.flatMap((y) => a.map((x) => y / x)).sort((p, q) => p - q);
  const n = a.length * b.length;
  const k = Math.floor(n / 2 - normalQuantile(1 - alpha / 2) * Math.sqrt((n * (a.length + b.length + 1)) / 12));
  if (k < 1) return null;
  return [ratios[k - 1]!, ratios[n - k]!];
}

function hull(x: [number, number] | null, y: [number, number] | null): [number, number] | null {
  if (!x) return y;
  if (!y) return x;
  return [Math.min(x[0], y[0]), Math.max(x[1], y[1])];
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export type AbSide = 'A' | 'B';

/** What a local A/B check found (src/node/ab.ts runAbCheck), as the reports (abReport.ts) render it. */
export interface AbReport {
  ref: string;
  commit: string;
  benchmarks: string[];
  threshold: number;
  alpha: number;
  runs: { a: number; b: number };
  maxRuns: number;
  stoppedBy: 'decided' | 'max-runs' | 'max-time';
  elapsedMs: number;
  /** The runs' files, relative to the config's folder: `<runsDir>/A-01/<file>`. */
  runsDir: string;
  files: Array<{ side: AbSide; run: number; files: string[] }>;
  handlers: AbHandler[];
}
