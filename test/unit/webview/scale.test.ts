import * as assert from 'node:assert/strict';
import { niceTicks } from '../../../src/webview/scale';

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
