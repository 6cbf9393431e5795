import * as l10n from '@vscode/l10n';
import type { PanelRow } from '../core/protocol';
import { svg, svgText } from './dom';
import { ms } from './format';
import { type Box, clearestBox, plotRange } from './scale';

/**
 * The classic HdrHistogram "latency by percentile" plot, hand-written SVG: x is 1/(1−p) on a log
 * scale (0% … 99.99%), y is latency; this run solid, the baseline dashed, budgets as lines. The
 * y-axis fits the curves: a budget far above them is not drawn as a line (it would flatten the
 * curves) but marked at the top edge, "p95 budget 2 s ↑" (scale.ts plotRange).
 */
const W = 560;
const H = 260;
const PAD = { l: 64, r: 28, t: 14, b: 34 }; // r: room for half of the last x tick, "99.99%"
const X_TICKS = [0, 90, 99, 99.9, 99.99];
const X_MAX = 4; // log10(1/(1-0.9999))
/** Width of a character of a budget label (10px, semi-bold), generous: labels must clear the curves. */
const LABEL_CHAR_W = 6.4;

function x(p: number): number {
  const frac = Math.min(p, 99.99) / 100;
  const v = Math.log10(1 / (1 - frac));
  return PAD.l + (v / X_MAX) * (W - PAD.l - PAD.r);
}

export function percentilePlot(row: PanelRow): SVGSVGElement {
  const data = [...row.curve, ...row.baseCurve].map((c) => c.ms);
  const { ticks, inRange } = plotRange(data, row.budgetLines.map((b) => b.ms));
  const yMax = ticks[ticks.length - 1]!;
  const y = (v: number) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, class: 'plot', role: 'img', 'aria-label': l10n.t('Latency by percentile: {0}', row.handler) });
  for (const v of ticks) {
    root.appendChild(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), class: 'grid' }));
    root.appendChild(svgText(ms(v), { x: PAD.l - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }));
  }
  for (const p of X_TICKS) {
    root.appendChild(svg('line', { x1: x(p), x2: x(p), y1: PAD.t, y2: H - PAD.b, class: 'grid' }));
    root.appendChild(svgText(`${p}%`, { x: x(p), y: H - PAD.b + 16, class: 'tick', 'text-anchor': 'middle' }));
  }
  // Budget labels: beside their line, where no curve passes (left first, where curves are lowest),
  // drawn last on a halo of the background.
  const lines = [row.curve, row.baseCurve].map((c) => c.map((pt) => [x(pt.p), y(pt.ms)] as const));
  const taken: Box[] = [];
  const labels: SVGElement[] = [];
  row.budgetLines.forEach((b, k) => {
    if (!inRange[k]) {
      // Above the axis: an arrow at the top edge where the budget's percentile is, and the label.
      const xb = x(b.p);
      root.appendChild(svg('path', { d: `M${xb - 4},${PAD.t + 5} L${xb},${PAD.t - 1} L${xb + 4},${PAD.t + 5}`, class: 'budget budget-offscale', fill: 'none' }));
      const text = l10n.t('{0} budget {1}', b.metric, ms(b.ms));
      const w = (text.length + 2) * LABEL_CHAR_W; // and " ↑
      const rows = [PAD.t + 11, PAD.t + 25];
      const places = rows.flatMap((base) => [PAD.l + 4, PAD.l + (W - PAD.l - PAD.r - w) / 2, W - PAD.r - 4 - w].map((px) => ({ x: px, base })));
      const boxes = places.map((c) => ({ x: c.x, y: c.base - 10, w, h: 13 }));
      const i = clearestBox(boxes, lines, taken);
      taken.push(boxes[i]!);
      // The label text is the same as an in-range budget's; the arrow is its own element, and the
      // explanation a title on the group (neither is part of the label's text).
      const group = svg('g', { class: 'budget-offscale' });
      const title = svg('title');
      title.textContent = l10n.t("{0}: above this plot's axis ({1}), which fits the curves", text, ms(yMax));
      group.appendChild(title);
      group.appendChild(svgText(text, { x: places[i]!.x, y: places[i]!.base, class: 'budget-label', 'text-anchor': 'start' }));
      group.appendChild(svgText('↑', { x: places[i]!.x + (text.length + 0.6) * LABEL_CHAR_W, y: places[i]!.base, class: 'budget-arrow', 'text-anchor': 'start' }));
      labels.push(group);
      return;
    }
    root.appendChild(svg('line', { x1: PAD.l, x2: W - PAD.r, y1: y(b.ms), y2: y(b.ms), class: 'budget' }));
    root.appendChild(svg('line', { x1: x(b.p), x2: x(b.p), y1: y(b.ms) - 5, y2: y(b.ms) + 5, class: 'budget' }));
    const text = l10n.t('{0} budget {1}', b.metric, ms(b.ms));
    const w = text.length * LABEL_CHAR_W;
    const yl = y(b.ms);
    const places = [
      { x: PAD.l + 4, base: yl - 4 },
      { x: PAD.l + 4, base: yl + 13 },
      { x: W - PAD.r - 4 - w, base: yl - 4 },
      { x: W - PAD.r - 4 - w, base: yl + 13 },
      { x: PAD.l + (W - PAD.l - PAD.r - w) / 2, base: yl - 4 },
      { x: PAD.l + (W - PAD.l - PAD.r - w) / 2, base: yl + 13 },
    ].filter((c) => c.base - 10 >= PAD.t - 4 && c.base + 3 <= H - PAD.b);
    const boxes = places.map((c) => ({ x: c.x, y: c.base - 10, w, h: 13 }));
    const i = clearestBox(boxes, lines, taken);
    const at = places[i] ?? { x: PAD.l + 4, base: yl - 4 };
    if (boxes[i]) taken.push(boxes[i]!);
    labels.push(svgText(text, { x: at.x, y: at.base, class: 'budget-label', 'text-anchor': 'start' }));
  });
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
  for (const l of labels) root.appendChild(l); // drawn last: over the curves
  root.appendChild(svgText('percentile (1/(1−p) scale)', { x: (PAD.l + W - PAD.r) / 2, y: H - 4, class: 'axis-label', 'text-anchor': 'middle' }));
  return root;
}

/**
 * A p95 history across the run history, oldest first: a line with one dot per run (runs without
 * the handler are gaps). Each dot carries its value (data-p95) and a title; the svg's
 * data-values lists them all, "" for a gap.
 */
export function sparkline(values: Array<number | null>, label: string, size: { w: number; h: number; cls: string } = { w: 90, h: 18, cls: 'spark' }): SVGSVGElement {
  const { w, h } = size;
  const pad = 3;
  const pts = values.map((v, i) => ({ v, i })).filter((p): p is { v: number; i: number } => p.v !== null);
  const root = svg('svg', { viewBox: `0 0 ${w} ${h}`, class: size.cls, role: 'img', 'aria-label': label, 'data-values': values.map((v) => (v === null ? '' : String(v))).join(' ') });
  if (pts.length === 0) return root;
  const max = Math.max(...pts.map((p) => p.v));
  const min = Math.min(...pts.map((p) => p.v));
  const sx = (i: number) => (values.length === 1 ? w / 2 : pad + (i / (values.length - 1)) * (w - 2 * pad));
  const sy = (v: number) => (max === min ? h / 2 : h - pad - ((v - min) / (max - min)) * (h - 2 * pad));
  if (pts.length > 1) root.appendChild(svg('path', { d: pts.map((p, k) => `${k ? 'L' : 'M'}${sx(p.i).toFixed(1)},${sy(p.v).toFixed(1)}`).join(' '), class: 'spark-line' }));
  pts.forEach((p, k) => {
    const dot = svg('circle', { cx: sx(p.i).toFixed(1), cy: sy(p.v).toFixed(1), r: size.cls === 'spark' ? 1.6 : 3, class: `spark-dot${k === pts.length - 1 ? ' last' : ''}`, 'data-p95': String(p.v), 'data-run': String(p.i + 1) });
    const t = svg('title');
    t.textContent = l10n.t('run {0} of {1}: p95 {2}', p.i + 1, values.length, ms(p.v));
    dot.appendChild(t);
    root.appendChild(dot);
  });
  const title = svg('title');
  title.textContent = `${label}: ${values.map((v) => (v === null ? '—' : ms(v))).join(' → ')}`;
  root.insertBefore(title, root.firstChild);
  return root;
}
