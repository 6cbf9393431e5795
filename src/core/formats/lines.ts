import { InputError } from '../errors';
import { lineColumn } from '../textPosition';
import { encodeUtf8 } from '../utf8';
import type { ByteSource } from './byteSource';

/** Longest line any reader accepts; longer lines are refused rather than buffered. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Largest latency a reader records, ms (~11.6 days): keeps integer nanoseconds exact in a double
 * and inside the histogram's range (hdr-histogram-js fails on values far beyond it).
 */
export const MAX_LATENCY_MS = 1e9;

/** Largest whole-file JSON document a reader will buffer. */
export const MAX_JSON_BYTES = 512 * 1024 * 1024;

export interface Line {
  text: string;
  /** 1-based line number. */
  no: number;
}

/**
 * Splits a byte stream into lines (LF or CRLF), decoding UTF-8 and dropping a leading BOM.
 * Memory stays bounded by the longest line (at most MAX_LINE_BYTES).
 */
export async function* readLines(source: ByteSource, fileName: string, signal?: AbortSignal): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let no = 0;
  let first = true;
  for await (const chunk of source) {
    signal?.throwIfAborted();
    let text = decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    let start = 0;
    let nl = text.indexOf('\n');
    if (nl >= 0 && carry) {
      yield { text: stripCr(carry + text.slice(0, nl)), no: ++no };
      carry = '';
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    while (nl >= 0) {
      yield { text: stripCr(text.slice(start, nl)), no: ++no };
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    carry += text.slice(start);
    if (carry.length > MAX_LINE_BYTES) {
      throw new InputError(fileName, `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`, no + 1);
    }
  }
  carry += decoder.decode();
  if (carry) yield { text: stripCr(carry), no: ++no };
}

function stripCr(s: string): string {
  return s.endsWith('\r') ? s.slice(0, -1) : s;
}

/** Reads a whole (bounded) file as text, BOM removed. */
export async function readText(source: ByteSource, fileName: string, maxBytes = MAX_JSON_BYTES): Promise<string> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.length;
    if (total > maxBytes) throw new InputError(fileName, `file larger than ${Math.round(maxBytes / 1024 / 1024)} MiB for this format`);
    parts.push(chunk);
  }
  const all = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    all.set(part, at);
    at += part.length;
  }
  let text = new TextDecoder('utf-8').decode(all);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/**
 * Parses a JSON document, turning a syntax error into an InputError with line:column.
 */
export function parseJson(text: string, fileName: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    if (pos) {
      const { line, column } = lineColumn(text, Number(pos[1]));
      throw new InputError(fileName, `invalid JSON: ${msg.replace(/ in JSON at position \d+.*$/, '')}`, line, column);
    }
    throw new InputError(fileName, text.trim() === '' ? 'empty file' : `invalid JSON: ${msg}`);
  }
}

/** A ByteSource over an in-memory buffer or string (tests, webview, stdin). */
export async function* bytesOf(data: string | Uint8Array, chunkSize = 1 << 20): ByteSource {
  const buf = typeof data === 'string' ? encodeUtf8(data) : data;
  for (let i = 0; i < buf.length; i += chunkSize) yield buf.subarray(i, i + chunkSize);
}

/**
 * Splits one CSV record (RFC 4180: quoted fields may hold commas and doubled quotes).
 * Records spanning lines are not supported: no tool here writes them. Copies runs between
 * quotes and separators (indexOf + slice), never character by character: a 16 MiB quoted line
 * costs one pass and about its own size in memory.
 */
export function splitCsv(line: string, sep = ','): string[] {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  const n = line.length;
  let field = '';
  let quoted = false;
  let i = 0;
  let nextQuote = -1; // cached positions at or after i (-1: not computed / before i)
  let nextSep = -1;
  while (i < n) {
    if (nextQuote !== n && nextQuote < i) {
      nextQuote = line.indexOf('"', i);
      if (nextQuote < 0) nextQuote = n;
    }
    if (quoted) {
      field += line.slice(i, nextQuote);
      if (nextQuote === n) break;
      if (line.charCodeAt(nextQuote + 1) === 34) {
        field += '"';
        i = nextQuote + 2;
      } else {
        quoted = false;
        i = nextQuote + 1;
      }
      continue;
    }
    if (nextSep !== n && nextSep < i) {
      nextSep = line.indexOf(sep, i);
      if (nextSep < 0) nextSep = n;
    }
    if (nextSep < nextQuote) {
      out.push(field + line.slice(i, nextSep));
      field = '';
      i = nextSep + 1;
    } else {
      field += line.slice(i, nextQuote);
      if (nextQuote === n) break;
      quoted = true;
      i = nextQuote + 1;
    }
  }
  out.push(field);
  return out;
}

/**
 * Base name without directory and (last) extension: "perf/results/decide.csv" -> "decide". A
 * gzip file is named as the file it holds: "decide.csv.gz" -> "decide".
 */
export function baseName(fileName: string): string {
  const base = (fileName.split(/[\\/]/).pop() ?? fileName).replace(/(.)\.gz$/i, '$1');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** A finite number from a field, or an InputError naming file, line and column name. */
export function numberField(text: string | undefined, fileName: string, line: number, what: string): number {
  const v = text === undefined || text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(v)) {
    throw new InputError(fileName, `${what} is not a number: ${JSON.stringify((text ?? '').slice(0, 40))}`, line);
  }
  return v;
}
