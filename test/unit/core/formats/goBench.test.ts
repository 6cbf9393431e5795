import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../../src/core/formats/index';
import { goBenchReader } from '../../../../src/core/formats/goBench';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank, readContent, within } from '../../helpers';
import { fixtureSuite, rejectsWithInputError, seriesNamed } from './formatTestUtil';

const TEXT = `goos: linux
goarch: amd64
pkg: example.com/budget
cpu: AMD EPYC 7B13
BenchmarkParseHDR-8        	   52140	     22871 ns/op	    4096 B/op	      12 allocs/op
BenchmarkParseHDR/size=large-8 	    1203	    991650 ns/op	  131.02 MB/s
BenchmarkParseHDR-8        	   52000	     23871.5 ns/op	    4096 B/op	      12 allocs/op
BenchmarkParseHDR-8        	   51000	     21871 ns/op	    4096 B/op	      12 allocs/op
BenchmarkParseHDR-8        	   50000	     25000 ns/op	    4096 B/op	      12 allocs/op
BenchmarkCustom-8          	     100	        12.5 widgets/op
BenchmarkNoProcs           	    1000	      1500 ns/op
--- BENCH: BenchmarkParseHDR-8
    bench_test.go:12: some log
PASS
ok  	example.com/budget	13.632s
`;

const rejects = (content: string, fileName: string, match: RegExp, line?: number) => rejectsWithInputError(readContent(content, fileName, 'go-bench'), fileName, match, line);

describe('go-bench reader', () => {
  it('groups -count runs per benchmark (GOMAXPROCS suffix dropped), ns/op → ms, nearest-rank percentiles kept exactly', async () => {
    assert.equal(detectFormat(TEXT, 'bench.txt'), 'go-bench');
    const series = await readContent(TEXT, 'bench.txt');
    assert.deepEqual(series.map((s) => s.name), ['BenchmarkParseHDR', 'BenchmarkParseHDR/size=large', 'BenchmarkNoProcs']);
    const [parse, large, noProcs] = series;
    const runs = [22871, 23871.5, 21871, 25000].map((ns) => ns / 1e6);
    assert.equal(parse!.format, 'go-bench');
    assert.equal(parse!.exact, true);
    assert.equal(parse!.histogram, null);
    assert.equal(parse!.count, 4);
    assert.equal(parse!.errors, null);
    for (const p of [50, 75, 90, 95, 99, 100]) assert.equal(percentileOf(parse!, p), nearestRank(runs, p), `p${p}`);
    assert.equal(percentileOf(parse!, 50), 22871 / 1e6); // median by nearest rank: 2nd of 4
    assert.equal(parse!.minMs, 21871 / 1e6);
    assert.equal(parse!.maxMs, 0.025);
    assert.ok(within(parse!.meanMs, runs.reduce((a, b) => a + b, 0) / 4, 1e-12));
    assert.equal(parse!.throughputPerSec, null, 'Go measures no throughput: none is made up');
    assert.deepEqual(parse!.extraMetrics, { 'B/op': 4096, 'allocs/op': 12 });
    for (const p of [75, 99.9]) assert.equal(percentileOf(parse!, p), nearestRank(runs, p), `p${p}`);
    assert.equal(large!.count, 1);
    assert.equal(percentileOf(large!, 99), 0.99165);
    assert.deepEqual(large!.extraMetrics, { 'MB/s': 131.02 });
    assert.equal(noProcs!.maxMs, 0.0015);
    assert.equal(noProcs!.extraMetrics, undefined, 'no other units: no extraMetrics');
  });

  it('keeps B/op, allocs/op, MB/s and custom units as the mean over the lines (real go test -benchmem -count 5)', async () => {
    const text = readFileSync(path.join(FIXTURES, 'go-bench', 'metrics.txt'), 'utf8');
    const series = await readContent(text, 'metrics.txt');
    // independent parse of the raw lines
    const lines = text.split('\n').filter((l) => /^Benchmark/.test(l)).map((l) => l.trim().split(/\s+/));
    for (const s of series) {
      const mine = lines.filter((f) => f[0]!.replace(/-\d+$/, '') === s.name);
      assert.equal(s.count, mine.length);
      const units = new Set(mine.flatMap((f) => f.filter((_, i) => i >= 3 && i % 2 === 1)));
      units.delete('ns/op');
      const want: Record<string, number> = {};
      for (const u of units) {
        const vals = mine.map((f) => Number(f[f.indexOf(u) - 1]));
        want[u] = vals.reduce((a, b) => a + b, 0) / vals.length;
      }
      assert.deepEqual(Object.keys(s.extraMetrics ?? {}).sort(), [...units].sort(), s.name);
      for (const u of units) assert.ok(within(s.extraMetrics![u]!, want[u]!, 1e-12), `${s.name} ${u}`);
      const ns = mine.map((f) => Number(f[f.indexOf('ns/op') - 1]) / 1e6);
      for (const p of [50, 75, 90, 95, 99, 99.9, 100]) assert.equal(percentileOf(s, p), nearestRank(ns, p), `${s.name} p${p}`);
      assert.equal(s.throughputPerSec, null);
    }
    const sha = seriesNamed(series, 'BenchmarkSHA256');
    assert.ok(within(sha.extraMetrics!['MB/s']!, (114.45 + 119.09 + 22.02 + 41.57 + 71.66) / 5, 1e-12));
    assert.deepEqual(seriesNamed(series, 'BenchmarkJoin').extraMetrics, { 'bytes/join': 575, 'B/op': 576, 'allocs/op': 1 });
  });

  it('detection', () => {
    assert.ok(goBenchReader.detect('BenchmarkX-4   100   12 ns/op\n', 'out.log'));
    assert.ok(!goBenchReader.detect('goos: linux\nPASS\n', 'out.log'));
    assert.ok(!goBenchReader.detect('12\n13\n', 'a.txt'));
  });

  describe('bad input', () => {
    it('no result lines', async () => {
      await rejects('goos: linux\nPASS\nok x 1s\n', 'empty.txt', /no benchmark result lines/);
      await rejects('', 'empty2.txt', /no benchmark result lines/);
    });
    it('odd field count (truncated line) names the line', async () => {
      await rejects('goos: linux\nBenchmarkA-8 100 12 ns/op\nBenchmarkA-8 100 12\n', 'trunc.txt', /fields/, 3);
    });
    it('non-numeric, NaN and negative ns/op name the line', async () => {
      await rejects('BenchmarkA-8 100 abc ns/op\n', 'nan.txt', /ns\/op is not a number/, 1);
      await rejects('BenchmarkA-8 100 NaN ns/op\n', 'nan2.txt', /ns\/op is not a number/, 1);
      await rejects('BenchmarkA-8 100 -5 ns/op\n', 'neg.txt', /negative ns\/op/, 1);
    });
    it('a non-numeric other unit names the line', async () => {
      await rejects('BenchmarkA-8 100 5 ns/op\nBenchmarkA-8 100 5 ns/op x B/op\n', 'bop.txt', /B\/op is not a number/, 2);
    });
  });
});

fixtureSuite('go-bench', (f) => f === 'go-bench');
