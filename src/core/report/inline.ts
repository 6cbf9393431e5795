import type { HandlerResult, Verdict } from '../budgets/verdict';
import type { Status } from '../kinds';
import { formatMetricValue, formatSignedPct } from './describe';
import { bucketText } from '../stats/regressionVerdicts';
import { formatNumber } from '../units';

/** The verdict a handler is shown with: its worst metric. */
export type DisplayStatus = Status | 'stale';

const RANK: Record<Status, number> = { pass: 0, missing: 1, warn: 2, fail: 3 };

export function worstStatus(result: HandlerResult): Status {
  return result.verdicts.reduce<Status>((w, v) => (RANK[v.status] > RANK[w] ? v.status : w), 'pass');
}

/**
 * One metric as the end-of-line decoration writes it:
 * "p95 98 ms / 150 ms · 35% margin · ▲4% vs baseline". A budget inside the histogram bucket
 * holding the value is not a margin: "p95 90 ms / 80 ms · inconclusive (bucket 50–100 ms)".
 */
export function inlineMetric(v: Verdict): string {
  if (v.value === null) return `${v.metric} missing / ${formatMetricValue(v.metric, v.budget)}`;
  const parts = [`${v.metric} ${formatMetricValue(v.metric, v.value)} / ${formatMetricValue(v.metric, v.budget)}`];
  const m = v.marginPct!;
  if (v.budgetInconclusive && v.bucket) parts.push(`inconclusive (bucket ${bucketText(v.bucket)})`);
  else parts.push(Number.isFinite(m) ? (m >= 0 ? `${formatNumber(m, 2)}% margin` : `${formatNumber(-m, 2)}% over`) : m > 0 ? 'no load' : 'over');
  if (v.deltaPct !== null && Number.isFinite(v.deltaPct)) {
    const arrow = v.deltaPct > 0 ? '▲' : v.deltaPct < 0 ? '▼' : '=';
    parts.push(`${arrow}${formatSignedPct(v.deltaPct).replace(/^[+−±]/, '')} vs baseline`);
  }
  return parts.join(' · ');
}

/** The whole decoration of a handler: every budgeted metric, or only p95 (else the first). */
export function inlineSummary(result: HandlerResult, which: 'budgeted' | 'p95' = 'budgeted'): string {
  const shown = which === 'p95' ? [result.verdicts.find((v) => v.metric === 'p95') ?? result.verdicts[0]!] : result.verdicts;
  return shown.filter(Boolean).map(inlineMetric).join('  ·  ');
}
