import * as z from '../zod';
import { InputError } from '../errors';
import type { PercentileMap, Series } from '../series';
import { MAX_LATENCY_MS, parseJson, readText } from './lines';
import { validateShape } from './jsonShape';
import type { Reader } from './reader';

/**
 * The Gatling HTML report's `js/stats.json` and `js/global_stats.json` (Gatling 3.x).
 *   stats.json:        {"type": "GROUP", "name": "All Requests", "stats": {…}, "contents": {
 *                        "req_x": {"type": "REQUEST", "name", "stats"}, "group_y": {"type": "GROUP", "name", "stats", "contents"}}}
 *   global_stats.json: the `stats` object of all requests alone.
 *   stats: {name, numberOfRequests {total, ok, ko}, minResponseTime, maxResponseTime,
 *           meanResponseTime, standardDeviation, percentiles1..4, meanNumberOfRequestsPerSecond,
 *           group1..4} — each {total, ok, ko}; older reports write the numbers as strings and "-"
 *           for none (read as absent).
 *
 * A summary: every number is the tool's own (`exact: true`), the `total` column, nothing recomputed.
 * - The root entry (and global_stats.json) -> a series named by its name ("All Requests"),
 *   `allRequests: true`. Each REQUEST -> a series named by its `name`; a REQUEST or GROUP inside
 *   groups is named "<group> / … / <name>" (group levels joined with " / ", as the gatling-log
 *   reader does) and has `parent` set to its innermost group's series. A GROUP is its own series.
 * - count = numberOfRequests.total, errors = numberOfRequests.ko, min/max/meanMs =
 *   min/max/meanResponseTime.total, throughputPerSec = meanNumberOfRequestsPerSecond.total,
 *   durationSec = count / throughput when both are positive (the file has no duration), startedAt unknown.
 * - percentiles1..4 under "50", "75", "95", "99": Gatling's DEFAULT percentiles
 *   (gatling.conf `charting.indicators.percentile1..4`); the JSON does not say which were
 *   configured (only index.html's column titles do), so a run configured otherwise is read as 50/75/95/99.
 * - standardDeviation goes to `extraMetrics` as "stdDevMs".
 */

const num = z.union([z.number(), z.string()]);
const triple = z.object({ total: num, ok: z.optional(num), ko: z.optional(num) });
const stats = z.object({
  name: z.optional(z.string()),
  numberOfRequests: triple,
  minResponseTime: z.optional(triple),
  maxResponseTime: z.optional(triple),
  meanResponseTime: z.optional(triple),
  standardDeviation: z.optional(triple),
  percentiles1: z.optional(triple),
  percentiles2: z.optional(triple),
  percentiles3: z.optional(triple),
  percentiles4: z.optional(triple),
  meanNumberOfRequestsPerSecond: z.optional(triple),
});
type Stats = z.output<typeof stats>;
interface Node {
  type: string;
  name: string;
  stats: Stats;
  contents?: Record<string, Node>;
}
const node: z.ZodMiniType<Node> = z.object({
  type: z.string(),
  name: z.string(),
  stats,
  get contents() {
    return z.optional(z.record(z.string(), node));
  },
});

const PCT_KEYS = [['percentiles1', '50'], ['percentiles2', '75'], ['percentiles3', '95'], ['percentiles4', '99']] as const;
const SEP = ' / ';
const MAX_DEPTH = 64;

export const gatlingStatsReader: Reader = {
  id: 'gatling-stats',
  detect(head: string): boolean {
    return /^\s*\{/.test(head) && /"numberOfRequests"\s*:/.test(head) && /"percentiles1"\s*:/.test(head) && /"meanNumberOfRequestsPerSecond"|"minResponseTime"/.test(head);
  },

  async read(source, options): Promise<Series[]> {
    const file = options.fileName;
    const json = parseJson(await readText(source, file), file);
    const out: Series[] = [];
    const value = (t: z.output<typeof triple> | undefined, what: string, name: string): number | null => {
      if (t === undefined) return null;
      if (typeof t.total === 'string' && t.total.trim() === '-') return null;
      const v = typeof t.total === 'number' ? t.total : t.total.trim() === '' ? NaN : Number(t.total);
      if (!Number.isFinite(v) || v < 0) throw new InputError(file, `${name}: ${what}.total is not a non-negative number: ${JSON.stringify(t.total)}`);
      return v;
    };
    const series = (s: Stats, name: string, extra: Partial<Series>) => {
      const count = value(s.numberOfRequests, 'numberOfRequests', name);
      if (count === null || !Number.isInteger(count)) throw new InputError(file, `${name}: numberOfRequests.total is not a count`);
      const ko = s.numberOfRequests.ko === undefined ? null : value({ total: s.numberOfRequests.ko }, 'numberOfRequests.ko', name);
      if (ko !== null && ko > count) throw new InputError(file, `${name}: numberOfRequests.ko ${ko} exceeds total ${count}`);
      const ms = (t: z.output<typeof triple> | undefined, what: string) => {
        const v = value(t, what, name);
        if (v !== null && v > MAX_LATENCY_MS) throw new InputError(file, `${name}: ${what} ${v} ms out of range`);
        return v;
      };
      const percentiles: PercentileMap = {};
      for (const [k, p] of PCT_KEYS) {
        const v = ms(s[k], k);
        if (v !== null) percentiles[p] = v;
      }
      const tp = value(s.meanNumberOfRequestsPerSecond, 'meanNumberOfRequestsPerSecond', name);
      const sd = value(s.standardDeviation, 'standardDeviation', name);
      out.push({
        name,
        format: 'gatling-stats',
        source: file,
        count,
        errors: ko,
        durationSec: tp && tp > 0 && count > 0 ? count / tp : null,
        throughputPerSec: tp,
        exact: true,
        histogram: null,
        percentiles,
        minMs: ms(s.minResponseTime, 'minResponseTime'),
        maxMs: ms(s.maxResponseTime, 'maxResponseTime'),
        meanMs: ms(s.meanResponseTime, 'meanResponseTime'),
        startedAt: null,
        ...extra,
        ...(sd !== null ? { extraMetrics: { stdDevMs: sd } } : {}),
      });
    };
    if (json !== null && typeof json === 'object' && !('type' in json) && 'numberOfRequests' in json) {
      const s = validateShape(stats, json, file, 'Gatling global_stats.json');
      series(s, s.name ?? 'All Requests', { allRequests: true });
      return out;
    }
    const root = validateShape(node, json, file, 'Gatling stats.json');
    series(root.stats, root.name, { allRequests: true });
    const walk = (n: Node, path: string, depth: number) => {
      if (depth > MAX_DEPTH) throw new InputError(file, `groups nested deeper than ${MAX_DEPTH}`);
      for (const child of Object.values(n.contents ?? {})) {
        if (child.type !== 'REQUEST' && child.type !== 'GROUP') throw new InputError(file, `${child.name}: unknown entry type ${JSON.stringify(child.type)}`);
        const name = path === '' ? child.name : `${path}${SEP}${child.name}`;
        series(child.stats, name, path === '' ? {} : { parent: path });
        if (child.type === 'GROUP') walk(child, name, depth + 1);
      }
    };
    walk(root, '', 0);
    return out;
  },
};
