/** Number formatting of the panel: the engine's own (src/core/units.ts has no imports), '—' for null. */
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
