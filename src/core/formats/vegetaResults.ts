import { InputError, quote } from '../errors';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import { fromHistogram, type Series } from '../series';
import { scaleDecimal } from './jsonShape';
import { urlPath } from './k6Names';
import { baseName, MAX_LATENCY_MS, readLines, splitCsv } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';
import { SeriesLimit } from './seriesLimit';
import { parseTimestamp } from './timestamps';

/**
 * Vegeta per-request results, as `vegeta encode` writes them (either form, told apart per file
 * by its first line, as Vegeta's own decoder does):
 *  - `--to json`: NDJSON, one result per line: `{"attack","seq","code","timestamp"` (RFC 3339,
 *    ns), `"latency"` (integer ns), `"bytes_out","bytes_in","error","body"` (base64) and, since
 *    v12.8, `"method","url","headers"`};
 *  - `--to csv`: no header; columns timestamp (Unix ns), code, latency (ns), bytes_out, bytes_in,
 *    error, base64 body, attack, seq and, since v12.8, method, url, base64 headers (error comes
 *    before body: the code's order, not its comment's). Rows of 6 to 12 columns are read.
 * Series: one per method + URL path ("GET /api/items": the URL's scheme, host, query and fragment
 * dropped) when the results carry them (v12.8+), else one named after the file ("perf/run.json" ->
 * "run"); a result with only one of method and url is named by what it has.
 * Every result's latency (ns -> ms exactly, by decimal shift) goes into the series' histogram
 * (exact = false: percentiles within 0.1% of nearest rank); count = results; errors = results
 * with a non-empty `error` or a code outside 200..399 (Vegeta's success rule; transport errors
 * have code 0); durationSec = from the earliest start to the latest start + latency of the
 * series' results; startedAt = the earliest start. Lines are streamed, never the whole file.
 */

interface Endpoint {
  h: LatencyHistogram;
  errors: number;
  start: number;
  end: number;
}

/** A CSV result row: Unix-ns timestamp, status code, latency ns, bytes out, bytes in, … */
const CSV_ROW = /^\d{16,20},\d{1,3},\d+,\d+,\d+,/;
const JSON_ROW = /^\{.*"(seq|attack)"\s*:.*"latency"\s*:/;

export const vegetaResultsReader: Reader = {
  id: 'vegeta-results',
  detect(head) {
    const first = (head.trimStart().split('\n', 1)[0] ?? '').trim();
    if (JSON_ROW.test(first)) return /"code"\s*:/.test(first) && /"timestamp"\s*:/.test(first);
    if (!CSV_ROW.test(first)) return false;
    const n = splitCsv(first).length;
    return n >= 9 && n <= 12;
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    const fallback = baseName(file);
    const endpoints = new Map<string, Endpoint>();
    const limit = SeriesLimit.of(options);
    let form: 'json' | 'csv' | null = null;
    let rows = 0;

    const add = (name: string, startMs: number, latencyNs: number, failed: boolean, no: number) => {
      if (latencyNs < 0) throw new InputError(file, `negative latency ${latencyNs} ns`, no);
      const ms = scaleDecimal(latencyNs, -6);
      if (ms > MAX_LATENCY_MS) throw new InputError(file, `latency ${latencyNs} ns out of range`, no);
      let e = endpoints.get(name);
      if (!e) {
        if (!limit.admits(endpoints.size, name)) return;
        e = { h: LatencyHistogram.create(), errors: 0, start: Infinity, end: -Infinity };
        endpoints.set(name, e);
      }
      e.h.recordMs(ms);
      if (failed) e.errors++;
      if (startMs < e.start) e.start = startMs;
      if (startMs + ms > e.end) e.end = startMs + ms;
    };

    const handler = (method: string, url: string): string => {
      const m = method.trim().toUpperCase();
      const u = url.trim();
      if (m === '' && u === '') return fallback;
      if (u === '') return m;
      return m === '' ? urlPath(u) : `${m} ${urlPath(u)}`;
    };

    const failedOf = (code: number, error: string) => error !== '' || code < 200 || code >= 400;

    const jsonRow = (text: string, no: number) => {
      let r: unknown;
      try {
        r = JSON.parse(text);
      } catch (e) {
        throw new InputError(file, `invalid JSON result (${e instanceof Error ? e.message.replace(/ in JSON at position \d+.*$/, '') : String(e)}; truncated line?)`, no);
      }
      if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new InputError(file, 'a result line is not a JSON object', no);
      const o = r as Record<string, unknown>;
      const code = o.code;
      const latency = o.latency;
      const ts = o.timestamp;
      if (typeof code !== 'number' || !Number.isInteger(code) || code < 0) throw new InputError(file, `"code" is not a status code: ${quote(JSON.stringify(code) ?? 'missing')}`, no);
      if (typeof latency !== 'number' || !Number.isFinite(latency)) throw new InputError(file, `"latency" is not a number of ns: ${quote(JSON.stringify(latency) ?? 'missing')}`, no);
      const t = typeof ts === 'string' ? parseTimestamp(ts) : null;
      if (t === null) throw new InputError(file, `"timestamp" is not an RFC 3339 time: ${quote(JSON.stringify(ts) ?? 'missing')}`, no);
      const error = o.error === undefined || o.error === null ? '' : o.error;
      if (typeof error !== 'string') throw new InputError(file, '"error" is not a string', no);
      const method = typeof o.method === 'string' ? o.method : '';
      const url = typeof o.url === 'string' ? o.url : '';
      add(handler(method, url), t.ms, latency, failedOf(code, error), no);
    };

    const csvRow = (text: string, no: number) => {
      const f = splitCsv(text);
      if (f.length < 6 || f.length > 12) throw new InputError(file, `row has ${f.length} fields, a Vegeta CSV result has 6 to 12 (truncated row?)`, no);
      const int = (i: number, what: string): number => {
        const s = f[i]!.trim();
        if (!/^-?\d+$/.test(s)) throw new InputError(file, `${what} is not an integer: ${quote(f[i]!)}`, no);
        return Number(s);
      };
      const tsNs = int(0, 'timestamp');
      const code = int(1, 'code');
      const latency = int(2, 'latency');
      if (code < 0) throw new InputError(file, `negative status code ${code}`, no);
      // Unix ns beyond 2^53 lose sub-µs digits as doubles; ms precision is kept.
      add(handler(f[9] ?? '', f[10] ?? ''), tsNs / 1e6, latency, failedOf(code, f[5]!), no);
    };

    for await (const { text, no } of readLines(source, file, options.signal)) {
      const line = text.trim();
      if (line === '') continue;
      if (form === null) {
        if (line.startsWith('{')) form = 'json';
        else if (/^\d/.test(line)) form = 'csv';
        else throw new InputError(file, `not a Vegeta result (first line ${quote(line)}; expected vegeta encode --to json or csv)`, no);
      }
      if (form === 'json') jsonRow(line, no);
      else csvRow(line, no);
      rows++;
    }
    if (rows === 0) throw new InputError(file, 'empty file');

    const out: Series[] = [];
    for (const [name, e] of endpoints) {
      const span = e.end - e.start;
      out.push(
        fromHistogram({
          name,
          format: 'vegeta-results',
          source: file,
          errors: e.errors,
          durationSec: Number.isFinite(span) && span > 0 ? span / 1000 : null,
          histogram: e.h,
          startedAt: Number.isFinite(e.start) ? Math.round(e.start) : null,
        }),
      );
    }
    limit.report(options);
    return out;
  },
};
