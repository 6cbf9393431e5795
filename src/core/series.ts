import type { LatencyHistogram } from './histograms/latencyHistogram';

export const FORMAT_IDS = [
  'hdr-log',
  'k6-summary',
  'k6-json',
  'k6-csv',
  'locust-csv',
  'locust-json',
  'artillery',
  'autocannon',
  'wrk',
  'wrk2',
  'prometheus',
  'prometheus-api',
  'otlp-json',
  'gatling-log',
  'gatling-stats',
  'jmeter',
  'jmeter-dashboard',
  'jmeter-xml',
  'hey-csv',
  'ab',
  'pytest-benchmark',
  'hyperfine',
  'go-bench',
  'google-benchmark',
  'vitest-bench',
  'tinybench',
  'mitata',
  'jmh',
  'criterion',
  'benchmarkdotnet',
  'vegeta-report',
  'vegeta-results',
  'oha',
  'bombardier',
  'samples',
] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** Formats of result files; "prometheus-api" is what a benchmark's `prometheus` source gives, never a file. */
export type FileFormatId = Exclude<FormatId, 'prometheus-api'>;
export const FILE_FORMAT_IDS = FORMAT_IDS.filter((f): f is FileFormatId => f !== 'prometheus-api');

/**
 * Percentiles a summary-only tool printed, keyed by percentile as a number string
 * ("50", "95", "99.9", "100" for max), values in milliseconds, kept exactly as printed.
 */
export type PercentileMap = Record<string, number>;

/**
 * One handler's (or benchmark's) results from one file. Latencies are milliseconds.
 * Either `histogram` is set (raw per-request data or an HdrHistogram; `exact` false: each
 * percentile is within 0.1% of the nearest-rank value), or `percentiles` holds what the
 * tool printed (`exact` true: the tool's own numbers; percentiles it did not print are absent).
 */
export interface Series {
  /** Handler id ("GET /api/x"), or a free name (the file's base name when nothing names it). */
  name: string;
  format: FormatId;
  /** The file it was read from, as given to the reader. */
  source: string;
  /** Requests (or iterations/runs for microbenchmarks); null when the file does not say (ab -e). */
  count: number | null;
  /** Failed requests; null when the format cannot tell. */
  errors: number | null;
  /** Wall time the samples span, in seconds; null when unknown. */
  durationSec: number | null;
  throughputPerSec: number | null;
  exact: boolean;
  histogram: LatencyHistogram | null;
  percentiles: PercentileMap | null;
  minMs: number | null;
  maxMs: number | null;
  meanMs: number | null;
  /** The configured benchmark whose results the file is, when read through a config. */
  benchmark?: string;
  /**
   * Read from a production source (a benchmark with `"role": "production"`): only budgets scoped
   * to that benchmark (`"benchmark"`) take it; every other budget holds the benchmarks' own runs.
   */
  production?: true;
  /** Epoch milliseconds of the first sample, when the format records it. */
  startedAt?: number | null;
  /** One summary per run, in run order, when the benchmark was repeated (`"repeat": N`). */
  runs?: RunSummary[];
  /**
   * Percentiles interpolated inside histogram buckets (Prometheus): the bounds (ms) of the bucket
   * holding each, keyed like `percentiles`. The truth can be anywhere in the bucket.
   */
  buckets?: Record<string, QuantileBucket>;
  /**
   * A classic (Prometheus) histogram as read, summed over the series' other labels: cumulative
   * count per upper bound `le` (+Inf included), bounds in the metric's own unit, which is
   * 10^unitExp ms (3 for seconds). Kept so that scrapes of several instances or generators add
   * up bucket by bucket (mergeSeries), where the bounds agree.
   */
  bucketCounts?: BucketCounts;
  /**
   * The tool's own all-requests row (Locust `Aggregated`, Artillery `http.response_time`, the k6
   * summary's untagged `http_req_duration`): it repeats the other series' requests, so it is never
   * merged with them; an all-requests budget uses it as it is.
   */
  allRequests?: boolean;
  /**
   * A sub-sample (a JMeter sub-result: a redirect, an embedded resource, a transaction
   * controller's child) of the series named here: shown under its parent, never counted again
   * in the parent's totals or in an all-requests merge.
   */
  parent?: string;
  /**
   * Metrics besides latency the tool measured, per name, e.g. Go's `{ "B/op": 256, "allocs/op": 3 }`
   * (the mean over runs), for the hover and the report; no budget key reads them.
   */
  extraMetrics?: Record<string, number>;
  /**
   * The run's intermediate periods in time order, when the tool reports them (Artillery's
   * `intermediate`, Locust's full `_stats_history.csv`): each period's own numbers, not cumulative.
   */
  periods?: PeriodSummary[];
}

/** One reporting period of a run: its own requests only. */
export interface PeriodSummary {
  /** Epoch milliseconds of the period's start, when known. */
  startedAt: number | null;
  durationSec: number | null;
  count: number | null;
  errors: number | null;
  /** Percentile key ("50", "95", "100" for max, …) -> ms, as the tool gave it for the period. */
  percentiles: PercentileMap;
}

/** Cumulative classic-histogram buckets: [le, count] pairs in the metric's unit (10^unitExp ms). */
export interface BucketCounts {
  unitExp: number;
  buckets: Array<[le: number, count: number]>;
}

/** The bucket [lower, upper] (ms) a bucket-interpolated quantile lies in; upper Infinity for +Inf. */
export interface QuantileBucket {
  lower: number;
  upper: number;
}

/** What is kept of each run of a repeated benchmark: enough to compare runs by rank. */
export interface RunSummary {
  count: number | null;
  errors: number | null;
  durationSec: number | null;
  /** Percentile key ("50", "95", "99", …) -> ms, as `percentileOf` gives it for that run. */
  percentiles: PercentileMap;
}

/** Percentiles a run summary keeps. */
export const RUN_PERCENTILES = [50, 90, 95, 99, 99.9] as const;

export function summarizeRun(series: Series): RunSummary {
  const percentiles: PercentileMap = {};
  for (const p of RUN_PERCENTILES) {
    const v = percentileOf(series, p);
    if (v !== null) percentiles[percentileKey(p)] = v;
  }
  return { count: series.count, errors: series.errors, durationSec: series.durationSec, percentiles };
}

/** Per-run values of a percentile (or "errorRate"/"throughput"), or null unless every run has one. */
export function runValues(runs: readonly RunSummary[], metric: { percentile: number } | 'errorRate' | 'throughput'): number[] | null {
  const out: number[] = [];
  for (const r of runs) {
    let v: number | null | undefined;
    if (metric === 'errorRate') v = r.errors !== null && r.count ? r.errors / r.count : null;
    else if (metric === 'throughput') v = r.count !== null && r.durationSec ? r.count / r.durationSec : null;
    else v = r.percentiles[percentileKey(metric.percentile)];
    if (v === null || v === undefined) return null;
    out.push(v);
  }
  return out;
}

/** The bucket holding percentile p when it was interpolated from buckets, else null. */
export function bucketOf(series: Series, p: number): QuantileBucket | null {
  if (series.histogram && series.histogram.count > 0) return null;
  return series.buckets?.[percentileKey(p)] ?? null;
}

/** Latency at percentile p (0..100) in ms, or null when the data does not give it. */
export function percentileOf(series: Series, p: number): number | null {
  if (series.histogram && series.histogram.count > 0) {
    if (p >= 100) return series.maxMs ?? series.histogram.maxMs;
    return series.histogram.percentileMs(p);
  }
  if (series.percentiles) {
    const v = series.percentiles[percentileKey(p)];
    if (v !== undefined) return v;
    if (p >= 100 && series.maxMs !== null) return series.maxMs;
  }
  return null;
}

/** 95 -> "95", 99.9 -> "99.9", 100 -> "100". */
export function percentileKey(p: number): string {
  return String(Number(p.toFixed(6)));
}

export function errorRateOf(series: Series): number | null {
  if (series.errors === null || series.count === null) return null;
  if (series.count === 0) return series.errors === 0 ? 0 : null;
  return series.errors / series.count;
}

/** Fills the fields derivable from a histogram; readers of raw data call it once at the end. */
export function fromHistogram(
  base: Omit<Series, 'exact' | 'percentiles' | 'minMs' | 'maxMs' | 'meanMs' | 'count' | 'throughputPerSec'> & {
    histogram: LatencyHistogram;
    count?: number | null;
    maxMs?: number | null;
    minMs?: number | null;
    throughputPerSec?: number | null;
  },
): Series {
  const h = base.histogram;
  const count = base.count ?? h.count;
  const empty = h.count === 0;
  return {
    ...base,
    count,
    exact: false,
    percentiles: null,
    minMs: base.minMs ?? (empty ? null : h.minMs),
    maxMs: base.maxMs ?? (empty ? null : h.maxMs),
    meanMs: empty ? null : h.meanMs,
    throughputPerSec:
      base.throughputPerSec ?? (base.durationSec && base.durationSec > 0 && count !== null ? count / base.durationSec : null),
  };
}
