import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { benchmarkDotNetReader } from '../../../../src/core/formats/benchmarkDotNet';
import { detectFormat } from '../../../../src/core/formats/index';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank, within } from '../../helpers';
import { detectionSuite } from './benchDetect';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

const m = (IterationMode: string, IterationStage: string, Operations: number, Nanoseconds: number) => ({ IterationMode, IterationStage, LaunchIndex: 1, IterationIndex: 1, Operations, Nanoseconds });
const stats = { N: 3, Min: 100, Max: 300, Mean: 200, Median: 190, Percentiles: { P0: 100, P25: 150, P50: 190, P67: 220, P80: 250, P85: 260, P90: 270, P95: 290, P100: 300 } };
const DOC = {
  Title: 'X-20260101',
  HostEnvironmentInfo: { BenchmarkDotNetVersion: '0.15.1' },
  Benchmarks: [
    {
      FullName: 'N.T.Parse(Size: 10)', Method: 'Parse', Type: 'T', Parameters: 'Size=10', Statistics: stats,
      Memory: { BytesAllocatedPerOperation: 48 },
      Measurements: [m('Overhead', 'Actual', 1000, 500), m('Workload', 'Actual', 1000, 210_000), m('Workload', 'Actual', 1000, 400_000), m('Workload', 'Result', 1000, 200_000), m('Workload', 'Result', 1000, 100_000), m('Workload', 'Result', 1000, 300_000)],
    },
    { FullName: 'N.T.Brief', Statistics: stats },
    { FullName: 'N.T.Failed', Statistics: null, Measurements: [] },
    { FullName: 'N.T.Raw', Statistics: null, Measurements: [m('Workload', 'Actual', 10, 50), m('Workload', 'Actual', 10, 70)] },
  ],
};
const TEXT = JSON.stringify(DOC, null, 2);
const rejects = (content: string, file: string, re: RegExp) => rejectsInput(benchmarkDotNetReader, content, file, re);

describe('benchmarkdotnet reader', () => {
  it('Workload/Result measurements per op are the samples; Statistics without them; failed = no latency', async () => {
    assert.equal(detectFormat(TEXT, 'X-report-full.json'), 'benchmarkdotnet');
    const [parse, brief, failed, raw] = await readWith(benchmarkDotNetReader, TEXT, 'X-report-full.json');
    assert.equal(parse!.name, 'N.T.Parse(Size: 10)');
    const v = [200, 100, 300].map((ns) => ns / 1e6);
    assert.equal(parse!.count, 3);
    assert.equal(parse!.exact, true);
    assert.equal(parse!.errors, null);
    assert.equal(parse!.throughputPerSec, null);
    for (const p of [50, 75, 90, 95, 99, 100]) assert.equal(percentileOf(parse!, p), nearestRank(v, p), `p${p}`);
    assert.ok(within(parse!.meanMs, 0.0002, 1e-12));
    assert.equal(parse!.extraMetrics!['Allocated B/op'], 48);
    assert.equal(brief!.count, 3);
    assert.equal(percentileOf(brief!, 50), 0.00019);
    assert.equal(percentileOf(brief!, 90), 0.00027);
    assert.equal(percentileOf(brief!, 67), 0.00022);
    assert.equal(percentileOf(brief!, 99), null);
    assert.equal(brief!.maxMs, 0.0003);
    assert.equal(brief!.minMs, 0.0001);
    assert.equal(failed!.count, null);
    assert.equal(percentileOf(failed!, 50), null);
    assert.equal(raw!.count, 2);
    assert.equal(raw!.maxMs, 7e-6);
  });

  it('real full JSON (TechNobre/PowerUtils.BenchmarkDotnet.Reporter): the Result samples are what Statistics summarise', async () => {
    for (const f of ['Benchmark-report-full.json', 'Demo.Benchmarks.StringProcessorBenchmarks-report-full-compressed.json']) {
      const doc = JSON.parse(readFileSync(path.join(FIXTURES, 'benchmarkdotnet', f), 'utf8')) as { Benchmarks: Array<{ FullName: string; Statistics: { N: number; Mean: number; Min: number; Max: number }; Measurements: Array<{ IterationMode: string; IterationStage: string; Operations: number; Nanoseconds: number }> }> };
      const series = await readWith(benchmarkDotNetReader, JSON.stringify(doc), f);
      for (const b of doc.Benchmarks) {
        const s = series.find((x) => x.name === b.FullName)!;
        const v = b.Measurements.filter((x) => x.IterationMode === 'Workload' && x.IterationStage === 'Result').map((x) => x.Nanoseconds / x.Operations / 1e6);
        for (const p of [50, 90, 95, 99, 100]) assert.ok(within(percentileOf(s, p), nearestRank(v, p), 1e-12), `${f} ${b.FullName} p${p}`);
        assert.equal(s.count, b.Statistics.N);
        assert.ok(within(s.meanMs, b.Statistics.Mean / 1e6, 1e-9), 'mean agrees with the tool');
        assert.ok(within(s.minMs, b.Statistics.Min / 1e6, 1e-9), 'min agrees with the tool');
      }
    }
  });

  describe('bad input', () => {
    it('truncated, wrong types, negative, zero operations, empty', async () => {
      await rejects(TEXT.slice(0, 100), 't.json', /JSON/);
      const bad = (x: unknown) => JSON.stringify({ HostEnvironmentInfo: {}, Benchmarks: [{ FullName: 'a', Measurements: [x] }] });
      await rejects(bad(m('Workload', 'Result', 1, 'x' as unknown as number)), 'type.json', /\$\.Benchmarks\[0\]\.Measurements\[0\]\.Nanoseconds/);
      await rejects(bad(m('Workload', 'Result', 1, -5)), 'neg.json', /\$\.Benchmarks\[0\]\.Measurements\[0\]\.Nanoseconds/);
      await rejects(bad(m('Workload', 'Result', 0, 5)), 'zero.json', /\$\.Benchmarks\[0\]\.Measurements\[0\]\.Operations/);
      await rejects(JSON.stringify({ HostEnvironmentInfo: {}, Benchmarks: [] }), 'empty.json', /empty/);
      await rejects(JSON.stringify({ HostEnvironmentInfo: {}, Benchmarks: [{ Statistics: stats }] }), 'noname.json', /no FullName/);
    });
  });
});

fixtureSuite('benchmarkdotnet', (f) => f === 'benchmarkdotnet');
detectionSuite('benchmarkdotnet');
