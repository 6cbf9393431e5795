import { InputError } from '../errors';
import * as z from '../zod';
import type { PercentileMap, Series } from '../series';
import { seriesFromSamples, seriesFromSummary, uniqueNamer } from './benchSeries';
import { validateShape } from './jsonShape';
import { MAX_LATENCY_MS, parseJson, readText } from './lines';
import type { Reader } from './reader';

/**
 * tinybench tasks as JSON: tinybench writes no file itself, so this reads what a script writes
 * with `JSON.stringify`: `{ tasks: [{ name, result }] }` or a bare array `[{ name, result }]`
 * (`bench.tasks` mapped to name and result; bench.table() is formatted text, not read).
 * Times in milliseconds.
 * - tinybench 3 to 6: `result.latency` { samples?, samplesCount, p50, p75, p99, p995, p999, min,
 *   max, mean }, `result.throughput.mean` (ops/s), `result.state` ("completed", "errored", …).
 * - tinybench 2: the statistics sit on `result` itself (`samples`, `min`, `max`, `mean`, `p75`,
 *   `p99`, `p995`, `p999`, `hz`), no median; `result.error` when the task threw.
 * A series per task, named by `name`. With samples (`retainSamples: true`, or tinybench 2):
 * p50, p75, p90, p95, p99, p99.9 by nearest rank over them, 100 = max, min/max/mean over them.
 * Without: the tool's numbers: p50, p75, p99, p99.5 (`p995`), p99.9, 100 = max, min, mean.
 * exact = true either way; count = samples (`samplesCount`). errors = 0, or 1 for a task that
 * threw (state "errored" or `error`; then count = 1, no latency). throughputPerSec = the tool's
 * own ops/s (`throughput.mean`, `hz` in tinybench 2); durationSec = `totalTime` in seconds.
 */

const ms = z.number().check(z.nonnegative(), z.maximum(MAX_LATENCY_MS));

const stats = z.object({
  samples: z.optional(z.nullable(z.array(ms))),
  samplesCount: z.optional(z.number().check(z.int(), z.nonnegative())),
  min: ms,
  max: ms,
  mean: ms,
  p50: z.optional(ms),
  p75: z.optional(ms),
  p99: z.optional(ms),
  p995: z.optional(ms),
  p999: z.optional(ms),
});

const result = z.looseObject({
  state: z.optional(z.string()),
  error: z.optional(z.unknown()),
  latency: z.optional(stats),
  throughput: z.optional(z.looseObject({ mean: z.optional(z.number().check(z.nonnegative())) })),
  hz: z.optional(z.number().check(z.nonnegative())),
  totalTime: z.optional(z.number().check(z.nonnegative())),
});

const task = z.object({ name: z.string(), result: z.optional(z.nullable(result)) });
const wrapped = z.object({ tasks: z.array(task) });
const bare = z.array(task);

export const tinybenchReader: Reader = {
  id: 'tinybench',
  detect(head) {
    const t = head.trimStart();
    if (!(t.startsWith('{') || t.startsWith('['))) return false;
    if (/"groups"\s*:\s*\[/.test(t)) return false; // vitest bench --outputJson
    return /"result"\s*:\s*\{/.test(t) && /"p995"\s*:/.test(t) && /"(?:samplesCount|hz|latency)"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const json = parseJson(await readText(source, file), file);
    const isBare = Array.isArray(json);
    const tasks = isBare ? validateShape(bare, json, file, 'tinybench JSON') : validateShape(wrapped, json, file, 'tinybench JSON').tasks;
    if (tasks.length === 0) throw new InputError(file, 'no tinybench tasks (expected {"tasks": [{"name", "result"}]})');
    const unique = uniqueNamer();
    const out: Series[] = [];
    tasks.forEach((t, i) => {
      const r = t.result;
      const base = { name: unique(t.name), format: 'tinybench' as const, source: file };
      const errored = r !== undefined && r !== null && (r.state === 'errored' || (r.error !== undefined && r.error !== null));
      if (errored) {
        out.push(seriesFromSummary({ ...base, errors: 1 }, { count: 1, percentiles: {}, minMs: null, maxMs: null, meanMs: null }));
        return;
      }
      const s = r?.latency ?? (r ? flat(r) : null);
      if (!s) throw new InputError(file, `not a valid tinybench JSON file: ${isBare ? '$' : '$.tasks'}[${i}].result has no latency statistics (task not run?)`);
      const more = {
        ...base,
        errors: 0,
        throughputPerSec: r?.throughput?.mean ?? r?.hz ?? null,
        durationSec: r?.totalTime !== undefined ? r.totalTime / 1000 : null,
      };
      if (s.samples && s.samples.length > 0) {
        out.push(seriesFromSamples(more, s.samples));
        return;
      }
      const percentiles: PercentileMap = {};
      const keys: Array<[keyof typeof s, string]> = [['p50', '50'], ['p75', '75'], ['p99', '99'], ['p995', '99.5'], ['p999', '99.9']];
      for (const [k, key] of keys) {
        const v = s[k];
        if (typeof v === 'number') percentiles[key] = v;
      }
      out.push(seriesFromSummary(more, { count: s.samplesCount ?? null, percentiles, minMs: s.min, maxMs: s.max, meanMs: s.mean }));
    });
    return out;
  },
};

/** tinybench 2: statistics on the result itself. */
function flat(r: z.infer<typeof result>): z.infer<typeof stats> | null {
  const parsed = stats.safeParse(r);
  return parsed.success ? parsed.data : null;
}
