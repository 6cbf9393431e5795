import * as assert from 'node:assert/strict';
import { clearestBox, niceTicks, plotRange } from '../../../src/webview/scale';

describe('percentile plot y ticks (src/webview/scale.ts niceTicks)', () => {
  it('steps of 1, 2 or 5 times a power of ten, from 0 to just above the maximum', () => {
    // Before: 4 equal parts of a "nice" maximum gave 37.5, 75, 112.5 for 150 ms.
    assert.deepEqual(niceTicks(150), [0, 20, 40, 60, 80, 100, 120, 140, 160]);
    assert.deepEqual(niceTicks(200), [0, 50, 100, 150, 200, 250]);
    assert.deepEqual(niceTicks(50), [0, 10, 20, 30, 40, 50, 60]);
    assert.deepEqual(niceTicks(7.3), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(niceTicks(0.37), [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]);
    assert.deepEqual(niceTicks(60000), [0, 10000, 20000, 30000, 40000, 50000, 60000, 70000]);
  });

  it('for any maximum: 1-2-5 steps, exact decimal ticks, at most 8 intervals, the top above the maximum', () => {
    for (let i = 0; i < 2000; i++) {
      const max = 10 ** (-3 + (i / 2000) * 9) * (1 + (i % 7) / 10);
      const t = niceTicks(max);
      const step = t[1]!;
      const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
      assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9), `step ${step} for ${max}`);
      assert.ok(t.length - 1 <= 8 && t.length - 1 >= 3, `${t.length - 1} intervals for ${max}`);
      assert.ok(t[t.length - 1]! >= max && t[t.length - 2]! < max * 1.05, `top ${t[t.length - 1]} for ${max}`);
      t.forEach((v, k) => assert.equal(v, Number((k * step).toPrecision(12)), `tick ${k} for ${max}`));
      for (const v of t) assert.ok(String(v).length <= 12, `tick ${v} prints short`);
    }
  });
});

describe('budget label placement (clearestBox)', () => {
  const box = (x: number, y: number) => ({ x, y, w: 100, h: 13 });
  // A curve rising from (64, 200) to (500, 20), like a latency-by-percentile curve.
  const curve = [[64, 200], [150, 180], [300, 100], [500, 20]] as const;

  it('takes the first candidate no curve passes through', () => {
    assert.equal(clearestBox([box(70, 40), box(70, 60)], [curve]), 0);
    // The left box at y 170..183 sits on the curve (it is at 180 by x = 150): the right one is taken.
    assert.equal(clearestBox([box(70, 170), box(380, 170)], [curve]), 1);
  });

  it('a box that overlaps a label already placed is not clear', () => {
    assert.equal(clearestBox([box(70, 40), box(300, 40)], [curve], [box(120, 45)]), 1);
  });

  it('when every candidate is crossed, the least crossed one', () => {
    const steep = [[0, 0], [600, 260]] as const;
    // y = 0.433x crosses the first box for x 98..127 and the second for x 158..178.
    assert.equal(clearestBox([box(100, 40)], [steep], [], 2), 0);
    assert.equal(clearestBox([box(100, 40), box(160, 62)], [steep]), 1);
    assert.equal(clearestBox([box(160, 62), box(100, 40)], [steep]), 0);
  });
});

describe('percentile plot range (plotRange): the axis fits the curves, budgets far above them are marked at the edge', () => {
  it('a budget far above the curves is out of range and the axis is the data\'s own', () => {
    // Lydian-IQ's chat tool call: p95 ~250 ms, max ~300 ms, budget 2 s. Before, the axis ran to 2.5 s
    // and the curve was a flat line at the bottom fifth.
    assert.deepEqual(plotRange([120, 190, 253, 262, 300], [2000]), { ticks: [0, 50, 100, 150, 200, 250, 300, 350], inRange: [false] });
  });

  it('a budget just above the data is drawn, and the axis stretches to hold it', () => {
    // civic-grid: curve up to 700 ms, budget 500 ms: inside the data's range.
    assert.deepEqual(plotRange([480, 600, 700], [500]), { ticks: niceTicks(700), inRange: [true] });
    // Budget 1 s over a curve up to 850 ms: 1000 <= 850 * 2, so it is drawn and the axis reaches it.
    const r = plotRange([300, 850], [1000]);
    assert.deepEqual(r.inRange, [true]);
    assert.ok(r.ticks[r.ticks.length - 1]! >= 1000, `top ${r.ticks.at(-1)}`);
    assert.deepEqual(r.ticks, niceTicks(1000));
  });

  it('a budget under the data\'s nice top tick is in range even past the head-room', () => {
    // Data max 101 ms: its ticks run to 120, so a 119 ms budget is drawn (though 119 > 101 * 1.1),
    // with the axis's usual head-room above it.
    assert.deepEqual(niceTicks(101).at(-1), 120);
    assert.deepEqual(plotRange([101], [119], 1.1), { ticks: niceTicks(119), inRange: [true] });
    assert.deepEqual(plotRange([101], [127], 1.1).inRange, [false]);
  });

  it('the panel fixture\'s GET /api/slow: curve to 132 ms, p99 budget 200 ms is drawn (within twice the curve)', () => {
    assert.deepEqual(plotRange([27, 54, 60, 120, 132], [50, 200]), { ticks: [0, 50, 100, 150, 200, 250], inRange: [true, true] });
    // GET /api/fail: curve to 14.3 ms, p95 budget 100 ms: marked at the edge, the axis is the curve's.
    assert.deepEqual(plotRange([7, 9, 10, 14.3], [100]), { ticks: [0, 2, 4, 6, 8, 10, 12, 14, 16], inRange: [false] });
  });

  it('each budget is judged on its own: p95 inside, p99 above', () => {
    const r = plotRange([40, 80, 95], [100, 2000]);
    assert.deepEqual(r.inRange, [true, false]);
    assert.deepEqual(r.ticks, niceTicks(100));
  });

  it('no data: the budgets set the range; nothing at all still gives an axis', () => {
    assert.deepEqual(plotRange([], [500]), { ticks: niceTicks(500), inRange: [true] });
    assert.deepEqual(plotRange([], []).ticks, niceTicks(1e-6));
    assert.deepEqual(plotRange([0, Number.NaN], [Number.POSITIVE_INFINITY]).inRange, [true]);
  });

  it('for any data and budget: the top covers the data and every in-range budget; an out-of-range budget is above head-room', () => {
    for (let i = 0; i < 3000; i++) {
      const dataMax = 10 ** (-2 + ((i * 7919) % 3000) / 500);
      const budget = dataMax * 10 ** (-1 + ((i * 104729) % 3000) / 1000);
      const { ticks, inRange } = plotRange([dataMax / 3, dataMax], [budget]);
      const top = ticks[ticks.length - 1]!;
      assert.ok(top >= dataMax, `top ${top} < data ${dataMax}`);
      if (inRange[0]) assert.ok(top >= budget, `in-range budget ${budget} above the top ${top}`);
      else assert.ok(budget > dataMax * 2 && budget > niceTicks(dataMax).at(-1)!, `budget ${budget} left out for data ${dataMax}`);
      if (budget <= dataMax * 2) assert.ok(inRange[0], `budget ${budget} within twice the data ${dataMax} is drawn`);
      // The data keeps more than half of the axis unless a drawn budget stretched it (then over a third).
      assert.ok(dataMax / top > (!inRange[0] || budget <= dataMax ? 0.5 : 1 / 3), `data ${dataMax} of ${top} (budget ${budget})`);
    }
  });
});
