import { z } from 'zod';
import { FORMAT_IDS } from '../series';
import { DURATION_RE, PERCENT_RE, THROUGHPUT_RE } from '../units';

/**
 * The one schema of perf-budgets.json. It describes the file as users write it (strings like
 * "150ms" and "10%"); `parseConfig` turns the validated input into numbers. The JSON Schema
 * contributed to VS Code (media/perf-budgets.schema.json) is generated from it.
 */


const duration = (what: string) =>
  z
    .string()
    .regex(DURATION_RE, { error: 'expected a duration such as "850us", "150ms", "1.5s" or "2m"' })
    .describe(what);
const percent = (what: string) =>
  z.string().regex(PERCENT_RE, { error: 'expected a percentage such as "1%" or "0.5%"' }).describe(what);

import { LATENCY_METRICS, type LatencyMetric } from '../kinds';
export { LATENCY_METRICS, METRICS, type LatencyMetric, type Metric } from '../kinds';

/** Percentile (0..100) behind each latency metric. */
export const METRIC_PERCENTILE: Record<LatencyMetric, number> = {
  p50: 50,
  p90: 90,
  p95: 95,
  p99: 99,
  p999: 99.9,
  max: 100,
};

export const BudgetSchema = z
  .strictObject({
    p50: duration('Median latency may not exceed this.').optional(),
    p90: duration('90th percentile latency may not exceed this.').optional(),
    p95: duration('95th percentile latency may not exceed this, e.g. "150ms".').optional(),
    p99: duration('99th percentile latency may not exceed this.').optional(),
    p999: duration('99.9th percentile latency may not exceed this.').optional(),
    max: duration('Maximum latency may not exceed this.').optional(),
    errorRate: percent('Share of failed requests may not exceed this, e.g. "1%".').optional(),
    throughput: z
      .string()
      .regex(THROUGHPUT_RE, { error: 'expected a rate such as ">= 100/s" or "6000/min"' })
      .describe('Requests per second (or per minute) must reach at least this, e.g. ">= 100/s".')
      .optional(),
    at: z
      .string()
      .min(1)
      .describe('Explicit code location of the handler: "path#symbol" or "path:line", relative to the workspace.')
      .optional(),
    series: z
      .string()
      .min(1)
      .describe('Name or glob (* and ?) of the result series for this handler, when it differs from the handler id.')
      .optional(),
  })
  .describe('Budgets of one handler. Keys are metrics; at least one metric is required.');

export const BenchmarkSchema = z
  .strictObject({
    task: z.string().min(1).describe('Label of a VS Code task that runs this benchmark (used in the editor).').optional(),
    command: z.string().min(1).describe('Shell command that runs this benchmark (used by the CLI and CI).').optional(),
    cwd: z.string().min(1).describe('Working directory of `command`, relative to the workspace (default: the workspace).').optional(),
    results: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('Glob(s) of the result files the benchmark writes, relative to the workspace.'),
    format: z
      .enum(['auto', ...FORMAT_IDS])
      .describe('Result format; "auto" detects it from the file.')
      .optional(),
    unit: z.enum(['ns', 'us', 'ms', 's']).describe('Unit of bare numbers (samples, HdrHistogram logs).').optional(),
    column: z.string().min(1).describe('For "samples" CSV files: the column holding the latency.').optional(),
    timeout: duration('The run is stopped after this long, e.g. "10m".').optional(),
  })
  .describe('A benchmark: how to run it and where it writes its results.');

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    baseline: z
      .string()
      .min(1)
      .describe('Path of the committed baseline file, relative to the workspace.')
      .default('perf/baseline.json'),
    regressionThreshold: percent('A budgeted metric may grow this much over the baseline before it is a regression.').default(
      '10%',
    ),
    warnAt: percent('A metric at or above this share of its budget is a warning.').default('80%'),
    benchmarks: z.record(z.string().min(1), BenchmarkSchema).describe('Benchmarks by name.').default({}),
    budgets: z
      .record(z.string().min(1), BudgetSchema)
      .describe('Budgets by handler id: "METHOD /path" (":id", "{id}" and "<id>" are the same parameter) or a free name.'),
  })
  .describe('Perf Budgets configuration (perf-budgets.json).');

export type ConfigInput = z.input<typeof ConfigSchema>;

/** The JSON Schema VS Code uses to complete and check perf-budgets.json. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return { ...schema, title: 'Perf Budgets configuration', allowTrailingCommas: true, allowComments: true };
}
