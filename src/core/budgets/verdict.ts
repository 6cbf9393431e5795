import type { Budget } from '../config/parseConfig';
import type { MetricJudgement } from '../kinds';
import type { QuantileBucket, Series } from '../series';
import type { RegressionEvidence } from '../stats/evidence';

/** One budgeted metric of one handler. Latencies in ms, errorRate a fraction, throughput per second. */
export interface Verdict extends MetricJudgement {
  handler: string;
  /** Names of the series the value came from. */
  series: string[];
  /** True when the value is the tool's own printed number, false when from a histogram or merged. */
  exact: boolean | null;
  /** The budget's explicit code location, if any. */
  at?: string;
  /** How the regression verdict was reached: intervals, p-value, or the plain threshold. */
  evidence?: RegressionEvidence;
  /** The histogram bucket (ms) the value was interpolated in (Prometheus buckets): the truth is somewhere in it. */
  bucket?: QuantileBucket;
  /**
   * Set when the budget lies inside that bucket: pass or fail cannot be told, so the status is
   * "warn" (exit 0; `check --strict` fails it), and this says where a boundary would decide it.
   */
  budgetInconclusive?: string;
}

export interface HandlerResult {
  budget: Budget;
  current: Series | null;
  baseline: Series | null;
  verdicts: Verdict[];
}
