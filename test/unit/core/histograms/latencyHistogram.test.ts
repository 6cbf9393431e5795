import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { nearestRank, within } from '../../helpers';

const latencies = fc.array(fc.double({ min: 0.001, max: 120_000, noNaN: true }), { minLength: 1, maxLength: 400 });

function histogramOf(values: number[]): LatencyHistogram {
  const h = LatencyHistogram.create();
  for (const v of values) h.recordMs(v);
  return h;
}

describe('LatencyHistogram', () => {
  it('reads percentiles within 0.1% of the exact nearest-rank value (property)', () => {
    fc.assert(
      fc.property(latencies, fc.constantFrom(50, 90, 95, 99, 99.9), (values, p) => {
        const exact = nearestRank(values.map((v) => Math.round(v * 1e6) / 1e6), p);
        assert.ok(within(histogramOf(values).percentileMs(p), exact, 0.001), `p${p}`);
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('takes the exact nearest rank where floating point would not (99.9% of 2000 is rank 1998)', () => {
    const values = Array.from({ length: 2000 }, (_, i) => i + 1);
    const h = histogramOf(values);
    assert.equal(nearestRank(values, 99.9), 1998);
    assert.ok(within(h.percentileMs(99.9), 1998, 0.001), String(h.percentileMs(99.9)));
    assert.ok(h.percentileMs(99.9) < 1999, 'not the next rank');
  });

  it('merging histograms equals recording the union (property)', () => {
    fc.assert(
      fc.property(latencies, latencies, (a, b) => {
        const merged = histogramOf(a);
        merged.add(histogramOf(b));
        const union = histogramOf([...a, ...b]);
        assert.equal(merged.count, union.count);
        assert.equal(merged.encode(), union.encode());
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('percentiles are monotone in p (property)', () => {
    fc.assert(
      fc.property(latencies, fc.array(fc.double({ min: 0, max: 100, noNaN: true }), { minLength: 2, maxLength: 20 }), (values, ps) => {
        const h = histogramOf(values);
        const sorted = [...ps].sort((x, y) => x - y);
        for (let i = 1; i < sorted.length; i++) assert.ok(h.percentileMs(sorted[i - 1]!) <= h.percentileMs(sorted[i]!));
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('survives an encode/decode round trip, and rescales raw units', () => {
    const h = histogramOf([1, 2, 3, 50, 900]);
    const back = LatencyHistogram.decode(h.encode());
    assert.equal(back.encode(), h.encode());
    const us = LatencyHistogram.create();
    us.recordNs(1500); // 1500 "units" of 1 µs = 1.5 ms once rescaled
    const rescaled = LatencyHistogram.decode(us.encode(), 1000);
    assert.ok(within(rescaled.percentileMs(50), 1.5, 0.002));
  });

  it('corrects for coordinated omission like recordValueWithExpectedInterval (hand-computed)', () => {
    // 100 ms at a 30 ms interval: the missed requests would have waited 70 and 40 ms (10 < 30 stops).
    const h = LatencyHistogram.create();
    h.recordMsWithExpectedInterval(100, 30);
    assert.equal(h.count, 3);
    assert.deepEqual(
      h.buckets().map(([v, c]) => [Math.round(v), c]),
      [[40, 1], [70, 1], [100, 1]],
    );
    // 5 ms at 30 ms, 60 ms exactly twice the interval, and no interval.
    h.recordMsWithExpectedInterval(5, 30);
    h.recordMsWithExpectedInterval(60, 30);
    h.recordMsWithExpectedInterval(50, 0);
    assert.deepEqual(
      h.buckets().map(([v, c]) => [Math.round(v), c]),
      [[5, 1], [30, 1], [40, 1], [50, 1], [60, 1], [70, 1], [100, 1]],
    );
    assert.ok(within(h.percentileMs(50), 50, 0.001));
  });
});
