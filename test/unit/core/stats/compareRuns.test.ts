import { strict as assert } from 'node:assert';
import { compareRuns, minimumP, runsNeeded, runsOutcome } from '../../../../src/core/stats/compareRuns';
import { mannWhitney } from '../../../../src/core/stats/mannWhitney';

/**
 * Independent reference: the two-sided permutation p-value of the rank-sum statistic by
 * enumerating every way to choose which pooled values are "current" (midranks for ties).
 */
function bruteForceP(current: number[], baseline: number[]): number {
  const pooled = [...current, ...baseline];
  const sorted = [...pooled].sort((a, b) => a - b);
  const rank = (v: number) => {
    const first = sorted.indexOf(v);
    const last = sorted.lastIndexOf(v);
    return (first + last) / 2 + 1;
  };
  const ranks = pooled.map(rank);
  const observed = current.reduce((s, v) => s + rank(v), 0);
  let total = 0;
  let ge = 0;
  let le = 0;
  const choose = (start: number, left: number, sum: number) => {
    if (left === 0) {
      total++;
      if (sum >= observed - 1e-9) ge++;
      if (sum <= observed + 1e-9) le++;
      return;
    }
    for (let i = start; i <= ranks.length - left; i++) choose(i + 1, left - 1, sum + ranks[i]!);
  };
  choose(0, current.length, 0);
  return Math.min(1, (2 * Math.min(ge, le)) / total);
}

describe('compareRuns: per-run summaries by Mann–Whitney U and a magnitude threshold', () => {
  it('4 vs 4 runs, all current above all baseline: p = 2/70, a regression past 10%', () => {
    const c = compareRuns([100, 102, 98, 101], [130, 128, 131, 127], 0.1)!;
    assert.ok(Math.abs(c.p - 2 / 70) < 1e-12, String(c.p));
    assert.equal(c.exact, true);
    assert.equal(c.runs.baseline, 4);
    assert.equal(c.runs.current, 4);
    assert.equal(c.medianBaseline, 100.5);
    assert.equal(c.medianCurrent, 129);
    assert.ok(Math.abs(c.ratio - 129 / 100.5) < 1e-12);
    // 16 differences 25 26 26 27 27 28 28 29 | 29 29 30 30 30 31 32 33: HL shift (29 + 29) / 2.
    const diffs = [130, 128, 131, 127].flatMap((x) => [100, 102, 98, 101].map((y) => x - y)).sort((a, b) => a - b);
    assert.equal(c.shift, (diffs[7]! + diffs[8]!) / 2);
    assert.equal(c.shift, 29);
    assert.equal(c.commonLanguage, 1);
    assert.equal(c.rankBiserial, 1);
    assert.equal(c.outcome, 'regressed');
  });

  it('3 vs 3 can never be significant at 0.05 (min p 0.1): a clear shift is inconclusive', () => {
    const c = compareRuns([100, 101, 102], [150, 151, 152], 0.1)!;
    assert.ok(Math.abs(c.p - 0.1) < 1e-12);
    assert.ok(Math.abs(c.minP - 0.1) < 1e-12);
    assert.equal(c.outcome, 'inconclusive');
    assert.equal(runsNeeded(0.05), 4);
    assert.ok(Math.abs(minimumP(4, 4) - 2 / 70) < 1e-12);
    assert.ok(Math.abs(minimumP(5, 5) - 2 / 252) < 1e-12);
    assert.equal(runsNeeded(0.01), 5); // 2/252 = 0.0079
  });

  it('significant but within the threshold is unchanged; a significant drop past it is improved', () => {
    const small = compareRuns([100, 101, 102, 103, 104], [105, 106, 107, 108, 109], 0.1)!;
    assert.ok(Math.abs(small.p - 2 / 252) < 1e-12);
    assert.equal(small.outcome, 'unchanged');
    const faster = compareRuns([100, 101, 102, 103, 104], [80, 81, 82, 83, 84], 0.1)!;
    assert.equal(faster.outcome, 'improved');
    assert.equal(faster.commonLanguage, 0);
    assert.equal(faster.rankBiserial, -1);
    // Throughput: higher is better, so the same numbers read the other way.
    assert.equal(compareRuns([100, 101, 102, 103, 104], [80, 81, 82, 83, 84], 0.1, 0.05, true)!.outcome, 'regressed');
  });

  it('noisy runs whose median moved past the threshold, interleaved ranks: inconclusive, with the exact p', () => {
    const base = [100, 140, 95, 150, 105];
    const cur = [160, 98, 170, 108, 120];
    const c = compareRuns(base, cur, 0.1)!;
    assert.ok(Math.abs(c.p - bruteForceP(cur, base)) < 1e-12, `${c.p} vs ${bruteForceP(cur, base)}`);
    assert.ok(c.p > 0.05);
    assert.equal(c.medianCurrent, 120);
    assert.equal(c.medianBaseline, 105);
    assert.equal(c.outcome, 'inconclusive');
    // A Holm-adjusted p decides differently from the raw one: the verdict follows the p given.
    const clear = compareRuns([100, 101, 102, 103], [130, 131, 132, 133], 0.1)!;
    assert.equal(runsOutcome(clear, 0.2, 0.1, 0.05), 'inconclusive');
    assert.equal(runsOutcome(clear, 0.01, 0.1, 0.05), 'regressed');
  });

  it('exact p-values agree with brute-force enumeration, with and without ties', () => {
    const cases: Array<[number[], number[]]> = [
      [[1, 2, 3, 4], [5, 6, 7, 8]],
      [[3.1, 1.2, 5.5, 2.2, 9.9], [4.4, 6.1, 7.7]],
      [[10, 10, 12, 13], [10, 12, 14, 15, 15]],
      [[5, 5, 5], [5, 6, 6]],
      [[1, 2, 2, 3, 3, 3], [2, 3, 4, 4, 5, 6, 7]],
    ];
    for (const [cur, base] of cases) {
      const m = mannWhitney(cur, base)!;
      assert.equal(m.exact, true);
      assert.ok(Math.abs(m.p - bruteForceP(cur, base)) < 1e-12, `${cur} vs ${base}: ${m.p} vs ${bruteForceP(cur, base)}`);
    }
    // Worked by hand: current [5,6,6] vs baseline [5,5,5]: midranks 2.5 ×4 and 5.5 ×2; the current
    // sum 13.5 is reached only with both 5.5s (4 choices of the third) of C(6,3) = 20: p = 2·4/20.
    assert.ok(Math.abs(mannWhitney([5, 6, 6], [5, 5, 5])!.p - 0.4) < 1e-12);
  });

  it('all runs equal on both sides: p 1, unchanged', () => {
    const c = compareRuns([100, 100, 100, 100], [100, 100, 100, 100], 0.1)!;
    assert.equal(c.p, 1);
    assert.equal(c.shift, 0);
    assert.equal(c.outcome, 'unchanged');
    assert.equal(compareRuns([], [1, 2], 0.1), null);
  });
});
