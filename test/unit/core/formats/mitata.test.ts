import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../../src/core/formats/index';
import { mitataReader } from '../../../../src/core/formats/mitata';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank, within } from '../../helpers';
import { detectionSuite } from './benchDetect';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

const stats = { kind: 'fn', debug: '', samples: null, min: 100, max: 900, p25: 200, p50: 300, p75: 400, p99: 800, p999: 850, avg: 350, ticks: 4096, heap: null };
const DOC = {
  layout: [{ name: null, types: [] }, { name: 'sorting', types: ['g'] }],
  benchmarks: [
    { kind: 'static', alias: 'join', group: 0, baseline: false, args: {}, runs: [{ name: 'join', args: {}, stats }] },
    { kind: 'args', alias: 'sort $n', group: 1, baseline: false, args: { n: [1, 2] }, runs: [
      { name: 'sort 1', args: { n: 1 }, stats: { ...stats, samples: [1500, 1000, 3000, 2000] } },
      { name: 'sort 2', args: { n: 2 }, error: { message: 'boom' } },
    ] },
  ],
  context: { now: 1, runtime: 'node' },
};
const TEXT = JSON.stringify(DOC);
const rejects = (content: string, file: string, re: RegExp) => rejectsInput(mitataReader, content, file, re);

describe('mitata reader', () => {
  it('a series per run (group-prefixed), ns -> ms; the tool numbers kept, or nearest rank over samples', async () => {
    assert.equal(detectFormat(TEXT, 'm.json'), 'mitata');
    const [join, sort1, sort2] = await readWith(mitataReader, TEXT, 'm.json');
    assert.equal(join!.name, 'join');
    assert.equal(join!.count, null);
    assert.equal(join!.errors, 0);
    assert.equal(join!.exact, true);
    assert.equal(join!.throughputPerSec, null);
    assert.equal(percentileOf(join!, 25), 0.0002);
    assert.equal(percentileOf(join!, 50), 0.0003);
    assert.equal(percentileOf(join!, 99.9), 0.00085);
    assert.equal(percentileOf(join!, 100), 0.0009);
    assert.equal(percentileOf(join!, 90), null);
    assert.equal(join!.meanMs, 0.00035);
    assert.equal(sort1!.name, 'sorting > sort 1');
    const v = [0.0015, 0.001, 0.003, 0.002];
    for (const p of [50, 75, 90, 95, 99, 100]) assert.equal(percentileOf(sort1!, p), nearestRank(v, p), `p${p}`);
    assert.equal(sort1!.count, 4);
    assert.equal(sort2!.errors, 1);
    assert.equal(percentileOf(sort2!, 50), null);
  });

  it('real samples.json: nearest rank over stats.samples', async () => {
    const doc = JSON.parse(readFileSync(path.join(FIXTURES, 'mitata', 'samples.json'), 'utf8')) as { benchmarks: Array<{ runs: Array<{ name: string; stats: { samples: number[] } }> }> };
    const series = await readWith(mitataReader, JSON.stringify(doc), 'samples.json');
    const runs = doc.benchmarks.flatMap((b) => b.runs);
    assert.equal(series.length, runs.length);
    for (const r of runs) {
      const s = series.find((x) => x.name.endsWith(r.name))!;
      const v = r.stats.samples.map((ns) => ns / 1e6);
      for (const p of [50, 90, 95, 99, 100]) assert.ok(within(percentileOf(s, p), nearestRank(v, p), 1e-12), `${r.name} p${p}`);
      assert.equal(s.count, v.length);
    }
  });

  describe('bad input', () => {
    it('truncated, wrong types, negative, neither stats nor error', async () => {
      await rejects(TEXT.slice(0, 90), 't.json', /JSON/);
      const bad = (s: unknown) => JSON.stringify({ layout: [], benchmarks: [{ runs: [{ name: 'x', stats: s }] }] });
      await rejects(bad({ ...stats, avg: 'x' }), 'type.json', /\$\.benchmarks\[0\]\.runs\[0\]\.stats\.avg/);
      await rejects(bad({ ...stats, p50: -3 }), 'neg.json', /\$\.benchmarks\[0\]\.runs\[0\]\.stats\.p50/);
      await rejects(JSON.stringify({ layout: [], benchmarks: [{ runs: [{ name: 'x' }] }] }), 'none.json', /neither stats nor error/);
      await rejects(JSON.stringify({ layout: [], benchmarks: [] }), 'empty.json', /no mitata benchmark runs/);
    });
  });
});

fixtureSuite('mitata', (f) => f === 'mitata');
detectionSuite('mitata');
