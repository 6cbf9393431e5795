import { GLOB_LIMITS, globWildcards } from '../glob';
import { FILE_FORMAT_IDS } from '../series';
import { DURATION_RE, PERCENT_RE, THROUGHPUT_RE } from '../units';
import * as z from '../zod';

/**
 * The one schema of perf-budgets.json. It describes the file as users write it (strings like
 * "150ms" and "10%"); `parseConfig` turns the validated input into numbers. The JSON Schema
 * contributed to VS Code (media/perf-budgets.schema.json) is generated from it.
 *
 * zod/mini: `z.optional(s)`, `z._default(s, v)` and `.check(z.regex(…), z.describe(…))` are what
 * full zod writes `.optional()`, `.default(v)`, `.regex(…)` and `.describe(…)`.
 */

const duration = (what: string) =>
  z.string().check(z.regex(DURATION_RE, { error: 'expected a duration such as "850us", "150ms", "1.5s" or "2m"' }), z.describe(what));
const percent = (what: string) =>
  z.string().check(z.regex(PERCENT_RE, { error: 'expected a percentage such as "1%" or "0.5%"' }), z.describe(what));
/** A non-empty string with a description. */
const name = (what: string) => z.string().check(z.minLength(1), z.describe(what));

/**
 * A record whose keys are shown in the editor (hovers, Problems, the Testing view) and the CLI's
 * reports: each key one line of text, without control characters (Unicode Cc, which includes
 * NEL) or the line and paragraph separators U+2028/U+2029. A line break in a handler id once
 * ended the hover's code span, so perf-budgets.json could write Markdown links into it.
 */
const oneLineKeyed = <V extends z.core.SomeType>(what: string, value: V) =>
  z.record(
    z.string().check(
      z.minLength(1),
      z.regex(/^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/, {
        error: (iss) => {
          const c = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.exec(String(iss.input))![0];
          return `${what} may not contain a line break or control character (U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
        },
      }),
    ),
    value,
    // zod says "Invalid key in record"; say what is wrong with the key instead.
    { error: (iss) => (iss.code === 'invalid_key' ? iss.issues[0]?.message : undefined) },
  );

/** A budget's `series`: a glob whose size is bounded (see core/glob.ts). */
const seriesGlob = (what: string) =>
  z.string().check(
    z.minLength(1),
    z.maxLength(GLOB_LIMITS.patternLength, { error: `a series glob may have at most ${GLOB_LIMITS.patternLength} characters` }),
    z.refine((s) => globWildcards(s) <= GLOB_LIMITS.wildcards, { error: `a series glob may have at most ${GLOB_LIMITS.wildcards} wildcards (* and ?)` }),
    z.describe(what),
  );

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

const opt = z.optional;

export const BudgetSchema = z
  .strictObject({
    p50: opt(duration('Median latency may not exceed this.')),
    p90: opt(duration('90th percentile latency may not exceed this.')),
    p95: opt(duration('95th percentile latency may not exceed this, e.g. "150ms".')),
    p99: opt(duration('99th percentile latency may not exceed this.')),
    p999: opt(duration('99.9th percentile latency may not exceed this.')),
    max: opt(duration('Maximum latency may not exceed this.')),
    errorRate: opt(percent('Share of failed requests may not exceed this, e.g. "1%".')),
    throughput: opt(
      z
        .string()
        .check(
          z.regex(THROUGHPUT_RE, { error: 'expected a rate such as ">= 100/s" or "6000/min"' }),
          z.describe('Requests per second (or per minute) must reach at least this, e.g. ">= 100/s".'),
        ),
    ),
    at: opt(name('Explicit code location of the handler: "path#symbol" or "path:line", relative to the workspace.')),
    allRequests: opt(
      z
        .boolean()
        .check(
          z.describe(
            'Hold all requests together (of "benchmark", or of every benchmark): the tool\'s own all-requests row where it writes one (Locust "Aggregated", Artillery http.response_time, the k6 summary totals), else every handler\'s series merged, sub-samples not counted twice.',
          ),
        ),
    ),
    benchmark: opt(name('Only the results of this benchmark (a key of "benchmarks") feed this budget.')),
    series: opt(
      seriesGlob(
        `Name or glob (* and ?) of the result series for this handler, when it differs from the handler id. At most ${GLOB_LIMITS.patternLength} characters and ${GLOB_LIMITS.wildcards} wildcards; a series name over ${GLOB_LIMITS.nameLength} characters never matches a glob.`,
      ),
    ),
  })
  .check(z.describe('Budgets of one handler. Keys are metrics; at least one metric is required.'));

const httpUrl = (what: string) =>
  z.string().check(z.regex(/^https?:\/\/[^\s/?#]+/i, { error: 'expected an http:// or https:// URL' }), z.describe(what));

/** A header value read from an environment variable when the requests are sent (never written in the config). */
const HeaderFromEnvSchema = z
  .strictObject({
    env: z
      .string()
      .check(
        z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name such as "API_TOKEN"' }),
        z.describe('Environment variable holding the value, read by the benchmark process at run time.'),
      ),
    prefix: opt(z.string().check(z.describe('Text before the variable\'s value, e.g. "Bearer ".'))),
  })
  .check(z.describe('A header value read from an environment variable, so the secret stays out of the config and off command lines.'));

export const HttpRequestSchema = z
  .strictObject({
    handler: name('Handler id the latencies are recorded under, e.g. "GET /api/x".'),
    path: z
      .string()
      .check(z.regex(/^\//, { error: 'expected a path starting with "/"' }), z.describe('Path (and query) appended to baseUrl, e.g. "/api/x?id=1".')),
    method: opt(
      z
        .string()
        .check(
          z.regex(/^[A-Z]+$/, { error: 'expected an HTTP method such as "GET" or "POST"' }),
          z.describe('HTTP method (default: the handler id\'s method, else GET).'),
        ),
    ),
    body: opt(
      z
        .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())])
        .check(z.describe('Request body: a string, or JSON (sent with content-type application/json).')),
    ),
    headers: opt(
      z
        .record(z.string().check(z.minLength(1)), z.union([z.string(), HeaderFromEnvSchema]))
        .check(z.describe('Request headers: a value, or { "env": "API_TOKEN", "prefix": "Bearer " } to read a secret from the environment.')),
    ),
    weight: opt(
      z
        .number()
        .check(z.positive(), z.maximum(1000), z.describe('Share of connections and rate relative to the other requests (default 1).')),
    ),
  })
  .check(z.describe('One request of the built-in HTTP benchmark.'));

export const HttpBenchmarkSchema = z
  .strictObject({
    baseUrl: httpUrl('Where the service listens, e.g. "http://127.0.0.1:3000"; loopback only unless allowRemote.'),
    requests: z
      .array(HttpRequestSchema)
      .check(z.minLength(1), z.maxLength(100), z.describe('Requests to send, each recorded under its handler id.')),
    duration: opt(duration('How long to send requests, at most 10m (default "10s").')),
    connections: opt(
      z
        .number()
        .check(z.int(), z.minimum(1), z.maximum(1000), z.describe('Concurrent connections, shared by the requests by weight (default 10).')),
    ),
    rate: opt(
      z
        .number()
        .check(
          z.positive(),
          z.maximum(100_000),
          z.describe(
            'Fixed total request rate per second; latencies are then corrected for coordinated omission. Default: as fast as the connections allow.',
          ),
        ),
    ),
    maxRequests: opt(
      z
        .number()
        .check(
          z.int(),
          z.minimum(1),
          z.maximum(100_000_000),
          z.describe('Stop after this many requests (or at the duration, whichever is first).'),
        ),
    ),
    start: opt(name('Shell command that starts the service before the run (in cwd); it is stopped afterwards.')),
    ready: opt(httpUrl('URL polled until it answers 2xx/3xx before the run (default: until baseUrl accepts connections).')),
    readyTimeout: opt(duration('How long to wait for the service to be ready, at most 5m (default "30s").')),
    results: opt(name('Where to write the HdrHistogram log (default "perf/results/<benchmark>.hlog").')),
    allowRemote: opt(
      z
        .boolean()
        .check(
          z.describe(
            'Allow a baseUrl/ready URL that is not 127.0.0.1, localhost or [::1]. The user must allow the host too: the user setting perfBudgets.http.allowRemoteHosts, or perf-budgets run --allow-remote HOST.',
          ),
        ),
    ),
  })
  .check(
    z.describe(
      'The built-in HTTP benchmark (autocannon): Perf Budgets sends the requests itself and writes an HdrHistogram log per handler.',
    ),
  );

/** Whether `re` is a regular expression JavaScript accepts. */
function compiles(re: string): boolean {
  try {
    new RegExp(re);
    return true;
  } catch {
    return false;
  }
}

/** An environment variable name, e.g. "PROM_TOKEN". */
const envName = (what: string) =>
  z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'expected an environment variable name such as "PROM_TOKEN"' }), z.describe(what));

/**
 * A Prometheus-compatible query API as a benchmark's result source (core/prometheus). A handler id
 * is formed from the `labels`: "METHOD /route" when `method` and `route` are given and both labels
 * are on a series, else the route label, else the `name` label, else the benchmark's name.
 */
export const PrometheusSourceSchema = z
  .strictObject({
    url: httpUrl('Base of the query API: /api/v1/query is appended, e.g. "http://127.0.0.1:9090" or "https://mimir.example/prometheus".'),
    histogram: z
      .string()
      .check(
        z.regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'expected a metric name such as "http_request_duration_seconds"' }),
        z.describe('The histogram metric family (classic _bucket/_count/_sum, or a native histogram), e.g. "http_request_duration_seconds".'),
      ),
    labels: opt(
      z
        .strictObject({
          method: opt(name('Label holding the HTTP method, e.g. "method".')),
          route: opt(name('Label holding the route, e.g. "handler" or "route".')),
          name: opt(name('Label naming the handler when there is no route label.')),
        })
        .check(z.describe('Labels that name a handler: "METHOD /route" from method + route, else the route, else name. Default { "method": "method", "route": "route" }.')),
    ),
    matchers: opt(
      z
        .string()
        .check(
          z.regex(/^\{.*\}$/s, { error: 'expected label matchers in braces, e.g. {job="api"}' }),
          z.describe('PromQL label matchers the series must match, e.g. {job="api", env="prod"}.'),
        ),
    ),
    window: z
      .union([z.literal('run'), z.string().check(z.regex(DURATION_RE, { error: 'expected "run" or a duration such as "1h" or "15m"' }))])
      .check(z.describe('"run": from the benchmark\'s start to its end; or a duration such as "1h" ending at "at".')),
    at: opt(
      z
        .string()
        .check(
          z.regex(/^(now|\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))$/, { error: 'expected "now" or an RFC 3339 time such as "2026-01-02T15:04:05Z"' }),
          z.describe('End of a duration window: "now" (default) or an RFC 3339 time.'),
        ),
    ),
    tokenEnv: opt(envName('Environment variable holding a bearer token, sent as Authorization: Bearer. The token never goes in the config.')),
    caFile: opt(name('PEM file of the certificate authority for an https url, relative to the workspace.')),
    timeout: opt(duration('How long to wait for each answer (default "10s").')),
    errors: opt(
      z
        .union([
          z.strictObject({
            label: name('Label of the histogram whose value marks a failed request, e.g. "status".'),
            match: opt(
              z.string().check(
                z.minLength(1),
                z.refine((re) => compiles(re), { error: 'not a regular expression' }),
                z.describe('Regular expression (anchored, as in PromQL) of failing values (default "5..").'),
              ),
            ),
          }),
          z.strictObject({ counter: z.string().check(z.regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { error: 'expected a metric name' }), z.describe('Counter of failed requests, with the same handler labels.')) }),
        ])
        .check(z.describe('How failed requests are counted. Default: a status, code or status_code label matching 5xx, where the series have one.')),
    ),
  })
  .check(z.describe('Read the results from a Prometheus-compatible query API (Prometheus, Thanos, Mimir, VictoriaMetrics).'));

export const BenchmarkSchema = z
  .strictObject({
    task: opt(name('Label of a VS Code task that runs this benchmark (used in the editor).')),
    command: opt(name('Shell command that runs this benchmark (used by the CLI and CI).')),
    cwd: opt(name('Working directory of `command`, relative to the workspace (default: the workspace).')),
    http: opt(HttpBenchmarkSchema),
    prometheus: opt(PrometheusSourceSchema),
    role: opt(
      z
        .enum(['benchmark', 'production'])
        .check(z.describe('"benchmark" (default): the results judged against the budgets; "production": shown beside them, polled.')),
    ),
    results: opt(
      z
        .union([z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))).check(z.minLength(1))])
        .check(z.describe('Glob(s) of the result files the benchmark writes, relative to the workspace (with "http": default its log).')),
    ),
    format: opt(z.enum(['auto', ...FILE_FORMAT_IDS]).check(z.describe('Result format; "auto" detects it from the file.'))),
    unit: opt(z.enum(['ns', 'us', 'ms', 's']).check(z.describe('Unit of bare numbers (samples, HdrHistogram logs).'))),
    column: opt(name('For "samples" CSV files: the column holding the latency.')),
    timeout: opt(duration('Each run is stopped after this long, e.g. "10m".')),
    repeat: opt(
      z
        .number()
        .check(
          z.int(),
          z.minimum(1),
          z.maximum(50),
          z.describe(
            'Run the benchmark this many times (default 1). Each run is kept separately; with repeats on both sides, regressions are judged against the between-run noise (Mann–Whitney U over per-run values; 4+ runs each to ever reach p < 0.05).',
          ),
        ),
    ),
  })
  .check(z.describe('A benchmark: how to run it ("task", "command" or "http") and where it writes its results.'));

export const ConfigSchema = z
  .strictObject({
    $schema: opt(z.string()),
    baseline: z._default(name('Path of the committed baseline file, relative to the workspace.'), 'perf/baseline.json'),
    regressionThreshold: z._default(percent('A budgeted metric may grow this much over the baseline before it is a regression.'), '10%'),
    warnAt: z._default(percent('A metric at or above this share of its budget is a warning.'), '80%'),
    benchmarks: z._default(oneLineKeyed('a benchmark name', BenchmarkSchema).check(z.describe('Benchmarks by name.')), {}),
    budgets: oneLineKeyed('a budget key (handler id)', BudgetSchema)
      .check(
        z.describe('Budgets by handler id: "METHOD /path" (":id", "{id}" and "<id>" are the same parameter) or a free name.'),
      ),
  })
  .check(z.describe('Perf Budgets configuration (perf-budgets.json).'));

export type ConfigInput = z.input<typeof ConfigSchema>;

/** The JSON Schema VS Code uses to complete and check perf-budgets.json. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ConfigSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return { ...schema, title: 'Perf Budgets configuration', allowTrailingCommas: true, allowComments: true };
}
