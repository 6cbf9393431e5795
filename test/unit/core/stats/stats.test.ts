import { strict as assert } from 'node:assert';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { Ecdf } from '../../../../src/core/stats/ecdf';
import { mannWhitney } from '../../../../src/core/stats/mannWhitney';
import { holmAdjust } from '../../../../src/core/stats/multipleTesting';
import { compareQuantile, quantileInterval } from '../../../../src/core/stats/quantileTest';
import { normalCdf, normalQuantile, Random } from '../../../../src/core/stats/random';

describe('stats building blocks', () => {
  it('normal quantile and CDF agree with tabulated values', () => {
    assert.ok(Math.abs(normalQuantile(0.975) - 1.959964) < 1e-6);
    assert.ok(Math.abs(normalQuantile(0.05) + 1.644854) < 1e-6);
    assert.ok(Math.abs(normalCdf(1.959964) - 0.975) < 1e-6);
    assert.ok(Math.abs(normalCdf(0) - 0.5) < 1e-7);
  });

  it('seeded randomness is reproducible; beta variates have the right mean', () => {
    const a = new Random(7);
    const b = new Random(7);
    assert.equal(a.next(), b.next());
    const r = new Random(1);
    let sum = 0;
    for (let i = 0; i < 20_000; i++) sum += r.beta(2, 6);
    assert.ok(Math.abs(sum / 20_000 - 0.25) < 0.005);
  });

  it('Holm–Bonferroni adjusts p-values (worked example)', () => {
    assert.deepEqual(holmAdjust([0.01, 0.04, 0.03, 0.005]).map((p) => Number(p.toFixed(10))), [0.03, 0.06, 0.06, 0.02]);
    assert.deepEqual(holmAdjust([]), []);
  });

  it('Mann–Whitney U: exact small samples and the normal approximation', () => {
    const all = mannWhitney([4, 5, 6], [1, 2, 3])!;
    assert.equal(all.u, 9);
    assert.equal(all.exact, true);
    assert.ok(Math.abs(all.p - 0.1) < 1e-12, String(all.p)); // 2 × 1/20
    assert.ok(Math.abs(all.pGreater - 0.05) < 1e-12);
    assert.equal(all.effect, 1);
    const mixed = mannWhitney([1.1, 2.2, 3.3, 4.4], [0.5, 1.5, 2.5])!;
    assert.equal(mixed.u, 9); // pairs with x > y: 1 + 2 + 3 + 3
    // U ≥ 9 of 12 ⇔ 12 − U ≤ 3: 1 + 1 + 2 + 3 = 7 of the C(7,3) = 35 equally likely arrangements.
    assert.ok(Math.abs(mixed.pGreater - 7 / 35) < 1e-12, String(mixed.pGreater));
    const big = mannWhitney(Array.from({ length: 30 }, (_, i) => i + 0.5), Array.from({ length: 30 }, (_, i) => i))!;
    assert.equal(big.exact, false);
    assert.ok(big.p > 0.5, 'interleaved samples: no difference');
  });

  it('a quantile interval covers the true quantile about as often as promised', () => {
    const r = new Random(11);
    const truth = Math.exp(normalQuantile(0.95)); // lognormal(0, 1) p95
    let covered = 0;
    const trials = 300;
    for (let t = 0; t < trials; t++) {
      const h = LatencyHistogram.create();
      for (let i = 0; i < 2000; i++) h.recordMs(Math.exp(r.normal()));
      const ci = quantileInterval(Ecdf.of(h), 95);
      if (ci.lo <= truth * 1.001 && ci.hi >= truth * 0.999) covered++;
    }
    console.log(`      95% interval of p95 (n=2000, lognormal) covered the truth in ${covered}/${trials} trials`);
    assert.ok(covered / trials >= 0.92, `${covered}/${trials}`);
  });

  it('compareQuantile sees a doubled distribution as a doubling', () => {
    const r = new Random(3);
    const a = LatencyHistogram.create();
    const b = LatencyHistogram.create();
    for (let i = 0; i < 10_000; i++) {
      const v = Math.exp(r.normal());
      a.recordMs(v);
      b.recordMs(2 * v);
    }
    const t = compareQuantile(Ecdf.of(b), Ecdf.of(a), 95, 0.1)!;
    assert.ok(Math.abs(t.ratio - 2) < 0.01, String(t.ratio));
    assert.ok(t.lo > 1.8 && t.hi < 2.2);
    assert.ok(t.pRegressed < 1e-6);
  });
});
