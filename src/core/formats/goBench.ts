import { InputError, quote } from '../errors';
import { percentileKey, type PercentileMap, type Series } from '../series';
import { readLines } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';

/**
 * Go `testing` benchmark text (`go test -bench . [-benchmem] [-count N]`), per the Go benchmark
 * data format (golang/proposal 14313):
 *   BenchmarkParse-8   	  274860	      4428 ns/op	       0 B/op	       0 allocs/op
 * Configuration lines (`goos: linux`), PASS/ok/FAIL and other text are ignored.
 *
 * A series is one benchmark, named without the `-N` GOMAXPROCS suffix; each result line is one
 * run, its latency ns/op in ms. The per-run values are kept exactly: percentiles by nearest rank
 * over the runs (p50 = median by nearest rank, 100 = max), min/max/mean; count = runs.
 * errors unknown (null); throughputPerSec = operations per second at the mean (1000 / meanMs).
 * Memory: one number per run.
 */

const RESULT_START = /^Benchmark[^\s]*\s+\d+\s/;
const PERCENTILES = [50, 75, 90, 95, 99];

export const goBenchReader: Reader = {
  id: 'go-bench',
  detect(head: string): boolean {
    return /^Benchmark\S*\s+\d+\s+[-+\d.eE]+\s+ns\/op/m.test(head);
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    const runs = new Map<string, number[]>();
    for await (const { text, no } of readLines(source, file, options.signal)) {
      if (!RESULT_START.test(text)) continue;
      const fields = text.trim().split(/\s+/);
      const name = fields[0]!;
      // "Benchmark" then upper case, digit, '_' or '/' or end (BenchmarkX, Benchmark_x, Benchmark/sub)
      if (name.length > 9 && /^[a-z]/.test(name.slice(9))) continue;
      if (fields.length < 4 || fields.length % 2 !== 0) {
        throw new InputError(file, `benchmark result line has ${fields.length} fields (expected name, iterations, then value/unit pairs): ${quote(text)}`, no);
      }
      let nsPerOp: number | null = null;
      for (let i = 2; i < fields.length; i += 2) {
        if (fields[i + 1] === 'ns/op') {
          const v = Number(fields[i]);
          if (!Number.isFinite(v)) throw new InputError(file, `ns/op is not a number: ${quote(fields[i]!)}`, no);
          if (v < 0) throw new InputError(file, `negative ns/op ${v}`, no);
          nsPerOp = v;
        }
      }
      if (nsPerOp === null) continue; // a custom-unit-only line: no latency
      const key = name.replace(/-\d+$/, '');
      let list = runs.get(key);
      if (!list) runs.set(key, (list = []));
      list.push(nsPerOp / 1e6);
    }
    if (runs.size === 0) throw new InputError(file, 'no benchmark result lines with ns/op (expected "BenchmarkName-8  1000  1234 ns/op")');

    const out: Series[] = [];
    for (const [name, values] of runs) {
      const sorted = [...values].sort((a, b) => a - b);
      const rank = (p: number) => sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
      const percentiles: PercentileMap = {};
      for (const p of PERCENTILES) percentiles[percentileKey(p)] = rank(p);
      const max = sorted[sorted.length - 1]!;
      percentiles['100'] = max;
      const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
      out.push({
        name,
        format: 'go-bench',
        source: file,
        count: sorted.length,
        errors: null,
        durationSec: null,
        throughputPerSec: mean > 0 ? 1000 / mean : null,
        exact: true,
        histogram: null,
        percentiles,
        minMs: sorted[0]!,
        maxMs: max,
        meanMs: mean,
      });
    }
    return out;
  },
};
