import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../../src/core/formats/index';
import { jmhReader } from '../../../../src/core/formats/jmh';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank, within } from '../../helpers';
import { detectionSuite } from './benchDetect';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

const entry = (o: Record<string, unknown>, pm: Record<string, unknown>) => ({ jmhVersion: '1.37', benchmark: 'b.Bench.parse', mode: 'avgt', threads: 1, forks: 2, ...o, primaryMetric: { score: 1, scoreError: 'NaN', scoreUnit: 'us/op', ...pm }, secondaryMetrics: {} });
const DOC = [
  entry({ params: { size: '10' } }, { score: 2.5, rawData: [[2, 3, 1], [4, 2.5, 2.5]] }),
  entry({ mode: 'thrpt', params: { size: '10' } }, { score: 400, scoreUnit: 'ops/ms', rawData: [[390, 410]] }),
  entry({ benchmark: 'b.Bench.sample', mode: 'sample' }, { score: 0.2, scoreUnit: 'ms/op', rawDataHistogram: [[[[0.1, 5], [0.3, 2]], [[0.2, 2]]], [[[1.5, 1]]]] }),
  entry({ benchmark: 'b.Bench.summary' }, { score: 7, scoreUnit: 'ns/op', scorePercentiles: { '0.0': 5, '50.0': 6, '90.0': 8, '99.9': 9, '100.0': 10 } }),
  entry({ benchmark: 'b.Bench.gc', secondaryMetrics: undefined }, { score: 1, scoreUnit: 's/op', rawData: [[1]] }),
];
(DOC[4] as Record<string, unknown>).secondaryMetrics = { '·gc.alloc.rate.norm': { score: 256, scoreUnit: 'B/op' } };
const TEXT = JSON.stringify(DOC, null, 4);
const rejects = (content: string, file: string, re: RegExp) => rejectsInput(jmhReader, content, file, re);

describe('jmh reader', () => {
  it('time modes: rawData iterations or the sample-mode histogram as samples (nearest rank, exact); thrpt: throughput only', async () => {
    assert.equal(detectFormat(TEXT, 'jmh-result.json'), 'jmh');
    const [avgt, thrpt, sample, summary, gc] = await readWith(jmhReader, TEXT, 'jmh-result.json');
    assert.equal(avgt!.name, 'b.Bench.parse (size=10) [avgt]');
    assert.equal(thrpt!.name, 'b.Bench.parse (size=10) [thrpt]');
    const v = [2, 3, 1, 4, 2.5, 2.5].map((us) => us / 1000);
    assert.equal(avgt!.count, 6);
    assert.equal(avgt!.exact, true);
    assert.equal(avgt!.errors, null);
    assert.equal(avgt!.throughputPerSec, null);
    for (const p of [50, 75, 90, 95, 99, 100]) assert.equal(percentileOf(avgt!, p), nearestRank(v, p), `p${p}`);
    assert.equal(thrpt!.throughputPerSec, 400_000);
    assert.equal(thrpt!.count, 2);
    assert.equal(percentileOf(thrpt!, 50), null);
    assert.equal(thrpt!.meanMs, null);
    // histogram: 0.1 x5, 0.3 x2, 0.2 x2, 1.5 x1 = 10 sampled operations
    const expanded = [0.1, 0.1, 0.1, 0.1, 0.1, 0.3, 0.3, 0.2, 0.2, 1.5];
    assert.equal(sample!.name, 'b.Bench.sample');
    assert.equal(sample!.count, 10);
    for (const p of [50, 75, 90, 95, 99, 99.9, 100]) assert.equal(percentileOf(sample!, p), nearestRank(expanded, p), `sample p${p}`);
    assert.ok(within(sample!.meanMs, expanded.reduce((a, b) => a + b, 0) / 10, 1e-12));
    // no raw data: the tool's percentiles, kept as they are
    assert.equal(summary!.count, null);
    assert.equal(percentileOf(summary!, 50), 6e-6);
    assert.equal(percentileOf(summary!, 90), 8e-6);
    assert.equal(percentileOf(summary!, 99.9), 9e-6);
    assert.equal(percentileOf(summary!, 95), null);
    assert.equal(summary!.maxMs, 1e-5);
    assert.equal(summary!.minMs, 5e-6);
    assert.equal(summary!.meanMs, 7e-6);
    assert.equal(gc!.maxMs, 1000);
    assert.deepEqual(gc!.extraMetrics, { '·gc.alloc.rate.norm (B/op)': 256 });
  });

  it('real file (Netflix/hollow, all four modes): the histogram expanded by hand gives the same nearest ranks', async () => {
    const doc = JSON.parse(readFileSync(path.join(FIXTURES, 'jmh', 'hollow-all-modes.json'), 'utf8')) as Array<{ mode: string; primaryMetric: { rawDataHistogram?: Array<Array<Array<[number, number]>>> } }>;
    const series = await readWith(jmhReader, JSON.stringify(doc), 'hollow-all-modes.json');
    const i = doc.findIndex((e) => e.mode === 'sample');
    const all: number[] = [];
    for (const fork of doc[i]!.primaryMetric.rawDataHistogram!) for (const it of fork) for (const [v, c] of it) for (let k = 0; k < c; k++) all.push(v);
    for (const p of [50, 90, 99, 99.9, 100]) assert.equal(percentileOf(series[i]!, p), nearestRank(all, p), `p${p}`);
    assert.equal(series[i]!.count, all.length);
  });

  describe('bad input', () => {
    it('truncated, wrong types, negative, unknown units', async () => {
      await rejects(TEXT.slice(0, 100), 't.json', /JSON/);
      await rejects(JSON.stringify([entry({}, { rawData: [['x']] })]), 'type.json', /\$\[0\]\.primaryMetric\.rawData\[0\]\[0\]/);
      await rejects(JSON.stringify([entry({}, { rawData: [[-1]] })]), 'neg.json', /\$\[0\]\.primaryMetric\.rawData\[0\]\[0\]/);
      await rejects(JSON.stringify([entry({}, { scoreUnit: 'furlongs' })]), 'unit.json', /\$\[0\]\.primaryMetric\.scoreUnit "furlongs"/);
      await rejects(JSON.stringify([entry({ mode: 'thrpt' }, { scoreUnit: 'ops/fortnight' })]), 'tunit.json', /not a throughput unit/);
      await rejects(JSON.stringify([entry({}, { scorePercentiles: { abc: 1 } })]), 'pct.json', /scorePercentiles key "abc"/);
      await rejects('[]', 'empty.json', /\$/);
    });
  });
});

fixtureSuite('jmh', (f) => f === 'jmh');
detectionSuite('jmh');
