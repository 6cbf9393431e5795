import { strict as assert } from 'node:assert';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { fromHistogram, type Series } from '../../../../src/core/series';
import { Random } from '../../../../src/core/stats/random';
import { type RegressionGroup, type RegressionInput, regressionVerdicts } from '../../../../src/core/stats/regressionVerdicts';

function lognormalSeries(seed: number, scale: number): Series {
  const r = new Random(seed);
  const h = LatencyHistogram.create();
  for (let i = 0; i < 2000; i++) h.recordMs(scale * 100 * Math.exp(0.5 * r.normal()));
  return fromHistogram({ name: 'GET /x', format: 'samples', source: 'x', errors: 0, durationSec: 10, histogram: h });
}

function summarySeries(p95: number): Series {
  return { name: 'GET /x', format: 'prometheus', source: 'x', count: 100, errors: 0, durationSec: 10, throughputPerSec: 10, exact: false, histogram: null, percentiles: { '95': p95 }, minMs: null, maxMs: null, meanMs: null };
}

/** Freezes the inputs, so that any write to them throws (modules are strict). */
function frozen(groups: RegressionGroup[]): RegressionGroup[] {
  for (const g of groups) {
    for (const m of g.metrics) Object.freeze(m);
    Object.freeze(g.metrics);
    Object.freeze(g);
  }
  return Object.freeze(groups) as RegressionGroup[];
}

describe('regressionVerdicts', () => {
  const threshold = 0.1;
  const p95 = (plain: RegressionInput['plain']): RegressionInput => ({ metric: 'p95', plain, baseline: 1, bucket: null });

  it('returns one outcome per input, grouped like the input, and only reads the inputs', () => {
    const groups = frozen([
      {
        current: lognormalSeries(1, 1.3),
        baseline: lognormalSeries(2, 1),
        metrics: [p95('regressed'), { metric: 'errorRate', plain: 'unchanged', baseline: 0, bucket: null }, { metric: 'p99', plain: null, baseline: null, bucket: null }],
      },
      { current: lognormalSeries(3, 1), baseline: null, metrics: [{ metric: 'p50', plain: null, baseline: null, bucket: null }] },
    ]);
    const before = JSON.stringify(groups.map((g) => g.metrics));
    const out = regressionVerdicts(groups, { threshold });
    assert.equal(JSON.stringify(groups.map((g) => g.metrics)), before);
    assert.deepEqual(out.map((g) => g.length), [3, 1]);
    const [[hist, errors, none], [noBaseline]] = out as [[any, any, any], [any]];
    assert.equal(hist.regression, 'regressed');
    assert.equal(hist.evidence.method, 'histogram-ci');
    assert.ok(hist.evidence.pValue < 0.05, String(hist.evidence.pValue));
    assert.deepEqual(errors, { regression: 'unchanged', evidence: { method: 'threshold', note: 'errorRate: compared with the plain threshold' } });
    assert.deepEqual(none, { regression: null });
    assert.deepEqual(noBaseline, { regression: null });
  });

  it('adjusts the p-values over the tests of every group together (Holm–Bonferroni)', () => {
    const current = lognormalSeries(1, 1.2);
    const baseline = lognormalSeries(2, 1);
    const alone = regressionVerdicts(frozen([{ current, baseline, metrics: [p95('regressed')] }]), { threshold })[0]![0]!;
    const other = { current: lognormalSeries(5, 1.2), baseline: lognormalSeries(6, 1), metrics: [p95('regressed')] };
    const together = regressionVerdicts(frozen([{ current, baseline, metrics: [p95('regressed')] }, other]), { threshold })[0]![0]!;
    assert.ok(alone.evidence!.pValue! > 0, String(alone.evidence!.pValue));
    assert.ok(together.evidence!.pValue! > alone.evidence!.pValue!, `${together.evidence!.pValue} vs ${alone.evidence!.pValue}`);
  });

  it('makes a verdict inconclusive when the threshold-scaled baseline lies inside the bucket', () => {
    const out = regressionVerdicts(
      frozen([{ current: summarySeries(200), baseline: summarySeries(150), metrics: [{ metric: 'p95', plain: 'regressed', baseline: 150, bucket: { lower: 100, upper: 250 } }] }]),
      { threshold },
    );
    const o = out[0]![0]!;
    assert.equal(o.regression, 'inconclusive');
    assert.equal(o.evidence!.method, 'threshold');
    assert.match(o.evidence!.bucketHint!, /^baseline \+ 10% = 165 ms lies inside the bucket 100–250 ms: add a bucket boundary at 165 ms$/);
  });
});
