import * as z from '../zod';
import { InputError } from '../errors';
import type { PercentileMap, Series } from '../series';
import { MAX_LATENCY_MS } from './lines';
import { readJsonShape } from './jsonShape';
import type { Reader } from './reader';

/**
 * JMeter's HTML dashboard `statistics.json` (`jmeter -g results.jtl -o report/`, JMeter ≥ 3.x):
 *   {"<label>": {"transaction", "sampleCount", "errorCount", "errorPct", "meanResTime",
 *    "medianResTime", "minResTime", "maxResTime", "pct1ResTime", "pct2ResTime", "pct3ResTime",
 *    "throughput", "receivedKBytesPerSec", "sentKBytesPerSec"}, …, "Total": {…}}
 *
 * A summary: every number is the tool's own (`exact: true`), nothing is recomputed.
 * - One series per entry, named by its `transaction` (the key when absent). The `Total` entry
 *   (transaction "Total") is the dashboard's all-requests row: `allRequests: true`.
 * - count = sampleCount, errors = errorCount, meanMs/minMs/maxMs = mean/min/maxResTime,
 *   throughputPerSec = throughput (the dashboard's samples per second).
 * - percentiles: "50" = medianResTime; pct1/pct2/pct3ResTime under "90", "95", "99". Those are
 *   the dashboard's DEFAULT percentiles (properties `aggregate_rpt_pct1`, `aggregate_rpt_pct2`, `aggregate_rpt_pct3` = 90, 95, 99); the file
 *   does not say which were configured, so a run with other values is read as 90/95/99.
 *   JMeter interpolates between ranks, so they can be fractional (4642.5); kept as given.
 * - durationSec = sampleCount / throughput when both are positive (the file has no duration);
 *   startedAt is unknown.
 * - receivedKBytesPerSec / sentKBytesPerSec go to `extraMetrics` as "receivedKB/s", "sentKB/s".
 */

const ms = z.number().check(z.nonnegative(), z.maximum(MAX_LATENCY_MS));
const entry = z.object({
  transaction: z.optional(z.string()),
  sampleCount: z.number().check(z.int(), z.nonnegative()),
  errorCount: z.optional(z.number().check(z.int(), z.nonnegative())),
  errorPct: z.optional(z.number()),
  meanResTime: z.optional(ms),
  medianResTime: z.optional(ms),
  minResTime: z.optional(ms),
  maxResTime: z.optional(ms),
  pct1ResTime: z.optional(ms),
  pct2ResTime: z.optional(ms),
  pct3ResTime: z.optional(ms),
  throughput: z.optional(z.number().check(z.nonnegative())),
  receivedKBytesPerSec: z.optional(z.number()),
  sentKBytesPerSec: z.optional(z.number()),
});
const schema = z.record(z.string(), entry);

export const jmeterDashboardReader: Reader = {
  id: 'jmeter-dashboard',
  detect(head: string): boolean {
    return /^\s*\{/.test(head) && head.includes('"sampleCount"') && /"pct1ResTime"\s*:/.test(head) && /"transaction"\s*:/.test(head);
  },

  async read(source, options): Promise<Series[]> {
    const file = options.fileName;
    const data = await readJsonShape(schema, source, file, 'JMeter dashboard statistics.json');
    const out: Series[] = [];
    for (const [key, e] of Object.entries(data)) {
      const name = e.transaction ?? key;
      if (e.errorCount !== undefined && e.errorCount > e.sampleCount) {
        throw new InputError(file, `${name}: errorCount ${e.errorCount} exceeds sampleCount ${e.sampleCount}`);
      }
      const percentiles: PercentileMap = {};
      if (e.medianResTime !== undefined) percentiles['50'] = e.medianResTime;
      if (e.pct1ResTime !== undefined) percentiles['90'] = e.pct1ResTime;
      if (e.pct2ResTime !== undefined) percentiles['95'] = e.pct2ResTime;
      if (e.pct3ResTime !== undefined) percentiles['99'] = e.pct3ResTime;
      const extra: Record<string, number> = {};
      if (e.receivedKBytesPerSec !== undefined) extra['receivedKB/s'] = e.receivedKBytesPerSec;
      if (e.sentKBytesPerSec !== undefined) extra['sentKB/s'] = e.sentKBytesPerSec;
      const tp = e.throughput ?? null;
      out.push({
        name,
        format: 'jmeter-dashboard',
        source: file,
        count: e.sampleCount,
        errors: e.errorCount ?? null,
        durationSec: tp && tp > 0 && e.sampleCount > 0 ? e.sampleCount / tp : null,
        throughputPerSec: tp,
        exact: true,
        histogram: null,
        percentiles,
        minMs: e.minResTime ?? null,
        maxMs: e.maxResTime ?? null,
        meanMs: e.meanResTime ?? null,
        startedAt: null,
        ...(key === 'Total' && name === 'Total' ? { allRequests: true } : {}),
        ...(Object.keys(extra).length ? { extraMetrics: extra } : {}),
      });
    }
    if (out.length === 0) throw new InputError(file, 'no entries in JMeter dashboard statistics.json');
    return out;
  },
};
