import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { benchmarkId, criterionReader } from '../../../../src/core/formats/criterion';
import { detectFormat } from '../../../../src/core/formats/index';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank, within } from '../../helpers';
import { detectionSuite } from './benchDetect';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

const SAMPLE = JSON.stringify({ sampling_mode: 'Linear', iters: [10, 20, 30, 40], times: [1000, 1800, 3300, 4000] });
const est = (v: number) => ({ confidence_interval: { confidence_level: 0.95, lower_bound: v * 0.9, upper_bound: v * 1.1 }, point_estimate: v, standard_error: v / 100 });
const ESTIMATES = JSON.stringify({ mean: est(1540.2), median: est(1500), median_abs_dev: est(20), slope: null, std_dev: est(30) });
const FIX = path.join(FIXTURES, 'criterion', 'target', 'criterion');
const rejects = (content: string, file: string, re: RegExp) => rejectsInput(criterionReader, content, file, re);

describe('criterion reader', () => {
  it('sample.json: times[i]/iters[i] per iteration, nearest rank over the samples, named by the path', async () => {
    const file = 'target/criterion/parse/small/new/sample.json';
    assert.equal(detectFormat(SAMPLE, file), 'criterion');
    const [s] = await readWith(criterionReader, SAMPLE, file);
    assert.equal(s!.name, 'parse/small');
    const v = [100, 90, 110, 100].map((ns) => ns / 1e6);
    assert.equal(s!.count, 4);
    assert.equal(s!.exact, true);
    assert.equal(s!.errors, null);
    assert.equal(s!.throughputPerSec, null);
    for (const p of [50, 75, 90, 95, 99, 100]) assert.equal(percentileOf(s!, p), nearestRank(v, p), `p${p}`);
    assert.ok(within(s!.meanMs, 0.0001, 1e-12));
  });

  it('estimates.json alone: p50 = median, mean = mean, nothing invented', async () => {
    const file = 'C:\\w\\target\\criterion\\fib\\base\\estimates.json';
    assert.equal(detectFormat(ESTIMATES, file), 'criterion');
    const [s] = await readWith(criterionReader, ESTIMATES, file);
    assert.equal(s!.name, 'fib');
    assert.equal(percentileOf(s!, 50), 0.0015);
    assert.equal(s!.meanMs, 0.0015402);
    assert.equal(percentileOf(s!, 90), null);
    assert.equal(s!.maxMs, null);
    assert.equal(s!.count, null);
    assert.deepEqual(s!.extraMetrics, { 'std_dev ms': 0.00003, 'median_abs_dev ms': 0.00002 });
  });

  it('benchmark id from the path', () => {
    assert.equal(benchmarkId('target/criterion/group/fn/10/new/sample.json'), 'group/fn/10');
    assert.equal(benchmarkId('/abs/target/criterion/fib 20 - slow/new/sample.json'), 'fib 20 - slow');
    assert.equal(benchmarkId('results/fib/new/sample.json'), 'fib');
    assert.equal(benchmarkId('sample.json'), 'sample');
  });

  it('real sample.json (dougch/criterion_gettingstarted): per-iteration times from the raw arrays', async () => {
    const file = path.join(FIX, 'fib 20 - slow', 'new', 'sample.json');
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { iters: number[]; times: number[] };
    const [s] = await readWith(criterionReader, JSON.stringify(raw), 'target/criterion/fib 20 - slow/new/sample.json');
    const v = raw.times.map((t, i) => t / raw.iters[i]! / 1e6);
    for (const p of [50, 90, 95, 99, 100]) assert.ok(within(percentileOf(s!, p), nearestRank(v, p), 1e-12), `p${p}`);
    assert.equal(s!.count, 100);
    // criterion's own mean point estimate is the mean of these per-iteration times
    const est = JSON.parse(readFileSync(path.join(FIX, 'fib 20 - slow', 'new', 'estimates.json'), 'utf8')) as { mean: { point_estimate: number } };
    assert.ok(within(s!.meanMs, est.mean.point_estimate / 1e6, 1e-9));
  });

  it('change/estimates.json is not claimed, and refused when forced', async () => {
    const text = readFileSync(path.join(FIX, 'fib 20 - fast', 'change', 'estimates.json'), 'utf8');
    assert.ok(!criterionReader.detect(text, 'target/criterion/fib 20 - fast/change/estimates.json'));
    await rejects(text, 'change/estimates.json', /relative changes/);
  });

  describe('bad input', () => {
    it('truncated, wrong types, negative, zero iters, length mismatch', async () => {
      await rejects(SAMPLE.slice(0, 30), 't.json', /JSON/);
      await rejects(JSON.stringify({ sampling_mode: 'Flat', iters: [1, 'x'], times: [1, 2] }), 'type.json', /\$\.iters\[1\]/);
      await rejects(JSON.stringify({ sampling_mode: 'Flat', iters: [1, 1], times: [1, -2] }), 'neg.json', /\$\.times\[1\]/);
      await rejects(JSON.stringify({ sampling_mode: 'Flat', iters: [0, 1], times: [1, 2] }), 'zero.json', /\$\.iters\[0\]/);
      await rejects(JSON.stringify({ sampling_mode: 'Flat', iters: [1, 1], times: [1] }), 'len.json', /\$\.iters has 2 entries but \$\.times has 1/);
      await rejects(JSON.stringify({ sampling_mode: 'Flat', iters: [1, 0.5], times: [1, 2] }), 'frac.json', /\$\.iters\[1\]/);
      await rejects(JSON.stringify({ sampling_mode: 'Flat', iters: [1, 1], times: [1, 1e18] }), 'huge.json', /\$\.times\[1\] \/ \$\.iters\[1\] is 1000000000000 ms/);
      await rejects(JSON.stringify({ mean: est(1), median: { point_estimate: 'x' }, std_dev: est(1) }), 'est.json', /\$\.median\.point_estimate/);
    });
  });
});

fixtureSuite('criterion', (f) => f === 'criterion');
detectionSuite('criterion');
