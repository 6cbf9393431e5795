import * as l10n from '@vscode/l10n';
import type { HandlerResult, Verdict } from '../budgets/verdict';
import type { Status } from '../kinds';
import { fewSamples, formatMetricValue, formatSignedPct, metricLabel, regressionPhrase } from './describe';
import { bucketText } from '../stats/regressionVerdicts';
import { formatNumber } from '../units';

/** The verdict a handler is shown with: its worst metric. */
export type DisplayStatus = Status | 'stale';

const RANK: Record<Status, number> = { pass: 0, missing: 1, warn: 2, fail: 3 };

export function worstStatus(result: HandlerResult): Status {
  return result.verdicts.reduce<Status>((w, v) => (RANK[v.status] > RANK[w] ? v.status : w), 'pass');
}

/** A metric's weight when one is picked to speak for its handler: a fail, then a regression, then a warning. */
function weight(v: Verdict): number {
  return v.status === 'fail' ? 4 : v.regression === 'regressed' ? 3 : v.status === 'warn' ? 2 : v.status === 'missing' ? 1 : 0;
}

/**
 * The metric that speaks for a handler where there is room for one (the end-of-line text, the
 * panel's margin): the worst, p95 first among equals, then the budget's order.
 */
export function worstVerdict(result: HandlerResult): Verdict | undefined {
  let best: Verdict | undefined;
  for (const v of result.verdicts) {
    if (!best || weight(v) > weight(best) || (weight(v) === weight(best) && v.metric === 'p95' && best.metric !== 'p95')) best = v;
  }
  return best;
}

/** How much the end-of-line text says: "short" (value against budget) or "detailed" (margin, baseline). */
export type InlineDetail = 'short' | 'detailed';

/** Which metrics the end-of-line text shows: the worst one, every budgeted one, or p95. */
export type InlineMetrics = 'worst' | 'budgeted' | 'p95';

export const MARK: Record<Status, string> = { pass: '✓', warn: '⚠', fail: '✗', missing: '?' };

/** "≤" within a budget, ">" over it; a minimum (throughput) the other way round. */
function comparison(v: Verdict): string {
  const minimum = v.metric === 'throughput';
  if (v.budgetInconclusive) return 'vs';
  return v.status === 'fail' ? (minimum ? '<' : '>') : minimum ? '≥' : '≤';
}

/** "regressed +62%" / "improved −20%" (the short form names only a change). */
function changeText(v: Verdict): string | null {
  if (v.regression !== 'regressed' && v.regression !== 'improved') return null;
  const delta = v.deltaPct !== null && Number.isFinite(v.deltaPct) ? ` ${formatSignedPct(v.deltaPct)}` : '';
  return `${regressionPhrase(v)}${delta}`;
}

/**
 * One metric, short, in plain words: "p95 98 ms ≤ 150 ms", "p95 726 ms > 500 ms",
 * "errors 0% ≤ 1%", "throughput 3/s < 5/s". A percentile its sample does not support is marked
 * "≈" and says its request count: "p95 ≈726 ms > 500 ms (n=12)"; a budget inside the histogram
 * bucket: "p95 90 ms vs 80 ms (bucket 50–100 ms)"; a change from the baseline: "· regressed +45%".
 */
export function inlineMetricShort(v: Verdict): string {
  const label = metricLabel(v.metric);
  const budget = formatMetricValue(v.metric, v.budget);
  if (v.value === null) return l10n.t('{0} missing (budget {1})', label, budget);
  const few = fewSamples(v);
  let text = `${label} ${few ? '≈' : ''}${formatMetricValue(v.metric, v.value)} ${comparison(v)} ${budget}`;
  if (v.budgetInconclusive && v.bucket) text += ` (${l10n.t('bucket {0}', bucketText(v.bucket))})`;
  if (few) text += ` (n=${v.support!.n})`;
  const change = changeText(v);
  if (change) text += ` · ${change}`;
  return text;
}

/**
 * One metric as the detailed end-of-line text writes it:
 * "p95 98 ms / 150 ms · 35% margin · unchanged (+4% vs baseline)". A budget inside the histogram
 * bucket holding the value is not a margin: "p95 90 ms / 80 ms · inconclusive (bucket 50–100 ms)". A
 * percentile its sample does not support ends "· n=12, too few for a p95" (or "· n=50, budget
 * inside the 95% CI").
 */
export function inlineMetric(v: Verdict): string {
  const label = metricLabel(v.metric);
  if (v.value === null) return `${label} ${l10n.t('missing')} / ${formatMetricValue(v.metric, v.budget)}`;
  const parts = [`${label} ${formatMetricValue(v.metric, v.value)} / ${formatMetricValue(v.metric, v.budget)}`];
  const m = v.marginPct!;
  if (v.budgetInconclusive && v.bucket) parts.push(l10n.t('inconclusive (bucket {0})', bucketText(v.bucket)));
  else parts.push(Number.isFinite(m) ? (m >= 0 ? l10n.t('{0}% margin', formatNumber(m, 2)) : l10n.t('{0}% over', formatNumber(-m, 2))) : m > 0 ? l10n.t('no load') : l10n.t('over'));
  const phrase = regressionPhrase(v);
  if (v.deltaPct !== null && Number.isFinite(v.deltaPct)) {
    const delta = l10n.t('{0} vs baseline', formatSignedPct(v.deltaPct));
    parts.push(phrase ? `${phrase} (${delta})` : delta);
  } else if (phrase) parts.push(phrase);
  const s = v.support;
  if (s && !s.enough) parts.push(l10n.t('n={0}, too few for a {1}', s.n, v.metric === 'p999' ? 'p99.9' : v.metric));
  else if (s?.straddles) parts.push(l10n.t('n={0}, budget inside the 95% CI', s.n));
  return parts.join(' · ');
}

/** The metrics a decoration shows, in budget order. */
export function shownVerdicts(result: HandlerResult, which: InlineMetrics = 'worst'): Verdict[] {
  if (which === 'budgeted') return result.verdicts;
  const one = which === 'p95' ? (result.verdicts.find((v) => v.metric === 'p95') ?? result.verdicts[0]) : worstVerdict(result);
  return one ? [one] : [];
}

/**
 * The end-of-line text of a handler in two parts: the verdict mark of its worst metric (drawn in
 * the verdict's colour) and the text (drawn muted): the worst metric by default
 * ("✗" + "p95 726 ms > 500 ms"), every budgeted one, or only p95; short unless `detail` is
 * "detailed".
 */
export function inlineParts(result: HandlerResult, which: InlineMetrics = 'worst', detail: InlineDetail = 'short'): { mark: string; text: string; status: Status } {
  const status = worstStatus(result);
  const shown = shownVerdicts(result, which);
  const text = detail === 'detailed' ? shown.map(inlineMetric).join('  ·  ') : shown.map(inlineMetricShort).join(' · ');
  return { mark: MARK[status], text, status };
}

/** The end-of-line text as one string: "✗ p95 726 ms > 500 ms". */
export function inlineSummary(result: HandlerResult, which: InlineMetrics = 'worst', detail: InlineDetail = 'short'): string {
  const { mark, text } = inlineParts(result, which, detail);
  return `${mark} ${text}`;
}

/** Handlers (not metrics) by verdict: what the status bar counts. */
export interface HandlerCounts {
  /** Handlers with a value for at least one budgeted metric. */
  measured: number;
  /** Budgeted handlers without any value. */
  unmeasured: number;
  failing: number;
  passing: number;
  regressed: number;
  failingHandlers: string[];
  regressedHandlers: string[];
  /** Handlers whose worst metric is in the warn band (none failing). */
  warnHandlers: string[];
}

export function handlerCounts(results: readonly HandlerResult[]): HandlerCounts {
  const measured = results.filter((r) => r.verdicts.some((v) => v.value !== null));
  const failing = measured.filter((r) => worstStatus(r) === 'fail').map((r) => r.budget.handler);
  const regressed = measured.filter((r) => r.verdicts.some((v) => v.regression === 'regressed')).map((r) => r.budget.handler);
  const warn = measured.filter((r) => worstStatus(r) === 'warn').map((r) => r.budget.handler);
  return {
    measured: measured.length,
    unmeasured: results.length - measured.length,
    failing: failing.length,
    passing: measured.length - failing.length,
    regressed: regressed.length,
    failingHandlers: failing,
    regressedHandlers: regressed,
    warnHandlers: warn,
  };
}
