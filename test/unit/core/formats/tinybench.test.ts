import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../../src/core/formats/index';
import { tinybenchReader } from '../../../../src/core/formats/tinybench';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank, within } from '../../helpers';
import { detectionSuite } from './benchDetect';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

const latency = { samplesCount: 4, min: 1, max: 4, mean: 2.5, p50: 2.5, p75: 3.25, p99: 3.97, p995: 3.985, p999: 3.997 };
const V3 = {
  tasks: [
    { name: 'a', result: { state: 'completed', latency, throughput: { mean: 480 }, totalTime: 10 } },
    { name: 'b', result: { state: 'completed', latency: { ...latency, samples: [5, 1, 3, 2, 4] }, throughput: { mean: 300 } } },
    { name: 'c', result: { state: 'errored', error: { message: 'boom' } } },
  ],
};
const V2 = [{ name: 'old', result: { samples: [0.3, 0.1, 0.2], min: 0.1, max: 0.3, mean: 0.2, p75: 0.25, p99: 0.3, p995: 0.3, p999: 0.3, hz: 5000 } }];
const rejects = (content: string, file: string, re: RegExp) => rejectsInput(tinybenchReader, content, file, re);

describe('tinybench reader', () => {
  it('tinybench 3+ result.latency: tool numbers kept, or nearest rank over samples; errored task = 1 error', async () => {
    const text = JSON.stringify(V3);
    assert.equal(detectFormat(text, 'tb.json'), 'tinybench');
    const [a, b, c] = await readWith(tinybenchReader, text, 'tb.json');
    assert.equal(a!.exact, true);
    assert.equal(a!.count, 4);
    assert.equal(a!.errors, 0);
    assert.equal(a!.throughputPerSec, 480);
    assert.equal(a!.durationSec, 0.01);
    assert.equal(percentileOf(a!, 50), 2.5);
    assert.equal(percentileOf(a!, 99.5), 3.985);
    assert.equal(percentileOf(a!, 100), 4);
    assert.equal(percentileOf(a!, 90), null);
    const v = [5, 1, 3, 2, 4];
    for (const p of [50, 75, 90, 95, 99, 99.9, 100]) assert.equal(percentileOf(b!, p), nearestRank(v, p), `p${p}`);
    assert.equal(b!.count, 5);
    assert.equal(c!.errors, 1);
    assert.equal(c!.count, 1);
    assert.equal(percentileOf(c!, 50), null);
  });

  it('tinybench 2: statistics on result, samples always there, hz', async () => {
    const text = JSON.stringify(V2);
    assert.equal(detectFormat(text, 'tb2.json'), 'tinybench');
    const [old] = await readWith(tinybenchReader, text, 'tb2.json');
    assert.equal(percentileOf(old!, 50), 0.2);
    assert.equal(old!.throughputPerSec, 5000);
    assert.equal(old!.count, 3);
  });

  it('real samples.json: nearest rank over latency.samples', async () => {
    const doc = JSON.parse(readFileSync(path.join(FIXTURES, 'tinybench', 'samples.json'), 'utf8')) as { tasks: Array<{ name: string; result: { latency?: { samples: number[] } } }> };
    const series = await readWith(tinybenchReader, JSON.stringify(doc), 'samples.json');
    for (const t of doc.tasks) {
      if (!t.result.latency) continue;
      const s = series.find((x) => x.name === t.name)!;
      for (const p of [50, 90, 95, 99, 100]) assert.equal(percentileOf(s, p), nearestRank(t.result.latency.samples, p), `${t.name} p${p}`);
      assert.ok(within(s.meanMs, t.result.latency.samples.reduce((x, y) => x + y, 0) / t.result.latency.samples.length, 1e-12));
    }
  });

  describe('bad input', () => {
    it('truncated, wrong types, negative, not run, empty', async () => {
      await rejects(JSON.stringify(V3).slice(0, 80), 't.json', /JSON/);
      await rejects(JSON.stringify({ tasks: [{ name: 'a', result: { latency: { ...latency, p99: 'x' } } }] }), 'type.json', /\$\.tasks\[0\]\.result\.latency\.p99/);
      await rejects(JSON.stringify({ tasks: [{ name: 'a', result: { latency: { ...latency, min: -1 } } }] }), 'neg.json', /\$\.tasks\[0\]\.result\.latency\.min/);
      await rejects(JSON.stringify({ tasks: [{ name: 'a', result: { state: 'not-started' } }] }), 'nr.json', /\$\.tasks\[0\]\.result has no latency/);
      await rejects(JSON.stringify({ tasks: [] }), 'empty.json', /no tinybench tasks/);
    });
  });
});

fixtureSuite('tinybench', (f) => f === 'tinybench');
detectionSuite('tinybench');
