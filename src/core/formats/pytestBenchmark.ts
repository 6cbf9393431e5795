import * as z from '../zod';
import type { PercentileMap, Series } from '../series';
import { percentileKey } from '../series';
import { nearestRankSorted, readJsonShape, secondsToMs } from './jsonShape';
import { MAX_LATENCY_MS } from './lines';
import type { Reader } from './reader';

/**
 * pytest-benchmark `--benchmark-json` (and saved `.benchmarks/*.json`): one series per benchmark,
 * named by `name` (its `fullname` when two benchmarks share a name). Latency per iteration,
 * seconds -> ms. p50 = `stats.median`, p25/p75 = `q1`/`q3`, min/max/mean from `stats`; with
 * `stats.data` (every round) p90/p95/p99/p99.9 by nearest rank over the rounds, without it they
 * are absent (never invented). exact = true. count = rounds; errors null (pytest-benchmark drops
 * benchmarks that failed, so the file cannot tell); durationSec = `stats.total`; throughput =
 * `stats.ops` (iterations per second).
 */

/** A time in seconds: at most MAX_LATENCY_MS (beyond it the millisecond value overflows to Infinity). */
const seconds = z.number().check(z.nonnegative(), z.maximum(MAX_LATENCY_MS / 1000));

const schema = z.object({
  benchmarks: z
    .array(
      z.object({
        name: z.string(),
        fullname: z.optional(z.string()),
        stats: z.object({
          min: seconds,
          max: seconds,
          mean: seconds,
          median: seconds,
          q1: z.optional(seconds),
          q3: z.optional(seconds),
          rounds: z.number().check(z.int(), z.nonnegative()),
          total: z.optional(z.number().check(z.nonnegative())),
          ops: z.optional(z.number().check(z.nonnegative())),
          data: z.optional(z.array(seconds)),
        }),
      }),
    )
    .check(z.minLength(1)),
});

const TAIL = [90, 95, 99, 99.9];

export const pytestBenchmarkReader: Reader = {
  id: 'pytest-benchmark',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('{') && /"benchmarks"\s*:\s*\[/.test(t) && /"(?:machine_info|commit_info|stats)"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const d = await readJsonShape(schema, source, file, 'pytest-benchmark JSON');
    const nameCount = new Map<string, number>();
    for (const b of d.benchmarks) nameCount.set(b.name, (nameCount.get(b.name) ?? 0) + 1);
    return d.benchmarks.map((b): Series => {
      const s = b.stats;
      const percentiles: PercentileMap = {};
      if (s.q1 !== undefined) percentiles['25'] = secondsToMs(s.q1);
      percentiles['50'] = secondsToMs(s.median);
      if (s.q3 !== undefined) percentiles['75'] = secondsToMs(s.q3);
      let maxMs = secondsToMs(s.max);
      let minMs = secondsToMs(s.min);
      if (s.data && s.data.length > 0) {
        const sorted = s.data.map(secondsToMs).sort((x, y) => x - y);
        for (const p of TAIL) percentiles[percentileKey(p)] = nearestRankSorted(sorted, p)!;
        maxMs = sorted[sorted.length - 1]!;
        minMs = sorted[0]!;
      }
      percentiles['100'] = maxMs;
      const name = (nameCount.get(b.name) ?? 0) > 1 && b.fullname ? b.fullname : b.name;
      return {
        name,
        format: 'pytest-benchmark',
        source: file,
        count: s.rounds,
        errors: null,
        durationSec: s.total ?? null,
        throughputPerSec: s.ops ?? (s.mean > 0 && Number.isFinite(1 / s.mean) ? 1 / s.mean : null),
        exact: true,
        histogram: null,
        percentiles,
        minMs,
        maxMs,
        meanMs: secondsToMs(s.mean),
      };
    });
  },
};
