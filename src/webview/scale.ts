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

/** The y range of a percentile plot and which budget lines fall inside it. */
export interface PlotRange {
  /** Y-axis ticks, from 0; the last is the top of the axis. */
  ticks: number[];
  /** Per budget (same order as given): true when its line is drawn inside the axis, false when it is marked at the top edge. */
  inRange: boolean[];
}

/**
 * The y-axis fits the data (the curves), not the budgets: a budget far above the curves would
 * flatten them against the bottom. A budget is drawn inside the axis when it is at most
 * `headroom` times the data's maximum (default 2: the curves keep at least about half of the
 * height) or under the data's nice top tick anyway, and the axis then stretches to hold it; one
 * above that is left out of the range and marked at the top edge. A budget below the data is always in range (the axis starts at 0). With no data, the
 * budgets set the range.
 */
export function plotRange(data: readonly number[], budgets: readonly number[], headroom = 2): PlotRange {
  const finite = data.filter((v) => Number.isFinite(v) && v > 0);
  if (finite.length === 0) {
    const top = Math.max(1e-6, ...budgets.filter((b) => Number.isFinite(b) && b > 0));
    return { ticks: niceTicks(top), inRange: budgets.map(() => true) };
  }
  const dataMax = Math.max(...finite);
  const dataTicks = niceTicks(dataMax);
  const reach = Math.max(dataTicks[dataTicks.length - 1]!, dataMax * headroom);
  const inRange = budgets.map((b) => Number.isFinite(b) && b <= reach);
  const top = Math.max(dataMax, ...budgets.filter((_, i) => inRange[i]));
  return { ticks: top === dataMax ? dataTicks : niceTicks(top), inRange };
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Which of `candidates` (boxes for a label, in order of preference) is clear: no polyline passes
 * through it (within `margin`) and it overlaps none of `taken`. The first clear one, else the one
 * the fewest line samples cross.
 */
export function clearestBox(candidates: readonly Box[], lines: ReadonlyArray<ReadonlyArray<readonly [number, number]>>, taken: readonly Box[] = [], margin = 2): number {
  let best = 0;
  let bestHits = Infinity;
  candidates.forEach((b, i) => {
    let hits = taken.some((t) => b.x < t.x + t.w && t.x < b.x + b.w && b.y < t.y + t.h && t.y < b.y + b.h) ? 1000 : 0;
    const inside = (px: number, py: number) => px >= b.x - margin && px <= b.x + b.w + margin && py >= b.y - margin && py <= b.y + b.h + margin;
    for (const line of lines) {
      for (let k = 0; k + 1 < line.length; k++) {
        const [x0, y0] = line[k]!;
        const [x1, y1] = line[k + 1]!;
        const steps = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / 0.5));
        for (let s = 0; s <= steps; s++) if (inside(x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps)) hits++;
      }
    }
    if (hits < bestHits) {
      best = i;
      bestHits = hits;
    }
  });
  return best;
}
