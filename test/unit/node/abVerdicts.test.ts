import { strict as assert } from 'node:assert';
import type { Budget } from '../../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../../src/core/histograms/latencyHistogram';
import type { Series } from '../../../src/core/series';
import { Random } from '../../../src/core/stats/random';
import { abVerdicts, runsMinDetectable, shiftInterval } from '../../../src/node/abVerdicts';

/** One run's series of a handler: 2,000 latencies spread uniformly over [0.5, 1.5] × `ms`. */
function run(name: string, ms: number, rng: Random): Series {
  const h = LatencyHistogram.create();
  for (let i = 0; i < 2000; i++) h.recordMs(ms * (0.5 + rng.next()));
  return { name, format: 'hdr-log', source: 'x.hlog', count: 2000, errors: 0, durationSec: 1, throughputPerSec: 2000, exact: false, histogram: h, percentiles: null, minMs: null, maxMs: null, meanMs: null };
}

const budget = (handler: string): Budget => ({ handler, latency: { p95: 1000 } });

/** Runs of several handlers: `ms(handler, i)` is the scale of run i. */
function runs(handlers: string[], n: number, ms: (h: string, i: number) => number, seed: number): Series[][] {
  const rng = new Random(seed);
  return Array.from({ length: n }, (_, i) => handlers.map((h) => run(h, ms(h, i), rng)));
}

describe('A/B verdicts (abVerdicts)', () => {
  it('B 1.5× slower in every run: regressed by both tests; p is the exact 2/C(10,5) for 5 + 5 runs', () => {
    const a = runs(['x'], 5, (_, i) => 20 * (1 + i / 100), 1);
    const b = runs(['x'], 5, (_, i) => 30 * (1 + i / 100), 2);
    const [x] = abVerdicts([budget('x')], a, b, { threshold: 0.1 });
    assert.equal(x!.verdict, 'regressed');
    assert.equal(x!.runsVerdict, 'regressed');
    assert.equal(x!.histogramVerdict, 'regressed');
    assert.ok(Math.abs(x!.pValue! - 2 / 252) < 1e-12, String(x!.pValue));
    assert.ok(x!.ratio! > 1.45 && x!.ratio! < 1.55, String(x!.ratio));
    assert.ok(x!.ratioCi![0] <= x!.ratio! && x!.ratio! <= x!.ratioCi![1]);
    assert.equal(x!.aRuns.length, 5);
    assert.ok(x!.decided);
  });

  it('the same distribution on both sides (±1% between runs): unchanged once 5 + 5 runs can decide', () => {
    const a = runs(['x'], 5, (_, i) => 20 * (1 + (i % 3) / 100), 3);
    const b = runs(['x'], 5, (_, i) => 20 * (1 + ((i + 1) % 3) / 100), 4);
    const [x] = abVerdicts([budget('x')], a, b, { threshold: 0.1 });
    assert.equal(x!.verdict, 'unchanged');
    assert.ok(x!.ratioCi![1] < 1.1, `CI ${x!.ratioCi}`);
    assert.ok(Number.isFinite(x!.minDetectable) && x!.minDetectable >= 0.1, String(x!.minDetectable));
  });

  it('3 + 3 runs cannot decide anything (the rank test cannot reach α): inconclusive, nothing detectable yet', () => {
    const [x] = abVerdicts([budget('x')], runs(['x'], 3, () => 20, 5), runs(['x'], 3, () => 30, 6), { threshold: 0.1 });
    assert.equal(x!.verdict, 'inconclusive');
    assert.equal(x!.decided, false);
    assert.equal(x!.minDetectable, Infinity);
  });

  it('Holm over the handlers: with 3 handlers, 4 + 4 runs (raw p 2/70) are not enough, 5 + 5 are (3 × 2/252)', () => {
    const hs = ['GET /a', 'GET /b', 'GET /slow'];
    const ms = (slow: number) => (h: string, i: number) => (h === 'GET /slow' ? slow : 20) * (1 + i / 200);
    const four = abVerdicts(hs.map(budget), runs(hs, 4, ms(20), 7), runs(hs, 4, ms(40), 8), { threshold: 0.1 });
    const slow4 = four.find((h) => h.handler === 'GET /slow')!;
    assert.ok(Math.abs(slow4.pValue! - 3 * (2 / 70)) < 1e-12, String(slow4.pValue));
    assert.equal(slow4.verdict, 'inconclusive');
    const five = abVerdicts(hs.map(budget), runs(hs, 5, ms(20), 9), runs(hs, 5, ms(40), 10), { threshold: 0.1 });
    const slow5 = five.find((h) => h.handler === 'GET /slow')!;
    assert.ok(Math.abs(slow5.pValue! - 3 * (2 / 252)) < 1e-12, String(slow5.pValue));
    assert.equal(slow5.verdict, 'regressed');
    for (const h of five.filter((x) => x.handler !== 'GET /slow')) assert.notEqual(h.verdict, 'regressed', h.handler);
  });

  it('a handler without results on one side is missing (decided: more runs cannot help)', () => {
    const [x] = abVerdicts([budget('x'), budget('y')], runs(['x'], 4, () => 20, 11), runs(['x', 'y'], 4, () => 20, 12), { threshold: 0.1 }).slice(1);
    assert.equal(x!.handler, 'y');
    assert.equal(x!.verdict, 'missing');
    assert.ok(x!.decided);
  });

  it('without budgets every series name is a handler', () => {
    const got = abVerdicts([], runs(['b', 'a'], 4, () => 20, 13), runs(['a', 'b'], 4, () => 20, 14), { threshold: 0.1 });
    assert.deepEqual(
      got.map((h) => h.handler),
      ['a', 'b'],
    );
  });

  it('shiftInterval: 4 + 4 runs give the extreme pairwise ratios (critical U 0); 10 + 10 the 24th from each end (critical U 23, tables)', () => {
    assert.deepEqual(shiftInterval([1, 2, 3, 4], [2, 4, 6, 8], 0.05), [0.5, 8]);
    const a = Array.from({ length: 10 }, (_, i) => 10 + i);
    const b = Array.from({ length: 10 }, (_, i) => 12 + 1.5 * i);
    const ratios = b.flatMap((y) => a.map((x) => y / x)).sort((p, q) => p - q);
    assert.deepEqual(shiftInterval(a, b, 0.05), [ratios[23], ratios[100 - 24]]);
    assert.equal(shiftInterval([1, 2, 3], [1, 2, 3], 0.05), null);
  });

  it('runsMinDetectable: the threshold when runs do not vary; by hand for logs {0, 0.1} on both sides', () => {
    assert.ok(Math.abs(runsMinDetectable([5, 5, 5], [7, 7, 7], 0.1, 2.8) - 0.1) < 1e-12);
    // s = √((0.005 + 0.005) / 2) = 0.0707107; δ = 2.801585 · s · √(1/2 + 1/2) · √(π/3) = 0.2027230 (by hand, python).
    const got = runsMinDetectable([1, Math.exp(0.1)], [1, Math.exp(0.1)], 0.1, 1.959964 + 0.841621);
    assert.ok(Math.abs(got - (Math.exp(0.202723) - 1)) < 1e-6, String(got));
    assert.equal(runsMinDetectable([5], [5, 6], 0.1, 2.8), Infinity);
  });
});
