import { InputError } from '../errors';
import * as z from '../zod';
import type { PercentileMap, Series } from '../series';
import { seriesFromSamples, seriesFromSummary, toMs, uniqueNamer } from './benchSeries';
import { readJsonShape } from './jsonShape';
import type { Reader } from './reader';

/**
 * mitata JSON (`run({ format: 'json' })`, or `{ json: { samples, debug } }`; mitata 1.x):
 * `{ layout: [{ name }], benchmarks: [{ alias, group, runs: [{ name, stats?, error? }] }], context }`,
 * times in nanoseconds.
 *
 * A series per run (a benchmark with `.args()` has one run per argument), named by the run's
 * `name`, prefixed `<group name> > ` when its `layout` group has a name. mitata's samples are per
 * iteration (each the mean of one timed batch), sorted, its outliers (2 at each end) already
 * dropped. With `stats.samples` (`samples: true`): p50, p75, p90, p95, p99, p99.9 by nearest rank
 * over them, 100 = max, min/max/mean over them, count = samples. Without: the tool's numbers:
 * p25, p50, p75, p99, p99.9, 100 = `max`, min, mean = `avg`; count null (the file does not say
 * how many samples). exact = true either way. errors = 0, or 1 for a run that threw (`error`,
 * no stats; count 1, no latency). throughputPerSec null (mitata measures none); durationSec null.
 */

const ns = z.number().check(z.nonnegative(), z.maximum(1e15));

const stats = z.object({
  samples: z.optional(z.nullable(z.array(ns))),
  min: ns,
  max: ns,
  avg: ns,
  p25: z.optional(ns),
  p50: z.optional(ns),
  p75: z.optional(ns),
  p99: z.optional(ns),
  p999: z.optional(ns),
});

const schema = z.object({
  layout: z.optional(z.array(z.nullable(z.looseObject({ name: z.optional(z.nullable(z.string())) })))),
  benchmarks: z.array(
    z.object({
      alias: z.optional(z.string()),
      group: z.optional(z.nullable(z.number())),
      runs: z.array(z.object({ name: z.string(), stats: z.optional(z.nullable(stats)), error: z.optional(z.unknown()) })),
    }),
  ),
});

export const mitataReader: Reader = {
  id: 'mitata',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('{') && /"benchmarks"\s*:\s*\[/.test(t) && /"runs"\s*:\s*\[/.test(t) && /"(?:layout|ticks)"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const d = await readJsonShape(schema, source, file, 'mitata JSON');
    const unique = uniqueNamer();
    const out: Series[] = [];
    d.benchmarks.forEach((b, i) => {
      const groupName = typeof b.group === 'number' ? d.layout?.[b.group]?.name : null;
      b.runs.forEach((r, j) => {
        const base = { name: unique(groupName ? `${groupName} > ${r.name}` : r.name), format: 'mitata' as const, source: file };
        const s = r.stats;
        if (!s) {
          if (r.error === undefined || r.error === null) throw new InputError(file, `not a valid mitata JSON file: $.benchmarks[${i}].runs[${j}] has neither stats nor error`);
          out.push(seriesFromSummary({ ...base, errors: 1 }, { count: 1, percentiles: {}, minMs: null, maxMs: null, meanMs: null }));
          return;
        }
        if (s.samples && s.samples.length > 0) {
          out.push(seriesFromSamples({ ...base, errors: 0 }, s.samples.map((v) => toMs(v, 'ns'))));
          return;
        }
        const percentiles: PercentileMap = {};
        const keys: Array<['p25' | 'p50' | 'p75' | 'p99' | 'p999', string]> = [['p25', '25'], ['p50', '50'], ['p75', '75'], ['p99', '99'], ['p999', '99.9']];
        for (const [k, key] of keys) {
          const v = s[k];
          if (v !== undefined) percentiles[key] = toMs(v, 'ns');
        }
        out.push(seriesFromSummary({ ...base, errors: 0 }, { count: null, percentiles, minMs: toMs(s.min, 'ns'), maxMs: toMs(s.max, 'ns'), meanMs: toMs(s.avg, 'ns') }));
      });
    });
    if (out.length === 0) throw new InputError(file, 'no mitata benchmark runs (expected {"benchmarks": [{"runs": [...]}]})');
    return out;
  },
};
