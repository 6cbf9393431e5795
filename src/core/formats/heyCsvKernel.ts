/**
 * Scanning kernel of hey `-o csv`: header
 * `response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset`,
 * then one row per request, times in seconds. Columns are found by header name; each row is
 * scanned once as bytes (numbers parsed in place, no strings, no split).
 */
import { InputError, quote } from '../errors';
import { decodeUtf8, withoutBom } from '../utf8';
import { baseName, numberField } from './lines';
import type { KernelResult, ScanKernel } from './seriesAccumulator';
import { numEnd, parseNumber, POW10, SeriesAcc } from './seriesAccumulator';

export const HEY_HEADER = 'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset';

export interface HeyColumns {
  fields: number;
  responseTime: number;
  status: number;
  offset: number;
}

/** Column positions from a header line, or null when it is not a hey CSV header. */
export function parseHeyHeader(line: string): HeyColumns | null {
  const names = withoutBom(line).replace(/\r$/, '').split(',').map((x) => x.trim());
  const responseTime = names.indexOf('response-time');
  const status = names.indexOf('status-code');
  const offset = names.indexOf('offset');
  if (responseTime < 0 || status < 0 || offset < 0) return null;
  return { fields: names.length, responseTime, status, offset };
}

export class HeyCsvKernel implements ScanKernel {
  line = 0;
  private atStart = false;
  private readonly acc: SeriesAcc;
  private spanEnd = -Infinity;

  /** `columns` given: the header was already read (a worker scanning a range after it). */
  constructor(
    private readonly fileName: string,
    private columns: HeyColumns | null = null,
  ) {
    this.acc = new SeriesAcc(baseName(fileName));
  }

  /** True once the header has been read (or was given). */
  get hasHeader(): boolean {
    return this.columns !== null;
  }

  beginRange(atFileStart: boolean): void {
    this.line = 0;
    this.atStart = atFileStart;
  }

  result(): KernelResult {
    const any = this.acc.count > 0;
    // One series per file: nothing to limit.
    const skipped = { names: [], more: false, samples: 0 };
    return { format: 'hey-csv', series: [this.acc], spanStartMs: any ? 0 : null, spanEndMs: any ? this.spanEnd : null, failedSignals: 0, skipped };
  }

  scan(b: Uint8Array, start: number, end: number): void {
    let s = start;
    if (this.atStart && s < end) s = this.firstLine(b, s, end);
    const c = this.columns;
    if (c !== null && c.fields === 8 && c.responseTime === 0 && c.status === 6 && c.offset === 7) {
      this.scanStandard(b, s, end);
      return;
    }
    this.scanGeneric(b, s, end);
  }

  /** BOM and header handling of a range's first line; returns where the next line starts. */
  private firstLine(b: Uint8Array, s: number, end: number): number {
    this.atStart = false;
    let nl = b.indexOf(10, s);
    if (nl < 0 || nl >= end) nl = end;
    if (nl - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf) s += 3;
    if (this.columns !== null) return s; // a data range: an ordinary line
    this.line++;
    let e = nl;
    if (e > s && b[e - 1] === 13) e--;
    this.header(decodeUtf8(b, s, e));
    return nl + 1;
  }

  /**
   * hey's own layout (rt,5 fields,status,offset): one pass over the bytes of each row, no
   * newline search; a row that does not look like hey wrote it goes through `row()`.
   */
  private scanStandard(b: Uint8Array, start: number, end: number): void {
    const acc = this.acc;
    let s = start;
    while (s < end) {
      this.line++;
      let p = s;
      // response-time: digits "." digits, in seconds; ms = mantissa / 10^(fraction digits - 3)
      let mant = 0;
      let c = 0;
      let digits = 0;
      while (p < end && (c = b[p]! - 48) >= 0 && c <= 9) {
        mant = mant * 10 + c;
        p++;
      }
      digits = p - s;
      let frac = 0;
      if (b[p] === 46) {
        const f0 = ++p;
        while (p < end && (c = b[p]! - 48) >= 0 && c <= 9) {
          mant = mant * 10 + c;
          p++;
        }
        frac = p - f0;
      }
      let ok = digits > 0 && digits + frac <= 15 && b[p] === 44;
      const rtShift = frac - 3;
      const rt = rtShift === 0 ? mant : rtShift > 0 ? mant / POW10[rtShift]! : mant * POW10[-rtShift]!;
      // five fields we do not need
      for (let k = 0; ok && k < 5; k++) {
        p++;
        while (p < end && (c = b[p]!) !== 44) {
          if (c === 10) {
            ok = false;
            break;
          }
          p++;
        }
        if (p >= end) ok = false;
      }
      // status-code
      let status = 0;
      const st0 = ++p;
      while (p < end && (c = b[p]! - 48) >= 0 && c <= 9) {
        status = status * 10 + c;
        p++;
      }
      ok = ok && p > st0 && b[p] === 44;
      // offset
      mant = 0;
      const o0 = ++p;
      while (p < end && (c = b[p]! - 48) >= 0 && c <= 9) {
        mant = mant * 10 + c;
        p++;
      }
      digits = p - o0;
      frac = 0;
      if (p < end && b[p] === 46) {
        const f0 = ++p;
        while (p < end && (c = b[p]! - 48) >= 0 && c <= 9) {
          mant = mant * 10 + c;
          p++;
        }
        frac = p - f0;
      }
      const offShift = frac - 3;
      const offset = offShift === 0 ? mant : offShift > 0 ? mant / POW10[offShift]! : mant * POW10[-offShift]!;
      if (p < end && b[p] === 13) p++;
      ok = ok && digits > 0 && digits + frac <= 15 && (p === end || b[p] === 10);
      if (!ok || rt > 1e9) {
        // Not hey's exact layout (or an error to report): the general row parser decides.
        this.line--;
        let nl = b.indexOf(10, s);
        if (nl < 0 || nl >= end) nl = end;
        this.scanGeneric(b, s, nl === end ? end : nl + 1);
        s = nl + 1;
        continue;
      }
      acc.record(rt);
      if (status < 200 || status > 299) acc.statusErrors++;
      const endMs = offset + rt;
      if (endMs > this.spanEnd) this.spanEnd = endMs;
      s = p + 1;
    }
  }

  private scanGeneric(b: Uint8Array, start: number, end: number): void {
    let s = start;
    while (s < end) {
      let nl = b.indexOf(10, s);
      if (nl < 0 || nl >= end) nl = end;
      this.line++;
      let e = nl;
      if (e > s && b[e - 1] === 13) e--;
      if (e > s) this.row(b, s, e);
      s = nl + 1;
    }
  }

  private header(text: string): void {
    const cols = parseHeyHeader(text);
    if (!cols) {
      throw new InputError(
        this.fileName,
        `missing hey CSV header (expected "${HEY_HEADER}", found ${quote(text)})`,
        this.line,
      );
    }
    this.columns = cols;
  }

  private row(b: Uint8Array, s: number, e: number): void {
    const cols = this.columns;
    if (cols === null) {
      this.header(decodeUtf8(b, s, e));
      return;
    }
    let rt = NaN; // ms
    let status = -1;
    let offset = NaN; // ms
    let f = 0;
    let p = s;
    for (;;) {
      if (f === cols.responseTime) {
        rt = parseNumber(b, p, e, 3);
        if (rt !== rt || (numEnd.at < e && b[numEnd.at] !== 44)) rt = this.slowField(b, p, e, 'response-time');
        else p = numEnd.at;
      } else if (f === cols.status) {
        let v = 0;
        const st = p;
        let c = 0;
        while (p < e && (c = b[p]! - 48) >= 0 && c <= 9) {
          v = v * 10 + c;
          p++;
        }
        if (p === st || (p < e && b[p] !== 44)) v = this.slowField(b, st, e, 'status-code');
        status = v;
      } else if (f === cols.offset) {
        offset = parseNumber(b, p, e, 3);
        if (offset !== offset || (numEnd.at < e && b[numEnd.at] !== 44)) offset = this.slowField(b, p, e, 'offset');
        else p = numEnd.at;
      }
      while (p < e && b[p] !== 44) p++;
      f++;
      if (p >= e) break;
      p++;
    }
    if (f !== cols.fields) {
      throw new InputError(this.fileName, `expected ${cols.fields} fields, found ${f}: ${quote(decodeUtf8(b, s, e))}`, this.line);
    }
    if (rt < 0 || rt > 1e9) throw new InputError(this.fileName, `response-time ${rt / 1000} s out of range`, this.line);
    if (!Number.isInteger(status) || status < 0) throw new InputError(this.fileName, `status-code ${status} is not a status`, this.line);
    // Seconds since the start of the run: at most ~31 years (1e12 ms), like a real offset; Infinity would make the run length Infinity.
    if (!(offset >= 0 && offset <= 1e12)) throw new InputError(this.fileName, `offset ${offset / 1000} s out of range`, this.line);
    const acc = this.acc;
    acc.record(rt);
    if (status < 200 || status > 299) acc.statusErrors++;
    const endMs = offset + rt;
    if (endMs > this.spanEnd) this.spanEnd = endMs;
  }

  /** A field that is not a plain decimal: Number() of its text (seconds -> ms but the status), or an InputError. */
  private slowField(b: Uint8Array, p: number, e: number, what: string): number {
    let j = p;
    while (j < e && b[j] !== 44) j++;
    const text = decodeUtf8(b, p, j).trim();
    const v = numberField(text, this.fileName, this.line, what);
    if (what === 'status-code') return v;
    // A plain decimal shifted by three places is rounded once, like the fast path.
    return /^[-+]?(\d+\.?\d*|\.\d+)$/.test(text) ? Number(`${text}e3`) : v * 1000;
  }
}
