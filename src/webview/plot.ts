import type { PanelRow } from '../core/protocol';
import { svg, svgText } from './dom';
import { ms } from './format';

/**
 * The classic HdrHistogram "latency by percentile" plot, hand-written SVG: x is 1/(1−p) on a log
 * scale (0% … 99.99%), y is latency; this run solid, the baseline dashed, budgets as lines.
 */
const W = 560;
const H = 260;
const PAD = { l: 64, r: 16, t: 14, b: 34 };
const X_TICKS = [0, 90, 99, 99.9, 99.99];
const X_MAX = 4; // log10(1/(1-0.9999))

function x(p: number): number {
  const frac = Math.min(p, 99.99) / 100;
  const v = Math.log10(1 / (1 - frac));
  return PAD.l + (v / X_MAX) * (W - PAD.l - PAD.r);
}

export function percentilePlot(row: PanelRow): SVGSVGElement {
  const values = [...row.curve, ...row.baseCurve].map((c) => c.ms).concat(row.budgetLines.map((b) => b.ms));
  const yMax = niceMax(Math.max(1e-6, ...values));
  const y = (v: number) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'plot', role: 'img', 'aria-label': `Latency by percentile: ${row.handler}` });
  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    root.appendChild(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), class: 'grid' }));
    root.appendChild(svgText(ms(v), { x: PAD.l - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }));
  }
  for (const p of X_TICKS) {
    root.appendChild(svg('line', { x1: x(p), x2: x(p), y1: PAD.t, y2: H - PAD.b, class: 'grid' }));
    root.appendChild(svgText(`${p}%`, { x: x(p), y: H - PAD.b + 16, class: 'tick', 'text-anchor': 'middle' }));
  }
  for (const b of row.budgetLines) {
    root.appendChild(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y(b.ms), y2: y(b.ms), class: 'budget' }));
    root.appendChild(svgText(`${b.metric} budget ${ms(b.ms)}`, { x: W - PAD.r - 4, y: y(b.ms) - 4, class: 'budget-label', 'text-anchor': 'end' }));
    root.appendChild(svg('line', { x1: x(b.p), x2: x(b.p), y1: y(b.ms) - 5, y2: y(b.ms) + 5, class: 'budget' }));
  }
  const series = (points: PanelRow['curve'], cls: string) => {
    if (points.length === 0) return;
    const d = points.map((c, i) => `${i ? 'L' : 'M'}${x(c.p).toFixed(1)},${y(c.ms).toFixed(1)}`).join(' ');
    root.appendChild(svg('path', { d, class: cls }));
    for (const c of points) {
      const dot = svg('circle', { cx: x(c.p).toFixed(1), cy: y(c.ms).toFixed(1), r: 2.5, class: `${cls}-dot` });
      const title = svg('title');
      title.textContent = `p${c.p}: ${ms(c.ms)}`;
      dot.appendChild(title);
      root.appendChild(dot);
    }
  };
  series(row.baseCurve, 'baseline-line');
  series(row.curve, 'current-line');
  root.appendChild(svgText('percentile (1/(1−p) scale)', { x: (PAD.l + W - PAD.r) / 2, y: H - 4, class: 'axis-label', 'text-anchor': 'middle' }));
  return root;
}

/** A compact p95 history across the run history. */
export function sparkline(values: Array<number | null>, label: string): SVGSVGElement {
  const w = 90;
  const h = 18;
  const pts = values.map((v, i) => ({ v, i })).filter((p): p is { v: number; i: number } => p.v !== null);
  const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, class: 'spark', role: 'img', 'aria-label': label });
  if (pts.length < 2) return root;
  const max = Math.max(...pts.map((p) => p.v));
  const min = Math.min(...pts.map((p) => p.v));
  const sx = (i: number) => 2 + (i / Math.max(1, values.length - 1)) * (w - 4);
  const sy = (v: number) => h - 2 - ((v - min) / (max - min || 1)) * (h - 4);
  root.appendChild(svg('path', { d: pts.map((p, k) => `${k ? 'L' : 'M'}${sx(p.i).toFixed(1)},${sy(p.v).toFixed(1)}`).join(' '), class: 'spark-line' }));
  const title = svg('title');
  title.textContent = `${label}: ${pts.map((p) => ms(p.v)).join(' → ')}`;
  root.appendChild(title);
  return root;
}

function niceMax(v: number): number {
  const exp = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * exp >= v * 1.05) return m * exp;
  return 10 * exp;
}
