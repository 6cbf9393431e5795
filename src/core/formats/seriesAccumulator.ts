/**
 * The shared machinery of the raw per-request readers that must be fast (k6-json, hey-csv):
 * a scanning kernel turns complete lines of bytes into a mergeable partial aggregate
 * (per-series histogram, counts, time span). The same kernel runs in `read()` (one thread,
 * streaming) and in the worker threads of src/node/read/scanPool.ts (one per byte range); partial
 * aggregates merge in any order to the same result.
 */
import { InputError } from '../errors';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import type { FormatId, Series } from '../series';
import { fromHistogram } from '../series';
import { MAX_LINE_BYTES } from './lines';
import type { ByteSource } from './byteSource';
import type { SeriesLimit, SkippedSeries } from './seriesLimit';

/** One series of a partial aggregate: plain data, so it can cross a worker boundary. */
export interface PartialSeries {
  name: string;
  /** Samples recorded (http_req_duration points / CSV rows). */
  count: number;
  /** Failed requests by the format's failure signal (k6: http_req_failed points with a non-zero value). */
  failed: number;
  /** Failures by status code (hey: not 2xx; k6 fallback: status >= 400 or "0"). */
  statusErrors: number;
  /** Exact smallest and largest latency, ms. */
  minMs: number;
  maxMs: number;
  /** hdr-histogram-js compressed base64 of the latencies (integer ns). */
  histogram: string;
  /** Where the series first appeared: the byte offset of its range's first line, and the line in that range. */
  firstRange: number;
  firstLine: number;
}

export interface PartialAggregate {
  format: FormatId;
  series: PartialSeries[];
  /** The sampled time span in ms (k6: epoch ms of the first and last sample; hey: 0 and the last response's end). */
  spanStartMs: number | null;
  spanEndMs: number | null;
  /** Failure signals seen in the whole file (k6: http_req_failed points); 0 means errors come from status codes. */
  failedSignals: number;
  /** Series not created because the kernel's SeriesLimit was reached. */
  skipped: SkippedSeries;
}

/** Values below this many 0.1 ms steps (6.5 s) that are whole 0.1 ms are counted in an array first. */
const TICK_NS = 100_000;
const TICKS = 1 << 16;
/** Values recorded before the 256 KB tick array pays off: until then they go to the (small, sparse) histogram. */
const TICKS_AFTER = 1 << 16;

/** Per-series running state inside a kernel. */
export class SeriesAcc {
  count = 0;
  failed = 0;
  statusErrors = 0;
  minMs = Infinity;
  maxMs = -Infinity;
  private readonly h = LatencyHistogram.create();
  /** Counts of whole-0.1 ms values (hey's resolution), added to the histogram in one go. */
  private ticks: Uint32Array | null = null;
  /** `firstRange`, `firstLine`: where the series first appeared (see PartialSeries). */
  constructor(
    readonly name: string,
    readonly firstRange = 0,
    readonly firstLine = 0,
  ) {}

  record(ms: number): void {
    this.count++;
    if (ms < this.minMs) this.minMs = ms;
    if (ms > this.maxMs) this.maxMs = ms;
    const ns = Math.round(ms * 1e6); // what LatencyHistogram.recordMs records
    const tick = ns / TICK_NS;
    if (tick < TICKS && (tick | 0) === tick && this.count > TICKS_AFTER) {
      const t = (this.ticks ??= new Uint32Array(TICKS));
      t[tick] = t[tick]! + 1;
    }
    else this.h.recordNs(ns);
  }

  /** The histogram of everything recorded (the same buckets whatever the recording order). */
  get histogram(): LatencyHistogram {
    const t = this.ticks;
    if (t !== null) {
      for (let i = 0; i < TICKS; i++) if (t[i] !== 0) this.h.recordNs(i * TICK_NS, t[i]);
      this.ticks = null;
    }
    return this.h;
  }

  toPartial(): PartialSeries {
    return {
      name: this.name,
      count: this.count,
      failed: this.failed,
      statusErrors: this.statusErrors,
      minMs: this.minMs,
      maxMs: this.maxMs,
      histogram: this.histogram.encode(),
      firstRange: this.firstRange,
      firstLine: this.firstLine,
    };
  }
}

/**
 * A scanning kernel: fed complete lines, in any number of calls; `line` counts the lines it
 * has seen since `beginRange` (errors carry that number; a worker's caller adds its offset).
 */
export interface ScanKernel {
  /** Scans buf[start, end): whole lines, each ending in "\n" except possibly the file's last. */
  scan(buf: Uint8Array, start: number, end: number): void;
  /**
   * Starts a new byte range: resets the line counter; `atFileStart` enables BOM/header handling;
   * `rangeStart` is the byte offset of the range's first line (series record where they first appeared).
   */
  beginRange(atFileStart: boolean, rangeStart?: number): void;
  /** Lines seen in the current range. */
  readonly line: number;
  /** Series seen so far, in memory; `partial()` encodes them. */
  result(): KernelResult;
}

export interface KernelResult {
  format: FormatId;
  series: SeriesAcc[];
  spanStartMs: number | null;
  spanEndMs: number | null;
  failedSignals: number;
  skipped: SkippedSeries;
}

export function toPartial(r: KernelResult): PartialAggregate {
  return {
    format: r.format,
    // Series without samples too: they took a place under the limit (see seriesToKeep).
    series: r.series.map((s) => s.toPartial()),
    spanStartMs: r.spanStartMs,
    spanEndMs: r.spanEndMs,
    failedSignals: r.failedSignals,
    skipped: r.skipped,
  };
}

/**
 * The series a parallel scan keeps when its participants saw more than `max` between them, or
 * one of them skipped some: the file's first `max` by where they first appear, as one thread
 * reading the file would keep. Each participant kept the first `max` of the ranges it scanned,
 * so those are among what they kept. `exact` is false when a participant skipped one of them
 * (its samples there are missing): the scan must run again, admitting exactly `keep`.
 * Null when nothing is to be left out.
 */
export function seriesToKeep(parts: ReadonlyArray<PartialAggregate | KernelResult>, max: number): { keep: Set<string>; exact: boolean } | null {
  const first = new Map<string, { range: number; line: number }>();
  for (const part of parts) {
    for (const s of part.series) {
      const at = first.get(s.name);
      if (!at || s.firstRange < at.range || (s.firstRange === at.range && s.firstLine < at.line)) first.set(s.name, { range: s.firstRange, line: s.firstLine });
    }
  }
  const skippedAny = parts.some((p) => p.skipped.names.length > 0 || p.skipped.more);
  if (!skippedAny && first.size <= max) return null;
  const order = [...first].sort(([, a], [, b]) => a.range - b.range || a.line - b.line);
  const keep = new Set(order.slice(0, max).map(([name]) => name));
  const exact = parts.every((p) => !p.skipped.more && p.skipped.names.every((name) => !keep.has(name)));
  return { keep, exact };
}

/**
 * Merges partial aggregates (any order) and builds the Series, sorted by name. A KernelResult
 * among them (the calling thread's own scan) is merged without an encode/decode round trip.
 * With `limit`, only the series it admits are kept; it also counts what the participants skipped.
 */
export function seriesFromPartials(
  parts: ReadonlyArray<PartialAggregate | KernelResult>,
  fileName: string,
  format: FormatId,
  limit?: SeriesLimit,
): Series[] {
  const byName = new Map<string, { p: SeriesTotals; h: LatencyHistogram }>();
  // A local result goes first, so its histograms become the merge targets.
  const partials = [...parts].sort((a, b) => Number(isPartial(a)) - Number(isPartial(b)));
  let spanStart: number | null = null;
  let spanEnd: number | null = null;
  let failedSignals = 0;
  for (const part of partials) {
    limit?.addSkipped(part.skipped);
    failedSignals += part.failedSignals;
    if (part.spanStartMs !== null) spanStart = spanStart === null ? part.spanStartMs : Math.min(spanStart, part.spanStartMs);
    if (part.spanEndMs !== null) spanEnd = spanEnd === null ? part.spanEndMs : Math.max(spanEnd, part.spanEndMs);
    for (const s of part.series) {
      if (s.count === 0) continue;
      let m = byName.get(s.name);
      if (!m && limit && !limit.admits(byName.size, s.name, s.count)) continue;
      if (!m && s instanceof SeriesAcc) {
        m = { p: { name: s.name, count: 0, failed: 0, statusErrors: 0, minMs: Infinity, maxMs: -Infinity }, h: s.histogram };
        byName.set(s.name, m);
      } else if (!m) {
        m = {
          p: { name: s.name, count: 0, failed: 0, statusErrors: 0, minMs: Infinity, maxMs: -Infinity },
          h: LatencyHistogram.create(),
        };
        byName.set(s.name, m);
      }
      m.p.count += s.count;
      m.p.failed += s.failed;
      m.p.statusErrors += s.statusErrors;
      m.p.minMs = Math.min(m.p.minMs, s.minMs);
      m.p.maxMs = Math.max(m.p.maxMs, s.maxMs);
      if (s instanceof SeriesAcc) {
        if (m.h !== s.histogram) m.h.add(s.histogram);
      } else m.h.add(LatencyHistogram.decode(s.histogram));
    }
  }
  return [...byName.values()]
    .filter((m) => m.p.count > 0)
    .sort((a, b) => (a.p.name < b.p.name ? -1 : a.p.name > b.p.name ? 1 : 0))
    .map((m) => buildSeries(m.p, m.h, spanStart, spanEnd, failedSignals, fileName, format));
}

function isPartial(x: PartialAggregate | KernelResult): x is PartialAggregate {
  return !(x.series[0] instanceof SeriesAcc);
}

/** The Series straight from a single-threaded kernel (no encode/decode round trip). */
export function seriesFromKernel(r: KernelResult, fileName: string): Series[] {
  return r.series
    .filter((s) => s.count > 0)
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((s) => buildSeries(s, s.histogram, r.spanStartMs, r.spanEndMs, r.failedSignals, fileName, r.format));
}

/** The merged counts of one series. */
type SeriesTotals = Omit<PartialSeries, 'histogram' | 'firstRange' | 'firstLine'>;

function buildSeries(
  p: SeriesTotals,
  h: LatencyHistogram,
  spanStart: number | null,
  spanEnd: number | null,
  failedSignals: number,
  fileName: string,
  format: FormatId,
): Series {
  const spanMs = spanStart !== null && spanEnd !== null ? spanEnd - spanStart : 0;
  const durationSec = spanMs > 0 ? spanMs / 1000 : null;
  const series = fromHistogram({
    name: p.name,
    format,
    source: fileName,
    errors: failedSignals > 0 ? p.failed : p.statusErrors,
    durationSec,
    histogram: h,
    count: p.count,
    minMs: p.minMs,
    maxMs: p.maxMs,
  });
  if (format === 'k6-json') series.startedAt = spanStart;
  return series;
}

/**
 * Feeds a byte stream to a kernel in whole lines. Chunks may split lines anywhere; the
 * carried partial line lives in one growable buffer (bounded by MAX_LINE_BYTES).
 */
export async function scanSource(kernel: ScanKernel, source: ByteSource, fileName: string, signal?: AbortSignal): Promise<void> {
  kernel.beginRange(true);
  let carry = new Uint8Array(0);
  // The carry is made of the chunks' own class (their species: Node's Buffer for a file stream),
  // so that a kernel's loops see one kind of array; a plain Uint8Array among Buffers made the
  // k6 kernel about 10% slower.
  let Chunk: Uint8ArrayConstructor | undefined;
  let carryLen = 0;
  const append = (src: Uint8Array, from: number, to: number) => {
    const need = carryLen + (to - from);
    if (need > MAX_LINE_BYTES) {
      throw new InputError(fileName, `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`, kernel.line + 1);
    }
    if (need > carry.length) {
      const grown = new (Chunk ?? Uint8Array)(Math.max(need, Math.min(MAX_LINE_BYTES, carry.length * 2), 4096));
      grown.set(carry.subarray(0, carryLen));
      carry = grown;
    }
    carry.set(src.subarray(from, to), carryLen);
    carryLen = need;
  };
  for await (const chunk of source) {
    signal?.throwIfAborted();
    const buf = chunk;
    Chunk ??= (chunk.constructor as { [Symbol.species]?: Uint8ArrayConstructor })[Symbol.species] ?? Uint8Array;
    let start = 0;
    if (carryLen > 0) {
      const nl = buf.indexOf(10);
      if (nl < 0) {
        append(buf, 0, buf.length);
        continue;
      }
      append(buf, 0, nl + 1);
      kernel.scan(carry, 0, carryLen);
      carryLen = 0;
      start = nl + 1;
    }
    const last = buf.lastIndexOf(10);
    if (last >= start) {
      kernel.scan(buf, start, last + 1);
      start = last + 1;
    }
    if (start < buf.length) append(buf, start, buf.length);
  }
  if (carryLen > 0) kernel.scan(carry, 0, carryLen);
}

// ---------- byte-level number and time parsing (shared by the kernels)

export const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];

/** Where the last parseNumber stopped (index of the first byte after the number). */
export const numEnd = { at: 0 };

/**
 * Parses a JSON-style decimal number (digits, optional fraction; optional leading "-")
 * starting at buf[i], times 10^exp10 (0..16). Returns the same double as Number(`${text}e${exp10}`) or NaN when the text is not
 * of that simple shape (exponent, no digits): callers then take the slow path. Sets numEnd.at.
 *
 * Exactness: up to 15 digits the mantissa is an exact integer and 10^k (k <= 22) an exact
 * double, so one division is correctly rounded, as Number() is. Longer mantissas (17
 * significant digits, as Prometheus-style writers print doubles) cannot be exact that way;
 * they go through Number() of the number's own ASCII text (correctly rounded by definition),
 * which costs a short string per value and no JSON.parse of the line.
 */
export function parseNumber(buf: Uint8Array, i: number, end: number, exp10 = 0): number {
  const start = i;
  let neg = false;
  if (i < end && buf[i] === 45) {
    neg = true;
    i++;
  }
  let mant = 0;
  let digits = 0;
  const intStart = i;
  let c = 0;
  while (i < end && (c = buf[i]! - 48) >= 0 && c <= 9) {
    mant = mant * 10 + c;
    i++;
  }
  digits = i - intStart;
  if (digits === 0) return NaN;
  let frac = 0;
  if (i < end && buf[i] === 46) {
    i++;
    const fracStart = i;
    while (i < end && (c = buf[i]! - 48) >= 0 && c <= 9) {
      mant = mant * 10 + c;
      i++;
    }
    frac = i - fracStart;
    if (frac === 0) return NaN;
    digits += frac;
  }
  if (i < end && (buf[i] === 101 || buf[i] === 69)) return NaN;
  numEnd.at = i;
  if (digits > 15) {
    const v = digits <= 19 && frac > exp10 && frac - exp10 <= 22 ? longDecimal(buf, intStart, i, digits, frac - exp10) : NaN;
    return v === v ? (neg ? -v : v) : numberOfText(buf, start, i, exp10);
  }
  // `exp10` shifts the decimal point (seconds -> ms: 3), still with a single rounding.
  const shift = frac - exp10;
  const v = shift === 0 ? mant : shift > 0 ? mant / POW10[shift]! : mant * POW10[-shift]!;
  return neg ? -v : v;
}

/**
 * A JSON number at buf[i] (RFC 8259 grammar, exponent allowed: `5e-05`, `1.234567e+06` as Go's
 * 'g' format writes them) with the same double as JSON.parse; NaN when there is none. Sets numEnd.at.
 */
export function parseJsonNumber(buf: Uint8Array, i: number, end: number): number {
  const v = parseNumber(buf, i, end);
  if (v === v) return v;
  let p = i;
  if (p < end && buf[p] === 45) p++;
  const intStart = p;
  p = skipDigits(buf, p, end);
  if (p === intStart) return NaN;
  if (p < end && buf[p] === 46) {
    const f = ++p;
    p = skipDigits(buf, p, end);
    if (p === f) return NaN;
  }
  if (p < end && (buf[p] === 101 || buf[p] === 69)) {
    p++;
    if (p < end && (buf[p] === 43 || buf[p] === 45)) p++;
    const x = p;
    p = skipDigits(buf, p, end);
    if (p === x) return NaN;
  }
  numEnd.at = p;
  return numberOfText(buf, i, p, 0);
}

function skipDigits(buf: Uint8Array, p: number, end: number): number {
  while (p < end && buf[p]! >= 48 && buf[p]! <= 57) p++;
  return p;
}

const SPLIT = 134217729; // 2^27 + 1, Dekker's splitter
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
f64[0] = 1;
const HIGH_WORD = u32[1] === 0x3ff00000 ? 1 : 0;

/**
 * The correctly rounded double of M / 10^k, M the `digits` (16..19) digits of buf[s, e) (a "."
 * among them skipped), 0 < k <= 22 (10^k exact); NaN when this cannot be sure (the caller asks Number()).
 * M is built exactly as a double-double (A·10^8 + B, Dekker's product), the quotient q and the
 * remainder r = M - q·10^k are exact up to ~2^-100 relative, and z = fl(q + r/10^k) is correctly
 * rounded unless the exact value lies within 2^-38 ulp of a halfway point between two doubles
 * (or z is a power of two, where the gaps on both sides differ): then NaN. That happens for
 * about one value in 10^11 of random data; exact halfway decimals always take that path.
 */
function longDecimal(buf: Uint8Array, s: number, e: number, digits: number, k: number): number {
  // A: all but the last 8 digits (< 10^11), B: the last 8; both exact doubles.
  let a = 0;
  let b = 0;
  for (let p = s, n = 0; p < e; p++) {
    const c = buf[p]!;
    if (c === 46) continue;
    if (n++ < digits - 8) a = a * 10 + (c - 48);
    else b = b * 10 + (c - 48);
  }
  // M = A·10^8 + B as mh + ml exactly (every term is an integer below 2^64: the errors are exact).
  const p1 = a * 1e8;
  const sum = p1 + b;
  const w = twoSumErr(p1, b, sum) + twoProdErr(a, 1e8, p1);
  const mh = sum + w;
  const ml = w - (mh - sum);
  const P = 10 ** k;
  const q = mh / P;
  const t = q * P;
  const r = mh - t - twoProdErr(q, P, t) + ml; // mh - t is exact (Sterbenz)
  const c = r / P;
  const z = q + c;
  const err = twoSumErr(q, c, z);
  f64[0] = z;
  const high = u32[HIGH_WORD]!;
  const expBits = (high >>> 20) & 0x7ff;
  if (expBits === 0 || expBits === 0x7ff || ((high & 0xfffff) === 0 && u32[1 - HIGH_WORD] === 0)) return NaN;
  const half = 2 ** (expBits - 1076); // half an ulp of z
  return Math.abs(Math.abs(err) - half) > half * 2 ** -38 ? z : NaN;
}

/** The rounding error of x·y = p (Dekker's two-product, no FMA): x·y = p + the result, exactly. */
function twoProdErr(x: number, y: number, p: number): number {
  let t = SPLIT * x;
  const xh = t - (t - x);
  const xl = x - xh;
  t = SPLIT * y;
  const yh = t - (t - y);
  const yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}

/** The rounding error of x + y = s (Knuth's two-sum): x + y = s + the result, exactly. */
function twoSumErr(x: number, y: number, s: number): number {
  const bb = s - x;
  return x - (s - bb) + (y - bb);
}

/** Number() of the ASCII number text buf[s, e), times 10^exp10: correctly rounded. */
function numberOfText(buf: Uint8Array, s: number, e: number, exp10: number): number {
  let text = '';
  for (let k = s; k < e; k++) text += String.fromCharCode(buf[k]!);
  return Number(exp10 === 0 ? text : `${text}e${exp10}`);
}

let cachedDateKey = -1;
let cachedDays = 0;

/**
 * Epoch milliseconds (fractional, ns kept as far as a double allows) of an RFC 3339 time
 * `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` occupying exactly buf[start, end); NaN otherwise.
 */
export function parseRfc3339Ms(buf: Uint8Array, start: number, end: number): number {
  if (end - start < 20) return NaN;
  if (buf[start + 4] !== 45 || buf[start + 7] !== 45 || buf[start + 13] !== 58 || buf[start + 16] !== 58) return NaN;
  const t = buf[start + 10];
  if (t !== 84 && t !== 116) return NaN;
  const year = dig(buf, start) * 1000 + dig(buf, start + 1) * 100 + dig(buf, start + 2) * 10 + dig(buf, start + 3);
  const month = dig(buf, start + 5) * 10 + dig(buf, start + 6);
  const day = dig(buf, start + 8) * 10 + dig(buf, start + 9);
  const hh = dig(buf, start + 11) * 10 + dig(buf, start + 12);
  const mm = dig(buf, start + 14) * 10 + dig(buf, start + 15);
  const ss = dig(buf, start + 17) * 10 + dig(buf, start + 18);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60) return NaN;
  let i = start + 19;
  let fracMs = 0;
  if (buf[i] === 46) {
    i++;
    let n = 0;
    let digits = 0;
    let c = 0;
    while (i < end && (c = buf[i]! - 48) >= 0 && c <= 9) {
      if (digits < 15) {
        n = n * 10 + c;
        digits++;
      }
      i++;
    }
    if (digits === 0) return NaN;
    fracMs = (n / POW10[digits]!) * 1000;
  }
  let offsetMin = 0;
  const z = buf[i];
  if (z === 90 || z === 122) {
    i++;
  } else if (z === 43 || z === 45) {
    if (end - i !== 6 || buf[i + 3] !== 58) return NaN;
    const oh = (buf[i + 1]! - 48) * 10 + (buf[i + 2]! - 48);
    const om = (buf[i + 4]! - 48) * 10 + (buf[i + 5]! - 48);
    if (!(oh >= 0 && oh <= 23 && om >= 0 && om <= 59)) return NaN;
    offsetMin = (oh * 60 + om) * (z === 45 ? -1 : 1);
    i += 6;
  } else return NaN;
  if (i !== end) return NaN;
  const key = year * 10000 + month * 100 + day;
  let days: number;
  if (key === cachedDateKey) days = cachedDays;
  else {
    days = daysFromCivil(year, month, day);
    cachedDateKey = key;
    cachedDays = days;
  }
  return ((days * 24 + hh) * 60 + mm - offsetMin) * 60000 + ss * 1000 + fracMs;
}

/** The digit at buf[i], or a large negative number when it is not one. */
function dig(buf: Uint8Array, i: number): number {
  const c = buf[i]! - 48;
  return c >= 0 && c <= 9 ? c : -100000;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm). */
function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
