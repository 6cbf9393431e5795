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

const httpUrl = (what: string) =>
  z.string().regex(/^https?:\/\/[^\s/?#]+/i, { error: 'expected an http:// or https:// URL' }).describe(what);

export const HttpRequestSchema = z
  .strictObject({
    handler: z.string().min(1).describe('Handler id the latencies are recorded under, e.g. "GET /api/x".'),
    path: z.string().regex(/^\//, { error: 'expected a path starting with "/"' }).describe('Path (and query) appended to baseUrl, e.g. "/api/x?id=1".'),
    method: z
      .string()
      .regex(/^[A-Z]+$/, { error: 'expected an HTTP method such as "GET" or "POST"' })
      .describe('HTTP method (default: the handler id\'s method, else GET).')
      .optional(),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
      .describe('Request body: a string, or JSON (sent with content-type application/json).')
      .optional(),
    headers: z.record(z.string().min(1), z.string()).describe('Request headers.').optional(),
    weight: z.number().positive().max(1000).describe('Share of connections and rate relative to the other requests (default 1).').optional(),
  })
  .describe('One request of the built-in HTTP benchmark.');

export const HttpBenchmarkSchema = z
  .strictObject({
    baseUrl: httpUrl('Where the service listens, e.g. "http://127.0.0.1:3000"; loopback only unless allowRemote.'),
    requests: z.array(HttpRequestSchema).min(1).max(100).describe('Requests to send, each recorded under its handler id.'),
    duration: duration('How long to send requests, at most 10m (default "10s").').optional(),
    connections: z.number().int().min(1).max(1000).describe('Concurrent connections, shared by the requests by weight (default 10).').optional(),
    rate: z
      .number()
      .positive()
      .max(100_000)
      .describe('Fixed total request rate per second; latencies are then corrected for coordinated omission. Default: as fast as the connections allow.')
      .optional(),
    maxRequests: z.number().int().min(1).max(100_000_000).describe('Stop after this many requests (or at the duration, whichever is first).').optional(),
    start: z.string().min(1).describe('Shell command that starts the service before the run (in cwd); it is stopped afterwards.').optional(),
    ready: httpUrl('URL polled until it answers 2xx/3xx before the run (default: until baseUrl accepts connections).').optional(),
    readyTimeout: duration('How long to wait for the service to be ready, at most 5m (default "30s").').optional(),
    results: z.string().min(1).describe('Where to write the HdrHistogram log (default "perf/results/<benchmark>.hlog").').optional(),
    allowRemote: z.boolean().describe('Allow a baseUrl/ready URL that is not 127.0.0.1, localhost or [::1].').optional(),
  })
  .describe('The built-in HTTP benchmark (autocannon): Perf Budgets sends the requests itself and writes an HdrHistogram log per handler.');

export const BenchmarkSchema = z
  .strictObject({
    task: z.string().min(1).describe('Label of a VS Code task that runs this benchmark (used in the editor).').optional(),
    command: z.string().min(1).describe('Shell command that runs this benchmark (used by the CLI and CI).').optional(),
    cwd: z.string().min(1).describe('Working directory of `command`, relative to the workspace (default: the workspace).').optional(),
    http: HttpBenchmarkSchema.optional(),
    results: z
      .union([z.string().min(1), z.array(z.string().min(1)).min(1)])
      .describe('Glob(s) of the result files the benchmark writes, relative to the workspace (with "http": default its log).')
      .optional(),
    format: z
      .enum(['auto', ...FORMAT_IDS])
      .describe('Result format; "auto" detects it from the file.')
      .optional(),
    unit: z.enum(['ns', 'us', 'ms', 's']).describe('Unit of bare numbers (samples, HdrHistogram logs).').optional(),
    column: z.string().min(1).describe('For "samples" CSV files: the column holding the latency.').optional(),
    timeout: duration('The run is stopped after this long, e.g. "10m".').optional(),
  })
  .describe('A benchmark: how to run it ("task", "command" or "http") and where it writes its results.');

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
