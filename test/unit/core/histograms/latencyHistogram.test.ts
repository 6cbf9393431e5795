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

  describe('cumulative-count cache', () => {
    /** The answers without the cache: hdr-histogram-js's own walk over every bucket. */
    function uncachedPercentileMs(h: LatencyHistogram, p: number): number {
      const raw = h.raw;
      const total = raw.totalCount;
      if (total === 0 || p >= 100) return raw.getValueAtPercentile(Math.min(Math.max(p, 0), 100)) / 1e6;
      const rank = Math.max(1, Math.ceil(Number(((Math.max(p, 0) / 100) * total).toPrecision(12))));
      return raw.getValueAtPercentile(((rank - 0.5) / total) * 100) / 1e6;
    }
    const uncachedMeanMs = (h: LatencyHistogram): number => h.raw.mean / 1e6;

    const percent = fc.oneof(
      fc.double({ min: -5, max: 105, noNaN: true }),
      fc.constantFrom(0, 1e-9, 50, 90, 95, 99, 99.9, 99.99, 100, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
    );
    /** A change to the histogram between queries: each must invalidate what was cached. */
    const step = fc.oneof(
      fc.record({ kind: fc.constant('ms' as const), ms: fc.double({ min: 0, max: 600_000, noNaN: true }), count: fc.integer({ min: 1, max: 1000 }) }),
      fc.record({ kind: fc.constant('ns' as const), ns: fc.integer({ min: 0, max: 2 ** 36 }) }),
      fc.record({ kind: fc.constant('co' as const), ms: fc.double({ min: 0, max: 2000, noNaN: true }), intervalMs: fc.double({ min: 0, max: 500, noNaN: true }) }),
      fc.record({ kind: fc.constant('add' as const), values: latencies }),
      fc.record({ kind: fc.constant('addRaw' as const), values: fc.array(fc.integer({ min: 1, max: 1e7 }), { maxLength: 50 }), unitNs: fc.constantFrom(1, 1000) }),
      fc.record({ kind: fc.constant('raw' as const), ns: fc.integer({ min: 1, max: 2 ** 30 }) }),
    );
    function apply(h: LatencyHistogram, s: typeof step extends fc.Arbitrary<infer T> ? T : never): void {
      switch (s.kind) {
        case 'ms':
          return h.recordMs(s.ms, s.count);
        case 'ns':
          return h.recordNs(s.ns);
        case 'co':
          return h.recordMsWithExpectedInterval(s.ms, s.intervalMs);
        case 'add':
          return h.add(histogramOf(s.values));
        case 'addRaw': {
          const other = LatencyHistogram.create();
          for (const v of s.values) other.recordNs(v);
          return h.addRaw(other.raw, s.unitNs);
        }
        case 'raw':
          // Behind the wrapper's back: the total-count check must still notice.
          h.raw.recordValue(s.ns);
          return;
      }
    }

    it('answers exactly what walking every bucket answers, across records and merges (property)', () => {
      fc.assert(
        fc.property(fc.array(fc.record({ step, ps: fc.array(percent, { maxLength: 4 }) }), { minLength: 1, maxLength: 6 }), (rounds) => {
          const h = LatencyHistogram.create();
          for (const q of [0, 50, 100]) assert.ok(Object.is(h.percentileMs(q), uncachedPercentileMs(h, q)), `empty p${q}`);
          assert.ok(Object.is(h.meanMs, uncachedMeanMs(h)), 'empty mean');
          for (const { step: s, ps } of rounds) {
            apply(h, s);
            for (const p of [...ps, ...ps]) {
              const cached = h.percentileMs(p);
              const exact = uncachedPercentileMs(h, p);
              assert.ok(Object.is(cached, exact), `p${p} after ${s.kind}: cached ${cached}, uncached ${exact}`);
            }
            assert.ok(Object.is(h.meanMs, uncachedMeanMs(h)), `mean after ${s.kind}: cached ${h.meanMs}, uncached ${uncachedMeanMs(h)}`);
          }
        }),
        { numRuns: 80, seed: 4 },
      );
    });

    it('answers exactly on decoded histograms, rescaled or not (property)', () => {
      fc.assert(
        fc.property(latencies, fc.constantFrom(1, 1000), fc.array(percent, { minLength: 1, maxLength: 6 }), (values, unitNs, ps) => {
          const h = LatencyHistogram.decode(histogramOf(values).encode(), unitNs);
          for (const p of ps) assert.ok(Object.is(h.percentileMs(p), uncachedPercentileMs(h, p)), `p${p}`);
          assert.ok(Object.is(h.meanMs, uncachedMeanMs(h)));
        }),
        { numRuns: 80, seed: 5 },
      );
    });
  });

  it('buckets() and meanMs from the cached running counts equal hdr-histogram-js\'s recorded-values iterator and mean, sparse or dense (property)', () => {
    fc.assert(
      // Up to 120 s, and up to ~35 min (past 2^40 ns, where the histogram resizes).
      fc.property(fc.oneof(latencies, fc.array(fc.double({ min: 0.001, max: 2_100_000, noNaN: true }), { minLength: 1, maxLength: 400 })), (values) => {
        const h = histogramOf(values);
        // Asked first, while the histogram may still be sparse; then compared with the dense one's iterator.
        const got = h.buckets();
        const mean = h.meanMs;
        const { valuesMs, cumulative } = h.distribution();
        const it = (h.raw as unknown as { recordedValuesIterator: { reset(): void; hasNext(): boolean; next(): { valueIteratedTo: number; countAtValueIteratedTo: number } } }).recordedValuesIterator;
        it.reset();
        const expected: Array<[number, number]> = [];
        while (it.hasNext()) {
          const v = it.next();
          expected.push([v.valueIteratedTo / 1e6, v.countAtValueIteratedTo]);
        }
        assert.deepEqual(got, expected);
        let running = 0;
        assert.deepEqual({ valuesMs: [...valuesMs], cumulative: [...cumulative] }, { valuesMs: expected.map(([v]) => v), cumulative: expected.map(([, c]) => (running += c)) });
        assert.deepEqual(h.buckets(), expected);
        assert.ok(Object.is(mean, h.raw.mean / 1e6), `mean ${mean}, hdr-histogram-js ${h.raw.mean / 1e6}`);
      }),
      { numRuns: 200, seed: 9 },
    );
  });
});
