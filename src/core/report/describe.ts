import type { Verdict } from '../budgets/evaluate';
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
  if (!Number.isFinite(marginPct)) return marginPct > 0 ? '∞ margin' : 'over budget';
  return marginPct >= 0 ? `${formatNumber(marginPct, 2)}% margin` : `${formatNumber(-marginPct, 2)}% over budget`;
}

/** "p95 1.62 s vs 2 s budget — 19% margin" (the way SLO tables write it). */
export function describeVerdict(v: Verdict): string {
  const budget = formatMetricValue(v.metric, v.budget);
  const kind = v.metric === 'throughput' ? 'minimum' : 'budget';
  if (v.value === null) return `${v.metric} missing from the results (${budget} ${kind})`;
  return `${v.metric} ${formatMetricValue(v.metric, v.value)} vs ${budget} ${kind} — ${formatMargin(v.marginPct!)}`;
}

/** "+12% vs baseline 87.3 ms (regressed)" or null when there is no baseline value. */
export function describeDelta(v: Verdict): string | null {
  if (v.baseline === null) return null;
  const delta = v.deltaPct === null ? 'n/a' : formatSignedPct(v.deltaPct);
  return `${delta} vs baseline ${formatMetricValue(v.metric, v.baseline)}${v.regression ? ` (${v.regression})` : ''}`;
}

/** "98 ms (95% CI 94–103)" when the value has an interval, else the plain value. */
export function describeValueWithCi(v: Verdict): string | null {
  if (v.value === null) return null;
  const ci = v.evidence?.valueCi;
  const value = formatMetricValue(v.metric, v.value);
  return ci ? `${value} (95% CI ${formatMetricValue(v.metric, ci[0])}–${formatMetricValue(v.metric, ci[1])})` : value;
}

/**
 * How the regression verdict was reached, for hovers, the panel and reports:
 * "change ×1.21 (95% CI 1.17–1.25), p = 0.0001 after Holm over the run" /
 * "inconclusive: ≈ 12000 more requests per side would likely decide it" /
 * "summary-only data (no histogram): compared with the plain threshold".
 */
export function describeEvidence(v: Verdict): string | null {
  const e = v.evidence;
  if (!e || v.regression === null) return null;
  if (e.method === 'threshold') return e.note ?? 'compared with the plain threshold';
  const parts: string[] = [];
  if (e.ratioCi) parts.push(`change ×${formatNumber(v.value !== null && v.baseline ? v.value / v.baseline : NaN)} (95% CI ${formatNumber(e.ratioCi[0])}–${formatNumber(e.ratioCi[1])})`);
  if (e.pValue !== undefined) parts.push(`p = ${e.pValue < 0.0001 ? '< 0.0001' : formatNumber(e.pValue, 2)} after Holm over the run`);
  if (v.regression === 'inconclusive') {
    parts.push(e.moreRequests ? `≈ ${e.moreRequests} more requests per side would likely decide it` : 'more requests would decide it');
  }
  parts.push(e.method === 'runs-mann-whitney' ? 'between-run noise (Mann–Whitney over runs)' : 'within-run noise (order statistics of the histograms)');
  return parts.join('; ');
}
