import type { LatencyHistogram } from '../histograms/latencyHistogram';

/**
 * Writes an HdrHistogram interval log (format 1.3, V2 encoding) the way HistogramLogWriter does,
 * one `Tag=<handler>` line per interval per handler, so the hdr-log reader, HdrHistogram's own
 * tools and HdrHistogramJS all read it. Values are integer nanoseconds; Interval_Max is in ms
 * (max value unit ratio 1e6), which is how the reader infers the unit.
 *
 * Handler ids contain spaces ("GET /api/x") and may contain commas, which the interval line
 * cannot hold (Java's reader splits on both), so tags are percent-encoded ("GET%20/api/x") and
 * the file says so in a `#[Perf-Budgets: {...}]` comment; that comment also carries what an
 * interval histogram cannot: per handler, the requests sent and how many failed (non-2xx,
 * socket errors, timeouts) — the histogram count can be larger when coordinated omission was
 * corrected for.
 */

export interface HdrLogInterval {
  tag: string;
  /** Seconds since the log's StartTime. */
  startSec: number;
  lengthSec: number;
  histogram: LatencyHistogram;
}

export interface HdrLogTotals {
  requests: number;
  errors: number;
}

/** What the `#[Perf-Budgets: …]` comment holds (JSON). */
export interface PerfBudgetsLogMeta {
  v: 1;
  /** "percent": tags are percent-encoded (see encodeHdrLogTag). */
  tags?: 'percent';
  /** Per handler id (decoded), the requests sent and how many failed. */
  handlers?: Record<string, HdrLogTotals>;
}

export const PERF_BUDGETS_META_RE = /^#\[Perf-Budgets:\s*(\{.*\})\s*\]\s*$/;

/** Percent-encodes what an interval line cannot hold in a tag: '%', ',' and whitespace/control characters. */
export function encodeHdrLogTag(tag: string): string {
  return tag.replace(/[%,\s\p{Cc}]/gu, (c) => encodeURIComponent(c));
}

/** The inverse of encodeHdrLogTag; a tag that is not valid percent-encoding is kept as written. */
export function decodeHdrLogTag(tag: string): string {
  if (!tag.includes('%')) return tag;
  try {
    return decodeURIComponent(tag);
  } catch {
    return tag;
  }
}

export function formatHdrLog(log: { startTimeMs: number; intervals: readonly HdrLogInterval[]; totals?: Record<string, HdrLogTotals>; comment?: string }): string {
  const start = log.startTimeMs / 1000;
  const meta: PerfBudgetsLogMeta = { v: 1, tags: 'percent' };
  if (log.totals) meta.handlers = log.totals;
  const lines = [
    ...(log.comment ? [`#[${log.comment.replace(/[\r\n\]]/g, ' ')}]`] : []),
    '#[Histogram log format version 1.3]',
    `#[StartTime: ${start.toFixed(3)} (seconds since epoch), ${new Date(log.startTimeMs).toISOString()}]`,
    `#[Perf-Budgets: ${JSON.stringify(meta)}]`,
    '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
  ];
  for (const i of log.intervals) {
    const max = i.histogram.count > 0 ? i.histogram.maxMs : 0;
    lines.push(`Tag=${encodeHdrLogTag(i.tag)},${i.startSec.toFixed(3)},${i.lengthSec.toFixed(3)},${max.toFixed(3)},${i.histogram.encode()}`);
  }
  return `${lines.join('\n')}\n`;
}
