import { decodeBase64 } from '../base64';
import { InputError, quote } from '../errors';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import { fromHistogram, type Series } from '../series';
import { decodeHdrLogTag, PERF_BUDGETS_META_RE, type PerfBudgetsLogMeta } from './hdrLogWriter';
import { baseName, MAX_LATENCY_MS, readLines } from './lines';
import { inflate } from './inflate';
import type { ByteSource, ReadOptions, Reader } from './reader';
import { SeriesLimit } from './seriesLimit';

/**
 * HdrHistogram interval log ("hlog"), as written by the Java/JS/Rust HistogramLogWriter,
 * jHiccup, wrk2 and friends:
 *
 *   #[Histogram log format version 1.2]
 *   #[StartTime: 1441812279.474 (seconds since epoch), Wed Sep 09 08:24:39 PDT 2015]
 *   "StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"
 *   [Tag=<tag>,]<start s>,<length s>,<max ÷ ratio>,<base64 compressed histogram>
 *
 * One series per tag (untagged lines → the file's base name), all intervals of a tag merged.
 * Values carry no unit in the file: the "max value unit ratio" is inferred from the decoded
 * maximum against the Interval_Max column (which conventionally reads in ms: ratio 1e6 → raw
 * ns, 1e3 → raw µs, 1 → raw ms); `options.unit` overrides. With nothing to infer from, raw
 * values are taken as nanoseconds (the Java/jHiccup default).
 *
 * Encodings: V2 (`HISTFAAA…`) via hdr-histogram-js; V1 (`HISTIgAA…`, `HISTggAA…`, HdrHistogram
 * 2.1.0–2.1.4) decoded here; V0 and DoubleHistogram payloads are refused with an InputError.
 * Memory: one histogram per tag, for the first `maxSeries` tags (later tags are skipped).
 *
 * Logs written by Perf Budgets' built-in HTTP benchmark (hdrLogWriter.ts) carry a
 * `#[Perf-Budgets: {json}]` comment: percent-encoded tags are decoded back to handler ids, and
 * its per-handler requests and errors become the series' count and errors.
 */

const V2_COMPRESSED = 0x1c849304;
const V1_COMPRESSED = 0x1c849302;
const V1_PLAIN = 0x1c849301;
const V0_COMPRESSED = 0x1c849309;
const DOUBLE_COMPRESSED = 0x0c72124f;

const INTERVAL_RE = /^\s*(Tag=[^,]*,)?\s*[-+]?\d+(\.\d+)?\s*,\s*\d+(\.\d+)?\s*,\s*\d+(\.\d+)?(e[-+]?\d+)?\s*,\s*(HIST|DHIST)/im;

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9 };

interface TagState {
  raw: LatencyHistogram;
  firstStart: number;
  lastEnd: number;
}

export const hdrLogReader: Reader = {
  id: 'hdr-log',
  detect(head: string, fileName: string): boolean {
    if (head.includes('#[Histogram log format version')) return true;
    if (head.includes('"StartTimestamp","Interval_Length"')) return true;
    if (INTERVAL_RE.test(head)) return true;
    return /\.hlog$/i.test(fileName) && /HIST[A-Za-z0-9+/]/.test(head);
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    const tags = new Map<string, TagState>();
    let startTimeSec: number | null = null;
    let baseTimeSec: number | null = null;
    let firstTimestamp: number | null = null;
    // Best evidence for the unit ratio: the line with the largest Interval_Max column.
    let ratioColumn = 0;
    let ratioDecoded = 0;
    let intervals = 0;
    /** Largest raw value of any interval (and its line), to refuse values that scale out of range. */
    let maxRawAll = 0;
    let maxRawLine = 0;
    let meta: PerfBudgetsLogMeta | null = null;
    const defaultName = baseName(file);
    const limit = SeriesLimit.of(options);

    for await (const { text, no } of readLines(source, file, options.signal)) {
      const line = text.trim();
      if (line === '') continue;
      if (line.startsWith('#')) {
        const st = /^#\[StartTime:\s*([-+\d.eE]+)/.exec(line);
        if (st) {
          const v = Number(st[1]);
          if (Number.isFinite(v)) startTimeSec = v;
          continue;
        }
        const bt = /^#\[BaseTime:\s*([-+\d.eE]+)/.exec(line);
        if (bt) {
          const v = Number(bt[1]);
          if (Number.isFinite(v)) baseTimeSec = v;
        }
        const pb = PERF_BUDGETS_META_RE.exec(line);
        if (pb) meta = parseMeta(pb[1]!, file, no);
        continue;
      }
      if (line.startsWith('"StartTimestamp"')) continue;

      // Java's scanner splits on commas and spaces; tolerate both around fields.
      const fields = line.split(',').map((f) => f.trim());
      let tag: string | null = null;
      if (fields[0]!.startsWith('Tag=')) {
        tag = fields.shift()!.slice(4);
        if (tag === '') tag = null;
      }
      if (fields.length < 4) {
        throw new InputError(file, `interval line has ${fields.length} of 4 fields (start,length,max,histogram): ${quote(line)}`, no);
      }
      const start = num(fields[0], file, no, 'StartTimestamp');
      const length = num(fields[1], file, no, 'Interval_Length');
      const maxColumn = num(fields[2], file, no, 'Interval_Max');
      if (length < 0) throw new InputError(file, `Interval_Length is negative: ${fields[1]}`, no);
      const payload = fields.slice(3).join('').split(/\s+/)[0]!;
      const decoded = decodeInterval(payload, file, no);
      if (decoded.maxRaw > MAX_LATENCY_MS * 1e6) throw new InputError(file, `interval histogram holds a value (${decoded.maxRaw}) out of range`, no);
      if (decoded.maxRaw > maxRawAll) {
        maxRawAll = decoded.maxRaw;
        maxRawLine = no;
      }
      intervals++;

      if (firstTimestamp === null) {
        firstTimestamp = start;
        if (startTimeSec === null) startTimeSec = start;
      }
      if (maxColumn > ratioColumn && decoded.maxRaw > 0) {
        ratioColumn = maxColumn;
        ratioDecoded = decoded.maxRaw;
      }
      const key = tag ?? '\u0000';
      let st = tags.get(key);
      if (!st) {
        if (!limit.admits(tags.size, key === '\u0000' ? defaultName : key, decoded.count)) continue;
        st = { raw: LatencyHistogram.create(), firstStart: start, lastEnd: start + length };
        tags.set(key, st);
      }
      decoded.addTo(st.raw);
      st.firstStart = Math.min(st.firstStart, start);
      st.lastEnd = Math.max(st.lastEnd, start + length);
    }

    if (intervals === 0) throw new InputError(file, 'no interval histograms in HdrHistogram log');

    let unitNs: number;
    if (options.unit) unitNs = UNIT_NS[options.unit]!;
    else if (ratioColumn > 0) unitNs = unitFromRatio(ratioDecoded / ratioColumn);
    else unitNs = 1;
    if (maxRawAll * unitNs > MAX_LATENCY_MS * 1e6) {
      throw new InputError(file, `largest value ${maxRawAll * unitNs / 1e6} ms is out of range (raw ${maxRawAll} at ${unitNs} ns each: wrong unit?)`, maxRawLine);
    }

    // Java HistogramLogReader: relative timestamps unless absolute (within a year of StartTime).
    let base = baseTimeSec;
    if (base === null) {
      base = firstTimestamp !== null && startTimeSec !== null && firstTimestamp < startTimeSec - 365 * 24 * 3600 ? startTimeSec : 0;
    }

    const out: Series[] = [];
    for (const [key, st] of tags) {
      let h = st.raw;
      if (unitNs !== 1) {
        h = LatencyHistogram.create();
        h.add(st.raw, unitNs);
      }
      const durationSec = st.lastEnd - st.firstStart;
      const empty = h.count === 0;
      const name = key === '\u0000' ? defaultName : meta?.tags === 'percent' ? decodeHdrLogTag(key) : key;
      const totals = meta?.handlers?.[name];
      out.push(
        fromHistogram({
          name,
          format: 'hdr-log',
          source: file,
          count: totals ? totals.requests : null,
          errors: totals ? totals.errors : null,
          durationSec: durationSec > 0 ? durationSec : null,
          histogram: h,
          // Max as the reference implementation reports it: the highest value equivalent to the
          // largest recorded bucket (hdr-histogram-js' add() carries the source's own max instead).
          maxMs: empty ? null : h.percentileMs(100),
          // Relative timestamps with no StartTime to anchor them give no wall-clock start.
          startedAt: base + st.firstStart > 1e8 ? Math.round((base + st.firstStart) * 1000) : null,
        }),
      );
    }
    limit.report(options);
    return out;
  },
};

function parseMeta(json: string, file: string, line: number): PerfBudgetsLogMeta {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new InputError(file, 'the #[Perf-Budgets: …] comment is not JSON', line);
  }
  const m = v as PerfBudgetsLogMeta;
  const count = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  const handlersOk =
    m.handlers === undefined ||
    (typeof m.handlers === 'object' && m.handlers !== null && Object.values(m.handlers).every((t) => count(t?.requests) && count(t?.errors)));
  if (typeof v !== 'object' || v === null || m.v !== 1 || !handlersOk) {
    throw new InputError(file, 'the #[Perf-Budgets: …] comment is not version 1 with per-handler "requests" and "errors" counts', line);
  }
  return m;
}

function num(text: string | undefined, file: string, line: number, what: string): number {
  const v = text === undefined || text === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) throw new InputError(file, `${what} is not a number: ${quote(text ?? '')}`, line);
  return v;
}

/** Raw-unit → ns factor from the max value unit ratio, assuming the Interval_Max column is in ms. */
export function unitFromRatio(ratio: number): number {
  if (!(ratio > 0) || !Number.isFinite(ratio)) return 1;
  const k = Math.round(Math.log10(ratio));
  if (k >= 6) return 1;
  if (k <= 0) return 1e6;
  return 10 ** (6 - k);
}

interface DecodedInterval {
  /** Largest recorded value, raw units (0 when empty). */
  maxRaw: number;
  /** Values recorded. */
  count: number;
  addTo(acc: LatencyHistogram): void;
}

function decodeInterval(payload: string, file: string, line: number): DecodedInterval {
  if (payload.startsWith('DHIST')) {
    throw new InputError(file, 'DoubleHistogram encoding (DHIST…) is not supported; log integer histograms', line);
  }
  if (!/^[A-Za-z0-9+/]+=*$/.test(payload) || payload.length < 12) {
    throw new InputError(file, `interval histogram is not base64: ${quote(payload)}`, line);
  }
  const bytes = decodeBase64(payload);
  if (bytes.length < 8) throw new InputError(file, 'interval histogram is truncated', line);
  const cookie = dataView(bytes).getInt32(0);
  const kind = cookie & ~0xf0;
  if (kind === V2_COMPRESSED) {
    let h: LatencyHistogram;
    try {
      h = LatencyHistogram.decode(payload);
    } catch (e) {
      throw new InputError(file, `corrupt or truncated interval histogram (${e instanceof Error ? e.message : String(e)})`, line);
    }
    return { maxRaw: h.count > 0 ? h.maxRaw : 0, count: h.count, addTo: (acc) => acc.add(h) };
  }
  if (kind === V1_COMPRESSED) return decodeV1(bytes, file, line);
  if (kind === V0_COMPRESSED) {
    throw new InputError(file, 'V0 histogram encoding (HdrHistogram 1.x, log format 1.01) is not supported', line);
  }
  if (cookie === DOUBLE_COMPRESSED) {
    throw new InputError(file, 'DoubleHistogram encoding is not supported', line);
  }
  throw new InputError(file, `unknown histogram encoding (cookie 0x${(cookie >>> 0).toString(16)})`, line);
}

/**
 * HdrHistogram V1 compressed encoding (Java 2.1.0–2.1.4): zlib of a 40-byte header (cookie,
 * payload length, normalizing offset, significant digits, lowest, highest, conversion ratio)
 * followed by plain big-endian counts, one word (2, 4 or 8 bytes, from the cookie) per index.
 * The payload is in logical index order, so the normalizing offset needs no rotation.
 */
function decodeV1(bytes: Uint8Array, file: string, line: number): DecodedInterval {
  const fail = (why: string): never => {
    throw new InputError(file, `corrupt V1 interval histogram: ${why}`, line);
  };
  const len = dataView(bytes).getInt32(4);
  if (len <= 0 || 8 + len > bytes.length) fail('truncated');
  let inflated: Uint8Array;
  try {
    inflated = inflate(bytes.subarray(8, 8 + len));
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  if (inflated.length < 40) fail('header truncated');
  const inner = dataView(inflated);
  const innerCookie = inner.getInt32(0);
  if ((innerCookie & ~0xf0) !== V1_PLAIN) fail(`inner cookie 0x${(innerCookie >>> 0).toString(16)}`);
  const wordSize = ((innerCookie & 0xf0) >> 4) & 0xe;
  if (wordSize !== 2 && wordSize !== 4 && wordSize !== 8) fail(`word size ${wordSize}`);
  const payloadLength = inner.getInt32(4);
  const digits = inner.getInt32(12);
  const lowest = Number(inner.getBigInt64(16));
  if (digits < 0 || digits > 5 || !(lowest >= 1)) fail('bad header');
  if (payloadLength < 0 || 40 + payloadLength > inflated.length) fail('payload truncated');

  const subBucketHalfCountMagnitude = Math.max(Math.ceil(Math.log2(2 * 10 ** digits)), 1) - 1;
  const subBucketHalfCount = 2 ** subBucketHalfCountMagnitude;
  const unitMagnitude = Math.floor(Math.log2(lowest));
  const valueFromIndex = (i: number): number => {
    let bucketIndex = Math.floor(i / subBucketHalfCount) - 1;
    let subBucketIndex = (i % subBucketHalfCount) + subBucketHalfCount;
    if (bucketIndex < 0) {
      subBucketIndex -= subBucketHalfCount;
      bucketIndex = 0;
    }
    return subBucketIndex * 2 ** (bucketIndex + unitMagnitude);
  };
  const highestEquivalent = (i: number): number => {
    const bucketIndex = Math.max(Math.floor(i / subBucketHalfCount) - 1, 0);
    return valueFromIndex(i) + 2 ** (bucketIndex + unitMagnitude) - 1;
  };

  const entries: Array<[number, number]> = [];
  const words = Math.floor(payloadLength / wordSize);
  let maxRaw = 0;
  let total = 0;
  for (let i = 0; i < words; i++) {
    const at = 40 + i * wordSize;
    const count = wordSize === 2 ? inner.getInt16(at) : wordSize === 4 ? inner.getInt32(at) : Number(inner.getBigInt64(at));
    if (count < 0) fail(`negative count at index ${i}`);
    if (count > 0) {
      entries.push([valueFromIndex(i), count]);
      maxRaw = highestEquivalent(i);
      total += count;
    }
  }
  return {
    maxRaw,
    count: total,
    // Like Java's add() across differing layouts: each source bucket at its lowest equivalent value.
    addTo: (acc) => {
      for (const [v, c] of entries) acc.recordNs(v, c);
    },
  };
}

/** Big-endian reads over bytes (DataView's default byte order, as Buffer's read*BE). */
function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
