import * as assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/core/formats/index';
import { pytestBenchmarkReader } from '../../../../src/core/formats/pytestBenchmark';
import { percentileOf } from '../../../../src/core/series';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

// formats-detailed.md §10.1 example
const DOC =
  '{"benchmarks":[{"group":null,"name":"test_parse[small]","fullname":"tests/test_parse.py::test_parse[small]","stats":{"min":1.2e-05,"max":3.1e-05,"mean":1.41e-05,"stddev":2.2e-06,"rounds":5000,"median":1.38e-05,"iqr":1.1e-06,"q1":1.32e-05,"q3":1.43e-05,"iqr_outliers":210,"stddev_outliers":380,"outliers":"380;210","ld15iqr":1.2e-05,"hd15iqr":1.6e-05,"ops":70921.98,"total":0.0705,"iterations":1}}],"datetime":"2024-05-01T08:00:00+00:00","version":"5.1.0"}';

const bench = (name: string, stats: Record<string, unknown>, fullname = `tests/test_x.py::${name}`) => ({ name, fullname, group: null, stats });

describe('pytest-benchmark reader', () => {
  it('reads the documented example: median, quartiles, max; no tail percentiles without data', async () => {
    const [s, ...rest] = await readWith(pytestBenchmarkReader, DOC, 'bench/0001_run.json');
    assert.equal(rest.length, 0);
    assert.deepEqual(s, {
      name: 'test_parse[small]',
      format: 'pytest-benchmark',
      source: 'bench/0001_run.json',
      count: 5000,
      errors: null,
      durationSec: 0.0705,
      throughputPerSec: 70921.98,
      exact: true,
      histogram: null,
      percentiles: { '25': 0.0132, '50': 0.0138, '75': 0.0143, '100': 0.031 },
      minMs: 0.012,
      maxMs: 0.031,
      meanMs: 0.0141,
    });
    assert.equal(percentileOf(s!, 95), null, 'never invented');
    assert.equal(percentileOf(s!, 99), null);
  });

  it('computes nearest-rank tails over stats.data (every round)', async () => {
    // 200 rounds: 1..200 µs; nearest rank p90 = 180 µs, p95 = 190, p99 = 198, p99.9 = 200
    const data = Array.from({ length: 200 }, (_, i) => (200 - i) / 1e6);
    const json = {
      benchmarks: [bench('test_a', { min: 1e-6, max: 0.0002, mean: 0.0001005, median: 0.0001005, rounds: 200, data, iterations: 1 })],
    };
    const [s] = await readWith(pytestBenchmarkReader, JSON.stringify(json), 'b.json');
    assert.equal(percentileOf(s!, 50), 0.1005, 'p50 = stats.median (mean of the middle two)');
    assert.equal(percentileOf(s!, 90), 0.18);
    assert.equal(percentileOf(s!, 95), 0.19);
    assert.equal(percentileOf(s!, 99), 0.198);
    assert.equal(percentileOf(s!, 99.9), 0.2);
    assert.equal(s!.maxMs, 0.2);
    assert.equal(s!.minMs, 0.001);
    assert.equal(s!.count, 200);
    assert.equal(s!.durationSec, null, 'no total in this file');
    assert.ok(Math.abs(s!.throughputPerSec! - 1 / 0.0001005) < 1e-6, 'ops from the mean when absent');
  });

  it('uses fullname when two benchmarks share a name', async () => {
    const st = { min: 1, max: 1, mean: 1, median: 1, rounds: 1 };
    const json = { benchmarks: [bench('test_x', st, 'a.py::test_x'), bench('test_x', st, 'b.py::test_x'), bench('test_y', st)] };
    const got = await readWith(pytestBenchmarkReader, JSON.stringify(json), 'b.json');
    assert.deepEqual(got.map((s) => s.name), ['a.py::test_x', 'b.py::test_x', 'test_y']);
    assert.equal(got[0]!.percentiles!['50'], 1000);
  });

  it('is detected', () => {
    assert.equal(detectFormat(DOC, 'x.json'), 'pytest-benchmark');
    assert.equal(pytestBenchmarkReader.detect('{\n  "machine_info": {},\n  "benchmarks": [\n', 'x.json'), true);
    assert.equal(pytestBenchmarkReader.detect('{"results":[{"command":"x","times":[]}]}', 'x.json'), false);
  });

  describe('bad input', () => {
    it('empty', () => rejectsInput(pytestBenchmarkReader, '', 'e.json', /empty file/));
    it('truncated', () => rejectsInput(pytestBenchmarkReader, DOC.slice(0, 120), 't.json', /invalid JSON/));
    it('missing median', () => rejectsInput(pytestBenchmarkReader, DOC.replace('"median":1.38e-05,', ''), 'm.json', /\$\.benchmarks\[0\]\.stats\.median missing/));
    it('negative min', () => rejectsInput(pytestBenchmarkReader, DOC.replace('"min":1.2e-05', '"min":-1.2e-05'), 'n.json', /\$\.benchmarks\[0\]\.stats\.min must be >= 0/));
    it('non-numeric data', () =>
      rejectsInput(pytestBenchmarkReader, DOC.replace('"iterations":1', '"iterations":1,"data":[1e-5,"x"]'), 'n.json', /\$\.benchmarks\[0\]\.stats\.data\[1\]/));
    it('fractional rounds', () => rejectsInput(pytestBenchmarkReader, DOC.replace('"rounds":5000', '"rounds":50.5'), 'n.json', /\$\.benchmarks\[0\]\.stats\.rounds/));
    it('benchmarks is not an array', () => rejectsInput(pytestBenchmarkReader, '{"benchmarks":{}}', 'n.json', /\$\.benchmarks/));
    it('no benchmarks', () => rejectsInput(pytestBenchmarkReader, '{"benchmarks":[]}', 'n.json', /\$\.benchmarks/));
  });
});

fixtureSuite('pytest-benchmark', (f) => f === 'pytest-benchmark');
