import { InputError } from '../errors';
import type { PercentileMap, Series } from '../series';
import { percentileKey } from '../series';
import * as z from '../zod';
import { readJsonShape } from './jsonShape';
import { MAX_LATENCY_MS } from './lines';
import { roundedPercentiles } from './locustRounding';
import type { Reader } from './reader';

/**
 * Locust `--json` (printed to stdout at the end of a headless run) and `--json-file NAME`
 * (Locust ≥ ~2.14; the fixtures are 2.20 and 2.3x): a list of stats entries
 * (`StatsEntry.serialize()`), one per request name and method with requests or failures; Locust
 * leaves its Aggregated total out of it.
 *
 * - name: `method` + " " + `name` (just `name` when there is no method); an entry named
 *   `Aggregated` without a method is Locust's all-requests row (`allRequests: true`).
 * - count `num_requests`, errors `num_failures`; min/max `min_response_time`/`max_response_time`
 *   (exact ms floats); mean = `total_response_time` / (`num_requests` - `num_none_requests`), as
 *   Locust's average. durationSec = `last_request_timestamp` - `start_time` (the entry's first
 *   to last request, s), throughput = count / durationSec, startedAt = `start_time`.
 * - `response_times` is Locust's exact histogram of ROUNDED response times (key = rounded ms,
 *   "67" or "120.0"; value = requests): p50/66/75/80/90/95/98/99/99.9/99.99 are nearest-rank
 *   over it (rank ceil(p/100 x n), n = the histogram's total). Locust's own percentile uses
 *   rank floor(p/100 x n) + 1, one higher when p/100 x n is whole. "100" = the exact max.
 * - The rounding (locustRounding.ts: integer below 100 ms; 10 / 100 / 1000 ms steps from 100,
 *   1000 and 10000 ms): a percentile of 100 ms or more is a rounded key, so it gets the interval
 *   its rounding allows as its `buckets` entry (clamped to [min, max]; a budget inside it is
 *   inconclusive), its value is clamped to the max (a key of 170 000 above a 169 664 ms max is
 *   the max), and the series is `exact: false`. With every percentile below 100 ms (whole ms as
 *   Locust rounded them) it is `exact: true`.
 */

const ms = z.number().check(z.nonnegative(), z.maximum(MAX_LATENCY_MS));
const whole = z.number().check(z.int(), z.nonnegative());

const schema = z
  .array(
    z.object({
      name: z.string(),
      method: z.optional(z.nullable(z.string())),
      num_requests: whole,
      num_none_requests: z.optional(whole),
      num_failures: whole,
      total_response_time: z.number().check(z.nonnegative()),
      max_response_time: ms,
      min_response_time: z.nullable(ms),
      response_times: z.record(z.string(), whole),
      start_time: z.optional(z.nullable(z.number().check(z.nonnegative()))),
      last_request_timestamp: z.optional(z.nullable(z.number().check(z.nonnegative()))),
    }),
  )
  .check(z.minLength(1));

/** The percentiles Locust reports (PERCENTILES_TO_REPORT), below 100. */
const REPORTED = [50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99];

export const locustJsonReader: Reader = {
  id: 'locust-json',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('[') && /"num_requests"\s*:/.test(t) && /"(?:response_times|num_none_requests)"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const entries = await readJsonShape(schema, source, file, 'Locust --json');
    return entries.map((e, i): Series => {
      const histogram: Array<[number, number]> = [];
      let measured = 0;
      for (const [key, n] of Object.entries(e.response_times)) {
        const v = key.trim() === '' ? NaN : Number(key);
        if (!Number.isFinite(v) || v < 0 || v > MAX_LATENCY_MS) {
          throw new InputError(file, `not a valid Locust --json file: $[${i}].response_times key ${JSON.stringify(key.slice(0, 40))} is not a response time in ms`);
        }
        if (n > 0) histogram.push([v, n]);
        measured += n;
      }
      const none = e.num_none_requests ?? 0;
      if (measured + none > e.num_requests) {
        throw new InputError(file, `not a valid Locust --json file: $[${i}].response_times holds ${measured} requests, more than num_requests ${e.num_requests}${none ? ` minus num_none_requests ${none}` : ''}`);
      }
      histogram.sort((a, b) => a[0] - b[0]);
      const has = measured > 0;
      const maxMs = has ? e.max_response_time : null;
      const minMs = has ? e.min_response_time : null;
      const printed: PercentileMap = {};
      if (has) {
        for (const p of REPORTED) printed[percentileKey(p)] = nearestRank(histogram, measured, p);
        printed['100'] = e.max_response_time;
      }
      const { percentiles, buckets, exact } = roundedPercentiles(printed, minMs, maxMs);
      const start = e.start_time ?? null;
      const last = e.last_request_timestamp ?? null;
      const durationSec = start !== null && last !== null && start > 0 && last > start ? last - start : null;
      const timed = e.num_requests - none;
      const total = e.name === 'Aggregated' && !e.method;
      return {
        name: e.method ? `${e.method} ${e.name}` : e.name,
        format: 'locust-json',
        source: file,
        count: e.num_requests,
        errors: e.num_failures,
        durationSec,
        throughputPerSec: durationSec ? e.num_requests / durationSec : null,
        exact,
        histogram: null,
        percentiles,
        minMs,
        maxMs,
        meanMs: has && timed > 0 ? e.total_response_time / timed : null,
        ...(start !== null && start > 0 ? { startedAt: start * 1000 } : {}),
        ...(Object.keys(buckets).length ? { buckets } : {}),
        ...(total ? { allRequests: true } : {}),
      };
    });
  },
};

/** Nearest rank (ceil(p/100 x n), at least 1) over [value, count] pairs sorted by value. */
function nearestRank(histogram: ReadonlyArray<readonly [number, number]>, n: number, p: number): number {
  const rank = Math.min(n, Math.max(1, Math.ceil(Number(((p / 100) * n).toFixed(9)))));
  let seen = 0;
  for (const [v, c] of histogram) {
    seen += c;
    if (seen >= rank) return v;
  }
  return histogram[histogram.length - 1]![0];
}
