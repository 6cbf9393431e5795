/**
 * Tiny CLI over summarizeFile for the benchmark (bundled by bench.mjs to dist/bench-summarize.js,
 * beside dist/worker.js): `node dist/bench-summarize.js FILE` prints the same JSON shape as
 * `perf-budgets summarize --json`. PB_PARALLEL=0 forces the single-threaded reader.
 */
import { errorRateOf, percentileOf } from '../../src/core/series';
import { summarizeFile } from '../../src/node/read/summarizeFile';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: bench-summarize FILE\n');
  process.exit(2);
}
summarizeFile(file, {
  mainThread: process.env.PB_MAIN_THREAD !== '0',
  ...(process.env.PB_THREADS ? { threads: Number(process.env.PB_THREADS) } : {}),
  parallel: process.env.PB_PARALLEL === '0' ? false : process.env.PB_PARALLEL === '1' ? true : 'auto' }).then(
  (series) => {
    const out = series.map((s) => ({
      name: s.name,
      format: s.format,
      count: s.count,
      errors: s.errors,
      errorRate: errorRateOf(s),
      durationSec: s.durationSec,
      throughputPerSec: s.throughputPerSec,
      exact: s.exact,
      latencyMs: { p50: percentileOf(s, 50), p90: percentileOf(s, 90), p95: percentileOf(s, 95), p99: percentileOf(s, 99), max: percentileOf(s, 100) },
    }));
    process.stdout.write(`${JSON.stringify({ series: out })}\n`);
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
