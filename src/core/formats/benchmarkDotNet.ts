import { InputError } from '../errors';
import * as z from '../zod';
import { percentileKey, type PercentileMap, type Series } from '../series';
import { seriesFromSamples, seriesFromSummary, toMs, uniqueNamer } from './benchSeries';
import { readJsonShape } from './jsonShape';
import type { Reader } from './reader';

/**
 * BenchmarkDotNet full JSON (`*-report-full.json`, `*-report-full-compressed.json`, from
 * `--exporters json` / `[JsonExporterAttribute.Full]`): `{ Title, HostEnvironmentInfo,
 * Benchmarks: [{ FullName, Method, Type, Parameters, Statistics, Memory, Measurements }] }`,
 * times in nanoseconds.
 *
 * A series per benchmark, named by `FullName` (namespace, type, method and parameters).
 * - With `Measurements`: the `IterationMode: "Workload"`, `IterationStage: "Result"` ones (BDN
 *   0.10 and older: `IterationMode: "Result"`) are the samples: BenchmarkDotNet's "Result =
 *   ActualWorkload - MedianOverhead", upper outliers removed by the default OutlierMode, i.e.
 *   exactly the iterations its `Statistics` summarise. Each is Nanoseconds / Operations per op.
 *   Without Result measurements, the Workload/Actual ones (raw, overhead included) are used.
 *   p50, p75, p90, p95, p99, p99.9 by nearest rank over the samples, 100 = max, min/max/mean
 *   over them; count = samples (iterations, not operations).
 * - Without them (brief JSON, `excludeMeasurements`): `Statistics` (ns): p50 = `Median`,
 *   `Percentiles` P25/P67/P80/P85/P90/P95 as they are, min/max/mean = `Min`/`Max`/`Mean`;
 *   count = `N`.
 * exact = true either way. A benchmark that failed has `Statistics: null` and no measurements:
 * count null, no latency. errors null (the file does not say why a benchmark has no results);
 * throughputPerSec null; durationSec null. `Memory.BytesAllocatedPerOperation` goes to
 * `extraMetrics` as "Allocated B/op", `Metrics[]` as "<Descriptor.Id>" = Value.
 */

const ns = z.number().check(z.nonnegative(), z.maximum(1e18));

const measurement = z.looseObject({
  IterationMode: z.string(),
  IterationStage: z.optional(z.string()),
  Operations: z.number().check(z.int(), z.minimum(1)),
  Nanoseconds: ns,
});

const statistics = z.looseObject({
  N: z.optional(z.number().check(z.int(), z.nonnegative())),
  Min: ns,
  Max: ns,
  Mean: ns,
  Median: z.optional(ns),
  Percentiles: z.optional(z.nullable(z.record(z.string(), ns))),
});

const schema = z.object({
  Benchmarks: z.array(
    z.looseObject({
      FullName: z.optional(z.string()),
      DisplayInfo: z.optional(z.string()),
      Method: z.optional(z.string()),
      Type: z.optional(z.string()),
      Statistics: z.optional(z.nullable(statistics)),
      Memory: z.optional(z.nullable(z.looseObject({ BytesAllocatedPerOperation: z.optional(z.nullable(z.number())) }))),
      Metrics: z.optional(z.nullable(z.array(z.looseObject({ Value: z.number(), Descriptor: z.looseObject({ Id: z.string() }) })))),
      Measurements: z.optional(z.nullable(z.array(measurement))),
    }),
  ),
});

export const benchmarkDotNetReader: Reader = {
  id: 'benchmarkdotnet',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('{') && /"Benchmarks"\s*:\s*\[/.test(t) && /"(?:HostEnvironmentInfo|BenchmarkDotNetVersion)"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const d = await readJsonShape(schema, source, file, 'BenchmarkDotNet JSON');
    if (d.Benchmarks.length === 0) throw new InputError(file, 'not a valid BenchmarkDotNet JSON file: $.Benchmarks is empty');
    const unique = uniqueNamer();
    return d.Benchmarks.map((b, i): Series => {
      const rawName = b.FullName ?? b.DisplayInfo ?? [b.Type, b.Method].filter(Boolean).join('.');
      if (!rawName) throw new InputError(file, `not a valid BenchmarkDotNet JSON file: $.Benchmarks[${i}] has no FullName`);
      const extraMetrics: Record<string, number> = {};
      const bytes = b.Memory?.BytesAllocatedPerOperation;
      if (typeof bytes === 'number') extraMetrics['Allocated B/op'] = bytes;
      for (const m of b.Metrics ?? []) extraMetrics[m.Descriptor.Id] = m.Value;
      const base = { name: unique(rawName), format: 'benchmarkdotnet' as const, source: file, extraMetrics };
      const ms = b.Measurements ?? [];
      const result = ms.filter((m) => (m.IterationMode === 'Workload' && m.IterationStage === 'Result') || m.IterationMode === 'Result');
      const chosen = result.length > 0 ? result : ms.filter((m) => m.IterationMode === 'Workload' && m.IterationStage === 'Actual');
      if (chosen.length > 0) return seriesFromSamples(base, chosen.map((m) => toMs(m.Nanoseconds / m.Operations, 'ns')));
      const s = b.Statistics;
      if (!s) return seriesFromSummary(base, { count: null, percentiles: {}, minMs: null, maxMs: null, meanMs: null });
      const percentiles: PercentileMap = {};
      for (const [k, v] of Object.entries(s.Percentiles ?? {})) {
        const p = /^P(\d+(?:\.\d+)?)$/.exec(k);
        if (!p) continue;
        const q = Number(p[1]);
        if (q > 0 && q < 100) percentiles[percentileKey(q)] = toMs(v, 'ns');
      }
      if (s.Median !== undefined) percentiles['50'] = toMs(s.Median, 'ns');
      return seriesFromSummary(base, { count: s.N ?? null, percentiles, minMs: toMs(s.Min, 'ns'), maxMs: toMs(s.Max, 'ns'), meanMs: toMs(s.Mean, 'ns') });
    });
  },
};
