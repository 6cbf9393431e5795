/** Axis scales of the panel's plots (no DOM: unit-tested in Node). */

/**
 * Y-axis ticks from 0 in "nice" 1-2-5 steps (0, 20, 40, 60 … ms; 0, 0.5, 1 … ms), at most 8 intervals,
 * the last tick at or above `max` with a little head-room.
 */
export function niceTicks(max: number): number[] {
  const target = max * 1.05;
  const raw = target / 5;
  const exp = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * exp).find((s) => target / s <= 8) ?? 10 * exp;
  const n = Math.max(1, Math.ceil(target / step - 1e-9));
  // Multiply, not add: 0.1 + 0.2 stays 0.30000000000000004 and would print so.
  return Array.from({ length: n + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}
