import { strict as assert } from 'node:assert';
import { parseBaseline, serializeBaseline } from '../../../../src/core/baseline/baselineFile';
import { evaluate } from '../../../../src/core/budgets/evaluate';
import { mergeRuns } from '../../../../src/core/budgets/mergeSeries';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { describeEvidence } from '../../../../src/core/report/describe';
import { renderReport } from '../../../../src/core/report/reports';
import type { RunSummary, Series } from '../../../../src/core/series';

const meta = { createdAt: '2024-01-01T00:00:00.000Z', commit: null, tool: 't', machine: { cpu: 'c', cores: 1, os: 'o', fingerprint: 'f' } };

/** One run of a handler: `n` requests at 1..n ms scaled by `scale` (p95 = 0.95·n·scale, nearest rank). */
function runOf(name: string, scale: number, n = 100, durationSec = 10): Series {
  const h = LatencyHistogram.create();
  for (let i = 1; i <= n; i++) h.recordMs(i * scale);
  return { name, format: 'hdr-log', source: 'r.hlog', count: n, errors: 1, durationSec, throughputPerSec: n / durationSec, exact: false, histogram: h, percentiles: null, minMs: h.minMs, maxMs: h.maxMs, meanMs: h.meanMs };
}

/** A series standing for a repeated run: only `runs` matters to the between-run test. */
function withRunP95s(name: string, p95s: number[]): Series {
  const runs: RunSummary[] = p95s.map((p) => ({ count: 1000, errors: 0, durationSec: 10, percentiles: { '50': p / 2, '95': p } }));
  return { ...runOf(name, 1), runs };
}

const config = parseConfig(JSON.stringify({ budgets: { 'GET /a': { p95: '1s' }, 'GET /b': { p95: '1s' } } }), 'perf-budgets.json');

describe('repeated runs: merged series, per-run summaries, between-run verdicts', () => {
  it('mergeRuns merges histograms, adds durations, and keeps one summary per run', () => {
    const [a] = mergeRuns([[runOf('GET /a', 1)], [runOf('GET /a', 2)], [runOf('GET /a', 3)]]);
    assert.equal(a!.count, 300);
    assert.equal(a!.errors, 3);
    assert.equal(a!.durationSec, 30);
    assert.equal(a!.throughputPerSec, 10);
    assert.equal(a!.histogram!.count, 300);
    assert.equal(a!.runs!.length, 3);
    // Each run's p95 is its 95th of 100 values (HDR precision: within 0.1%).
    a!.runs!.forEach((r, i) => assert.ok(Math.abs(r.percentiles['95']! - 95 * (i + 1)) <= 0.001 * 95 * (i + 1), String(r.percentiles['95'])));
    assert.equal(a!.runs![1]!.count, 100);
    // A single run is just that run.
    assert.equal(mergeRuns([[runOf('GET /a', 1)]])[0]!.runs, undefined);
  });

  it('the baseline keeps per-run summaries deterministically; old files without runs still load', () => {
    const merged = mergeRuns([[runOf('GET /a', 1)], [runOf('GET /a', 2)]]);
    const text = serializeBaseline(merged, meta);
    assert.equal(serializeBaseline(merged, meta), text);
    const entry = JSON.parse(text).series['GET /a'];
    assert.equal(entry.runs.length, 2);
    assert.deepEqual(Object.keys(entry.runs[0]).sort(), ['count', 'durationSec', 'errors', 'latencyMs']);
    assert.deepEqual(Object.keys(entry.runs[0].latencyMs), ['p50', 'p90', 'p95', 'p99', 'p99_9']);
    assert.equal(entry.runs[1].count, 100);
    assert.equal(entry.runs[1].durationSec, 10);
    const back = parseBaseline(text, 'b.json').series[0]!;
    assert.deepEqual(back.runs, merged[0]!.runs!.map((r) => ({ ...r, percentiles: Object.fromEntries(Object.entries(r.percentiles).map(([k, v]) => [k, Number(v.toPrecision(10))])) })));
    // A file written before repeats (no "runs") loads with no runs.
    const old = serializeBaseline([runOf('GET /a', 1)], meta);
    assert.ok(!old.includes('"runs"'));
    assert.equal(parseBaseline(old, 'b.json').series[0]!.runs, undefined);
    assert.throws(() => parseBaseline(text.replace('"runs": [', '"runs": [ 7,'), 'b.json'), /b\.json: not a Perf Budgets baseline \(v1\): series\["GET \/a"\]\.runs\[0\]/);
  });

  it('both sides repeated: Mann–Whitney over the per-run p95s, Holm across handlers, said in the evidence', () => {
    const current = [withRunP95s('GET /a', [130, 128, 131, 127, 129]), withRunP95s('GET /b', [101, 99, 100, 102, 98])];
    const baseline = [withRunP95s('GET /a', [100, 102, 98, 101, 99]), withRunP95s('GET /b', [100, 101, 99, 98, 102])];
    const [a, b] = evaluate(config, current, baseline);
    const va = a!.verdicts[0]!;
    assert.equal(va.evidence!.method, 'runs-mann-whitney');
    // 5 vs 5, complete separation: exact two-sided p = 2/252; Holm over 2 tests doubles the smallest.
    assert.ok(Math.abs(va.evidence!.runs!.p - 2 / 252) < 1e-12);
    assert.ok(Math.abs(va.evidence!.pValue! - 4 / 252) < 1e-12);
    assert.equal(va.regression, 'regressed');
    assert.equal(va.evidence!.runs!.shift, 29);
    assert.equal(
      describeEvidence(va),
      'between-run, 5 vs 5 runs, Mann–Whitney p = 0.0079 (Holm 0.016); median ×1.29, shift +29 ms (Hodges–Lehmann), rank-biserial 1',
    );
    const vb = b!.verdicts[0]!;
    assert.equal(vb.regression, 'unchanged');
    assert.ok(Math.abs(vb.evidence!.runs!.p - 1) < 1e-12); // identical rank sums
    const json = JSON.parse(renderReport('json', [a!, b!]));
    assert.equal(json.verdicts[0].evidence.noise, 'between-run');
    assert.equal(json.verdicts[0].evidence.runs.current, 5);
    assert.equal(json.verdicts[0].evidence.runs.rankBiserial, 1);
    assert.match(renderReport('text', [a!, b!]), /GET \/a p95 .*: regressed — between-run, 5 vs 5 runs, Mann–Whitney p = 0\.0079/);
  });

  it('3 vs 3 runs past the threshold: inconclusive, and the evidence says 4+ runs would decide it', () => {
    const [a] = evaluate(config, [withRunP95s('GET /a', [150, 151, 152])], [withRunP95s('GET /a', [100, 101, 102])]);
    const v = a!.verdicts[0]!;
    assert.equal(v.regression, 'inconclusive');
    assert.equal(v.evidence!.runsNeeded, 4);
    assert.equal(
      describeEvidence(v),
      'between-run, 3 vs 3 runs, Mann–Whitney p = 0.1; median ×1.5, shift +50 ms (Hodges–Lehmann), rank-biserial 1; 3 vs 3 runs cannot reach p < 0.05 (at best 0.1): 4+ runs each would decide it',
    );
  });

  it('only one side repeated: the histogram CI (within-run), noting that between-run noise was not measured', () => {
    const [a] = evaluate(config, [withRunP95s('GET /a', [100, 101, 102])], [runOf('GET /a', 1)]);
    const v = a!.verdicts[0]!;
    assert.equal(v.evidence!.method, 'histogram-ci');
    assert.equal(v.evidence!.note, 'between-run noise not measured (current 3 runs, baseline 1 run; "repeat" both to measure it)');
    assert.match(describeEvidence(v)!, /^within-run, histogram CI: /);
  });
});
