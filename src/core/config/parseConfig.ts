import * as jsonc from 'jsonc-parser';
import type * as z from '../zod';
import { InputError } from '../errors';
import { lineColumn } from '../textPosition';
import type { FormatId } from '../series';
import { parseDuration, parsePercent, parseThroughput } from '../units';
import { type HttpBenchmark, toHttpBenchmark } from './httpBenchmark';
import { type PrometheusSource, toPrometheusSource } from '../prometheus/prometheusSource';
import { type LatencyMetric, LATENCY_METRICS, ConfigSchema } from './schema';

export type { HttpBenchmark, HttpRequestSpec } from './httpBenchmark';
export type { PrometheusSource } from '../prometheus/prometheusSource';

export interface Budget {
  /** The key in "budgets": a handler id or a free name. */
  handler: string;
  /** Latency budgets in ms. */
  latency: Partial<Record<LatencyMetric, number>>;
  /** Fraction, 0.01 for "1%". */
  errorRate?: number;
  /** Requests per second that must be reached. */
  throughputPerSec?: number;
  at?: string;
  series?: string;
  /** All requests (of `benchmark`, or of every benchmark) together: see claimSeries. */
  allRequests?: boolean;
  /** Only series read from this benchmark's results. */
  benchmark?: string;
}

export interface Benchmark {
  name: string;
  task?: string;
  command?: string;
  /** The built-in HTTP benchmark; run by Perf Budgets itself (before `command`; after `task` in the editor). */
  http?: HttpBenchmark;
  cwd?: string;
  results: string[];
  format: FormatId | 'auto';
  unit?: 'ns' | 'us' | 'ms' | 's';
  column?: string;
  /** Timeout of each run. */
  timeoutMs?: number;
  /** How many times to run it (1..50); each run is kept separately. */
  repeat: number;
  /** Results read from a Prometheus query API (besides any `results` files). */
  prometheus?: PrometheusSource;
  /** "production": shown beside the benchmarks' results, not judged as one; absent: "benchmark". */
  role?: 'benchmark' | 'production';
}

export interface Config {
  baseline: string;
  /** Fraction: 0.1 for "10%". */
  regressionThreshold: number;
  /** Fraction of a budget at which a metric warns: 0.8 for "80%". */
  warnAt: number;
  benchmarks: Benchmark[];
  budgets: Budget[];
}

/**
 * perf-budgets.json (JSONC) -> Config. Every error is an InputError naming the file and the
 * line:column of the offending value, with its JSON path: `budgets["GET /x"].p95: expected …`.
 */
export function parseConfig(text: string, fileName: string): Config {
  const errors: jsonc.ParseError[] = [];
  const root = jsonc.parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || !root) {
    const e = errors[0];
    const at = e ? lineColumn(text, e.offset) : { line: 1, column: 1 };
    const reason = text.trim() === '' ? 'empty file' : `invalid JSON: ${e ? jsonc.printParseErrorCode(e.error) : 'no value'}`;
    throw new InputError(fileName, reason, at.line, at.column);
  }
  const result = ConfigSchema.safeParse(jsonc.getNodeValue(root));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw issueError(issue, root, text, fileName);
  }
  const input = result.data;
  const budgets: Budget[] = Object.entries(input.budgets).map(([handler, b]) => {
    const latency: Partial<Record<LatencyMetric, number>> = {};
    for (const m of LATENCY_METRICS) if (b[m] !== undefined) latency[m] = parseDuration(b[m]!)!;
    const budget: Budget = { handler, latency };
    if (b.errorRate !== undefined) budget.errorRate = parsePercent(b.errorRate)!;
    if (b.throughput !== undefined) budget.throughputPerSec = parseThroughput(b.throughput)!;
    if (b.at !== undefined) budget.at = b.at;
    if (b.series !== undefined) budget.series = b.series;
    if (b.allRequests) budget.allRequests = true;
    if (b.benchmark !== undefined) budget.benchmark = b.benchmark;
    if (budget.allRequests && budget.series !== undefined) {
      throw issueError({ path: ['budgets', handler, 'series'], message: '"series" and "allRequests" cannot be combined: all requests are every series' }, root, text, fileName);
    }
    if (Object.keys(latency).length === 0 && budget.errorRate === undefined && budget.throughputPerSec === undefined) {
      throw issueError({ path: ['budgets', handler], message: 'a budget needs at least one metric (p50 … max, errorRate, throughput)' }, root, text, fileName);
    }
    return budget;
  });
  const benchmarks: Benchmark[] = Object.entries(input.benchmarks).map(([name, b]) => {
    if (!b.task && !b.command && !b.http && !b.prometheus) {
      throw issueError({ path: ['benchmarks', name], message: 'a benchmark needs a "task", a "command" or "http", or a "prometheus" source' }, root, text, fileName);
    }
    const prometheus = b.prometheus ? toPrometheusSource(b.prometheus) : undefined;
    if (prometheus?.window === 'run' && !b.task && !b.command && !b.http) {
      throw issueError({ path: ['benchmarks', name, 'prometheus', 'window'], message: 'window "run" needs a "command", "task" or "http" to run; give a duration such as "1h"' }, root, text, fileName);
    }
    if (prometheus && Number.isNaN(prometheus.atMs)) {
      throw issueError({ path: ['benchmarks', name, 'prometheus', 'at'], message: 'not a valid time' }, root, text, fileName);
    }
    const http = b.http
      ? toHttpBenchmark(name, b.http, (p, message) => {
          throw issueError({ path: ['benchmarks', name, 'http', ...p], message }, root, text, fileName);
        })
      : undefined;
    const results = b.results ?? http?.results ?? (prometheus ? [] : undefined);
    if (results === undefined) {
      throw issueError({ path: ['benchmarks', name], message: 'a benchmark needs "results" (globs of the files it writes)' }, root, text, fileName);
    }
    const bench: Benchmark = {
      name,
      results: typeof results === 'string' ? [results] : results,
      format: b.format ?? 'auto',
      repeat: b.repeat ?? 1,
    };
    if (b.role) bench.role = b.role;
    if (prometheus) bench.prometheus = prometheus;
    if (b.task) bench.task = b.task;
    if (b.command) bench.command = b.command;
    if (http) bench.http = http;
    if (b.cwd) bench.cwd = b.cwd;
    if (b.unit) bench.unit = b.unit;
    if (b.column) bench.column = b.column;
    if (b.timeout) bench.timeoutMs = parseDuration(b.timeout)!;
    return bench;
  });
  for (const b of budgets) {
    if (b.benchmark !== undefined && !benchmarks.some((x) => x.name === b.benchmark)) {
      const names = benchmarks.map((x) => JSON.stringify(x.name)).join(', ');
      throw issueError(
        { path: ['budgets', b.handler, 'benchmark'], message: `no benchmark ${JSON.stringify(b.benchmark)} (${names ? `benchmarks: ${names}` : 'there are no benchmarks'})` },
        root,
        text,
        fileName,
      );
    }
  }
  const warnAt = parsePercent(input.warnAt)!;
  if (warnAt <= 0 || warnAt > 1) {
    throw issueError({ path: ['warnAt'], message: 'must be above 0% and at most 100%' }, root, text, fileName);
  }
  return {
    baseline: input.baseline,
    regressionThreshold: parsePercent(input.regressionThreshold)!,
    warnAt,
    benchmarks,
    budgets,
  };
}

type Issue = Pick<z.core.$ZodIssue, 'path' | 'message'> & { code?: string; keys?: string[] };

function issueError(issue: Issue, root: jsonc.Node, text: string, fileName: string): InputError {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  // An unknown key points at the key itself; anything else at the deepest node that exists.
  let node: jsonc.Node | undefined;
  if (issue.code === 'unrecognized_keys' && issue.keys?.[0]) {
    node = jsonc.findNodeAtLocation(root, [...path, issue.keys[0]])?.parent?.children?.[0];
    path.push(issue.keys[0]);
  }
  for (let n = path.length; !node && n >= 0; n--) node = jsonc.findNodeAtLocation(root, path.slice(0, n));
  const at = lineColumn(text, node?.offset ?? 0);
  const message = issue.code === 'unrecognized_keys' ? `unknown key (${issue.message})` : issue.message;
  return new InputError(fileName, `${formatPath(path) || '(root)'}: ${message}`, at.line, at.column);
}

/** ["budgets","GET /x","p95"] -> budgets["GET /x"].p95 */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path
    .map((p, i) =>
      typeof p === 'number' ? `[${p}]` : /^[A-Za-z_$][\w$]*$/.test(p) ? (i === 0 ? p : `.${p}`) : `[${JSON.stringify(p)}]`,
    )
    .join('');
}
