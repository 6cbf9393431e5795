/**
 * Scanning kernel of k6 `--out json` (NDJSON). Fast path: byte checks for k6's own layout
 * `{"type":"Point","data":{"time":"…","value":N,"tags":{…}…},"metric":"NAME"}` (metric last,
 * found from the line's end), numbers and times parsed from bytes, tag values compared as
 * bytes. Any line that does not fit that layout (other field order, whitespace, escapes in
 * the fields we use, exponents) goes through JSON.parse, which gives the same answer; a line
 * that is not valid JSON there is an InputError naming the line.
 *
 * Points of metrics other than http_req_duration / http_req_failed are recognised by the
 * fixed prefix and the `,"metric":"NAME"}` suffix only (their middle is not validated).
 */
import { InputError, quote } from '../errors';
import { decodeUtf8, encodeUtf8 } from '../utf8';
import type { KernelResult, ScanKernel } from './seriesAccumulator';
import { MAX_LATENCY_MS } from './lines';
import { numEnd, parseNumber, parseRfc3339Ms, SeriesAcc } from './seriesAccumulator';
import { SeriesLimit } from './seriesLimit';

const PREFIX = bytes('{"type":"Point","data":{"time":"');
const METRIC_MARK = bytes(',"metric":');
const VALUE_MARK = bytes('","value":');
const TAGS_MARK = bytes(',"tags":{');
const DURATION = bytes('http_req_duration');
const FAILED = bytes('http_req_failed');
const K_METHOD = bytes('method');
const K_NAME = bytes('name');
const K_STATUS = bytes('status');

export { MAX_LATENCY_MS };

const KIND_DURATION = 1;
const KIND_FAILED = 2;

/**
 * Raw method/name pairs remembered for the byte-compare lookup. Names with an id in them map to
 * few series but countless pairs; past this many, new pairs are looked up by their series name.
 */
const MAX_KEY_ENTRIES = 1 << 16;

interface KeyEntry {
  method: Uint8Array | null;
  name: Uint8Array | null;
  acc: SeriesAcc;
  next: KeyEntry | undefined;
}

export class K6JsonKernel implements ScanKernel {
  line = 0;
  private bom = false;
  private readonly byHash = new Map<number, KeyEntry>();
  private readonly entries: KeyEntry[] = [];
  private failedSignals = 0;
  private readonly byName = new Map<string, SeriesAcc>();
  private spanStart = Infinity;
  private spanEnd = -Infinity;
  private rangeStart = 0;

  /** `limit`: the series past it are skipped (default: DEFAULT_MAX_SERIES_PER_FILE). */
  constructor(
    private readonly fileName: string,
    private readonly limit: SeriesLimit = SeriesLimit.of({}),
  ) {}

  beginRange(atFileStart: boolean, rangeStart = 0): void {
    this.line = 0;
    this.bom = atFileStart;
    this.rangeStart = rangeStart;
  }

  scan(b: Uint8Array, start: number, end: number): void {
    let s = start;
    while (s < end) {
      let nl = b.indexOf(10, s);
      if (nl < 0 || nl >= end) nl = end;
      this.line++;
      let e = nl;
      if (e > s && b[e - 1] === 13) e--;
      if (this.bom) {
        this.bom = false;
        if (e - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) s += 3;
      }
      if (!this.fast(b, s, e)) this.slow(b, s, e);
      s = nl + 1;
    }
  }

  result(): KernelResult {
    return {
      format: 'k6-json',
      series: [...this.byName.values()],
      spanStartMs: this.spanStart <= this.spanEnd ? this.spanStart : null,
      spanEndMs: this.spanStart <= this.spanEnd ? this.spanEnd : null,
      failedSignals: this.failedSignals,
      skipped: this.limit.skipped,
    };
  }

  /** The fast path; false when the line must go through JSON.parse instead. */
  private fast(b: Uint8Array, s: number, e: number): boolean {
    if (e - s < 64) return false;
    for (let k = 0; k < 32; k++) if (b[s + k] !== PREFIX[k]) return false;
    // The metric name, from the end: ...,"metric":"NAME"}
    if (b[e - 1] !== 125 || b[e - 2] !== 34) return false;
    let q = e - 3;
    while (q > s && b[q] !== 34) {
      if (b[q] === 92) return false;
      q--;
    }
    if (q - 10 < s + 32) return false;
    for (let k = 0; k < 10; k++) if (b[q - 10 + k] !== METRIC_MARK[k]) return false;
    const nameLen = e - 3 - q;
    let kind = 0;
    if (nameLen === 17 && same(b, q + 1, DURATION)) kind = KIND_DURATION;
    else if (nameLen === 15 && same(b, q + 1, FAILED)) kind = KIND_FAILED;
    else return true; // another metric: nothing in it is needed
    let p = s + 32;
    const timeStart = p;
    while (p < q && b[p] !== 34) p++;
    const timeEnd = p;
    for (let k = 0; k < 10; k++) if (b[p + k] !== VALUE_MARK[k]) return false;
    p += 10;
    const value = parseNumber(b, p, q);
    if (value !== value) return false; // NaN: not a plain number, let JSON.parse judge it
    if (kind === KIND_FAILED && value === 0) {
      // A request that did not fail: counted, but its key is not needed.
      this.failedSignals++;
      return true;
    }
    p = numEnd.at;
    for (let k = 0; k < 9; k++) if (b[p + k] !== TAGS_MARK[k]) return false;
    p += 9;
    // Walk the tags until method, name (and status) are found; k6 writes them sorted.
    const need = kind === KIND_DURATION ? 3 : 2;
    let found = 0;
    let ms = -1;
    let me = -1;
    let ns = -1;
    let ne = -1;
    let ss = -1;
    let se = -1;
    if (b[p] !== 125) {
      for (;;) {
        if (b[p] !== 34) return false;
        const ks = ++p;
        while (p < q && b[p] !== 34) {
          if (b[p] === 92) return false;
          p++;
        }
        const kl = p - ks;
        if (b[p + 1] !== 58 || b[p + 2] !== 34) return false;
        p += 3;
        const vs = p;
        let esc = false;
        while (p < q) {
          const c = b[p];
          if (c === 34) break;
          if (c === 92) {
            esc = true;
            p += 2;
          } else p++;
        }
        if (p >= q) return false;
        const ve = p++;
        if (kl === 6 && b[ks] === 109 && same(b, ks, K_METHOD)) {
          if (esc || ms >= 0) return false;
          ms = vs;
          me = ve;
          if (++found === need) break;
        } else if (kl === 4 && b[ks] === 110 && same(b, ks, K_NAME)) {
          if (esc || ns >= 0) return false;
          ns = vs;
          ne = ve;
          if (++found === need) break;
        } else if (kl === 6 && b[ks] === 115 && same(b, ks, K_STATUS)) {
          if (esc || ss >= 0) return false;
          ss = vs;
          se = ve;
          if (kind === KIND_DURATION && ++found === need) break;
        }
        const c = b[p];
        if (c === 44) p++;
        else if (c === 125) break;
        else return false;
      }
    }
    let time = 0;
    let statusError = false;
    if (kind === KIND_DURATION) {
      time = parseRfc3339Ms(b, timeStart, timeEnd);
      if (time !== time) return false;
      if (ss >= 0) {
        let st = 0;
        let ok = se > ss;
        for (let i = ss; i < se; i++) {
          const c = b[i]! - 48;
          if (c < 0 || c > 9) {
            ok = false;
            break;
          }
          st = st * 10 + c;
        }
        statusError = ok && (st === 0 || st >= 400);
      }
    }
    this.apply(kind, this.lookup(b, ms, me, ns, ne, kind), value, time, statusError);
    return true;
  }

  /** Records a point; `acc` null: its series is past the limit (the file's span and signals still count it). */
  private apply(kind: number, acc: SeriesAcc | null, value: number, time: number, statusError: boolean): void {
    if (value < 0 || value > MAX_LATENCY_MS) {
      throw new InputError(this.fileName, `${kind === KIND_DURATION ? 'http_req_duration' : 'http_req_failed'} value ${value} out of range`, this.line);
    }
    if (kind === KIND_DURATION) {
      if (acc) {
        acc.record(value);
        if (statusError) acc.statusErrors++;
      }
      if (time < this.spanStart) this.spanStart = time;
      if (time > this.spanEnd) this.spanEnd = time;
    } else {
      this.failedSignals++;
      if (value !== 0 && acc) acc.failed++;
    }
  }

  /** The series of a method/name pair given as byte ranges (start -1: tag absent); null past the limit. */
  private lookup(b: Uint8Array, ms: number, me: number, ns: number, ne: number, kind: number): SeriesAcc | null {
    const list = this.entries;
    if (list.length <= 16) {
      // Few keys (the usual case): compare bytes directly, names from the end (URLs share a prefix).
      for (let i = 0; i < list.length; i++) {
        const en = list[i]!;
        if (rangeIsBackwards(b, ns, ne, en.name) && rangeIs(b, ms, me, en.method)) return en.acc;
      }
    }
    let h = 0x811c9dc5 ^ (ms < 0 ? 0xffff : me - ms);
    for (let i = ms; i < me; i++) h = Math.imul(h ^ b[i]!, 16777619);
    h = Math.imul(h ^ (ns < 0 ? 0xfffe : ne - ns), 16777619);
    for (let i = ns; i < ne; i++) h = Math.imul(h ^ b[i]!, 16777619);
    const first = this.byHash.get(h);
    for (let en = first; en !== undefined; en = en.next) {
      if (rangeIs(b, ms, me, en.method) && rangeIs(b, ns, ne, en.name)) return en.acc;
    }
    // Copies (new Uint8Array of a view): a view would keep the whole chunk alive.
    const method = ms < 0 ? null : new Uint8Array(b.subarray(ms, me));
    const name = ns < 0 ? null : new Uint8Array(b.subarray(ns, ne));
    const acc = this.accFor(seriesName(method && decodeUtf8(method), name && decodeUtf8(name)), kind);
    if (acc && list.length < MAX_KEY_ENTRIES) {
      const entry: KeyEntry = { method, name, acc, next: first };
      this.byHash.set(h, entry);
      list.push(entry);
    }
    return acc;
  }

  /** The series `name`, created when the limit admits it; null when it does not (the point counts as skipped). */
  private accFor(name: string, kind: number): SeriesAcc | null {
    let acc = this.byName.get(name);
    if (!acc) {
      if (!this.limit.admits(this.byName.size, name, kind === KIND_DURATION ? 1 : 0)) return null;
      acc = new SeriesAcc(name, this.rangeStart, this.line);
      this.byName.set(name, acc);
    }
    return acc;
  }

  /** The general path: JSON.parse of the line, any field order and spelling. */
  private slow(b: Uint8Array, s: number, e: number): void {
    const text = decodeUtf8(b, s, e);
    if (text.trim() === '') return;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (err) {
      const truncated = e === s || (b[e - 1] !== 125 && !text.trimEnd().endsWith('}'));
      throw new InputError(
        this.fileName,
        `${truncated ? 'truncated or invalid' : 'invalid'} JSON line ${quote(text)} (${err instanceof Error ? err.message : String(err)})`,
        this.line,
      );
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      throw new InputError(this.fileName, `not a k6 JSON record: ${quote(text)}`, this.line);
    }
    const rec = obj as { type?: unknown; metric?: unknown; data?: unknown };
    if (rec.type === 'Metric') return;
    if (rec.type !== 'Point') throw new InputError(this.fileName, `not a k6 Point or Metric record: ${quote(text)}`, this.line);
    if (typeof rec.metric !== 'string') throw new InputError(this.fileName, 'k6 Point without a "metric" name', this.line);
    const kind = rec.metric === 'http_req_duration' ? KIND_DURATION : rec.metric === 'http_req_failed' ? KIND_FAILED : 0;
    if (kind === 0) return;
    const data = rec.data as { time?: unknown; value?: unknown; tags?: unknown } | null | undefined;
    if (data === null || typeof data !== 'object') throw new InputError(this.fileName, `${rec.metric} point without "data"`, this.line);
    if (typeof data.value !== 'number' || !Number.isFinite(data.value)) {
      throw new InputError(this.fileName, `${rec.metric} value is not a number: ${quote(String(JSON.stringify(data.value)))}`, this.line);
    }
    if (typeof data.time !== 'string') throw new InputError(this.fileName, `${rec.metric} point without a "time"`, this.line);
    const tb = encodeUtf8(data.time);
    const time = parseRfc3339Ms(tb, 0, tb.length);
    if (time !== time) throw new InputError(this.fileName, `time is not RFC 3339: ${quote(data.time)}`, this.line);
    const tags = (data.tags !== null && typeof data.tags === 'object' ? data.tags : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const status = str(tags.status);
    const statusError = kind === KIND_DURATION && status !== null && /^[0-9]+$/.test(status) && (Number(status) === 0 || Number(status) >= 400);
    this.apply(kind, this.accFor(seriesName(str(tags.method), str(tags.name)), kind), data.value, time, statusError);
  }
}

/** "GET" + "http://host:3000/api/items?x=1" -> "GET /api/items"; a non-URL name is kept. */
export function seriesName(method: string | null, name: string | null): string {
  let n = name ?? '';
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(n);
  if (scheme) n = n.slice(scheme[0].length).replace(/[?#][\s\S]*$/, '') || '/';
  if (n === '') n = '(unnamed)';
  return method ? `${method} ${n}` : n;
}

function bytes(s: string): Uint8Array {
  return encodeUtf8(s);
}

function same(b: Uint8Array, at: number, lit: Uint8Array): boolean {
  for (let k = 0; k < lit.length; k++) if (b[at + k] !== lit[k]) return false;
  return true;
}

function rangeIsBackwards(b: Uint8Array, s: number, e: number, v: Uint8Array | null): boolean {
  if (v === null) return s < 0;
  if (s < 0 || e - s !== v.length) return false;
  for (let k = v.length - 1; k >= 0; k--) if (b[s + k] !== v[k]) return false;
  return true;
}

function rangeIs(b: Uint8Array, s: number, e: number, v: Uint8Array | null): boolean {
  if (v === null) return s < 0;
  if (s < 0 || e - s !== v.length) return false;
  for (let k = 0; k < v.length; k++) if (b[s + k] !== v[k]) return false;
  return true;
}

