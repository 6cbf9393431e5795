import * as assert from 'node:assert/strict';
import { clearestBox, niceTicks } from '../../../src/webview/scale';

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
