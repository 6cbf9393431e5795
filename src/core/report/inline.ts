import * as l10n from '@vscode/l10n';
import type { HandlerResult, Verdict } from '../budgets/verdict';
import type { Status } from '../kinds';
import { fewSamples, formatMetricValue, formatSignedPct } from './describe';
import { bucketText } from '../stats/regressionVerdicts';
import { formatNumber } from '../units';

/** The verdict a handler is shown with: its worst metric. */
export type DisplayStatus = Status | 'stale';

const RANK: Record<Status, number> = { pass: 0, missing: 1, warn: 2, fail: 3 };

export function worstStatus(result: HandlerResult): Status {
  return result.verdicts.reduce<Status>((w, v) => (RANK[v.status] > RANK[w] ? v.status : w), 'pass');
}

/** How much the end-of-line text says: "short" (the verdict mark) or "detailed" (margin, baseline). */
export type InlineDetail = 'short' | 'detailed';

const MARK: Record<Status, string> = { pass: '✓', warn: '⚠', fail: '✗', missing: '?' };

/**
 * One metric, short: "p95 98 ms ✓ 150 ms". A percentile its sample does not support is marked
 * "≈" and says its request count: "p95 ≈726 ms ✗ 500 ms (n=12)"; a budget inside the histogram
 * bucket: "p95 90 ms ⚠ 80 ms (bucket 50–100 ms)"; a regression: "… ▲45%". The rest is in the hover.
 */
export function inlineMetricShort(v: Verdict): string {
  const budget = formatMetricValue(v.metric, v.budget);
  if (v.value === null) return `${v.metric} missing ${MARK.missing} ${budget}`;
  const few = fewSamples(v);
  let text = `${v.metric} ${few ? '≈' : ''}${formatMetricValue(v.metric, v.value)} ${MARK[v.status]} ${budget}`;
  if (v.budgetInconclusive && v.bucket) text += ` (bucket ${bucketText(v.bucket)})`;
  if (few) text += ` (n=${v.support!.n})`;
  if (v.regression === 'regressed' && v.deltaPct !== null && Number.isFinite(v.deltaPct)) text += ` ▲${formatSignedPct(v.deltaPct).replace(/^[+−±]/, '')}`;
  return text;
}

/**
 * One metric as the detailed end-of-line text writes it:
 * "p95 98 ms / 150 ms · 35% margin · ▲4% vs baseline". A budget inside the histogram bucket
 * holding the value is not a margin: "p95 90 ms / 80 ms · inconclusive (bucket 50–100 ms)". A
 * percentile its sample does not support ends "· n=12, too few for a p95" (or "· n=50, budget
 * inside the 95% CI").
 */
export function inlineMetric(v: Verdict): string {
  if (v.value === null) return `${v.metric} ${l10n.t('missing')} / ${formatMetricValue(v.metric, v.budget)}`;
  const parts = [`${v.metric} ${formatMetricValue(v.metric, v.value)} / ${formatMetricValue(v.metric, v.budget)}`];
  const m = v.marginPct!;
  if (v.budgetInconclusive && v.bucket) parts.push(l10n.t('inconclusive (bucket {0})', bucketText(v.bucket)));
  else parts.push(Number.isFinite(m) ? (m >= 0 ? l10n.t('{0}% margin', formatNumber(m, 2)) : l10n.t('{0}% over', formatNumber(-m, 2))) : m > 0 ? l10n.t('no load') : l10n.t('over'));
  if (v.deltaPct !== null && Number.isFinite(v.deltaPct)) {
    const arrow = v.deltaPct > 0 ? '▲' : v.deltaPct < 0 ? '▼' : '=';
    parts.push(l10n.t('{0} vs baseline', `${arrow}${formatSignedPct(v.deltaPct).replace(/^[+−±]/, '')}`));
  }
  const s = v.support;
  if (s && !s.enough) parts.push(l10n.t('n={0}, too few for a {1}', s.n, v.metric === 'p999' ? 'p99.9' : v.metric));
  else if (s?.straddles) parts.push(l10n.t('n={0}, budget inside the 95% CI', s.n));
  return parts.join(' · ');
}

/**
 * The whole decoration of a handler: every budgeted metric, or only p95 (else the first); short
 * ("p95 98 ms ✓ 150 ms · p99 210 ms ✗ 200 ms") unless `detail` is "detailed".
 */
export function inlineSummary(result: HandlerResult, which: 'budgeted' | 'p95' = 'budgeted', detail: InlineDetail = 'short'): string {
  const shown = which === 'p95' ? [result.verdicts.find((v) => v.metric === 'p95') ?? result.verdicts[0]!] : result.verdicts;
  return detail === 'detailed' ? shown.filter(Boolean).map(inlineMetric).join('  ·  ') : shown.filter(Boolean).map(inlineMetricShort).join(' · ');
}
