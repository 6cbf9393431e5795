import * as l10n from '@vscode/l10n';
import { claimSeries } from '../budgets/claim';
import { mergeSeries } from '../budgets/mergeSeries';
import type { Budget } from '../config/parseConfig';
import type { ProductionLine } from '../protocol';
import { bucketOf, percentileOf, type Series } from '../series';
import { bucketText } from '../stats/regressionVerdicts';
import { formatDuration } from '../units';

/**
 * The latest poll of a folder's production source (a benchmark with `"role": "production"` and a
 * `prometheus` source with a duration window), as the editor keeps it. Truth rules: `series` is
 * the last GOOD answer (null before the first), never replaced by a failed poll; `error` is the
 * last poll's one-line failure, cleared by the next good one; `restricted` means nothing was
 * queried at all (an untrusted workspace), so both are empty.
 */
export interface ProductionReading {
  /** The production benchmark's name (a key of "benchmarks"). */
  benchmark: string;
  /** The window as configured, e.g. "1h". */
  window: string;
  /** Host (and port) of the query API: what trusting the workspace would let Perf Budgets poll. */
  host: string;
  restricted: boolean;
  series: Series[] | null;
  error: string | null;
}

/**
 * The production numbers of one budget's handler, beside its benchmark p95: its series claimed as
 * evaluate() claims them, except that a budget's `benchmark` scope is not applied (the production
 * line of a budget held to the load test is still that handler in production) and budgets held to
 * the production source (scoped to it) claim apart from the others, so that a production budget's
 * `series` does not take the handler's line from its load-test budget. Several claimed series
 * merge (their buckets add up).
 */
export function productionLineFor(budget: Budget, budgets: readonly Budget[], reading: ProductionReading): ProductionLine {
  const label = l10n.t('prod p95 ({0})', reading.window);
  const line = (value: string, rest: Omit<ProductionLine, 'label' | 'value' | 'text'>): ProductionLine => ({ label, value, text: l10n.t('{0}: {1}', label, value), ...rest });
  if (reading.restricted) {
    // The table cell says it short; the hover, the detail and the cell's title say it all.
    const error = l10n.t('production: not queried in Restricted Mode (trust the workspace to poll {0})', reading.host);
    return { label, value: l10n.t('not queried (Restricted Mode)'), text: error, p95Ms: null, count: null, error };
  }
  const error = reading.error ? { error: reading.error } : {};
  if (!reading.series) return line(reading.error ?? l10n.t('not polled yet'), { p95Ms: null, count: null, ...error });
  // A budget held to production competes only with the others held to it (as results() judges
  // them); every other budget with every other, its `benchmark` scope aside.
  const held = budget.benchmark === reading.benchmark;
  const rivals = budgets.filter((b) => (b.benchmark === reading.benchmark) === held).map(({ benchmark: _scope, ...b }) => b);
  const parts = claimSeries(rivals, reading.series).byBudget.get(budget.handler) ?? [];
  const merged = parts.length ? mergeSeries(budget.handler, parts) : null;
  const p95Ms = merged ? percentileOf(merged, 95) : null;
  const bucket = merged ? bucketOf(merged, 95) : null;
  const value = p95Ms === null ? l10n.t('no requests of this handler in {0}', reading.benchmark) : `${formatDuration(p95Ms)}${bucket ? ` (${l10n.t('bucket {0}', bucketText(bucket))})` : ''}`;
  // A failed poll keeps the previous numbers, and says so after them.
  return line(reading.error ? l10n.t('{0} — last poll failed: {1}', value, reading.error) : value, { p95Ms, ...(bucket ? { bucket } : {}), count: merged?.count ?? null, ...error });
}
