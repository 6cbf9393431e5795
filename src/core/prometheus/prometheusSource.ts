import type * as z from '../zod';
import type { PrometheusSourceSchema } from '../config/schema';
import { parseDuration } from '../units';

/**
 * A benchmark's `prometheus` source as the code uses it (the config's PrometheusSourceSchema with
 * durations in ms and defaults filled in). It holds the NAME of the token's environment variable,
 * never a token.
 */
export interface PrometheusSource {
  /** Base of the query API without a trailing slash; may hold a path (".../prometheus"). */
  url: string;
  /** Metric family: classic series are `<histogram>_bucket|_count|_sum`, a native one is `<histogram>`. */
  histogram: string;
  /** Label names forming a handler id ("METHOD /route", else route, else name). */
  labels: HandlerLabels;
  /** Matchers inside the braces, e.g. `job="api"`; "" for none. */
  matchers: string;
  /** "run": the benchmark's own start and end; else a duration ending at `atMs`. */
  window: 'run' | { ms: number; text: string };
  /** End of a duration window, epoch ms; undefined for now. */
  atMs?: number;
  tokenEnv?: string;
  /** As written in the config: relative to the workspace. */
  caFile?: string;
  timeoutMs: number;
  errors: ErrorRule;
}

export interface HandlerLabels {
  method?: string;
  route?: string;
  name?: string;
}

/**
 * How failed requests are counted: `status` labels of the histogram's `_count` whose value matches
 * `match` (anchored; "auto" tries status, code and status_code against 5xx and gives null errors when
 * no series carries one), or a separate counter with the same handler labels.
 */
export type ErrorRule = { kind: 'labels'; labels: string[]; match: string; auto: boolean } | { kind: 'counter'; counter: string };

export const DEFAULT_PROMETHEUS_TIMEOUT_MS = 10_000;
const AUTO_STATUS_LABELS = ['status', 'code', 'status_code'];

/** Validated config input -> PrometheusSource. */
export function toPrometheusSource(input: z.output<typeof PrometheusSourceSchema>): PrometheusSource {
  const labels: HandlerLabels = input.labels ?? { method: 'method', route: 'route' };
  const errors: ErrorRule =
    input.errors === undefined
      ? { kind: 'labels', labels: AUTO_STATUS_LABELS, match: '5..', auto: true }
      : 'counter' in input.errors
        ? { kind: 'counter', counter: input.errors.counter }
        : { kind: 'labels', labels: [input.errors.label], match: input.errors.match ?? '5..', auto: false };
  const source: PrometheusSource = {
    url: input.url.replace(/\/+$/, ''),
    histogram: input.histogram,
    labels,
    matchers: input.matchers ? input.matchers.slice(1, -1).trim().replace(/,\s*$/, '') : '',
    window: input.window === 'run' ? 'run' : { ms: parseDuration(input.window)!, text: input.window.trim() },
    timeoutMs: input.timeout ? parseDuration(input.timeout)! : DEFAULT_PROMETHEUS_TIMEOUT_MS,
    errors,
  };
  if (input.at !== undefined && input.at !== 'now') source.atMs = Date.parse(input.at);
  if (input.tokenEnv) source.tokenEnv = input.tokenEnv;
  if (input.caFile) source.caFile = input.caFile;
  return source;
}

/** The url without user:password and without query string, for messages. */
export function shownUrl(url: string): string {
  return url.replace(/^(https?:\/\/)[^@/]*@/i, '$1').replace(/[?#].*$/, '');
}
