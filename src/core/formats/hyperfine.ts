import * as z from '../zod';
import type { PercentileMap, Series } from '../series';
import { percentileKey } from '../series';
import { nearestRankSorted, readJsonShape, secondsToMs } from './jsonShape';
import { MAX_LATENCY_MS } from './lines';
import type { Reader } from './reader';

/**
 * hyperfine `--export-json`: one series per `command` (its `--command-name` when given).
 * `times` holds every run (seconds): p90/p95/p99/p99.9 by nearest rank over them, p50 = the
 * tool's `median`, max/min over the runs, mean = `mean`; exact = true (computed from every run).
 * count = runs; errors = runs with a non-zero (or null: killed by a signal) exit code, null for
 * exports older than 1.12 (no `exit_codes`); durationSec = the runs' summed time (they run one
 * after another), throughput = runs per second of that.
 */

/** A time in seconds: at most MAX_LATENCY_MS (beyond it the millisecond value overflows to Infinity). */
const seconds = z.number().check(z.nonnegative(), z.maximum(MAX_LATENCY_MS / 1000));

const schema = z.object({
  results: z
    .array(
      z.object({
        command: z.string(),
        mean: seconds,
        median: z.optional(seconds),
        min: z.optional(seconds),
        max: z.optional(seconds),
        times: z.array(seconds).check(z.minLength(1)),
        exit_codes: z.optional(z.array(z.nullable(z.number().check(z.int())))),
      }),
    )
    .check(z.minLength(1)),
});

const TAIL = [90, 95, 99, 99.9];

export const hyperfineReader: Reader = {
  id: 'hyperfine',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('{') && /"results"\s*:\s*\[/.test(t) && /"command"\s*:/.test(t) && /"(?:times|mean)"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const d = await readJsonShape(schema, source, file, 'hyperfine --export-json');
    const seen = new Map<string, number>();
    return d.results.map((r): Series => {
      const sorted = r.times.map(secondsToMs).sort((a, b) => a - b);
      const percentiles: PercentileMap = {};
      percentiles['50'] = r.median !== undefined ? secondsToMs(r.median) : nearestRankSorted(sorted, 50)!;
      for (const p of TAIL) percentiles[percentileKey(p)] = nearestRankSorted(sorted, p)!;
      const maxMs = sorted[sorted.length - 1]!;
      percentiles['100'] = maxMs;
      const totalSec = r.times.reduce((a, b) => a + b, 0);
      const n = (seen.get(r.command) ?? 0) + 1;
      seen.set(r.command, n);
      return {
        name: n === 1 ? r.command : `${r.command} #${n}`,
        format: 'hyperfine',
        source: file,
        count: r.times.length,
        errors: r.exit_codes ? r.exit_codes.filter((c) => c !== 0).length : null,
        durationSec: totalSec,
        throughputPerSec: totalSec > 0 && Number.isFinite(r.times.length / totalSec) ? r.times.length / totalSec : null,
        exact: true,
        histogram: null,
        percentiles,
        minMs: sorted[0]!,
        maxMs,
        meanMs: secondsToMs(r.mean),
      };
    });
  },
};
