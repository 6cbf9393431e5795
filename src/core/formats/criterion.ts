import { InputError } from '../errors';
import * as z from '../zod';
import type { Series } from '../series';
import { seriesFromSamples, seriesFromSummary, toMs } from './benchSeries';
import { validateShape } from './jsonShape';
import { baseName, MAX_LATENCY_MS, parseJson, readText } from './lines';
import type { Reader } from './reader';

/**
 * Criterion.rs result files, `target/criterion/<benchmark id>/<baseline>/…` (`new/` after each run,
 * `base/` or a `--save-baseline` name for the kept baseline). Times in nanoseconds (the default
 * wall-time measurement; a custom `Measurement` such as CPU cycles is not recognisable here and
 * would be read as ns).
 * - `sample.json` `{ sampling_mode, iters: [..], times: [..] }`: each sample's per-iteration time
 *   times[i] / iters[i] ns -> ms. p50, p75, p90, p95, p99, p99.9 by nearest rank over the samples,
 *   100 = max, min/max/mean over them; count = samples (not iterations); exact = true.
 * - `estimates.json` alone (`mean`, `median`, `std_dev`, `median_abs_dev`, `slope`, each
 *   `{ point_estimate, standard_error, confidence_interval }`): p50 = `median.point_estimate`,
 *   mean = `mean.point_estimate`, nothing else (criterion prints no other percentile, no min/max);
 *   count null; exact = true. The std_dev, median_abs_dev and slope point estimates go to
 *   `extraMetrics` ("std_dev ms", …). `change/estimates.json` (relative changes, not times) is
 *   not claimed and is refused.
 * errors null (criterion records no failures); throughputPerSec null (criterion's `Throughput` is
 * a configured element or byte count, not a measured rate); durationSec null.
 * The series name is the benchmark id from the path the file was given by: the directories
 * between `criterion/` and the baseline directory, joined with "/" (target/criterion/parse/small/new/sample.json
 * -> "parse/small"). That is criterion's `directory_name`, which equals `benchmark.json`'s
 * `full_id` except where criterion replaced characters that cannot be in a path (`std::sort`
 * -> `std__sort`). Without a `criterion/` directory in the path: the directory above the
 * baseline one, else the file's base name.
 */

const ns = z.number().check(z.nonnegative(), z.maximum(1e18));

const sampleSchema = z.object({
  sampling_mode: z.optional(z.string()),
  // iteration counts (criterion writes them as floats): at least 1
  iters: z.array(z.number().check(z.minimum(1), z.maximum(1e18))).check(z.minLength(1)),
  times: z.array(ns).check(z.minLength(1)),
});

const estimate = z.looseObject({ point_estimate: ns });
const estimatesSchema = z.object({
  mean: estimate,
  median: estimate,
  std_dev: z.optional(z.nullable(estimate)),
  median_abs_dev: z.optional(z.nullable(estimate)),
  slope: z.optional(z.nullable(estimate)),
});

export const criterionReader: Reader = {
  id: 'criterion',
  detect(head) {
    const t = head.trimStart();
    if (!t.startsWith('{')) return false;
    if (/"sampling_mode"\s*:/.test(t) && /"iters"\s*:\s*\[/.test(t) && /"times"\s*:\s*\[/.test(t)) return true;
    return /"point_estimate"\s*:/.test(t) && /"confidence_interval"\s*:/.test(t) && /"std_dev"\s*:/.test(t) && /"median"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const json = parseJson(await readText(source, file), file);
    const name = benchmarkId(file);
    const base = { name, format: 'criterion' as const, source: file };
    if (json !== null && typeof json === 'object' && 'iters' in json) {
      const d = validateShape(sampleSchema, json, file, 'criterion sample.json');
      if (d.iters.length !== d.times.length) {
        throw new InputError(file, `not a valid criterion sample.json file: $.iters has ${d.iters.length} entries but $.times has ${d.times.length}`);
      }
      const perIter = d.times.map((t, i) => {
        const ms = toMs(t / d.iters[i]!, 'ns');
        if (!(ms <= MAX_LATENCY_MS)) throw new InputError(file, `not a valid criterion sample.json file: $.times[${i}] / $.iters[${i}] is ${ms} ms per iteration (at most ${MAX_LATENCY_MS})`);
        return ms;
      });
      return [seriesFromSamples(base, perIter)];
    }
    const rec = json as Record<string, unknown> | null;
    if (rec !== null && typeof rec === 'object' && !Array.isArray(rec) && 'mean' in rec && 'median' in rec && !('std_dev' in rec)) {
      throw new InputError(file, 'a criterion change/estimates.json holds relative changes against the baseline, not times; read new/sample.json or new/estimates.json');
    }
    const d = validateShape(estimatesSchema, json, file, 'criterion estimates.json');
    const extraMetrics: Record<string, number> = {};
    for (const k of ['std_dev', 'median_abs_dev', 'slope'] as const) {
      const e = d[k];
      if (e) extraMetrics[`${k} ms`] = toMs(e.point_estimate, 'ns');
    }
    return [
      seriesFromSummary(
        { ...base, extraMetrics },
        { count: null, percentiles: { '50': toMs(d.median.point_estimate, 'ns') }, minMs: null, maxMs: null, meanMs: toMs(d.mean.point_estimate, 'ns') },
      ),
    ];
  },
};

/** The benchmark id from a path such as target/criterion/<id…>/<baseline>/<file>. */
export function benchmarkId(fileName: string): string {
  const parts = fileName.split(/[\\/]/).filter((p) => p !== '');
  const at = parts.lastIndexOf('criterion');
  if (at >= 0 && parts.length - 2 > at + 1) return parts.slice(at + 1, parts.length - 2).join('/');
  if (parts.length >= 3) return parts[parts.length - 3]!;
  return baseName(fileName);
}
