import { InputError } from '../errors';
import * as z from '../zod';
import { percentileKey, type PercentileMap, type Series } from '../series';
import { seriesFromSamples, seriesFromSummary, seriesFromWeighted, toMs, type BenchBase, type TimeUnit } from './benchSeries';
import { readJsonShape } from './jsonShape';
import type { Reader } from './reader';

/**
 * JMH `-rf json` (`-rff result.json`): `[{ benchmark, mode, params?, primaryMetric: { score,
 * scoreError, scorePercentiles, scoreUnit, rawData?, rawDataHistogram? }, secondaryMetrics }]`.
 *
 * A series per entry, named by `benchmark` plus its `params` as ` (k=v, k2=v2)`; when one file
 * holds the same name in several modes, each of those gets ` [<mode>]` appended.
 * - Time modes (`avgt`, `sample`, `ss`; `scoreUnit` ns/op, us/op, ms/op, s/op, min/op…) -> a
 *   latency series in ms.
 *   - `rawData` ([fork][iteration] scores: each iteration's time per op): the iterations are
 *     the samples: p50, p75, p90, p95, p99, p99.9 by nearest rank, 100 = max, min/max/mean over
 *     them; count = iterations over all forks.
 *   - sample mode `rawDataHistogram` ([fork][iteration][[value, count], …]: every sampled
 *     operation's time): the same, weighted by count; count = sampled operations.
 *   - neither: the tool's `scorePercentiles` ("50.0" -> p50, "100.0" -> max, "0.0" -> min), mean
 *     = `score` (the mean time per op in every time mode); count null.
 *   exact = true (from every sample, or the tool's numbers).
 * - `thrpt` (`ops/s`, `ops/ms`, `ops/us`, `ops/ns`, …): throughputPerSec = `score` converted to
 *   operations per second; no latency (percentiles, min, max, mean null); count = iterations.
 * errors null (JMH leaves failed benchmarks out of the file); durationSec null.
 * `secondaryMetrics` (e.g. `·gc.alloc.rate.norm` in B/op with -prof gc) go to `extraMetrics` as
 * "<name> (<unit>)" = their `score`.
 */

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, min: 60_000, hr: 3_600_000, day: 86_400_000 };
/** Units converted by moving the decimal point (no float noise: 10 ns -> 0.00001 ms). */
const DECIMAL_UNITS: Record<string, true> = { ns: true, us: true, ms: true, s: true };
const num = z.number().check(z.nonnegative(), z.maximum(1e18));
/** JMH writes NaN as the string "NaN" (and ± "Infinity") in scoreError/scoreConfidence. */
const loose = z.union([z.number(), z.string(), z.null()]);

const metric = z.looseObject({
  score: z.union([num, z.string()]),
  scoreError: z.optional(loose),
  scoreUnit: z.string(),
  scorePercentiles: z.optional(z.record(z.string(), num)),
  rawData: z.optional(z.array(z.array(num))),
  rawDataHistogram: z.optional(z.array(z.array(z.array(z.tuple([num, num]))))),
});

const schema = z
  .array(
    z.looseObject({
      benchmark: z.string(),
      mode: z.string(),
      params: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
      primaryMetric: metric,
      secondaryMetrics: z.optional(z.record(z.string(), z.looseObject({ score: z.union([z.number(), z.string()]), scoreUnit: z.optional(z.string()) }))),
    }),
  )
  .check(z.minLength(1));

export const jmhReader: Reader = {
  id: 'jmh',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('[') && /"benchmark"\s*:/.test(t) && /"primaryMetric"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const d = await readJsonShape(schema, source, file, 'JMH JSON');
    const names = d.map((r) => r.benchmark + paramText(r.params));
    const modes = new Map<string, Set<string>>();
    names.forEach((n, i) => modes.set(n, (modes.get(n) ?? new Set()).add(d[i]!.mode)));
    const seen = new Map<string, number>();
    return d.map((r, i): Series => {
      let name = names[i]!;
      if (modes.get(name)!.size > 1) name += ` [${r.mode}]`;
      const n = (seen.get(name) ?? 0) + 1;
      seen.set(name, n);
      if (n > 1) name += ` #${n}`;
      const at = `$[${i}].primaryMetric`;
      const pm = r.primaryMetric;
      const extraMetrics: Record<string, number> = {};
      for (const [k, m] of Object.entries(r.secondaryMetrics ?? {})) {
        if (typeof m.score === 'number' && Number.isFinite(m.score)) extraMetrics[`${k} (${m.scoreUnit ?? ''})`] = m.score;
      }
      const base: BenchBase = { name, format: 'jmh', source: file, extraMetrics };
      const [opsPart, timePart] = pm.scoreUnit.split('/');
      if (r.mode === 'thrpt' || opsPart === 'ops') {
        const per = UNIT_MS[timePart ?? ''];
        if (opsPart !== 'ops' || per === undefined) throw new InputError(file, `not a valid JMH JSON file: ${at}.scoreUnit ${JSON.stringify(pm.scoreUnit)} is not a throughput unit (ops/s, ops/ms, …)`);
        const score = scoreOf(pm.score, file, at);
        const count = pm.rawData ? pm.rawData.reduce((a, f) => a + f.length, 0) : null;
        return seriesFromSummary({ ...base, throughputPerSec: (score * 1000) / per }, { count, percentiles: {}, minMs: null, maxMs: null, meanMs: null });
      }
      const factor = timePart === 'op' ? UNIT_MS[opsPart ?? ''] : undefined;
      if (factor === undefined) throw new InputError(file, `not a valid JMH JSON file: ${at}.scoreUnit ${JSON.stringify(pm.scoreUnit)} is not a time per operation (ns/op, us/op, ms/op, s/op)`);
      const unit = opsPart as TimeUnit;
      const ms = (v: number) => (unit in DECIMAL_UNITS ? toMs(v, unit) : v * factor);
      const hist = pm.rawDataHistogram?.flat(1) ?? [];
      if (hist.length > 0) {
        const pairs = hist.flatMap((it) => it.map(([v, c]) => [ms(v), c] as const));
        if (pairs.some(([, c]) => c > 0)) return seriesFromWeighted(base, pairs);
      }
      const raw = pm.rawData?.flat() ?? [];
      if (raw.length > 0) return seriesFromSamples(base, raw.map(ms));
      const percentiles: PercentileMap = {};
      let minMs: number | null = null;
      let maxMs: number | null = null;
      for (const [k, v] of Object.entries(pm.scorePercentiles ?? {})) {
        const p = Number(k);
        if (!Number.isFinite(p) || p < 0 || p > 100) throw new InputError(file, `not a valid JMH JSON file: ${at}.scorePercentiles key ${JSON.stringify(k)} is not a percentile`);
        if (p === 0) minMs = ms(v);
        else if (p === 100) maxMs = ms(v);
        else percentiles[percentileKey(p)] = ms(v);
      }
      const meanMs = ms(scoreOf(pm.score, file, at));
      return seriesFromSummary(base, { count: null, percentiles, minMs, maxMs, meanMs });
    });
  },
};

function scoreOf(score: number | string, file: string, at: string): number {
  if (typeof score === 'number') return score;
  throw new InputError(file, `not a valid JMH JSON file: ${at}.score is ${JSON.stringify(score)}, not a number`);
}

function paramText(params: Record<string, string | number | boolean> | undefined): string {
  const entries = Object.entries(params ?? {});
  return entries.length === 0 ? '' : ` (${entries.map(([k, v]) => `${k}=${String(v)}`).join(', ')})`;
}
