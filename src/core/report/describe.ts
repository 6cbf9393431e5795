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
