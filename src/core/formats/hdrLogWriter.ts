import type { LatencyHistogram } from '../histograms/latencyHistogram';

/**
 * Writes an HdrHistogram interval log (format 1.3, V2 encoding) the way HistogramLogWriter does,
 * one `Tag=<handler>` line per interval per handler, so the hdr-log reader, HdrHistogram's own
 * tools and HdrHistogramJS all read it. Values are integer nanoseconds; Interval_Max is in ms
 * (max value unit ratio 1e6), which is how the reader infers the unit.
 *
 * Handler ids contain spaces ("GET /api/x") and may contain commas, which the interval line
 * cannot hold (Java's reader splits on both), so tags are percent-encoded ("GET%20/api/x") and
 * the file says so in a `#[Perf-Budgets: {...}]` comment. Handler names come from a workspace's
 * config, so everything but letters, digits and `-._~/:@+=` is encoded: a name never appears raw
 * in the file, neither as a tag nor (\u-escaped) in that comment's JSON, whatever shell
 * metacharacters, line breaks or separators it holds. That comment also carries what an
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

/** Characters a tag (and a string in the Perf-Budgets comment) keeps as they are. */
const TAG_SAFE = /[A-Za-z0-9\-._~/:@+=]/;
const UTF8 = new TextEncoder();

/**
 * Percent-encodes (UTF-8) every character but TAG_SAFE ones: what an interval line cannot hold
 * (',', whitespace, line breaks, '%') and shell metacharacters (';', '|', '$', '`', quotes, …).
 */
export function encodeHdrLogTag(tag: string): string {
  let out = '';
  for (const c of tag) out += TAG_SAFE.test(c) ? c : [...UTF8.encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  return out;
}

/**
 * JSON.stringify, with every character of its strings but TAG_SAFE ones written as \uXXXX (a
 * quote or backslash too; JSON's letter escapes such as \n stay): the same value, nothing raw.
 */
function asciiJson(value: unknown): string {
  const u = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return JSON.stringify(value).replace(/"((?:[^"\\]|\\.)*)"/g, (_, body: string) => {
    const escaped = body.replace(/\\.|[^]/g, (c) => (c.length === 2 ? (/[a-z]/.test(c[1]!) ? c : u(c[1]!)) : TAG_SAFE.test(c) ? c : u(c)));
    return `"${escaped}"`;
  });
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
    ...(log.comment ? [`#[${log.comment.replace(/[\]\s\p{Cc}]/gu, ' ')}]`] : []),
    '#[Histogram log format version 1.3]',
    `#[StartTime: ${start.toFixed(3)} (seconds since epoch), ${new Date(log.startTimeMs).toISOString()}]`,
    `#[Perf-Budgets: ${asciiJson(meta)}]`,
    '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
  ];
  for (const i of log.intervals) {
    const max = i.histogram.count > 0 ? i.histogram.maxMs : 0;
    lines.push(`Tag=${encodeHdrLogTag(i.tag)},${i.startSec.toFixed(3)},${i.lengthSec.toFixed(3)},${max.toFixed(3)},${i.histogram.encode()}`);
  }
  return `${lines.join('\n')}\n`;
}
