import * as z from '../zod';
import { percentileKey, type PercentileMap, type Series } from '../series';
import { readJsonShape, secondsToMs } from './jsonShape';
import { baseName, MAX_LATENCY_MS } from './lines';
import type { Reader } from './reader';

/**
 * oha JSON output (`oha --output-format json`, `-j`/`--json` up to 1.8): one series named after
 * the file ("perf/api.json" -> "api"), exact = true (oha's own numbers):
 *  - percentiles: `latencyPercentiles` `pN` -> N (p10 … p99.99; seconds -> ms by decimal shift,
 *    0.0112 s is exactly 11.2 ms); a `null` (oha's NaN: no successful response) is left out;
 *    100 = `summary.slowest`; min = `summary.fastest`, mean = `summary.average`. oha computes these
 *    over the responses it got (any status code), not over transport errors;
 *  - count = the sum of `statusCodeDistribution` (responses) + the sum of `errorDistribution`
 *    (requests that got no response), less the "aborted due to deadline" errors: the requests
 *    still in flight when `-z` ended the run, which oha itself leaves out of `successRate`;
 *  - errors = responses whose status is not 2xx/3xx + the counted `errorDistribution` entries
 *    (oha calls every response a success; the 2xx/3xx rule is Vegeta's, used for all three of
 *    the Vegeta, oha and bombardier readers);
 *  - durationSec = `summary.total`; throughputPerSec = `summary.requestsPerSec`.
 * `responseTimeHistogram` is not read: its bucket labels mean different things across oha
 * versions (an upper edge measured from the fastest, or a lower edge) and its last bucket takes
 * everything past 3x the mean, so a percentile from it could be off by a whole bucket. A file
 * without `latencyPercentiles` (no oha >= 1.0 writes one) gets only max, min and mean.
 */

const seconds = z.number().check(z.nonnegative(), z.maximum(MAX_LATENCY_MS / 1000));
const count = z.number().check(z.int(), z.nonnegative());

const schema = z.object({
  summary: z.object({
    successRate: z.optional(z.nullable(z.number())),
    total: z.optional(z.nullable(z.number().check(z.nonnegative()))),
    slowest: z.optional(z.nullable(seconds)),
    fastest: z.optional(z.nullable(seconds)),
    average: z.optional(z.nullable(seconds)),
    requestsPerSec: z.optional(z.nullable(z.number().check(z.nonnegative()))),
  }),
  latencyPercentiles: z.optional(z.nullable(z.record(z.string().check(z.regex(/^p\d+(\.\d+)?$/)), z.nullable(seconds)))),
  statusCodeDistribution: z.record(z.string().check(z.regex(/^\d+$/)), count),
  errorDistribution: z.optional(z.nullable(z.record(z.string(), count))),
});

/** oha's name for the requests a `-z` deadline cut off: not failures. */
const DEADLINE = 'aborted due to deadline';

export const ohaReader: Reader = {
  id: 'oha',
  detect(head) {
    const t = head.trimStart();
    return t.startsWith('{') && /"summary"\s*:/.test(t) && /"successRate"\s*:/.test(t) && /"(latencyPercentiles|statusCodeDistribution|responseTimeHistogram)"\s*:/.test(t);
  },

  async read(source, options) {
    const file = options.fileName;
    const d = await readJsonShape(schema, source, file, 'oha JSON');
    let responses = 0;
    let errors = 0;
    for (const [code, n] of Object.entries(d.statusCodeDistribution)) {
      responses += n;
      const c = Number(code);
      if (c < 200 || c >= 400) errors += n;
    }
    let failed = 0;
    for (const [text, n] of Object.entries(d.errorDistribution ?? {})) if (text !== DEADLINE) failed += n;
    const s = d.summary;
    const percentiles: PercentileMap = {};
    for (const [key, v] of Object.entries(d.latencyPercentiles ?? {})) {
      const p = Number(key.slice(1));
      if (v !== null && p >= 0 && p <= 100) percentiles[percentileKey(p)] = secondsToMs(v);
    }
    const maxMs = s.slowest !== undefined && s.slowest !== null ? secondsToMs(s.slowest) : null;
    if (maxMs !== null) percentiles['100'] = maxMs;
    const ms = (v: number | null | undefined) => (v === undefined || v === null ? null : secondsToMs(v));
    const series: Series = {
      name: baseName(file),
      format: 'oha',
      source: file,
      count: responses + failed,
      errors: errors + failed,
      durationSec: s.total !== undefined && s.total !== null && s.total > 0 ? s.total : null,
      throughputPerSec: s.requestsPerSec ?? null,
      exact: true,
      histogram: null,
      percentiles,
      minMs: ms(s.fastest),
      maxMs,
      meanMs: ms(s.average),
    };
    return [series];
  },
};
