import type { RunComparison } from './compareRuns';

/** How a regression verdict was reached, said beside it. */
export type RegressionMethod = 'histogram-ci' | 'runs-mann-whitney' | 'threshold';

export interface RegressionEvidence {
  method: RegressionMethod;
  /** Confidence interval of this run's value (latency percentiles from histograms). */
  valueCi?: [number, number];
  /** Confidence interval of current / baseline. */
  ratioCi?: [number, number];
  /** Holm-adjusted one-sided p-value of the verdict's direction. */
  pValue?: number;
  /** For inconclusive verdicts: roughly how many more requests per side would decide it. */
  moreRequests?: number | null;
  /** Why the plain threshold was used; or, within-run, why between-run noise was not measured. */
  note?: string;
  /** Between-run (method runs-mann-whitney): the rank test of the per-run values, p unadjusted. */
  runs?: RunComparison;
  /** Runs per side needed before the rank test can reach α at all (when these runs cannot). */
  runsNeeded?: number;
  /** The value is known only to a histogram bucket that holds the threshold-scaled baseline. */
  bucketHint?: string;
  /** The run and the baseline hold the same data (the baseline was made from this run): no test was made. */
  sameData?: boolean;
  /** Requests behind each side (within-run tests): what "too few requests to tell (13 vs 13)" counts. */
  requests?: { current: number; baseline: number };
}
