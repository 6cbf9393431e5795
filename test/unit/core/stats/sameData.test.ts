import { strict as assert } from 'node:assert';
import { evaluate } from '../../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { describeEvidence, regressionPhrase } from '../../../../src/core/report/describe';
import type { Series } from '../../../../src/core/series';
import { sameData } from '../../../../src/core/stats/regressionVerdicts';

/** A series with a histogram of these latencies (ms), as a reader builds it. */
function withSamples(name: string, ms: readonly number[]): Series {
  const h = LatencyHistogram.create();
  for (const v of ms) h.recordMs(v);
  return { name, format: 'hdr-log', source: 'r.hlog', count: ms.length, errors: 0, durationSec: 5, throughputPerSec: ms.length / 5, exact: false, histogram: h, percentiles: null, minMs: null, maxMs: null, meanMs: null };
}

/** The same series after a trip through a baseline file: the histogram encoded and decoded. */
function roundTrip(s: Series): Series {
  return { ...s, histogram: LatencyHistogram.decode(s.histogram!.encode()) };
}

const CONFIG = parseConfig('{"regressionThreshold": "10%", "budgets": {"GET /chat": {"p95": "2s"}}}', 'c.json');
// 13 requests, as a 5 s demo run of a slow handler gives.
const THIRTEEN = [410, 425, 433, 440, 452, 461, 470, 488, 495, 502, 517, 530, 560];

describe('a run compared with itself, or with too few requests: plain words first', () => {
  it('the baseline made from this very run reads "same data as the baseline", not a statistical verdict', () => {
    const run = withSamples('GET /chat', THIRTEEN);
    assert.equal(sameData(run, roundTrip(run)), true);
    const [r] = evaluate(CONFIG, [run], [roundTrip(run)]);
    const v = r!.verdicts[0]!;
    assert.equal(v.regression, 'unchanged');
    assert.equal(v.evidence?.sameData, true);
    assert.equal(regressionPhrase(v), 'same data as the baseline');
    assert.equal(describeEvidence(v), 'same data as the baseline');
  });

  it('one request more, or one slower, is not the same data', () => {
    const run = withSamples('GET /chat', THIRTEEN);
    assert.equal(sameData(run, withSamples('GET /chat', [...THIRTEEN, 500])), false);
    assert.equal(sameData(run, withSamples('GET /chat', [...THIRTEEN.slice(0, -1), 700])), false);
    assert.equal(sameData(run, null), false);
  });

  it('13 vs 13 requests that cannot decide: "too few requests to tell (13 vs 13): run longer"', () => {
    const base = withSamples('GET /chat', THIRTEEN);
    const cur = withSamples('GET /chat', THIRTEEN.map((v) => v * 1.12));
    const [r] = evaluate(CONFIG, [cur], [base]);
    const v = r!.verdicts[0]!;
    assert.equal(v.regression, 'inconclusive', JSON.stringify(v.evidence));
    assert.deepEqual(v.evidence?.requests, { current: 13, baseline: 13 });
    assert.equal(regressionPhrase(v), 'too few requests to tell (13 vs 13): run longer');
  });
});
