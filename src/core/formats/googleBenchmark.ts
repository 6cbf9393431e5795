import { InputError } from '../errors';
import * as z from '../zod';
import type { Series } from '../series';
import { seriesFromSamples, seriesFromSummary, toMs, uniqueNamer, type TimeUnit } from './benchSeries';
import { readJsonShape } from './jsonShape';
import type { Reader } from './reader';

/**
 * Google Benchmark JSON (`--benchmark_format=json`, or `--benchmark_out=x.json`, whose format is
 * JSON by default): `{ context, benchmarks: [...] }`.
 *
 * A series per `run_name` (the `name` in files older than 1.5, which have no `run_name`); the
 * latency is `real_time` (wall time per iteration; in `time_unit`: ns, us, ms or s) -> ms.
 * - With `run_type: "iteration"` rows (one per repetition, `--benchmark_repetitions=N`): each row
 *   is one sample. p50, p75, p90, p95, p99, p99.9 by nearest rank over the samples, 100 = max,
 *   min/max/mean over them; exact = true; count = samples. Aggregate rows are then ignored.
 * - With aggregates only (`--benchmark_report_aggregates_only=true`): p50 = the `median`
 *   aggregate, mean = the `mean` aggregate, exact = true (the tool's own numbers); no other
 *   percentile, no min/max (the tool prints none); count = `repetitions`.
 * errors = rows with `error_occurred: true` (`SkipWithError`; they carry no time and are no
 * sample), 0 when none. throughputPerSec null (the tool measures none per iteration);
 * `items_per_second`, `bytes_per_second`, the CPU time per iteration (`cpu_time ms`) and user
 * counters go to `extraMetrics`, the mean over the rows. durationSec null.
 */

const UNITS = ['ns', 'us', 'ms', 's'] as const;
const time = z.number().check(z.nonnegative(), z.maximum(1e15));

const row = z.looseObject({
  name: z.string(),
  run_name: z.optional(z.string()),
  run_type: z.optional(z.string()),
  aggregate_name: z.optional(z.string()),
  repetitions: z.optional(z.number().check(z.int(), z.nonnegative())),
  iterations: z.optional(z.number().check(z.nonnegative())),
  real_time: z.optional(time),
  cpu_time: z.optional(time),
  time_unit: z.optional(z.enum(UNITS)),
  error_occurred: z.optional(z.boolean()),
});

const schema = z.object({
  context: z.looseObject({}),
  benchmarks: z.array(row),
});

type Row = z.infer<typeof row>;

/** Fields of a row that are neither times nor counters. */
const NOT_COUNTERS = new Set([
  'name', 'run_name', 'run_type', 'aggregate_name', 'aggregate_unit', 'family_index', 'per_family_instance_index',
  'repetitions', 'repetition_index', 'threads', 'iterations', 'real_time', 'cpu_time', 'time_unit', 'error_occurred',
  'error_message', 'skipped', 'skip_message', 'label', 'big_o', 'rms',
]);

export const googleBenchmarkReader: Reader = {
  id: 'google-benchmark',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('{') && /"context"\s*:\s*\{/.test(t) && /"benchmarks"\s*:\s*\[/.test(t) && /"(?:real_time|time_unit|library_build_type|num_cpus)"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const d = await readJsonShape(schema, source, file, 'Google Benchmark JSON');
    const groups = new Map<string, { iterations: Row[]; aggregates: Row[] }>();
    d.benchmarks.forEach((b, i) => {
      const aggregate = b.run_type === 'aggregate' || (b.run_type === undefined && b.aggregate_name !== undefined);
      if (!b.error_occurred && (b.real_time === undefined || b.time_unit === undefined)) {
        throw new InputError(file, `not a valid Google Benchmark JSON file: $.benchmarks[${i}] has no ${b.real_time === undefined ? 'real_time' : 'time_unit'}`);
      }
      const key = b.run_name ?? (aggregate && b.aggregate_name ? b.name.replace(new RegExp(`_${escapeRe(b.aggregate_name)}$`), '') : b.name);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { iterations: [], aggregates: [] }));
      (aggregate ? g.aggregates : g.iterations).push(b);
    });
    if (groups.size === 0) throw new InputError(file, 'not a valid Google Benchmark JSON file: $.benchmarks is empty');

    const unique = uniqueNamer();
    const out: Series[] = [];
    for (const [name, g] of groups) {
      const base = { name: unique(name), format: 'google-benchmark' as const, source: file };
      if (g.iterations.length > 0) {
        const ok = g.iterations.filter((r) => !r.error_occurred);
        const errors = g.iterations.length - ok.length;
        const extraMetrics = meanCounters(ok);
        const samples = ok.map((r) => toMs(r.real_time!, r.time_unit! as TimeUnit));
        if (samples.length > 0) out.push(seriesFromSamples({ ...base, errors, extraMetrics }, samples, g.iterations.length));
        else out.push(seriesFromSummary({ ...base, errors }, { count: g.iterations.length, percentiles: {}, minMs: null, maxMs: null, meanMs: null }));
        continue;
      }
      const agg = (n: string) => g.aggregates.find((r) => r.aggregate_name === n && !r.error_occurred);
      const median = agg('median');
      const mean = agg('mean');
      const ms = (r: Row | undefined) => (r ? toMs(r.real_time!, r.time_unit! as TimeUnit) : null);
      const first = g.aggregates[0]!;
      const errors = g.aggregates.some((r) => r.error_occurred) ? (first.repetitions ?? 1) : 0;
      const p50 = ms(median);
      out.push(
        seriesFromSummary(
          { ...base, errors, extraMetrics: meanCounters(mean ? [mean] : []) },
          { count: first.repetitions ?? null, percentiles: p50 === null ? {} : { '50': p50 }, minMs: null, maxMs: null, meanMs: ms(mean) },
        ),
      );
    }
    return out;
  },
};

function meanCounters(rows: readonly Row[]): Record<string, number> {
  const acc = new Map<string, { sum: number; n: number }>();
  const add = (k: string, v: number) => {
    const a = acc.get(k);
    if (a) {
      a.sum += v;
      a.n++;
    } else acc.set(k, { sum: v, n: 1 });
  };
  for (const r of rows) {
    if (r.cpu_time !== undefined && r.time_unit !== undefined) add('cpu_time ms', toMs(r.cpu_time, r.time_unit as TimeUnit));
    for (const [k, v] of Object.entries(r)) {
      if (!NOT_COUNTERS.has(k) && typeof v === 'number' && Number.isFinite(v)) add(k, v);
    }
  }
  const out: Record<string, number> = {};
  for (const [k, { sum, n }] of acc) out[k] = sum / n;
  return out;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
