/** Number formatting of the panel: the engine's own (src/core/units.ts has no imports), '—' for null. */
import * as l10n from '@vscode/l10n';
import { formatDuration, formatNumber } from '../core/units';

export const num = formatNumber;

export function ms(value: number | null): string {
  return value === null ? '—' : formatDuration(value);
}

export function pct(fraction: number | null): string {
  return fraction === null ? '—' : `${num(fraction * 100)}%`;
}

export function rate(perSec: number | null): string {
  return perSec === null ? '—' : `${num(perSec)}/s`;
}

/**
 * "▲ +4.2%" / "▼ −3%" / "= ±0%" (arrows give the direction only). Changes under 0.005% are "= ±0%":
 * a baseline stores numbers rounded (throughput 9.90878551 for 9.908785510214988), and the
 * remainder must not show as "▲ +2.2e-9%".
 */
export function delta(pctChange: number | null): string {
  if (pctChange === null) return '—';
  if (Math.abs(pctChange) < 0.005) return '= ±0%';
  const arrow = pctChange > 0 ? '▲' : pctChange < 0 ? '▼' : '=';
  return `${arrow} ${pctChange > 0 ? '+' : pctChange < 0 ? '−' : '±'}${num(Math.abs(pctChange), 2)}%`;
}

export function change(now: number | null, before: number | null): number | null {
  return now === null || before === null || before === 0 ? null : ((now - before) / before) * 100;
}

/** The sample behind a percentile, as the engine gives it (core/kinds.ts SampleSupport). */
export interface Support {
  n: number;
  needed: number;
  ci: [number | null, number | null] | null;
  enough: boolean;
  straddles: boolean;
}

/** Too few requests for the percentile, or the budget inside its interval: the verdict is not certain. */
export function fewSamples(s: Support | undefined | null): boolean {
  return !!s && (!s.enough || s.straddles);
}

/**
 * "n = 12: too few for a p95 (needs 20); 95% CI 610 ms–∞" / "n = 50: the budget is inside the 95% CI
 * 40 ms–∞" / "n = 5000; 95% CI 94 ms–103 ms" (latency metrics: values in ms).
 */
export function supportText(metric: string, s: Support): string {
  const name = metric === 'p999' ? 'p99.9' : metric;
  const ci = s.ci ? l10n.t('95% CI {0}–{1}', s.ci[0] === null ? '0' : ms(s.ci[0]), s.ci[1] === null ? '∞' : ms(s.ci[1])) : l10n.t('no interval (no distribution in the results)');
  const notes = [!s.enough ? l10n.t('too few for a {0} (needs {1})', name, s.needed) : null, s.straddles ? l10n.t('the budget is inside the interval: pass or fail cannot be told yet') : null].filter(Boolean);
  return `n = ${s.n}${notes.length ? `: ${notes.join('; ')}` : ''}; ${ci}`;
}
