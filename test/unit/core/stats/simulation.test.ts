import { strict as assert } from 'node:assert';
import { evaluate } from '../../../../src/core/budgets/evaluate';
import { mergeRuns } from '../../../../src/core/budgets/mergeSeries';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { Random } from '../../../../src/core/stats/random';
import type { Series } from '../../../../src/core/series';

/**
 * Seeded simulations of the regression verdict on synthetic latency distributions.
 * Each distribution has a pool of independent 20k-request runs (and the same runs 20% slower);
 * comparisons pair distinct runs of the pool, so 1,000 comparisons cost 2 × 60 runs to generate.
 */
const REQUESTS = 20_000;
const POOL = 60;
const TRIALS = 1000;
const ALPHA = 0.05;

type Sampler = (r: Random) => number;
const DISTRIBUTIONS: Record<string, Sampler> = {
  lognormal: (r) => 20 * Math.exp(0.5 * r.normal()),
  bimodal: (r) => (r.next() < 0.8 ? 10 + 2 * r.normal() ** 2 : 80 + 10 * Math.abs(r.normal())),
  'heavy tail': (r) => 5 + 5 / Math.pow(1 - r.next(), 1 / 2.5), // Pareto, shape 2.5
};

interface Pool {
  runs: LatencyHistogram[];
  slower: LatencyHistogram[];
}

const pools = new Map<string, Pool>();
function pool(name: string): Pool {
  let p = pools.get(name);
  if (!p) {
    const r = new Random(name.length * 7919);
    const sample = DISTRIBUTIONS[name]!;
    p = { runs: [], slower: [] };
    for (let i = 0; i < POOL; i++) {
      const a = LatencyHistogram.create();
      for (let k = 0; k < REQUESTS; k++) a.recordMs(sample(r));
      p.runs.push(a);
    }
    // Independent runs of the 20%-slower build: their own samples, not scaled copies of `runs`.
    for (let i = 0; i < POOL; i++) {
      const b = LatencyHistogram.create();
      for (let k = 0; k < REQUESTS; k++) b.recordMs(sample(r) * 1.2);
      p.slower.push(b);
    }
    pools.set(name, p);
  }
  return p;
}

// min/mean/max walk every bucket: computed once per pooled run, not per comparison.
const summaries = new Map<LatencyHistogram, Pick<Series, 'minMs' | 'maxMs' | 'meanMs'>>();
function series(name: string, h: LatencyHistogram): Series {
  let s = summaries.get(h);
  if (!s) summaries.set(h, (s = { minMs: h.minMs, maxMs: h.maxMs, meanMs: h.meanMs }));
  return { name, format: 'hdr-log', source: 'sim', count: h.count, errors: 0, durationSec: 10, throughputPerSec: h.count / 10, exact: false, histogram: h, percentiles: null, ...s };
}

function config(handlers: number) {
  const budgets: Record<string, unknown> = {};
  for (let i = 0; i < handlers; i++) budgets[`h${i}`] = { p95: '10m' };
  return parseConfig(JSON.stringify({ regressionThreshold: '10%', budgets }), 'sim.json');
}

/** Two distinct pool indexes. */
function pair(r: Random): [number, number] {
  const i = Math.floor(r.next() * POOL);
  let j = Math.floor(r.next() * (POOL - 1));
  if (j >= i) j++;
  return [i, j];
}

describe('regression verdicts: seeded simulations (1,000 comparisons of 20k-request runs)', function () {
  this.timeout(120_000);

  for (const dist of Object.keys(DISTRIBUTIONS)) {
    it(`${dist}: A/A false regressions ≤ α per handler; a +20% p95 shift is flagged in ≥ 95%`, () => {
      const p = pool(dist);
      const cfg = config(1);
      const r = new Random(99);
      let falseAlarms = 0;
      let detected = 0;
      for (let t = 0; t < TRIALS; t++) {
        const [i, j] = pair(r);
        const aa = evaluate(cfg, [series('h0', p.runs[i]!)], [series('h0', p.runs[j]!)])[0]!.verdicts[0]!;
        if (aa.regression === 'regressed') falseAlarms++;
        const ab = evaluate(cfg, [series('h0', p.slower[i]!)], [series('h0', p.runs[j]!)])[0]!.verdicts[0]!;
        if (ab.regression === 'regressed') detected++;
      }
      console.log(`      ${dist}: false regressions ${falseAlarms}/${TRIALS} (${((100 * falseAlarms) / TRIALS).toFixed(1)}%), +20% detected ${detected}/${TRIALS} (${((100 * detected) / TRIALS).toFixed(1)}%)`);
      assert.ok(falseAlarms / TRIALS <= ALPHA, `false regression rate ${falseAlarms / TRIALS}`);
      assert.ok(detected / TRIALS >= 0.95, `detection rate ${detected / TRIALS}`);
    });
  }

  it('calibration: at exactly the threshold (+10%), "regressed" is reported in ≤ α of comparisons', () => {
    const r = new Random(5);
    const sample = DISTRIBUTIONS.lognormal!;
    const atThreshold = Array.from({ length: POOL }, () => {
      const h = LatencyHistogram.create();
      for (let k = 0; k < REQUESTS; k++) h.recordMs(sample(r) * 1.1);
      return h;
    });
    const p = pool('lognormal');
    const cfg = config(1);
    let regressed = 0;
    let inconclusive = 0;
    for (let t = 0; t < TRIALS; t++) {
      const [i, j] = pair(r);
      const v = evaluate(cfg, [series('h0', atThreshold[i]!)], [series('h0', p.runs[j]!)])[0]!.verdicts[0]!;
      if (v.regression === 'regressed') regressed++;
      if (v.regression === 'inconclusive') inconclusive++;
    }
    console.log(`      +10% (the threshold): regressed ${regressed}/${TRIALS}, inconclusive ${inconclusive}/${TRIALS}`);
    assert.ok(regressed / TRIALS <= ALPHA);
    assert.ok(inconclusive / TRIALS >= 0.5, 'a change right at the threshold is mostly undecidable');
  });

  it('a 40-handler run: ≤ 5% of A/A runs report any regression; one slower handler is flagged, the others not', () => {
    const p = pool('lognormal');
    const cfg = config(40);
    const r = new Random(2024);
    const runs = 250;
    let anyFalse = 0;
    let flagged = 0;
    let othersFlagged = 0;
    for (let t = 0; t < runs; t++) {
      const cur: Series[] = [];
      const base: Series[] = [];
      const slowCur: Series[] = [];
      for (let h = 0; h < 40; h++) {
        const [i, j] = pair(r);
        cur.push(series(`h${h}`, p.runs[i]!));
        base.push(series(`h${h}`, p.runs[j]!));
        slowCur.push(series(`h${h}`, h === 7 ? p.slower[i]! : p.runs[i]!));
      }
      const aa = evaluate(cfg, cur, base).flatMap((x) => x.verdicts);
      if (aa.some((v) => v.regression === 'regressed')) anyFalse++;
      const ab = evaluate(cfg, slowCur, base).flatMap((x) => x.verdicts);
      if (ab.find((v) => v.handler === 'h7')!.regression === 'regressed') flagged++;
      if (ab.some((v) => v.handler !== 'h7' && v.regression === 'regressed')) othersFlagged++;
    }
    console.log(`      40 handlers: runs with any false regression ${anyFalse}/${runs}; slower handler flagged ${flagged}/${runs}; runs flagging another handler ${othersFlagged}/${runs}`);
    assert.ok(anyFalse / runs <= 0.05);
    assert.ok(flagged / runs >= 0.95);
    assert.ok(othersFlagged / runs <= 0.05);
  });
});

describe('repeated runs: seeded simulation with between-run noise', function () {
  this.timeout(120_000);
  const RUN_REQUESTS = 1000;
  const RUN_TRIALS = 300;
  /** One run: lognormal latencies, all scaled by the run's own factor (a machine that is faster or slower that minute). */
  function run(r: Random, shift: number): Series {
    const factor = Math.exp(0.1 * r.normal()) * shift;
    const h = LatencyHistogram.create();
    for (let k = 0; k < RUN_REQUESTS; k++) h.recordMs(20 * Math.exp(0.5 * r.normal()) * factor);
    return series('h0', h);
  }
  const repeated = (r: Random, n: number, shift = 1) => mergeRuns(Array.from({ length: n }, () => [run(r, shift)]));

  it('A/A with 5 vs 5 runs (10% between-run spread): false regressions ≤ α; +30% with 8 vs 8 runs is flagged in ≥ 90%', () => {
    const cfg = config(1);
    const r = new Random(77);
    let falseAlarms = 0;
    let withinRunFalse = 0;
    let detected = 0;
    for (let t = 0; t < RUN_TRIALS; t++) {
      const [cur] = repeated(r, 5);
      const [base] = repeated(r, 5);
      const aa = evaluate(cfg, [cur!], [base!])[0]!.verdicts[0]!;
      assert.equal(aa.evidence!.method, 'runs-mann-whitney');
      if (aa.regression === 'regressed') falseAlarms++;
      // The same data judged within-run only (no per-run summaries): the between-run spread is ignored.
      const within = evaluate(cfg, [{ ...cur!, runs: undefined }], [{ ...base!, runs: undefined }])[0]!.verdicts[0]!;
      if (within.regression === 'regressed') withinRunFalse++;
      const [slow] = repeated(r, 8, 1.3);
      const [base8] = repeated(r, 8);
      if (evaluate(cfg, [slow!], [base8!])[0]!.verdicts[0]!.regression === 'regressed') detected++;
    }
    console.log(
      `      repeat: A/A false regressions between-run ${falseAlarms}/${RUN_TRIALS}, within-run ${withinRunFalse}/${RUN_TRIALS}; +30% (8 vs 8 runs) detected ${detected}/${RUN_TRIALS}`,
    );
    assert.ok(falseAlarms / RUN_TRIALS <= ALPHA, `false regression rate ${falseAlarms / RUN_TRIALS}`);
    assert.ok(detected / RUN_TRIALS >= 0.9, `detection rate ${detected / RUN_TRIALS}`);
  });
});
