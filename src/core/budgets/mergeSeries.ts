import { scaleDecimal } from '../formats/jsonShape';
import { bucketedPercentiles } from '../formats/prometheus';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import { type BucketCounts, type PercentileMap, type QuantileBucket, type Series, summarizeRun } from '../series';

/**
 * Combines the series that feed one handler: the files several generators wrote for one run, the
 * handlers (or benchmarks) one budget claims together, or repeated runs (see mergeRuns).
 *
 * - count and errors are summed (null when a part lacks them).
 * - Histograms (raw samples, HdrHistogram) are added exactly: the percentiles are those of one
 *   file holding every request.
 * - Classic (Prometheus) buckets with the same bounds and unit are summed bucket by bucket and
 *   interpolated again, as PromQL does over all instances (sumBuckets).
 * - Duration: the span from the earliest start to the latest end of the parts
 *   ([startedAt, startedAt + durationSec]; runSpan), so time ranges that overlap count once.
 * - throughput = count / duration; the sum of the parts' rates where either is unknown.
 * - Anything else (parts holding only percentiles, buckets whose bounds differ, histograms beside
 *   buckets) cannot be merged: per percentile the highest value is kept, a conservative bound
 *   marked not exact, never an average. For the files of one run mergeRefusal refuses this
 *   instead, before evaluate merges; what still gets here are runs one after another (mergeRuns,
 *   whose between-run statistics use each run's own values) and separate handlers or benchmarks
 *   one budget claims.
 */
export function mergeSeries(name: string, parts: readonly Series[]): Series {
  if (parts.length === 1) return { ...parts[0]!, name };
  const first = parts[0]!;
  const counts = parts.map((p) => p.count);
  const count = counts.every((c): c is number => c !== null) ? sum(counts) : null;
  const errors = count !== null && parts.every((p) => p.errors !== null) ? sum(parts.map((p) => p.errors!)) : null;
  const { durationSec, startedAt } = runSpan(parts);
  const rates = parts.map((p) => p.throughputPerSec);
  const throughputPerSec =
    count !== null && durationSec ? count / durationSec : rates.every((r): r is number => r !== null) ? sum(rates) : null;
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
    ...(startedAt !== undefined ? { startedAt } : {}),
    minMs: minOf(parts.map((p) => p.minMs)),
    maxMs: maxOf(parts.map((p) => p.maxMs)),
    meanMs: parts.every((p) => p.meanMs !== null) && count !== null && count > 0 ? sum(parts.map((p) => p.meanMs! * p.count!)) / count : null,
  };
  if (parts.every((p) => p.histogram)) {
    const h = LatencyHistogram.create();
    for (const p of parts) h.add(p.histogram!);
    return { ...base, histogram: h, percentiles: null, exact: false };
  }
  const summed = sumBuckets(parts);
  if (summed) return { ...base, histogram: null, exact: false, ...bucketedPercentiles(summed.buckets, (v) => scaleDecimal(v, summed.unitExp)), bucketCounts: summed };
  return { ...base, histogram: null, ...highestPercentiles(parts), exact: false };
}

/**
 * The time the parts span, as one run: from the earliest start to the latest end. Overlapping
 * ranges count once, and a gap between generators is part of the run, as a pause inside one
 * generator's file is part of that file's span: so requests split across files in any way give
 * the duration (and throughput) of the one file holding them all. Where a part has no startedAt
 * (hey's offsets count from its own start), the generators are taken to have started together:
 * the longest part's duration, as before startedAt was known. Null when a duration is unknown.
 */
function runSpan(parts: readonly Series[]): { durationSec: number | null; startedAt?: number } {
  const durations = parts.map((p) => p.durationSec);
  if (!durations.every((d): d is number => d !== null)) return { durationSec: null };
  const starts = parts.map((p) => p.startedAt);
  if (!starts.every((s): s is number => typeof s === 'number')) return { durationSec: Math.max(...durations) };
  const startedAt = Math.min(...starts);
  const endedAt = Math.max(...parts.map((p, i) => starts[i]! + durations[i]! * 1000));
  return { durationSec: (endedAt - startedAt) / 1000, startedAt };
}

/** Every part's buckets added up, bound by bound; null unless all parts have the same bounds in the same unit. */
function sumBuckets(parts: readonly Series[]): BucketCounts | null {
  const first = parts[0]!.bucketCounts;
  if (!first || !parts.every((p) => p.bucketCounts && sameBounds(p.bucketCounts, first))) return null;
  const total = new Map<number, number>(first.buckets.map(([le]) => [le, 0]));
  for (const p of parts) for (const [le, c] of p.bucketCounts!.buckets) total.set(le, total.get(le)! + c);
  return { unitExp: first.unitExp, buckets: [...total] };
}

/** Same unit and the same set of upper bounds. */
export function sameBounds(a: BucketCounts, b: BucketCounts): boolean {
  if (a.unitExp !== b.unitExp || a.buckets.length !== b.buckets.length) return false;
  const bounds = new Set(a.buckets.map(([le]) => le));
  return b.buckets.every(([le]) => bounds.has(le));
}

/** The conservative merge of percentiles that cannot be added: the highest per percentile, with its part's bucket. */
function highestPercentiles(parts: readonly Series[]): { percentiles: PercentileMap; buckets?: Record<string, QuantileBucket> } {
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
  return { percentiles, ...(Object.keys(buckets).length ? { buckets } : {}) };
}

/**
 * The runs of a repeated benchmark (each a list of series, in run order) -> one series per name:
 * each run's files merged as generators of that run (mergeSeries), then the runs: histograms and
 * buckets added as for any merge, but the runs happened one after another, so durations add up and
 * throughput is requests over the total time; `runs` keeps each run's summary. Runs of a
 * percentile-only format (a k6 summary per run) are not refused: the between-run statistics use
 * each run's own values, and the merged value keeps the highest per percentile.
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
  return [...groupByName(series)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, parts]) => mergeSeries(name, parts));
}

/** The series of each name, in input order. */
export function groupByName(series: readonly Series[]): Map<string, Series[]> {
  const byName = new Map<string, Series[]>();
  for (const s of series) {
    const parts = byName.get(s.name);
    if (parts) parts.push(s);
    else byName.set(s.name, [s]);
  }
  return byName;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
