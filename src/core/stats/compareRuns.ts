import { mannWhitney } from './mannWhitney';

export type RunsOutcome = 'regressed' | 'improved' | 'unchanged' | 'inconclusive';

/** The per-run values of one metric (one p95 per run, say) on both sides, compared by rank. */
export interface RunComparison {
  /** Runs on each side. */
  runs: { baseline: number; current: number };
  medianBaseline: number;
  medianCurrent: number;
  /** median(current) / median(baseline); Infinity when the baseline median is 0 and the current is not. */
  ratio: number;
  /** Hodges–Lehmann shift: the median of all current − baseline differences (the inputs' unit). */
  shift: number;
  /** Common-language effect size P(current > baseline) + ½P(=): 0.5 = no effect, 1 = every current run above every baseline run. */
  commonLanguage: number;
  /** Rank-biserial correlation 2·CL − 1, in [−1, 1]. */
  rankBiserial: number;
  /** Two-sided Mann–Whitney p-value (as benchstat reports it). */
  p: number;
  /** Whether p is from the exact null distribution (small samples) or the normal approximation. */
  exact: boolean;
  /** The smallest two-sided p these run counts can give, 2 / C(n+m, n): no α below it is ever reached. */
  minP: number;
  /** The verdict at the α given, before any multiple-testing adjustment. */
  outcome: RunsOutcome;
}

/**
 * Compares per-run summaries of a metric (e.g. each run's p95) between baseline and current,
 * as benchstat does: a Mann–Whitney U rank test for "did the runs move", and a magnitude
 * threshold on the ratio of medians for "did they move enough to matter". Regressed only when
 * both hold; inconclusive when the medians moved past the threshold but the runs do not show
 * it significantly (too few runs, or too much between-run noise). Null when a side has no runs.
 * `higherIsBetter` flips the direction (throughput).
 */
export function compareRuns(
  baseline: readonly number[],
  current: readonly number[],
  threshold: number,
  alpha = 0.05,
  higherIsBetter = false,
): RunComparison | null {
  const test = mannWhitney(current, baseline);
  if (!test) return null;
  const medianBaseline = median(baseline);
  const medianCurrent = median(current);
  const ratio = medianBaseline === 0 ? (medianCurrent === 0 ? 1 : Infinity) : medianCurrent / medianBaseline;
  const differences = current.flatMap((c) => baseline.map((b) => c - b));
  const comparison: RunComparison = {
    runs: { baseline: baseline.length, current: current.length },
    medianBaseline,
    medianCurrent,
    ratio,
    shift: median(differences),
    commonLanguage: test.effect,
    rankBiserial: 2 * test.effect - 1,
    p: test.p,
    exact: test.exact,
    minP: minimumP(current.length, baseline.length),
    outcome: 'unchanged',
  };
  comparison.outcome = runsOutcome(comparison, test.p, threshold, alpha, higherIsBetter);
  return comparison;
}

/**
 * The verdict of a comparison at a given p-value (the raw one, or a Holm-adjusted one):
 * significant and past the threshold in the worse direction → regressed; in the better
 * direction → improved; past the threshold without significance → inconclusive; else unchanged.
 */
export function runsOutcome(c: RunComparison, p: number, threshold: number, alpha: number, higherIsBetter = false): RunsOutcome {
  const base = c.medianBaseline;
  const worse = higherIsBetter ? base - c.medianCurrent : c.medianCurrent - base;
  const allowed = Math.abs(base) * threshold;
  // The ranks must point the same way as the medians (they can disagree with few runs).
  const ranksWorse = higherIsBetter ? c.commonLanguage < 0.5 : c.commonLanguage > 0.5;
  const significant = p < alpha;
  if (worse > allowed) return significant && ranksWorse ? 'regressed' : 'inconclusive';
  if (-worse > allowed && significant && !ranksWorse && c.commonLanguage !== 0.5) return 'improved';
  return 'unchanged';
}

/** Smallest two-sided exact Mann–Whitney p for n and m runs: both extreme arrangements out of C(n+m, n). */
export function minimumP(n: number, m: number): number {
  return Math.min(1, 2 / binomial(n + m, n));
}

/**
 * Runs needed on each side (equal counts) before a two-sided Mann–Whitney test can reach p < α
 * at all: 4 + 4 for α = 0.05 (min p 0.029; 3 + 3 gives at best 0.1).
 */
export function runsNeeded(alpha: number): number {
  for (let k = 1; k <= 50; k++) if (minimumP(k, k) < alpha) return k;
  return Infinity;
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
