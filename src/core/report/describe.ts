import * as l10n from '@vscode/l10n';
import type { Verdict } from '../budgets/verdict';
import { bucketText } from '../stats/regressionVerdicts';
import { formatDuration, formatNumber, formatPercent, formatRate } from '../units';

/** A metric's value in its own unit: "98.2 ms", "0.5%", "120/s". */
export function formatMetricValue(metric: Verdict['metric'], value: number): string {
  if (metric === 'errorRate') return formatPercent(value);
  if (metric === 'throughput') return formatRate(value);
  return formatDuration(value);
}

export function formatSignedPct(pct: number): string {
  if (!Number.isFinite(pct)) return pct > 0 ? '+∞%' : '−∞%';
  // A stored baseline's rounding remainder is no change (and would print as 3.1e-8%).
  if (Math.abs(pct) < 0.005) return '±0%';
  const s = formatNumber(Math.abs(pct), 2);
  return `${pct > 0 ? '+' : pct < 0 ? '−' : '±'}${s}%`;
}

export function formatMargin(marginPct: number): string {
  if (!Number.isFinite(marginPct)) return marginPct > 0 ? l10n.t('∞ margin') : l10n.t('over budget');
  return marginPct >= 0 ? l10n.t('{0}% margin', formatNumber(marginPct, 2)) : l10n.t('{0}% over budget', formatNumber(-marginPct, 2));
}

/** "p95 1.62 s vs 2 s budget — 19% margin" (the way SLO tables write it). */
export function describeVerdict(v: Verdict): string {
  const budget = formatMetricValue(v.metric, v.budget);
  const minimum = v.metric === 'throughput';
  if (v.value === null) return minimum ? l10n.t('{0} missing from the results ({1} minimum)', v.metric, budget) : l10n.t('{0} missing from the results ({1} budget)', v.metric, budget);
  const value = `${formatMetricValue(v.metric, v.value)}${v.bucket ? ` (${l10n.t('bucket {0}', bucketText(v.bucket))})` : ''}`;
  const against = minimum ? l10n.t('{0} {1} vs {2} minimum', v.metric, value, budget) : l10n.t('{0} {1} vs {2} budget', v.metric, value, budget);
  if (v.budgetInconclusive) return `${against} — ${l10n.t('inconclusive: {0}', v.budgetInconclusive)}`;
  return `${against} — ${formatMargin(v.marginPct!)}`;
}

/** "+12% vs baseline 87.3 ms (regressed)" or null when there is no baseline value. */
export function describeDelta(v: Verdict): string | null {
  if (v.baseline === null) return null;
  const delta = v.deltaPct === null ? l10n.t('n/a') : formatSignedPct(v.deltaPct);
  return `${l10n.t('{0} vs baseline {1}', delta, formatMetricValue(v.metric, v.baseline))}${v.regression ? ` (${regressionPhrase(v)})` : ''}`;
}

/**
 * The percentile is not backed by its sample: fewer requests than it needs (so it is the maximum
 * under another name), or the budget inside its confidence interval (the verdict could flip).
 */
export function fewSamples(v: Verdict): boolean {
  return !!v.support && (!v.support.enough || v.support.straddles);
}

/** "610 ms–∞": a confidence interval, an unbounded end as 0 or ∞. */
export function formatCi(metric: Verdict['metric'], ci: readonly [number | null, number | null]): string {
  return `${ci[0] === null ? '0' : formatMetricValue(metric, ci[0])}–${ci[1] === null ? '∞' : formatMetricValue(metric, ci[1])}`;
}

/**
 * The sample behind a percentile, for hovers, the panel and reports:
 * "95% CI 610 ms–∞, n = 12: too few for a p95 (needs 20)" /
 * "95% CI 40 ms–∞, n = 50: the 60 ms budget is inside it, pass or fail cannot be told yet" /
 * "95% CI 94 ms–103 ms, n = 5000" /
 * "n = 12: too few for a p95 (needs 20); no interval: the tool printed only its percentiles".
 * Null without a support (max, errorRate, throughput, an unknown count).
 */
export function describeSupport(v: Verdict): string | null {
  const s = v.support;
  if (!s) return null;
  const name = v.metric === 'p999' ? 'p99.9' : v.metric;
  const notes: string[] = [];
  if (!s.enough) notes.push(l10n.t('too few for a {0} (needs {1})', name, s.needed));
  if (s.straddles) notes.push(l10n.t('the {0} budget is inside it, pass or fail cannot be told yet', formatMetricValue(v.metric, v.budget)));
  const head = s.ci ? `${l10n.t('95% CI {0}', formatCi(v.metric, s.ci))}, n = ${s.n}` : `n = ${s.n}`;
  const tail = s.ci ? '' : `; ${v.exact ? l10n.t('no interval: the results have no distribution (the tool printed only its percentiles)') : l10n.t('no interval: the results have no distribution')}`;
  return `${head}${notes.length ? `: ${notes.join('; ')}` : ''}${tail}`;
}

/** "98 ms (95% CI 94–103)" when the value has an interval, else the plain value. */
export function describeValueWithCi(v: Verdict): string | null {
  if (v.value === null) return null;
  const ci = v.evidence?.valueCi;
  const value = formatMetricValue(v.metric, v.value);
  if (v.bucket) return `${value} (${l10n.t('bucket {0}', bucketText(v.bucket))})`;
  return ci ? `${value} (${l10n.t('95% CI {0}', `${formatMetricValue(v.metric, ci[0])}–${formatMetricValue(v.metric, ci[1])}`)})` : value;
}

/**
 * How the regression verdict was reached, for hovers, the panel and reports, naming the noise
 * model first:
 * "between-run, 5 vs 5 runs, Mann–Whitney p = 0.008 (Holm 0.016); median ×1.21, shift +12 ms
 * (Hodges–Lehmann), rank-biserial 1" /
 * "within-run, histogram CI: change ×1.21 (95% CI 1.17–1.25), p = 0.0001 after Holm over the run;
 * between-run noise not measured (…)" /
 * "summary-only data (no histogram): compared with the plain threshold".
 */
export function describeEvidence(v: Verdict): string | null {
  const e = v.evidence;
  if (!e || v.regression === null) return null;
  const parts: string[] = [];
  if (e.method === 'threshold') parts.push(e.note ?? l10n.t('compared with the plain threshold'));
  else if (e.method === 'runs-mann-whitney' && e.runs) {
    const r = e.runs;
    const adjusted = e.pValue !== undefined && Math.abs(e.pValue - r.p) > 1e-12 ? ` (Holm ${formatP(e.pValue)})` : '';
    parts.push(`${l10n.t('between-run, {0} vs {1} runs, Mann–Whitney p = {2}', r.runs.current, r.runs.baseline, formatP(r.p))}${adjusted}`);
    const shift = v.metric === 'errorRate' ? formatSignedPoints(r.shift) : v.metric === 'throughput' ? `${r.shift >= 0 ? '+' : '−'}${formatRate(Math.abs(r.shift))}` : `${r.shift >= 0 ? '+' : '−'}${formatDuration(Math.abs(r.shift))}`;
    parts.push(
      l10n.t('median ×{0}, shift {1} (Hodges–Lehmann), rank-biserial {2}', Number.isFinite(r.ratio) ? formatNumber(r.ratio) : '∞', shift, formatNumber(r.rankBiserial, 2)),
    );
    if (e.runsNeeded) parts.push(l10n.t('{0} vs {1} runs cannot reach p < 0.05 (at best {2}): {3}+ runs each would decide it', r.runs.current, r.runs.baseline, formatP(r.minP), e.runsNeeded));
  } else {
    const head: string[] = [];
    if (e.ratioCi) head.push(l10n.t('change ×{0} (95% CI {1}–{2})', formatNumber(v.value !== null && v.baseline ? v.value / v.baseline : NaN), formatNumber(e.ratioCi[0]), formatNumber(e.ratioCi[1])));
    if (e.pValue !== undefined) head.push(l10n.t('p = {0} after Holm over the run', formatP(e.pValue)));
    parts.push(l10n.t('within-run, histogram CI: {0}', head.join(', ')));
    if (v.regression === 'inconclusive' && !e.bucketHint) {
      parts.push(e.moreRequests ? l10n.t('≈ {0} more requests per side would likely decide it', e.moreRequests) : l10n.t('more requests would decide it'));
    }
    if (e.note) parts.push(e.note);
  }
  if (e.bucketHint) parts.push(l10n.t('inconclusive: {0}', e.bucketHint));
  return parts.join('; ');
}

function formatP(p: number): string {
  return p < 0.0001 ? '< 0.0001' : formatNumber(p, 2);
}

function formatSignedPoints(fraction: number): string {
  return l10n.t('{0} points', `${fraction >= 0 ? '+' : '−'}${formatNumber(Math.abs(fraction) * 100, 2)}`);
}

/** A regression verdict in words: "regressed", "unchanged", … (the values stay English in data). */
export function regressionText(r: NonNullable<Verdict['regression']>): string {
  switch (r) {
    case 'regressed':
      return l10n.t('regressed');
    case 'improved':
      return l10n.t('improved');
    case 'unchanged':
      return l10n.t('unchanged');
    case 'inconclusive':
      return l10n.t('inconclusive');
  }
}

/**
 * The regression verdict as every surface says it first, in plain words: "regressed",
 * "unchanged", "same data as the baseline" (the baseline is this run), "too few requests to tell
 * (13 vs 13): run longer", "too few runs to tell (2 vs 2): repeat more"; the statistics follow in
 * describeEvidence. Null without a regression verdict.
 */
export function regressionPhrase(v: Pick<Verdict, 'regression' | 'evidence'>): string | null {
  if (!v.regression) return null;
  const e = v.evidence;
  if (e?.sameData) return l10n.t('same data as the baseline');
  if (v.regression === 'inconclusive' && !e?.bucketHint) {
    if (e?.runsNeeded && e.runs) return l10n.t('too few runs to tell ({0} vs {1}): repeat more', e.runs.runs.current, e.runs.runs.baseline);
    if (e?.requests) return l10n.t('too few requests to tell ({0} vs {1}): run longer', e.requests.current, e.requests.baseline);
  }
  return regressionText(v.regression);
}

/** A metric's name as people say it: "errors" for errorRate, "p99.9" for p999. */
export function metricLabel(metric: Verdict['metric']): string {
  if (metric === 'errorRate') return l10n.t('errors');
  if (metric === 'p999') return 'p99.9';
  return metric;
}
