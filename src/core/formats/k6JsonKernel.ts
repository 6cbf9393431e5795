/**
 * Scanning kernel of k6 `--out json` (NDJSON). k6 writes each line in one of two layouts
 * (easyjson, fields in struct order, no whitespace):
 *   k6 >= v0.4x  {"metric":"NAME","type":"Point","data":{"time":"…","value":N,"tags":{…}[,"metadata":{…}]}}
 *   older k6     {"type":"Point","data":{"time":"…","value":N,"tags":{…}},"metric":"NAME"}
 * plus one {"type":"Metric",…} declaration per metric. Only http_req_duration and
 * http_req_failed points are needed; the other 11 of a request's 13 points must cost almost
 * nothing. The fast path reads bytes; every line it does not accept goes through JSON.parse
 * (`slow`), which decides; a line that is not valid JSON there is an InputError naming the line.
 *
 * Truth rules of the fast path (why it gives what JSON.parse gives, on every line JSON.parse accepts):
 * 1. The metric is read where k6 puts it: the first member of a metric-first line, the last
 *    member of a metric-last line (found from the line's end, `,"metric":"NAME"}`: a final `}`
 *    closes the top-level object, so that pair is its last member, which JSON.parse keeps when a
 *    key repeats). A NAME with a backslash, or any other opening, goes to JSON.parse.
 * 2. A line of another metric is SKIPPED after O(1) checks: it starts `{"metric":"` and its
 *    name differs from both needed names at a byte before any backslash (leadingKind), or it
 *    ends `,"metric":"NAME"}` with NAME free of backslashes; its last byte is `}`. Its middle is
 *    not read, so it is not validated (as before this kernel: a broken http_reqs point does not
 *    change any answer this reader gives). Not exact in one case only: a metric-first line of
 *    another metric that repeats the top-level "metric" key after "data" (JSON.parse keeps the
 *    last one). k6 never writes that, and RFC 8259 §4 says names SHOULD be unique; finding it
 *    would mean reading every byte of the 11 skipped points of each request.
 * 3. A needed line is read ENTIRELY: "time", "value", every tag (the last of a repeated key wins,
 *    as in JSON.parse; escaped method/name values are decoded by JSON.parse of that string alone),
 *    an optional "metadata" of strings, and the data object must close exactly where the
 *    layout's tail begins. Anything else (whitespace, other order, escaped keys, an escaped
 *    status, other members) goes to JSON.parse.
 * 4. Numbers: parseJsonNumber (exact: same double as JSON.parse, 17 significant digits and
 *    exponents included); times: parseRfc3339Ms.
 * 5. A name that is a URL (scheme://…) is looked up by its raw bytes up to its first `?` or `#`
 *    after the `://` (urlQueryStart), when no backslash comes before that byte: that prefix is
 *    its own decoded text, and seriesName drops everything from that `?` or `#` on, so the
 *    prefix names the same series as the whole name. Names with a query string in them (one per
 *    search) then hit the byte-compare lookup instead of each decoding into a new entry.
 * Each line is found with one memchr (`indexOf(10)`), so line numbers stay exact: on a 500 MB
 * realistic file that measured 0.03-0.07 s CPU for 1.9M lines, where searching the buffer for
 * the two needed names (Buffer.indexOf of `"http_req_duration"` and `"http_req_failed"`) took
 * 0.44 s: skipping by search would cost more than visiting each line's first bytes.
 */
import { InputError, quote } from '../errors';
import { decodeUtf8, encodeUtf8 } from '../utf8';
import type { KernelResult, ScanKernel } from './seriesAccumulator';
import { MAX_LATENCY_MS } from './lines';
import { numEnd, parseJsonNumber, parseRfc3339Ms, SeriesAcc } from './seriesAccumulator';
import { SeriesLimit } from './seriesLimit';

/** Opening of a metric-last line up to its data object's first byte. */
const LAST_HEAD = bytes('{"type":"Point","data":{');
/** Opening of a metric-first line up to the name; then MID up to the data object. */
const FIRST_HEAD = bytes('{"metric":"');
const FIRST_MID = bytes('","type":"Point","data":{');
const METRIC_MARK = bytes(',"metric":');
const TIME_MARK = bytes('"time":"');
const VALUE_MARK = bytes('","value":');
const TAGS_MARK = bytes(',"tags":');
const METADATA_MARK = bytes(',"metadata":{');
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
  /** Where the current point's method, name and status tag values are (start -1: absent). */
  private readonly tags = { ms: -1, me: -1, ns: -1, ne: -1, ss: -1, se: -1, methodEsc: false, nameEsc: false, escaped: false };

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
    if (e - s < 48 || b[s] !== 123 || b[s + 1] !== 34 || b[e - 1] !== 125) return false;
    if (b[s + 2] === 109) {
      // {"metric":"NAME","type":"Point","data":{…}}
      if (!same(b, s, FIRST_HEAD)) return false;
      const ns = s + FIRST_HEAD.length;
      const kind = leadingKind(b, ns);
      if (kind <= 0) return kind === 0; // another metric (truth rule 2), or an escape: JSON.parse
      const q = ns + (kind === KIND_DURATION ? DURATION.length : FAILED.length);
      if (!within(b, q, FIRST_MID, e) || b[e - 2] !== 125) return false;
      return this.point(b, q + FIRST_MID.length, e - 2, kind);
    }
    // {"type":"Point","data":{…},"metric":"NAME"}: the name, from the end
    if (b[e - 2] !== 34) return false;
    let q = e - 3;
    while (q > s && b[q] !== 34) {
      if (b[q] === 92) return false;
      q--;
    }
    const mark = q - METRIC_MARK.length;
    if (mark < s + LAST_HEAD.length || !same(b, mark, METRIC_MARK)) return false;
    const kind = kindOf(b, q + 1, e - 2);
    if (kind === 0) return true; // another metric (truth rule 2)
    return same(b, s, LAST_HEAD) && b[mark - 1] === 125 && this.point(b, s + LAST_HEAD.length, mark - 1, kind);
  }

  /**
   * A needed point's data object from its first member to `close` (the index of its own `}`),
   * read whole (truth rule 3); false when it is not exactly k6's shape.
   */
  private point(b: Uint8Array, p: number, close: number, kind: number): boolean {
    if (!within(b, p, TIME_MARK, close)) return false;
    p += TIME_MARK.length;
    const timeStart = p;
    while (p < close && b[p] !== 34) {
      if (b[p] === 92) return false;
      p++;
    }
    const timeEnd = p;
    if (!within(b, p, VALUE_MARK, close)) return false;
    p += VALUE_MARK.length;
    const value = parseJsonNumber(b, p, close);
    if (value !== value) return false;
    p = numEnd.at;
    if (!within(b, p, TAGS_MARK, close)) return false;
    p += TAGS_MARK.length;
    const t = this.tags;
    t.ms = t.ns = t.ss = -1;
    t.escaped = false;
    if (p + 4 <= close && b[p] === 110 && b[p + 1] === 117 && b[p + 2] === 108 && b[p + 3] === 108) p += 4;
    else if (b[p] === 123) p = this.strings(b, p + 1, close, true);
    else return false;
    if (p > 0 && within(b, p, METADATA_MARK, close)) p = this.strings(b, p + METADATA_MARK.length, close, false);
    if (p !== close) return false;
    if (kind === KIND_FAILED && value === 0) {
      this.apply(kind, null, value, 0, false); // a request that did not fail: counted, its series not needed
      return true;
    }
    let time = 0;
    let statusError = false;
    if (kind === KIND_DURATION) {
      time = parseRfc3339Ms(b, timeStart, timeEnd);
      if (time !== time) return false;
      if (t.ss >= 0) statusError = isErrorStatus(b, t.ss, t.se);
    }
    // A URL name is looked up without its query and fragment (truth rule 5), which its series drops.
    const ne = t.ns >= 0 ? urlQueryStart(b, t.ns, t.ne) : t.ne;
    const acc = this.lookup(b, t.ms, t.me, t.ns, ne, kind, ne < t.ne ? t.ms >= 0 && t.methodEsc : t.escaped);
    if (acc === undefined) return false;
    this.apply(kind, acc, value, time, statusError);
    return true;
  }

  /**
   * The members of a `{"key":"string",…}` object from just inside its `{`; returns the index
   * after its `}`, or -1 when it is not that shape (escaped key, non-string value, runs past
   * `close`). With `tags`, remembers where method, name and status are (the last of each wins).
   */
  private strings(b: Uint8Array, p: number, close: number, tags: boolean): number {
    const t = this.tags;
    if (b[p] === 125) return p + 1;
    for (;;) {
      if (b[p] !== 34) return -1;
      const ks = ++p;
      while (p < close && b[p] !== 34) {
        if (b[p] === 92) return -1;
        p++;
      }
      const kl = p - ks;
      if (b[p + 1] !== 58 || b[p + 2] !== 34) return -1;
      p += 3;
      const vs = p;
      let esc = false;
      while (p < close) {
        const c = b[p];
        if (c === 34) break;
        if (c === 92) {
          esc = true;
          p += 2;
        } else p++;
      }
      if (p >= close) return -1;
      const ve = p++;
      if (tags) {
        if (kl === 6 && b[ks] === 109 && same(b, ks, K_METHOD)) {
          t.ms = vs;
          t.me = ve;
          t.methodEsc = esc;
        } else if (kl === 4 && b[ks] === 110 && same(b, ks, K_NAME)) {
          t.ns = vs;
          t.ne = ve;
          t.nameEsc = esc;
        } else if (kl === 6 && b[ks] === 115 && same(b, ks, K_STATUS)) {
          if (esc) return -1;
          t.ss = vs;
          t.se = ve;
        }
      }
      const c = b[p];
      if (c === 125) {
        if (tags) t.escaped = (t.ms >= 0 && t.methodEsc) || (t.ns >= 0 && t.nameEsc);
        return p + 1;
      }
      if (c !== 44) return -1;
      p++;
    }
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

  /**
   * The series of a method/name pair given as byte ranges of the raw JSON string contents (start -1:
   * tag absent; `escaped`: one has backslash escapes, decoded as JSON.parse does on a miss: raw
   * bytes determine the decoded text, so they stay a valid key); null past the limit, undefined
   * when an escape is invalid.
   */
  private lookup(b: Uint8Array, ms: number, me: number, ns: number, ne: number, kind: number, escaped = false): SeriesAcc | null | undefined {
    const list = this.entries;
    // The first keys seen (the usual case: a few routes, and the frequent ones come first even when
    // names with ids add thousands): compare bytes directly, names from the end (URLs share a prefix).
    for (let i = 0, n = Math.min(list.length, 16); i < n; i++) {
      const en = list[i]!;
      if (rangeIsBackwards(b, ns, ne, en.name) && rangeIs(b, ms, me, en.method)) return en.acc;
    }
    // FNV-1a of the lengths, the method and the name's last 16 bytes (URLs differ at their end);
    // entries with the same hash are told apart by comparing every byte.
    let h = 0x811c9dc5 ^ (ms < 0 ? 0xffff : me - ms);
    for (let i = ms; i < me; i++) h = Math.imul(h ^ b[i]!, 16777619);
    h = Math.imul(h ^ (ns < 0 ? 0xfffe : ne - ns), 16777619);
    for (let i = Math.max(ns, ne - 16); i < ne; i++) h = Math.imul(h ^ b[i]!, 16777619);
    const first = this.byHash.get(h);
    for (let en = first; en !== undefined; en = en.next) {
      if (rangeIs(b, ms, me, en.method) && rangeIs(b, ns, ne, en.name)) return en.acc;
    }
    const methodText = escaped ? jsonString(b, ms, me) : ms < 0 ? null : decodeUtf8(b, ms, me);
    const nameText = escaped ? jsonString(b, ns, ne) : ns < 0 ? null : decodeUtf8(b, ns, ne);
    if (methodText === undefined || nameText === undefined) return undefined;
    // Copies (new Uint8Array of a view): a view would keep the whole chunk alive.
    const method = ms < 0 ? null : new Uint8Array(b.subarray(ms, me));
    const name = ns < 0 ? null : new Uint8Array(b.subarray(ns, ne));
    const acc = this.accFor(seriesName(methodText, nameText), kind);
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

/**
 * Where the query or fragment of a URL name begins: in the raw bytes b[s, e) of a name string,
 * the first `?` or `#` after a scheme's `://` (the scheme as seriesName's pattern spells it, in
 * ASCII), when no backslash comes before it; `e` when there is none, or when the name is not a
 * URL as seriesName reads one.
 */
function urlQueryStart(b: Uint8Array, s: number, e: number): number {
  let p = s;
  const c0 = b[p]! | 0x20;
  if (p >= e || c0 < 97 || c0 > 122) return e;
  for (p++; p < e; p++) {
    const c = b[p]!;
    const l = c | 0x20;
    if (!((l >= 97 && l <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45)) break;
  }
  if (p + 3 > e || b[p] !== 58 || b[p + 1] !== 47 || b[p + 2] !== 47) return e;
  for (p += 3; p < e; p++) {
    const c = b[p];
    if (c === 63 || c === 35) return p;
    if (c === 92) return e;
  }
  return e;
}

/**
 * The kind of the JSON string whose first byte is b[s] (after its opening quote), deciding as
 * early as the raw bytes allow: up to the first byte that differs from both needed names, raw and
 * decoded text are the same if no backslash came first, so a difference there proves another
 * metric (0). KIND_DURATION / KIND_FAILED when the string is exactly that name; -1 when a
 * backslash comes first (JSON.parse decides).
 */
function leadingKind(b: Uint8Array, s: number): number {
  // DURATION and FAILED share "http_req_" (9 bytes).
  let i = 0;
  while (i < 9 && b[s + i] === DURATION[i]) i++;
  if (i === 9) {
    const lit = b[s + 9] === 100 ? DURATION : b[s + 9] === 102 ? FAILED : null;
    if (lit === null) return b[s + 9] === 92 ? -1 : 0;
    while (i < lit.length && b[s + i] === lit[i]) i++;
    if (i === lit.length) return b[s + i] === 34 ? (lit === DURATION ? KIND_DURATION : KIND_FAILED) : b[s + i] === 92 ? -1 : 0;
  }
  return b[s + i] === 92 ? -1 : 0;
}

/** KIND_DURATION / KIND_FAILED for a metric name in buf[s, e), 0 for any other. */
function kindOf(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  if (n === 17 && same(b, s, DURATION)) return KIND_DURATION;
  if (n === 15 && same(b, s, FAILED)) return KIND_FAILED;
  return 0;
}

/** A status tag of digits that is "0" or >= 400 (the fallback error signal). */
function isErrorStatus(b: Uint8Array, s: number, e: number): boolean {
  if (e <= s) return false;
  let st = 0;
  for (let i = s; i < e; i++) {
    const c = b[i]! - 48;
    if (c < 0 || c > 9) return false;
    st = st * 10 + c;
  }
  return st === 0 || st >= 400;
}

/** The JSON string whose quotes are at s - 1 and e, decoded as JSON.parse does; null when absent (s < 0), undefined when invalid. */
function jsonString(b: Uint8Array, s: number, e: number): string | null | undefined {
  if (s < 0) return null;
  try {
    return JSON.parse(decodeUtf8(b, s - 1, e + 1)) as string;
  } catch {
    return undefined;
  }
}

function bytes(s: string): Uint8Array {
  return encodeUtf8(s);
}

/** `lit` at b[at] and ending at or before `limit`. */
function within(b: Uint8Array, at: number, lit: Uint8Array, limit: number): boolean {
  return at + lit.length <= limit && same(b, at, lit);
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

