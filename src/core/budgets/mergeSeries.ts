import { LatencyHistogram } from '../histograms/latencyHistogram';
import { type PercentileMap, type QuantileBucket, type Series, summarizeRun } from '../series';

/**
 * Combines the series that feed one handler (several files, a glob, repeated runs).
 * Histograms merge exactly. Summary-only percentiles cannot be merged: with more than one
 * such series the result keeps, per percentile, the highest value (a conservative bound)
 * and is marked not exact.
 */
export function mergeSeries(name: string, parts: readonly Series[]): Series {
  if (parts.length === 1) return { ...parts[0]!, name };
  const first = parts[0]!;
  const counts = parts.map((p) => p.count);
  const count = counts.every((c): c is number => c !== null) ? sum(counts) : null;
  const errors = count !== null && parts.every((p) => p.errors !== null) ? sum(parts.map((p) => p.errors!)) : null;
  const durations = parts.map((p) => p.durationSec);
  const durationSec = durations.every((d): d is number => d !== null) ? Math.max(...durations) : null;
  // Throughputs of series measured side by side (different files of one run) add up.
  const rates = parts.map((p) => p.throughputPerSec);
  const throughputPerSec = rates.every((r): r is number => r !== null) ? sum(rates) : null;
  const withHistogram = parts.filter((p) => p.histogram);
  const maxOf = (xs: Array<number | null>) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? Math.max(...v) : null;
  };
  const minOf = (xs: Array<number | null>) => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length ? Math.min(...v) : null;
  };
  const base = {
    name,
    format: first.format,
    source: [...new Set(parts.map((p) => p.source))].join(', '),
    ...(first.benchmark !== undefined ? { benchmark: first.benchmark } : {}),
    // What the parts are (all the tool's own totals, or sub-samples of one parent) stays said.
    ...(parts.every((p) => p.allRequests) ? { allRequests: true } : {}),
    ...(first.parent !== undefined && parts.every((p) => p.parent === first.parent) ? { parent: first.parent } : {}),
    count,
    errors,
    durationSec,
    throughputPerSec,
    minMs: minOf(parts.map((p) => p.minMs)),
    maxMs: maxOf(parts.map((p) => p.maxMs)),
    meanMs: parts.every((p) => p.meanMs !== null) && count !== null && count > 0 ? sum(parts.map((p) => p.meanMs! * p.count!)) / count : null,
  };
  if (withHistogram.length === parts.length) {
    const h = LatencyHistogram.create();
    for (const p of parts) h.add(p.histogram!);
    return { ...base, histogram: h, percentiles: null, exact: false };
  }
  const percentiles: PercentileMap = {};
  const buckets: Record<string, QuantileBucket> = {};
  const keys = new Set(parts.flatMap((p) => (p.percentiles ? Object.keys(p.percentiles) : [])));
  for (const k of keys) {
    const values = parts.map((p) => (p.percentiles ? p.percentiles[k] : p.histogram ? p.histogram.percentileMs(Number(k)) : undefined));
    if (!values.every((v): v is number => v !== undefined)) continue;
    percentiles[k] = Math.max(...values);
    // The bound kept comes from one part: its bucket (if interpolated) is the one to show.
    const from = parts[values.indexOf(percentiles[k])]!;
    if (from.buckets?.[k]) buckets[k] = from.buckets[k];
  }
  return { ...base, histogram: null, percentiles, exact: false, ...(Object.keys(buckets).length ? { buckets } : {}) };
}

/**
 * The runs of a repeated benchmark (each a list of series, in run order) -> one series per name:
 * histograms merged as for any merge, but the runs happened one after another, so durations add
 * up and throughput is requests over the total time; `runs` keeps each run's summary.
 */
export function mergeRuns(runs: ReadonlyArray<readonly Series[]>): Series[] {
  const names = [...new Set(runs.flatMap((r) => r.map((s) => s.name)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return names.map((name) => {
    // Several series of one name in one run (several files) are one run's measurement.
    const perRun = runs.map((r) => r.filter((s) => s.name === name)).filter((r) => r.length > 0).map((r) => mergeSeries(name, r));
    const merged = mergeSeries(name, perRun);
    if (perRun.length === 1) return perRun[0]!;
    const durations = perRun.map((p) => p.durationSec);
    const durationSec = durations.every((d): d is number => d !== null) ? sum(durations) : null;
    return {
      ...merged,
      durationSec,
      throughputPerSec: durationSec && merged.count !== null ? merged.count / durationSec : null,
      runs: perRun.map(summarizeRun),
    };
  });
}

/** Series with the same name (from several files) become one, sorted by name. */
export function mergeByName(series: readonly Series[]): Series[] {
  const byName = new Map<string, Series[]>();
  for (const s of series) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return [...byName.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, parts]) => mergeSeries(name, parts));
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
