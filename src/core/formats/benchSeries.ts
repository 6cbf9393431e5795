import type { FormatId, PercentileMap, Series } from '../series';
import { percentileKey } from '../series';
import { nearestRankSorted, scaleDecimal } from './jsonShape';

/**
 * What the microbenchmark readers (Go, Google Benchmark, criterion, JMH, BenchmarkDotNet,
 * vitest bench / tinybench, mitata) share: a series from per-iteration samples, or from the
 * summary numbers a tool printed, and unit conversion to milliseconds.
 *
 * From samples: percentiles p50, p75, p90, p95, p99, p99.9 by nearest rank (rank = ceil(p/100·n),
 * 1-based over the sorted samples), 100 = max, min/max/mean over the samples; exact = true.
 * From a summary: the tool's own numbers only (absent ones stay absent); exact = true.
 * Neither invents a throughput or an error count: both null unless the reader passes them.
 */

/** Percentiles kept from raw samples (100 = max is added as well). */
export const SAMPLE_PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;

export type TimeUnit = 'ns' | 'us' | 'ms' | 's';

/** Powers of ten from a unit to milliseconds. */
const EXP10: Record<TimeUnit, number> = { ns: -6, us: -3, ms: 0, s: 3 };

/** A time in `unit` -> milliseconds, by moving the decimal point (4428 ns -> 0.004428 ms exactly as written). */
export function toMs(value: number, unit: TimeUnit): number {
  return scaleDecimal(value, EXP10[unit]);
}

export interface BenchBase {
  name: string;
  format: FormatId;
  source: string;
  throughputPerSec?: number | null;
  errors?: number | null;
  durationSec?: number | null;
  extraMetrics?: Record<string, number>;
  parent?: string;
}

function finish(base: BenchBase): Pick<Series, 'name' | 'format' | 'source' | 'errors' | 'durationSec' | 'throughputPerSec' | 'histogram'> & Partial<Series> {
  const out: Pick<Series, 'name' | 'format' | 'source' | 'errors' | 'durationSec' | 'throughputPerSec' | 'histogram'> & Partial<Series> = {
    name: base.name,
    format: base.format,
    source: base.source,
    errors: base.errors ?? null,
    durationSec: base.durationSec ?? null,
    throughputPerSec: base.throughputPerSec ?? null,
    histogram: null,
  };
  if (base.extraMetrics && Object.keys(base.extraMetrics).length > 0) out.extraMetrics = base.extraMetrics;
  if (base.parent !== undefined) out.parent = base.parent;
  return out;
}

/** A series from per-iteration samples in ms (at least one), `count` = samples unless given. */
export function seriesFromSamples(base: BenchBase, samplesMs: readonly number[], count?: number): Series {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const percentiles: PercentileMap = {};
  for (const p of SAMPLE_PERCENTILES) percentiles[percentileKey(p)] = nearestRankSorted(sorted, p)!;
  const max = sorted[sorted.length - 1]!;
  percentiles['100'] = max;
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    ...finish(base),
    count: count ?? sorted.length,
    exact: true,
    percentiles,
    minMs: sorted[0]!,
    maxMs: max,
    meanMs: sum / sorted.length,
  };
}

/**
 * A series from weighted samples: [value ms, how many iterations had it] (JMH's sample-mode
 * histogram). Nearest rank over the expanded list, without expanding it; count = total weight.
 */
export function seriesFromWeighted(base: BenchBase, pairs: ReadonlyArray<readonly [number, number]>): Series {
  const sorted = pairs.filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let sum = 0;
  for (const [v, n] of sorted) {
    total += n;
    sum += v * n;
  }
  const at = (p: number): number => {
    const rank = Math.min(total, Math.max(1, Math.ceil(Number(((p / 100) * total).toFixed(9)))));
    let seen = 0;
    for (const [v, n] of sorted) {
      seen += n;
      if (seen >= rank) return v;
    }
    return sorted[sorted.length - 1]![0];
  };
  const percentiles: PercentileMap = {};
  for (const p of SAMPLE_PERCENTILES) percentiles[percentileKey(p)] = at(p);
  const max = sorted[sorted.length - 1]![0];
  percentiles['100'] = max;
  return { ...finish(base), count: total, exact: true, percentiles, minMs: sorted[0]![0], maxMs: max, meanMs: sum / total };
}

/** What a summary-only tool printed, in ms; `percentiles` keyed "50", "99.9", …; max also as "100". */
export interface BenchSummary {
  count: number | null;
  percentiles: PercentileMap;
  minMs: number | null;
  maxMs: number | null;
  meanMs: number | null;
}

/** A series from the tool's own summary numbers (exact: they are the tool's). */
export function seriesFromSummary(base: BenchBase, s: BenchSummary): Series {
  const percentiles: PercentileMap = { ...s.percentiles };
  if (s.maxMs !== null) percentiles['100'] = s.maxMs;
  return {
    ...finish(base),
    count: s.count,
    exact: true,
    percentiles: Object.keys(percentiles).length > 0 ? percentiles : null,
    minMs: s.minMs,
    maxMs: s.maxMs,
    meanMs: s.meanMs,
  };
}

/** "Name", then "Name #2", "Name #3" for repeats, so series names stay unique in a file. */
export function uniqueNamer(): (name: string) => string {
  const seen = new Map<string, number>();
  return (name) => {
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} #${n}`;
  };
}
