import { InputError } from '../errors';
import * as z from '../zod';
import type { PercentileMap, Series } from '../series';
import { scaleDecimal, validateShape } from './jsonShape';
import { baseName, MAX_LATENCY_MS, parseJson, readText } from './lines';
import type { Reader } from './reader';

/**
 * bombardier `-o json` (`-p r` for the result only; without it the intro and progress lines come
 * first and are skipped: the document starts at the first line beginning with "{"): one series
 * named after the file ("perf/api.json" -> "api"), exact = true (bombardier's own numbers):
 *  - percentiles: `result.latency.percentiles` "50"/"75"/"90"/"95"/"99" (only with `-l`/
 *    `--latencies`), µs -> ms by decimal shift (8731 µs is exactly 8.731 ms); 100 =
 *    `latency.max`; mean = `latency.mean`; min is not in the file;
 *  - count = req1xx + req2xx + req3xx + req4xx + req5xx + others ("others": requests that got no
 *    response, the transport errors `errors[]` describes, and any status outside 100..599);
 *  - errors = count - req2xx - req3xx: a status not 2xx/3xx or no response (the success rule of
 *    the Vegeta reader, used for all three of Vegeta, oha and bombardier);
 *  - durationSec = `timeTakenSeconds`; throughputPerSec = count / durationSec (bombardier's
 *    `rps.mean` is the mean of per-interval rates, another number).
 */

const us = z.number().check(z.nonnegative(), z.maximum(MAX_LATENCY_MS * 1000));
const count = z.optional(z.number().check(z.int(), z.nonnegative()));

const schema = z.object({
  result: z.object({
    timeTakenSeconds: z.number().check(z.nonnegative()),
    req1xx: count,
    req2xx: count,
    req3xx: count,
    req4xx: count,
    req5xx: count,
    others: count,
    latency: z.object({
      mean: us,
      max: us,
      percentiles: z.optional(z.nullable(z.record(z.string().check(z.regex(/^\d+(\.\d+)?$/)), us))),
    }),
  }),
});

export const bombardierReader: Reader = {
  id: 'bombardier',
  detect(head) {
    return /"result"\s*:\s*\{/.test(head) && /"timeTakenSeconds"\s*:/.test(head) && /"req2xx"\s*:/.test(head) && /\{\s*"spec"\s*:|"result"\s*:\s*\{\s*"bytesRead"/.test(head);
  },

  async read(source, options) {
    const file = options.fileName;
    const text = await readText(source, file);
    const m = /^\{/m.exec(text);
    if (!m) throw new InputError(file, 'not a bombardier JSON result: no line starts with "{" (run bombardier with -o json)');
    const skipped = text.slice(0, m.index).split('\n').length - 1;
    // Blank the skipped lines but keep their newlines, so JSON errors keep the file's line numbers.
    const d = validateShape(schema, parseJson('\n'.repeat(skipped) + text.slice(m.index), file), file, 'bombardier -o json');
    const r = d.result;
    const ok = (r.req2xx ?? 0) + (r.req3xx ?? 0);
    const total = (r.req1xx ?? 0) + ok + (r.req4xx ?? 0) + (r.req5xx ?? 0) + (r.others ?? 0);
    const percentiles: PercentileMap = {};
    for (const [p, v] of Object.entries(r.latency.percentiles ?? {})) {
      const n = Number(p);
      if (n >= 0 && n <= 100) percentiles[String(n)] = scaleDecimal(v, -3);
    }
    const maxMs = scaleDecimal(r.latency.max, -3);
    percentiles['100'] = maxMs;
    const durationSec = r.timeTakenSeconds > 0 ? r.timeTakenSeconds : null;
    const series: Series = {
      name: baseName(file),
      format: 'bombardier',
      source: file,
      count: total,
      errors: total - ok,
      durationSec,
      throughputPerSec: durationSec ? total / durationSec : null,
      exact: true,
      histogram: null,
      percentiles,
      minMs: null,
      maxMs,
      meanMs: scaleDecimal(r.latency.mean, -3),
    };
    return [series];
  },
};
