import { InputError, quote } from '../errors';
import type { Series } from '../series';
import { seriesFromSamples } from './benchSeries';
import { readLines } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';

/**
 * Go `testing` benchmark text (`go test -bench . [-benchmem] [-count N]`), per the Go benchmark
 * data format (golang/proposal 14313):
 *   BenchmarkParse-8   	  274860	      4428 ns/op	       0 B/op	       0 allocs/op
 * Configuration lines (`goos: linux`), PASS/ok/FAIL and other text are ignored.
 *
 * A series is one benchmark, named without the `-N` GOMAXPROCS suffix; each result line is one
 * sample (`-count N` gives N), its latency ns/op in ms. The samples are kept exactly: p50, p75,
 * p90, p95, p99, p99.9 by nearest rank over them (rank = ceil(p/100 * n)), 100 = max, min/max/mean
 * over them; exact = true; count = result lines (samples, not the iterations column).
 * errors null (a failing benchmark prints no result line); durationSec null; throughputPerSec
 * null (Go measures none: 1e9 / ns/op would be made up). Every other unit on the lines (`B/op`,
 * `allocs/op`, `MB/s` from SetBytes, ReportMetric's custom units) goes to `extraMetrics` under
 * the unit exactly as Go writes it, the mean over the lines that have it. A line without ns/op
 * (ReportMetric(0, "ns/op")) is skipped.
 */

const RESULT_START = /^Benchmark[^\s]*\s+\d+\s/;

export const goBenchReader: Reader = {
  id: 'go-bench',
  detect(head: string): boolean {
    return /^Benchmark\S*\s+\d+\s+[-+\d.eE]+\s+ns\/op/m.test(head);
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    const runs = new Map<string, { ms: number[]; extra: Map<string, { sum: number; n: number }> }>();
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
      const others: Array<[string, number]> = [];
      for (let i = 2; i < fields.length; i += 2) {
        const unit = fields[i + 1]!;
        const v = Number(fields[i]);
        if (!Number.isFinite(v)) throw new InputError(file, `${unit} is not a number: ${quote(fields[i]!)}`, no);
        if (unit === 'ns/op') {
          if (v < 0) throw new InputError(file, `negative ns/op ${v}`, no);
          nsPerOp = v;
        } else others.push([unit, v]);
      }
      if (nsPerOp === null) continue; // a custom-unit-only line: no latency
      const key = name.replace(/-\d+$/, '');
      let run = runs.get(key);
      if (!run) runs.set(key, (run = { ms: [], extra: new Map() }));
      run.ms.push(nsPerOp / 1e6);
      for (const [unit, v] of others) {
        const acc = run.extra.get(unit);
        if (acc) {
          acc.sum += v;
          acc.n++;
        } else run.extra.set(unit, { sum: v, n: 1 });
      }
    }
    if (runs.size === 0) throw new InputError(file, 'no benchmark result lines with ns/op (expected "BenchmarkName-8  1000  1234 ns/op")');

    const out: Series[] = [];
    for (const [name, run] of runs) {
      const extraMetrics: Record<string, number> = {};
      for (const [unit, { sum, n }] of run.extra) extraMetrics[unit] = sum / n;
      out.push(seriesFromSamples({ name, format: 'go-bench', source: file, extraMetrics }, run.ms));
    }
    return out;
  },
};
