import * as z from '../zod';
import type { PercentileMap, Series } from '../series';
import { readJsonShape, scaleDecimal } from './jsonShape';
import { baseName, MAX_LATENCY_MS } from './lines';
import type { Reader } from './reader';
import { parseTimestamp } from './timestamps';

/**
 * Vegeta `vegeta report -type=json` (a summary of one attack): one series named after the file
 * ("perf/api.json" -> "api"). Everything is the tool's own number (exact = true):
 *  - percentiles: `latencies.50th/90th/95th/99th` -> 50/90/95/99, `latencies.max` -> 100; min, mean
 *    from `latencies.min/mean`. Vegeta gives integer nanoseconds; ns -> ms by shifting the decimal
 *    point (scaleDecimal), so 2854306 ns is exactly 2.854306 ms. (Vegeta computes its quantiles with
 *    a t-digest: they are approximations of the true nearest rank, but they are what it printed.)
 *  - count = `requests`;
 *  - errors = the requests of `status_codes` whose code is not 2xx/3xx (Vegeta's own success rule,
 *    200 <= code < 400; transport errors are code "0"); without `status_codes`,
 *    round((1 - success) x requests);
 *  - durationSec = (`duration` + `wait`) / 1e9: from the first request's start to the last
 *    response (Vegeta's `duration` is first to last request start, `wait` the last one's latency);
 *  - throughputPerSec = `rate` (requests per second of the attack, Vegeta's number);
 *  - startedAt = `earliest`.
 * `buckets` (`-buckets`), `bytes_in/out`, `throughput` and `errors` (the error texts) are not read.
 * The report names no endpoint: per-endpoint series need the per-request output (vegeta-results).
 */

/** Nanoseconds: a latency of at most MAX_LATENCY_MS. */
const ns = z.number().check(z.nonnegative(), z.maximum(MAX_LATENCY_MS * 1e6));
const count = z.number().check(z.int(), z.nonnegative());

const schema = z.object({
  latencies: z.object({
    mean: ns,
    '50th': ns,
    '90th': z.optional(ns),
    '95th': z.optional(ns),
    '99th': ns,
    max: ns,
    min: z.optional(ns),
  }),
  requests: count,
  rate: z.optional(z.number().check(z.nonnegative())),
  success: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
  duration: z.optional(z.number().check(z.nonnegative())),
  wait: z.optional(z.number().check(z.nonnegative())),
  earliest: z.optional(z.string()),
  status_codes: z.optional(z.nullable(z.record(z.string().check(z.regex(/^\d+$/)), count))),
});

const nsToMs = (v: number): number => scaleDecimal(v, -6);

const KEYS: Array<['50th' | '90th' | '95th' | '99th' | 'max', string]> = [
  ['50th', '50'],
  ['90th', '90'],
  ['95th', '95'],
  ['99th', '99'],
  ['max', '100'],
];

export const vegetaReportReader: Reader = {
  id: 'vegeta-report',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('{') && /"latencies"\s*:\s*\{/.test(t) && /"50th"\s*:/.test(t) && /"(status_codes|bytes_in|earliest)"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const d = await readJsonShape(schema, source, file, 'vegeta report -type=json');
    const l = d.latencies;
    const percentiles: PercentileMap = {};
    for (const [k, p] of KEYS) {
      const v = l[k];
      if (v !== undefined) percentiles[p] = nsToMs(v);
    }
    let errors: number | null = null;
    if (d.status_codes) {
      errors = 0;
      for (const [code, n] of Object.entries(d.status_codes)) {
        const c = Number(code);
        if (c < 200 || c >= 400) errors += n;
      }
    } else if (d.success !== undefined) errors = Math.round((1 - d.success) * d.requests);
    const spanNs = d.duration !== undefined ? d.duration + (d.wait ?? 0) : null;
    const durationSec = spanNs !== null && spanNs > 0 ? scaleDecimal(spanNs, -9) : null;
    const started = d.earliest !== undefined ? parseTimestamp(d.earliest) : null;
    const series: Series = {
      name: baseName(file),
      format: 'vegeta-report',
      source: file,
      count: d.requests,
      errors,
      durationSec,
      throughputPerSec: d.rate !== undefined ? d.rate : durationSec ? d.requests / durationSec : null,
      exact: true,
      histogram: null,
      percentiles,
      minMs: l.min !== undefined ? nsToMs(l.min) : null,
      maxMs: nsToMs(l.max),
      meanMs: nsToMs(l.mean),
      // Go's zero time ("0001-01-01T00:00:00Z") when the report saw no results: not a start.
      startedAt: started && started.ms > 0 ? Math.round(started.ms) : null,
    };
    return [series];
  },
};
