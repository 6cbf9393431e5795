// The readable ladder budgets are rounded up to: exact values, never below the input.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { durationText, percentText, proposedBudget, readableCeil } from '../../../../src/core/init/readable';

describe('readable budget numbers', () => {
  it('rounds up to 1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10^k', () => {
    const cases: Array<[number, number]> = [
      [130.5, 150], [150, 150], [150.0001, 200], [87, 100], [1, 1], [1.01, 1.5], [2.2, 2.5], [2.6, 3], [3.5, 4], [4.2, 5],
      [5.5, 6], [6.1, 8], [8, 8], [8.01, 10], [9.99, 10], [0.3, 0.3], [0.31, 0.4], [0.07, 0.08], [1234, 1500], [45_000, 50_000],
      [0.000_9, 0.001],
    ];
    for (const [x, want] of cases) assert.equal(readableCeil(x), want, `readableCeil(${x})`);
  });

  it('gives 1 for zero, negative and non-finite input', () => {
    for (const x of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) assert.equal(readableCeil(x), 1);
  });

  it('87 ms with 50% headroom is 150 ms, 200 ms is 300 ms (already on the ladder)', () => {
    assert.equal(proposedBudget(87, 1.5), 150);
    assert.equal(proposedBudget(200, 1.5), 300);
    assert.equal(proposedBudget(0.7, 1.5), 1.5);
  });

  it('is the least ladder value at or above x (property)', () => {
    const ladder: number[] = [];
    for (let k = -4; k <= 7; k++) for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8]) ladder.push(Number((m * 10 ** k).toPrecision(12)));
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 1e7, noNaN: true }), (x) => {
        const want = ladder.find((v) => v >= x * (1 - 1e-12));
        assert.equal(readableCeil(x), want);
      }),
    );
  });

  it('writes durations and percentages as the config reads them', () => {
    assert.equal(durationText(150), '150ms');
    assert.equal(durationText(1500), '1.5s');
    assert.equal(durationText(0.25), '250us');
    assert.equal(durationText(0.3), '300us');
    assert.equal(percentText(0.01), '1%');
    assert.equal(percentText(0.005), '0.5%');
    assert.equal(percentText(0.08), '8%');
  });
});
