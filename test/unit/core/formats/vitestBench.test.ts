import assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/core/formats/index';
import { vitestBenchReader } from '../../../../src/core/formats/vitestBench';
import { percentileOf } from '../../../../src/core/series';
import { nearestRank } from '../../helpers';
import { detectionSuite } from './benchDetect';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

const bench = (o: Record<string, unknown>) => ({ id: 'x', rank: 1, rme: 1, totalTime: 50, hz: 100, min: 1, max: 20, mean: 10, p75: 12, p99: 19, p995: 19.5, p999: 19.9, sampleCount: 5, samples: [], ...o });
const DOC = {
  files: [
    {
      filepath: '/w/a.bench.ts',
      groups: [
        { fullName: 'a.bench.ts > parse', benchmarks: [bench({ name: 'json', median: 9 }), bench({ name: 'old', median: undefined })] },
        { fullName: 'a.bench.ts', benchmarks: [bench({ name: 'kept', samples: [4, 2, 8, 6, 10, 1, 3], sampleCount: 7 })] },
      ],
    },
  ],
};
const TEXT = JSON.stringify(DOC);
const rejects = (content: string, file: string, re: RegExp) => rejectsInput(vitestBenchReader, content, file, re);

describe('vitest-bench reader', () => {
  it('a series per benchmark named by group > name; the tool numbers kept exactly, or nearest rank over samples', async () => {
    assert.equal(detectFormat(TEXT, 'bench.json'), 'vitest-bench');
    const [json, old, kept] = await readWith(vitestBenchReader, TEXT, 'bench.json');
    assert.equal(json!.name, 'a.bench.ts > parse > json');
    assert.equal(json!.exact, true);
    assert.equal(json!.count, 5);
    assert.equal(json!.errors, null);
    assert.equal(json!.throughputPerSec, 100); // hz: the tool's own
    assert.equal(json!.durationSec, 0.05);
    assert.equal(percentileOf(json!, 50), 9);
    assert.equal(percentileOf(json!, 75), 12);
    assert.equal(percentileOf(json!, 99), 19);
    assert.equal(percentileOf(json!, 99.5), 19.5);
    assert.equal(percentileOf(json!, 99.9), 19.9);
    assert.equal(percentileOf(json!, 100), 20);
    assert.equal(percentileOf(json!, 90), null, 'not printed: not invented');
    assert.equal(percentileOf(old!, 50), null, 'no median in the file');
    const v = [4, 2, 8, 6, 10, 1, 3];
    for (const p of [50, 75, 90, 95, 99, 100]) assert.equal(percentileOf(kept!, p), nearestRank(v, p), `p${p}`);
    assert.equal(kept!.meanMs, v.reduce((a, b) => a + b, 0) / v.length);
    assert.equal(kept!.count, 7);
  });

  describe('bad input', () => {
    it('truncated, wrong types, negative, empty', async () => {
      await rejects(TEXT.slice(0, 60), 't.json', /JSON/);
      const bad = (o: Record<string, unknown>) => JSON.stringify({ files: [{ groups: [{ fullName: 'g', benchmarks: [bench({ name: 'n', ...o })] }] }] });
      await rejects(bad({ mean: 'x' }), 'type.json', /\$\.files\[0\]\.groups\[0\]\.benchmarks\[0\]\.mean/);
      await rejects(bad({ p99: -1 }), 'neg.json', /\$\.files\[0\]\.groups\[0\]\.benchmarks\[0\]\.p99/);
      await rejects(bad({ sampleCount: 1.5 }), 'int.json', /sampleCount/);
      await rejects(JSON.stringify({ files: [] }), 'empty.json', /no benchmarks/);
    });
  });
});

fixtureSuite('vitest-bench', (f) => f === 'vitest-bench');
detectionSuite('vitest-bench');
