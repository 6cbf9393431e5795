import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../../src/core/formats/index';
import { googleBenchmarkReader } from '../../../../src/core/formats/googleBenchmark';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank, within } from '../../helpers';
import { detectionSuite } from './benchDetect';
import { fixtureSuite, readWith, rejectsInput, seriesNamed } from './formatTestUtil';

const row = (o: Record<string, unknown>) => ({ family_index: 0, per_family_instance_index: 0, threads: 1, ...o });
const DOC = {
  context: { date: '2026-12-07T11:05:15+00:00', num_cpus: 2, library_build_type: 'release' },
  benchmarks: [
    ...[1200, 1100, 1500, 900, 1000].map((t, i) =>
      row({ name: 'BM_X/64', run_name: 'BM_X/64', run_type: 'iteration', repetitions: 5, repetition_index: i, iterations: 1000, real_time: t, cpu_time: t / 2, time_unit: 'ns', items_per_second: 64e9 / t }),
    ),
    row({ name: 'BM_X/64_mean', run_name: 'BM_X/64', run_type: 'aggregate', repetitions: 5, aggregate_name: 'mean', iterations: 5, real_time: 1140, cpu_time: 570, time_unit: 'ns' }),
    row({ name: 'BM_X/64_median', run_name: 'BM_X/64', run_type: 'aggregate', repetitions: 5, aggregate_name: 'median', iterations: 5, real_time: 1100, cpu_time: 550, time_unit: 'ns' }),
    row({ name: 'BM_Y_mean', run_name: 'BM_Y', run_type: 'aggregate', repetitions: 3, aggregate_name: 'mean', iterations: 3, real_time: 2.5, cpu_time: 2, time_unit: 'ms' }),
    row({ name: 'BM_Y_median', run_name: 'BM_Y', run_type: 'aggregate', repetitions: 3, aggregate_name: 'median', iterations: 3, real_time: 2.25, cpu_time: 2, time_unit: 'ms' }),
    row({ name: 'BM_Y_stddev', run_name: 'BM_Y', run_type: 'aggregate', repetitions: 3, aggregate_name: 'stddev', iterations: 3, real_time: 0.5, cpu_time: 0.1, time_unit: 'ms' }),
    row({ name: 'BM_Z', run_name: 'BM_Z', run_type: 'iteration', repetitions: 1, repetition_index: 0, iterations: 1, error_occurred: true, error_message: 'boom', real_time: 0, cpu_time: 0, time_unit: 'ns' }),
    row({ name: 'BM_S', run_name: 'BM_S', run_type: 'iteration', repetitions: 1, repetition_index: 0, iterations: 10, real_time: 1.5, cpu_time: 1.5, time_unit: 's' }),
  ],
};
const TEXT = JSON.stringify(DOC, null, 2);
const rejects = (content: string, file: string, re: RegExp) => rejectsInput(googleBenchmarkReader, content, file, re);

describe('google-benchmark reader', () => {
  it('repetitions are the samples of a run_name (real_time -> ms, nearest rank, exact); aggregates only when there are no iteration rows', async () => {
    assert.equal(detectFormat(TEXT, 'bench.json'), 'google-benchmark');
    const series = await readWith(googleBenchmarkReader, TEXT, 'bench.json');
    assert.deepEqual(series.map((s) => s.name), ['BM_X/64', 'BM_Y', 'BM_Z', 'BM_S']);
    const [x, y, z, s] = series;
    const ms = [1200, 1100, 1500, 900, 1000].map((t) => t / 1e6);
    assert.equal(x!.count, 5);
    assert.equal(x!.exact, true);
    assert.equal(x!.errors, 0);
    assert.equal(x!.throughputPerSec, null);
    for (const p of [50, 75, 90, 95, 99, 99.9, 100]) assert.ok(within(percentileOf(x!, p), nearestRank(ms, p), 1e-12), `p${p}`);
    assert.equal(percentileOf(x!, 50), 0.0011); // the 3rd of 5, not the aggregate (also 1100 here)
    assert.equal(x!.minMs, 0.0009);
    assert.equal(x!.maxMs, 0.0015);
    assert.ok(within(x!.meanMs, 0.00114, 1e-12));
    assert.ok(within(x!.extraMetrics!['cpu_time ms']!, 0.00057, 1e-12));
    assert.ok(within(x!.extraMetrics!['items_per_second']!, [1200, 1100, 1500, 900, 1000].reduce((a, t) => a + 64e9 / t, 0) / 5, 1e-12));
    // aggregates only: median and mean, nothing invented
    assert.equal(y!.count, 3);
    assert.equal(percentileOf(y!, 50), 2.25);
    assert.equal(y!.meanMs, 2.5);
    assert.equal(percentileOf(y!, 90), null);
    assert.equal(y!.maxMs, null);
    assert.equal(y!.minMs, null);
    assert.equal(y!.exact, true);
    // SkipWithError: an error, no latency
    assert.equal(z!.count, 1);
    assert.equal(z!.errors, 1);
    assert.equal(percentileOf(z!, 50), null);
    assert.equal(s!.maxMs, 1500);
  });

  it('real --benchmark_repetitions=5 output: nearest rank over the repetitions, from the raw rows', async () => {
    const doc = JSON.parse(readFileSync(path.join(FIXTURES, 'google-benchmark', 'repetitions.json'), 'utf8')) as { benchmarks: Array<Record<string, unknown>> };
    const series = await readWith(googleBenchmarkReader, JSON.stringify(doc), 'repetitions.json');
    const unit = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 } as Record<string, number>;
    for (const s of series) {
      const rows = doc.benchmarks.filter((b) => b.run_name === s.name && b.run_type === 'iteration' && !b.error_occurred);
      if (rows.length === 0) continue;
      const v = rows.map((b) => (b.real_time as number) * unit[b.time_unit as string]!);
      for (const p of [50, 90, 95, 99, 100]) assert.ok(within(percentileOf(s, p), nearestRank(v, p), 1e-12), `${s.name} p${p}`);
      assert.equal(s.count, 5);
    }
    assert.equal(seriesNamed(series, 'BM_Fails').errors, 5);
  });

  describe('bad input', () => {
    it('not JSON, wrong types, negative times, unknown unit, missing real_time', async () => {
      await rejects(TEXT.slice(0, 200), 'trunc.json', /JSON/);
      await rejects(JSON.stringify({ context: {}, benchmarks: [{ name: 'a', real_time: '1', time_unit: 'ns' }] }), 'type.json', /\$\.benchmarks\[0\]\.real_time/);
      await rejects(JSON.stringify({ context: {}, benchmarks: [{ name: 'a', real_time: -1, time_unit: 'ns' }] }), 'neg.json', /\$\.benchmarks\[0\]\.real_time/);
      await rejects(JSON.stringify({ context: {}, benchmarks: [{ name: 'a', real_time: 1, time_unit: 'ps' }] }), 'unit.json', /\$\.benchmarks\[0\]\.time_unit/);
      await rejects(JSON.stringify({ context: {}, benchmarks: [{ name: 'a', time_unit: 'ns' }] }), 'miss.json', /\$\.benchmarks\[0\] has no real_time/);
      await rejects(JSON.stringify({ context: {}, benchmarks: [] }), 'empty.json', /empty/);
      await rejects(JSON.stringify({ context: {} }), 'nob.json', /\$\.benchmarks/);
    });
  });
});

fixtureSuite('google-benchmark', (f) => f === 'google-benchmark');
detectionSuite('google-benchmark');
