import { strict as assert } from 'node:assert';
import { evaluate, gateFails } from '../../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { fromHistogram, type Series } from '../../../../src/core/series';
import { quantileRanks, sampleSupport, samplesNeeded, supportInDoubt } from '../../../../src/core/stats/quantileSupport';
import { mulberry32 } from '../../helpers';

/** C(n, k) q^k (1−q)^(n−k) by plain multiplication: exact enough in doubles for n ≤ 60. */
function pmf(n: number, k: number, q: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return c * q ** k * (1 - q) ** (n - k);
}

/** The ranks by the definition, searching every candidate: the largest l with P(B < l) ≤ α/2, the smallest u with P(B ≥ u) ≤ α/2. */
function bruteRanks(n: number, q: number, alpha = 0.05): { lower: number | null; upper: number | null; coverage: number } {
  const p = Array.from({ length: n + 1 }, (_, k) => pmf(n, k, q));
  const below = (l: number) => p.slice(0, l).reduce((a, b) => a + b, 0);
  const atOrAbove = (u: number) => p.slice(u).reduce((a, b) => a + b, 0);
  let lower: number | null = null;
  for (let l = 1; l <= n; l++) if (below(l) <= alpha / 2 + 1e-12) lower = l;
  let upper: number | null = null;
  for (let u = n; u >= 1; u--) if (atOrAbove(u) <= alpha / 2 + 1e-12) upper = u;
  const coverage = p.slice(lower ?? 0, upper ?? n + 1).reduce((a, b) => a + b, 0);
  return { lower, upper, coverage };
}

function histogramSeries(name: string, values: number[]): Series {
  const h = LatencyHistogram.create();
  for (const v of values) h.recordMs(v);
  return fromHistogram({ name, format: 'samples', source: 'x.txt', errors: 0, durationSec: 1, histogram: h });
}

function summary(name: string, pct: Record<string, number>, count: number | null): Series {
  return { name, format: 'locust-csv', source: 'x.csv', count, errors: 0, durationSec: 10, throughputPerSec: 1, exact: true, histogram: null, percentiles: pct, minMs: null, maxMs: null, meanMs: null };
}

describe('quantile support: how many requests a percentile needs, and its interval', () => {
  it('needs ceil(1/(1−q)) requests before the percentile is more than the maximum', () => {
    assert.deepEqual([50, 90, 95, 99, 99.9].map(samplesNeeded), [2, 10, 20, 100, 1000]);
    // The rule itself: the nearest rank ceil(nq) is below n exactly from that n on.
    for (const p of [50, 90, 95, 99, 99.9]) {
      const n = samplesNeeded(p);
      const rank = (m: number) => Math.ceil(Number(((p / 100) * m).toPrecision(12)));
      assert.ok(rank(n) < n && rank(n - 1) === n - 1, `p${p}: n = ${n}`);
    }
  });

  it('the ranks by hand: the median of 20 is bounded by the 6th and 15th (95.86%); the p95 of 12 has no upper bound', () => {
    // P(B ≤ 5) = P(B ≥ 15) = 0.020695 for B ~ Bin(20, ½); P(B ≤ 6) = 0.057659.
    const median = quantileRanks(20, 0.5);
    assert.deepEqual([median.lower, median.upper], [6, 15]);
    assert.ok(Math.abs(median.coverage - (1 - 2 * 0.0206947)) < 1e-6, String(median.coverage));
    // Bin(12, 0.95): P(B ≤ 9) = 0.019569 ≤ 0.025 < P(B ≤ 10) = 0.118413; P(B = 12) = 0.540360 > 0.025.
    assert.deepEqual(quantileRanks(12, 0.95), { lower: 10, upper: null, coverage: quantileRanks(12, 0.95).coverage });
    assert.ok(Math.abs(quantileRanks(12, 0.95).coverage - (1 - 0.0195691)) < 1e-6);
    // 0.95^72 = 0.0249 ≤ 0.025 < 0.95^71 = 0.0262: p95 has an upper bound from 72 requests on.
    assert.equal(quantileRanks(72, 0.95).upper, 72);
    assert.equal(quantileRanks(71, 0.95).upper, null);
    assert.deepEqual(quantileRanks(1, 0.5), { lower: null, upper: null, coverage: 1 });
  });

  it('matches the brute-force binomial sums for every n up to 60', () => {
    for (const q of [0.5, 0.9, 0.95, 0.99]) {
      for (let n = 1; n <= 60; n++) {
        const got = quantileRanks(n, q);
        const want = bruteRanks(n, q);
        assert.deepEqual([got.lower, got.upper], [want.lower, want.upper], `n = ${n}, q = ${q}`);
        assert.ok(Math.abs(got.coverage - want.coverage) < 1e-9, `coverage n = ${n}, q = ${q}`);
        assert.ok(got.coverage >= 0.95 - 1e-12, `at least 95%: n = ${n}, q = ${q}`);
      }
    }
  });

  it('a million requests: the normal approximation, in a few milliseconds', () => {
    const t = Date.now();
    const r = quantileRanks(1_000_000, 0.95);
    // 950000 ∓ 1.96·√(10⁶·0.95·0.05) = 950000 ∓ 427.2
    assert.ok(Math.abs(r.lower! - 949_573) <= 1 && Math.abs(r.upper! - 950_428) <= 1, JSON.stringify(r));
    assert.ok(r.coverage >= 0.95 && r.coverage < 0.951);
    assert.ok(Date.now() - t < 500, `${Date.now() - t} ms`);
  });

  it('covers the true quantile about 95% of the time (and never less than the exact coverage allows)', () => {
    const random = mulberry32(16);
    const TRIALS = 2000;
    for (const [n, q] of [[200, 0.9], [60, 0.5], [500, 0.95]] as const) {
      const r = quantileRanks(n, q);
      // Exponential(1): the true q-quantile is −ln(1 − q).
      const truth = -Math.log(1 - q);
      let hits = 0;
      for (let t = 0; t < TRIALS; t++) {
        const xs = Array.from({ length: n }, () => -Math.log(1 - random())).sort((a, b) => a - b);
        if (xs[r.lower! - 1]! <= truth && truth < xs[r.upper! - 1]!) hits++;
      }
      const rate = hits / TRIALS;
      const sd = Math.sqrt((r.coverage * (1 - r.coverage)) / TRIALS);
      assert.ok(Math.abs(rate - r.coverage) < 4 * sd, `n = ${n}, q = ${q}: ${rate} vs exact ${r.coverage}`);
      assert.ok(r.coverage >= 0.95 && r.coverage < 0.975, `n = ${n}, q = ${q}: exact ${r.coverage}`);
    }
  });

  it('reads the interval off a histogram; 12 requests: too few for a p95, no upper bound, the budget inside', () => {
    const values = [100, 120, 140, 160, 180, 200, 300, 400, 500, 610, 700, 726];
    const s = histogramSeries('GET /api/civic-grid/insights', values);
    const support = sampleSupport(s, 95, 500)!;
    assert.equal(support.n, 12);
    assert.equal(support.needed, 20);
    assert.equal(support.enough, false);
    // Rank 10 is 610 ms (to the histogram's 0.1%).
    assert.ok(Math.abs(support.ci![0]! - 610) / 610 < 0.001, String(support.ci));
    assert.equal(support.ci![1], null);
    assert.equal(support.straddles, false, 'the lower bound 610 ms is above the 500 ms budget: the fail holds');
    assert.equal(sampleSupport(s, 95, 650)!.straddles, true, 'a 650 ms budget lies inside 610 ms–∞');
    assert.equal(sampleSupport(s, 100, 500), null, 'max needs no support');
    // The p50 of 12: ranks 3 and 10 (P(B ≤ 2) = 0.0193, P(B ≥ 10) = 0.0193).
    const median = sampleSupport(s, 50, 1000)!;
    assert.equal(median.enough, true);
    assert.ok(Math.abs(median.ci![0]! - 140) < 0.2 && Math.abs(median.ci![1]! - 610) < 0.7, String(median.ci));
  });

  it('summary-only results: the count rule alone, no interval; an unknown count says nothing', () => {
    const few = sampleSupport(summary('GET /s', { '95': 726 }, 12), 95, 500)!;
    assert.deepEqual(few, { n: 12, needed: 20, ci: null, enough: false, straddles: false });
    assert.deepEqual(sampleSupport(summary('GET /s', { '95': 726 }, 5000), 95, 500), { n: 5000, needed: 20, ci: null, enough: true, straddles: false });
    assert.equal(sampleSupport(summary('GET /s', { '95': 726 }, null), 95, 500), null);
    assert.equal(supportInDoubt(few), true);
    assert.equal(supportInDoubt(undefined), false);
  });

  it('the verdict keeps its status and gains a support; --strict fails a pass its sample cannot back', () => {
    const cfg = parseConfig('{"budgets": {"GET /a": {"p95": "1s", "errorRate": "1%"}}}', 'c.json');
    const values = [100, 120, 140, 160, 180, 200, 300, 400, 500, 610, 700, 726];
    const [r] = evaluate(cfg, [histogramSeries('GET /a', values)], null);
    const [p95, errors] = r!.verdicts;
    assert.equal(p95!.status, 'pass');
    assert.deepEqual({ ...p95!.support!, ci: null }, { n: 12, needed: 20, ci: null, enough: false, straddles: true });
    assert.equal(errors!.support, undefined);
    assert.equal(gateFails(r!.verdicts), false);
    assert.equal(gateFails(r!.verdicts, true), true);
    // Thousands of requests well under the budget: supported, and --strict passes.
    const many = Array.from({ length: 5000 }, (_, i) => 100 + (i % 100));
    const [m] = evaluate(cfg, [histogramSeries('GET /a', many)], null);
    assert.equal(m!.verdicts[0]!.support!.straddles, false);
    assert.equal(m!.verdicts[0]!.support!.enough, true);
    assert.equal(gateFails(m!.verdicts, true), false);
  });
});
