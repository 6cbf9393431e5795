import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type * as hdr from 'hdr-histogram-js';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js/dist/encoding';
import { build } from 'hdr-histogram-js/dist/HistogramBuilder';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';

/**
 * A histogram starts sparse (sparseCounts.ts) and takes hdr-histogram-js's counts array later;
 * `raw` makes it dense at once. Whatever is done to it, the sparse one must answer, encode and
 * merge exactly like one that was dense from the start (which is what every histogram was before).
 */

const ms = fc.double({ min: 0, max: 120_000, noNaN: true });
const values = fc.array(ms, { maxLength: 60 });

function histogramOf(valuesMs: number[]): LatencyHistogram {
  const h = LatencyHistogram.create();
  for (const v of valuesMs) h.recordMs(v);
  return h;
}

/** A histogram of another layout (another tool's log): 1 µs lowest value, 2 digits, an hour's range. */
function foreign(ns: number[]): hdr.Histogram {
  const h = build({ bitBucketSize: 64, lowestDiscernibleValue: 1000, highestTrackableValue: 3.6e12, numberOfSignificantValueDigits: 2 });
  for (const v of ns) h.recordValue(v);
  return h;
}

/** A change to a histogram: its kind (for messages) and what it does. */
interface Step {
  kind: string;
  run: (h: LatencyHistogram) => void;
}
const stepOf = <T>(kind: string, arb: fc.Arbitrary<T>, run: (h: LatencyHistogram, v: T) => void): fc.Arbitrary<Step> =>
  arb.map((v) => ({ kind, run: (h: LatencyHistogram) => run(h, v) }));

const step = fc.oneof(
  stepOf('record ms', fc.tuple(ms, fc.integer({ min: 0, max: 1000 })), (h, [v, count]) => h.recordMs(v, count)),
  // Past 2^40 ns the histogram resizes (autoResize), or refuses when decoded (no autoResize).
  stepOf('record ns', fc.oneof(fc.integer({ min: 0, max: 2 ** 36 }), fc.integer({ min: 2 ** 40, max: 2 ** 46 })), (h, ns) => h.recordNs(ns)),
  stepOf('expected interval', fc.tuple(fc.double({ min: 0, max: 2000, noNaN: true }), fc.double({ min: 0, max: 500, noNaN: true })), (h, [v, interval]) =>
    h.recordMsWithExpectedInterval(v, interval),
  ),
  stepOf('add', fc.tuple(values, fc.boolean()), (h, [vs, dense]) => {
    const other = histogramOf(vs);
    if (dense) void other.raw;
    h.add(other);
  }),
  stepOf('add decoded', values, (h, vs) => h.add(LatencyHistogram.decode(histogramOf(vs).encode()))),
  stepOf('add rescaled', fc.tuple(fc.array(fc.integer({ min: 1, max: 1e7 }), { maxLength: 40 }), fc.constantFrom(1000, 1e6)), (h, [ns, unitNs]) => {
    const other = LatencyHistogram.create();
    for (const v of ns) other.recordNs(v);
    h.add(other, unitNs);
  }),
  stepOf('add foreign', fc.array(fc.integer({ min: 0, max: 3e12 }), { maxLength: 40 }), (h, ns) => h.addRaw(foreign(ns))),
  // Enough distinct buckets for the sparse one to turn dense midway.
  stepOf('many buckets', fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 900, max: 1300 })), (h, [from, n]) => {
    for (let i = 0; i < n; i++) h.recordNs(from + i * 1009);
  }),
);

/** Everything one can read of a histogram. */
function answers(h: LatencyHistogram) {
  return {
    count: h.count,
    encoded: h.encode(),
    percentiles: [0, 1e-9, 25, 50, 90, 99, 99.9, 100].map((p) => h.percentileMs(p)),
    mean: h.meanMs,
    min: h.minMs,
    max: h.maxMs,
    maxRaw: h.maxRaw,
    buckets: h.buckets(),
  };
}

/** Runs `s` on both; they must fail alike too (a decoded histogram cannot grow). */
function both(sparse: LatencyHistogram, dense: LatencyHistogram, s: Step): void {
  const outcome = (h: LatencyHistogram) => {
    try {
      s.run(h);
      return 'ok';
    } catch (e) {
      return String(e);
    }
  };
  assert.equal(outcome(sparse), outcome(dense), `${s.kind} fails alike`);
}

describe('sparse histograms', () => {
  it('answer, encode and merge exactly like dense ones, created or decoded (property)', () => {
    fc.assert(
      fc.property(fc.option(values, { nil: undefined }), fc.array(step, { minLength: 1, maxLength: 6 }), (decodedFrom, steps) => {
        const make = () => (decodedFrom ? LatencyHistogram.decode(histogramOf(decodedFrom).encode()) : LatencyHistogram.create());
        const sparse = make();
        const dense = make();
        void dense.raw;
        assert.deepEqual(answers(sparse), answers(dense), 'before any step');
        for (const s of steps) {
          both(sparse, dense, s);
          assert.deepEqual(answers(sparse), answers(dense), `after ${s.kind}`);
        }
        // Merging a sparse one into a dense one and the other way round.
        const intoDense = histogramOf([3, 4]);
        void intoDense.raw;
        intoDense.add(sparse);
        const intoSparse = histogramOf([3, 4]);
        intoSparse.add(dense);
        assert.deepEqual(answers(intoDense), answers(intoSparse), 'merged');
      }),
      { numRuns: 150, seed: 11 },
    );
  });

  it('decode to what hdr-histogram-js decodes, counts array and all (property)', () => {
    const source = fc.oneof(
      values.map((v) => histogramOf(v).encode()),
      fc.array(fc.integer({ min: 1, max: 2 ** 44 }), { maxLength: 40 }).map((ns) => {
        const h = LatencyHistogram.create();
        for (const v of ns) h.recordNs(v);
        return h.encode();
      }),
      fc.array(fc.integer({ min: 0, max: 3e12 }), { maxLength: 20 }).map((ns) => encodeIntoCompressedBase64(foreign(ns))),
    );
    fc.assert(
      fc.property(source, (encoded) => {
        const ours = LatencyHistogram.decode(encoded);
        const theirs = decodeFromCompressedBase64(encoded, 64, false);
        const pick = (h: hdr.Histogram) => {
          const js = h as unknown as { totalCount: number; maxValue: number; minNonZeroValue: number; highestTrackableValue: number; autoResize: boolean; _counts: Float64Array };
          return { total: js.totalCount, max: js.maxValue, min: js.minNonZeroValue, highest: js.highestTrackableValue, autoResize: js.autoResize, counts: [...js._counts] };
        };
        const before = { count: ours.count, max: ours.maxMs, min: ours.minMs, p99: ours.percentileMs(99), mean: ours.meanMs };
        assert.deepEqual(pick(ours.raw), pick(theirs));
        assert.deepEqual({ count: ours.count, max: ours.maxMs, min: ours.minMs, p99: ours.percentileMs(99), mean: ours.meanMs }, before, 'the same once dense');
      }),
      { numRuns: 150, seed: 12 },
    );
  });
});
