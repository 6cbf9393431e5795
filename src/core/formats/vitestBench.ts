import { InputError } from '../errors';
import * as z from '../zod';
import type { PercentileMap, Series } from '../series';
import { seriesFromSamples, seriesFromSummary, uniqueNamer } from './benchSeries';
import { readJsonShape } from './jsonShape';
import { MAX_LATENCY_MS } from './lines';
import type { Reader } from './reader';

/**
 * vitest bench `--outputJson FILE`: `{ files: [{ filepath, groups: [{ fullName, benchmarks: [...] }] }] }`,
 * times in milliseconds (tinybench's, which vitest runs).
 *
 * A series per benchmark, named `<group fullName> > <benchmark name>` ("sort.bench.mjs > strings >
 * join words"). With `samples` (non-empty; vitest writes `[]` unless asked to keep them): p50,
 * p75, p90, p95, p99, p99.9 by nearest rank over the samples, 100 = max, min/max/mean over them.
 * Without: the tool's own numbers: p50 = `median` (absent in files that have none), p75 = `p75`,
 * p99 = `p99`, p99.5 = `p995`, p99.9 = `p999`, 100 = `max`, min, mean; no p90/p95 (not printed).
 * exact = true either way. count = `sampleCount` (the samples); errors null (a failing bench is
 * not written); throughputPerSec = `hz`, the tool's own operations per second; durationSec =
 * `totalTime` in seconds.
 */

const ms = z.number().check(z.nonnegative(), z.maximum(MAX_LATENCY_MS));

const benchmark = z.object({
  name: z.string(),
  hz: z.optional(z.number().check(z.nonnegative())),
  min: ms,
  max: ms,
  mean: ms,
  median: z.optional(ms),
  p75: z.optional(ms),
  p99: z.optional(ms),
  p995: z.optional(ms),
  p999: z.optional(ms),
  totalTime: z.optional(z.number().check(z.nonnegative())),
  sampleCount: z.number().check(z.int(), z.nonnegative()),
  samples: z.optional(z.array(ms)),
});

const schema = z.object({
  files: z.array(
    z.object({
      filepath: z.optional(z.string()),
      groups: z.array(z.object({ fullName: z.string(), benchmarks: z.array(benchmark) })),
    }),
  ),
});

export const vitestBenchReader: Reader = {
  id: 'vitest-bench',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('{') && /"files"\s*:\s*\[/.test(t) && /"groups"\s*:\s*\[/.test(t) && /"benchmarks"\s*:\s*\[/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const d = await readJsonShape(schema, source, file, 'vitest bench --outputJson');
    const unique = uniqueNamer();
    const out: Series[] = [];
    for (const f of d.files) {
      for (const g of f.groups) {
        for (const b of g.benchmarks) {
          const base = {
            name: unique(`${g.fullName} > ${b.name}`),
            format: 'vitest-bench' as const,
            source: file,
            errors: null,
            throughputPerSec: b.hz ?? null,
            durationSec: b.totalTime !== undefined ? b.totalTime / 1000 : null,
          };
          if (b.samples && b.samples.length > 0) {
            out.push(seriesFromSamples(base, b.samples, b.sampleCount));
            continue;
          }
          const percentiles: PercentileMap = {};
          if (b.median !== undefined) percentiles['50'] = b.median;
          if (b.p75 !== undefined) percentiles['75'] = b.p75;
          if (b.p99 !== undefined) percentiles['99'] = b.p99;
          if (b.p995 !== undefined) percentiles['99.5'] = b.p995;
          if (b.p999 !== undefined) percentiles['99.9'] = b.p999;
          out.push(seriesFromSummary(base, { count: b.sampleCount, percentiles, minMs: b.min, maxMs: b.max, meanMs: b.mean }));
        }
      }
    }
    if (out.length === 0) throw new InputError(file, 'no benchmarks (expected {"files": [{"groups": [{"benchmarks": [...]}]}]})');
    return out;
  },
};
