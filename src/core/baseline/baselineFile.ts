import * as z from '../zod';
import { InputError } from '../errors';
import { parseJson } from '../formats/lines';
import { formatPath } from '../config/parseConfig';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import { FORMAT_IDS, percentileKey, percentileOf, type PercentileMap, type QuantileBucket, RUN_PERCENTILES, type RunSummary, type Series } from '../series';
import { stableStringify } from './stableJson';

/** Where and on what a baseline was measured. */
export interface BaselineMeta {
  createdAt: string;
  commit: string | null;
  /** True when the run was made on a working tree with uncommitted changes (absent: not known). */
  dirty?: boolean;
  /** Each placed handler's code as the run measured it (absent: not recorded). */
  handlers?: Record<string, HandlerSource>;
  tool: string;
  machine: Machine;
}

/** Where a handler's code was when a run measured it, and a hash of that code (sourceHash). */
export interface HandlerSource {
  /** Workspace-relative, "/" separators. */
  file: string;
  /** 1-based first line and the count of lines. */
  line: number;
  lines: number;
  hash: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  os: string;
  /** Short hash of cpu, cores and os: two baselines with the same fingerprint ran on alike machines. */
  fingerprint: string;
}

export interface Baseline {
  meta: BaselineMeta;
  series: Series[];
  /** Run-history files only: the run's own facts. */
  run?: RunFacts;
}

export interface RunFacts {
  benchmarks: string[];
  startedAt: string;
  finishedAt: string;
  repeat?: { group: string; index: number; of: number };
}

const PERCENTILES_STORED = [50, 90, 95, 99, 99.9] as const;

/** A key of an entry's latencyMs, and what its histogram may hold: the schema's rules, which plainEntry applies too. */
const LATENCY_KEY = /^(p\d+(_\d+)?|min|max|mean)$/;
export const HISTOGRAM_BASE64 = /^[A-Za-z0-9+/=]+$/;
const nonNegOrNull = () => z.nullable(z.number().check(z.nonnegative()));
const MachineSchema = z.strictObject({ cpu: z.string(), cores: z.number(), os: z.string(), fingerprint: z.string() });
const EntrySchema = z.strictObject({
  format: z.enum(FORMAT_IDS),
  count: nonNegOrNull(),
  errors: nonNegOrNull(),
  durationSec: nonNegOrNull(),
  throughputPerSec: nonNegOrNull(),
  exact: z.boolean(),
  latencyMs: z.record(z.string().check(z.regex(LATENCY_KEY)), nonNegOrNull()),
  histogram: z.optional(z.string().check(z.regex(HISTOGRAM_BASE64))),
  source: z.optional(z.string()),
  /** Per-run summaries of a repeated benchmark, in run order (absent in files before repeats). */
  runs: z.optional(
    z.array(
      z.strictObject({
        count: nonNegOrNull(),
        errors: nonNegOrNull(),
        durationSec: nonNegOrNull(),
        latencyMs: z.record(z.string().check(z.regex(/^p\d+(_\d+)?$/)), z.number().check(z.nonnegative())),
      }),
    ),
  ),
  /** The benchmark whose results it was read from (a budget's "benchmark" scope). */
  benchmark: z.optional(z.string()),
  /** The tool's own all-requests row (Series.allRequests). */
  allRequests: z.optional(z.literal(true)),
  /** A sub-sample of this series (Series.parent). */
  parent: z.optional(z.string()),
  /** Non-latency metrics (Series.extraMetrics). */
  extraMetrics: z.optional(z.record(z.string(), z.number())),
  /** Bucket bounds (ms) of percentiles interpolated from histogram buckets (Prometheus); upper null for +Inf. */
  bucketsMs: z.optional(
    z.record(z.string().check(z.regex(/^p\d+(_\d+)?$/)), z.strictObject({ lower: z.number().check(z.nonnegative()), upper: nonNegOrNull() })),
  ),
});
const headShape = {
  version: z.literal(1),
  createdAt: z.string(),
  commit: z.nullable(z.string()),
  dirty: z.optional(z.boolean()),
  handlers: z.optional(
    z.record(
      z.string(),
      z.strictObject({
        file: z.string(),
        line: z.number().check(z.int(), z.minimum(1)),
        lines: z.number().check(z.int(), z.minimum(1)),
        hash: z.string().check(z.regex(/^[0-9a-f]{1,64}$/)),
      }),
    ),
  ),
  tool: z.string(),
  machine: MachineSchema,
  /** Present in run-history files (.perf-budgets/runs): which benchmarks ran, and when. */
  run: z.optional(
    z.strictObject({
      benchmarks: z.array(z.string()),
      startedAt: z.string(),
      finishedAt: z.string(),
      /** One run of a repeated benchmark: the runs of one `run` share `group` (its start time). */
      repeat: z.optional(z.strictObject({ group: z.string(), index: z.number().check(z.int(), z.minimum(1)), of: z.number().check(z.int(), z.minimum(1)) })),
    }),
  ),
};
const BaselineSchema = z.strictObject({ ...headShape, series: z.record(z.string(), EntrySchema) });
/** Everything but the series, which plainEntry checks one by one. */
const HeadSchema = z.strictObject({ ...headShape, series: z.strictObject({}) });
type BaselineData = z.infer<typeof BaselineSchema>;
type Entry = z.infer<typeof EntrySchema>;

const FORMATS: ReadonlySet<string> = new Set(FORMAT_IDS);
const nonNegativeOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v) && v >= 0);

/**
 * A baseline's validation, fast where it can be (a run history of 20 files x 200 series is 4,000
 * entries): the head through HeadSchema, then each series entry by plainEntry. That path accepts
 * only what BaselineSchema accepts and gives back the same values (the schema has no transforms
 * or defaults), so its answer is the schema's. Anything it does not accept, valid or not (an
 * entry with "runs", "extraMetrics" or "bucketsMs", a series named "__proto__", any error), is
 * decided by BaselineSchema itself, which also names the first problem.
 */
export function validateBaseline(raw: unknown): ReturnType<typeof BaselineSchema.safeParse> {
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const series = (raw as { series?: unknown }).series;
    if (series !== null && typeof series === 'object' && !Array.isArray(series) && Object.getPrototypeOf(series) === Object.prototype) {
      const names = Object.keys(series);
      if (!names.includes('__proto__') && names.every((n) => plainEntry((series as Record<string, unknown>)[n]))) {
        const head = HeadSchema.safeParse({ ...raw, series: {} });
        if (head.success) return { success: true, data: { ...head.data, series: series as Record<string, Entry> } as BaselineData };
      }
    }
  }
  return BaselineSchema.safeParse(raw);
}

/** BaselineSchema alone, what validateBaseline must answer (for the tests). */
export const schemaValidation = (raw: unknown): ReturnType<typeof BaselineSchema.safeParse> => BaselineSchema.safeParse(raw);

/** True when `e` is an entry EntrySchema accepts as it is, with none of its rarer members (runs, extraMetrics, bucketsMs). */
function plainEntry(e: unknown): boolean {
  if (e === null || typeof e !== 'object' || Array.isArray(e)) return false;
  const o = e as Record<string, unknown>;
  let required = 0;
  for (const key of Object.keys(o)) {
    const v = o[key];
    switch (key) {
      case 'format':
        if (typeof v !== 'string' || !FORMATS.has(v)) return false;
        required++;
        break;
      case 'count':
      case 'errors':
      case 'durationSec':
      case 'throughputPerSec':
        if (!nonNegativeOrNull(v)) return false;
        required++;
        break;
      case 'exact':
        if (typeof v !== 'boolean') return false;
        required++;
        break;
      case 'latencyMs': {
        if (v === null || typeof v !== 'object' || Array.isArray(v) || Object.getPrototypeOf(v) !== Object.prototype) return false;
        const m = v as Record<string, unknown>;
        for (const k of Object.keys(m)) if (!LATENCY_KEY.test(k) || !nonNegativeOrNull(m[k])) return false;
        required++;
        break;
      }
      case 'histogram':
        if (typeof v !== 'string' || !HISTOGRAM_BASE64.test(v)) return false;
        break;
      case 'source':
      case 'benchmark':
      case 'parent':
        if (typeof v !== 'string') return false;
        break;
      case 'allRequests':
        if (v !== true) return false;
        break;
      default:
        return false;
    }
  }
  return required === 7;
}

/** "p99.9" is written "p99_9" so keys stay identifiers. */
function percentileField(p: number): string {
  return `p${String(p).replace('.', '_')}`;
}

/** Series -> baseline file v1 text (deterministic: the same inputs give the same bytes). */
export function serializeBaseline(series: readonly Series[], meta: BaselineMeta): string {
  const entries: Record<string, Entry> = {};
  for (const s of series) {
    if (entries[s.name]) throw new Error(`duplicate series name in baseline: ${s.name}`);
    const latencyMs: Record<string, number | null> = { min: s.minMs, max: s.maxMs, mean: s.meanMs };
    for (const p of PERCENTILES_STORED) latencyMs[percentileField(p)] = percentileOf(s, p);
    const entry: Entry = {
      format: s.format,
      count: s.count,
      errors: s.errors,
      durationSec: s.durationSec,
      throughputPerSec: s.throughputPerSec,
      exact: s.exact,
      latencyMs,
    };
    if (s.histogram) entry.histogram = s.histogram.encode();
    if (s.benchmark !== undefined) entry.benchmark = s.benchmark;
    if (s.allRequests) entry.allRequests = true;
    if (s.parent !== undefined) entry.parent = s.parent;
    if (s.extraMetrics && Object.keys(s.extraMetrics).length > 0) entry.extraMetrics = s.extraMetrics;
    if (s.runs && s.runs.length > 0) {
      entry.runs = s.runs.map((r) => ({
        count: r.count,
        errors: r.errors,
        durationSec: r.durationSec,
        latencyMs: Object.fromEntries(RUN_PERCENTILES.filter((p) => r.percentiles[percentileKey(p)] !== undefined).map((p) => [percentileField(p), r.percentiles[percentileKey(p)]!])),
      }));
    }
    if (s.buckets && !s.histogram) {
      const stored = PERCENTILES_STORED.filter((p) => s.buckets![percentileKey(p)]);
      if (stored.length) {
        entry.bucketsMs = Object.fromEntries(
          stored.map((p) => {
            const b = s.buckets![percentileKey(p)]!;
            return [percentileField(p), { lower: b.lower, upper: Number.isFinite(b.upper) ? b.upper : null }];
          }),
        );
      }
    }
    entries[s.name] = entry;
  }
  return stableStringify({ version: 1, ...meta, series: entries });
}

/** Baseline file text -> Baseline; an InputError naming the file for anything malformed. */
export function parseBaseline(text: string, fileName: string): Baseline {
  return baselineOf(parseJson(text, fileName), fileName);
}

/** parseBaseline of a document already parsed from JSON. */
export function baselineOf(raw: unknown, fileName: string): Baseline {
  const parsed = validateBaseline(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = formatPath(issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)));
    throw new InputError(fileName, `not a Perf Budgets baseline (v1): ${path || '(root)'}: ${issue.message}`);
  }
  const b = parsed.data;
  const series: Series[] = Object.entries(b.series).map(([name, e]) => {
    let histogram: LatencyHistogram | null = null;
    if (e.histogram) {
      try {
        histogram = LatencyHistogram.decode(e.histogram);
      } catch (err) {
        throw new InputError(fileName, `series ${JSON.stringify(name)}: histogram does not decode (${err instanceof Error ? err.message : err})`);
      }
    }
    const percentiles: PercentileMap = {};
    for (const p of PERCENTILES_STORED) {
      const v = e.latencyMs[percentileField(p)];
      if (v !== null && v !== undefined) percentiles[String(p)] = v;
    }
    if (e.latencyMs.max !== null && e.latencyMs.max !== undefined) percentiles['100'] = e.latencyMs.max;
    const fromField = (field: string) => percentileKey(Number(field.slice(1).replace('_', '.')));
    const runs: RunSummary[] | undefined = e.runs?.map((r) => ({
      count: r.count,
      errors: r.errors,
      durationSec: r.durationSec,
      percentiles: Object.fromEntries(Object.entries(r.latencyMs).map(([f, v]) => [fromField(f), v])),
    }));
    const buckets: Record<string, QuantileBucket> | undefined = e.bucketsMs
      ? Object.fromEntries(Object.entries(e.bucketsMs).map(([f, b]) => [fromField(f), { lower: b.lower, upper: b.upper ?? Infinity }]))
      : undefined;
    return {
      name,
      format: e.format,
      source: fileName,
      count: e.count,
      errors: e.errors,
      durationSec: e.durationSec,
      throughputPerSec: e.throughputPerSec,
      exact: e.exact,
      histogram,
      percentiles: histogram ? null : percentiles,
      minMs: e.latencyMs.min ?? null,
      maxMs: e.latencyMs.max ?? null,
      meanMs: e.latencyMs.mean ?? null,
      ...(runs ? { runs } : {}),
      ...(buckets && !histogram ? { buckets } : {}),
      ...(e.benchmark !== undefined ? { benchmark: e.benchmark } : {}),
      ...(e.allRequests ? { allRequests: true } : {}),
      ...(e.parent !== undefined ? { parent: e.parent } : {}),
      ...(e.extraMetrics ? { extraMetrics: e.extraMetrics } : {}),
    };
  });
  const meta: BaselineMeta = { createdAt: b.createdAt, commit: b.commit, tool: b.tool, machine: b.machine };
  if (b.dirty !== undefined) meta.dirty = b.dirty;
  if (b.handlers) meta.handlers = b.handlers;
  return { meta, series, ...(b.run ? { run: b.run } : {}) };
}
