import { InputError, quote } from '../errors';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import { fromHistogram, type Series } from '../series';
import { k6HandlerName } from './k6Names';
import { baseName, MAX_LATENCY_MS, numberField, readLines, splitCsv } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';
import { SeriesLimit } from './seriesLimit';
import { parseTimestamp } from './timestamps';

/**
 * k6 `--out csv`: one row per metric sample, columns read by header name
 * (`metric_name,timestamp,metric_value,…,method,name,…,status,…,url,extra_tags,metadata`;
 * the tag columns vary with `systemTags` and the k6 version).
 *
 * `http_req_duration` (or `grpc_req_duration`) rows → one histogram per handler
 * ("GET /api/items" from `method` + `name`, a URL name becoming its path; neither → the file's
 * base name). Errors: `http_req_failed` rows with a non-zero value; when a handler has no such
 * rows, `expected_response=false` on its duration rows; neither column → null.
 * Duration: the span of all timestamps in the file (the test run), whatever `timeFormat`
 * (unix s/ms/µs/ns or RFC 3339); whole-second timestamps add one second of resolution.
 * Streams line by line; memory is one histogram per handler.
 */

const LATENCY_METRICS = new Set(['http_req_duration', 'grpc_req_duration']);

interface Handler {
  h: LatencyHistogram;
  failed: number;
  sawFailedMetric: boolean;
  unexpected: number;
}

export const k6CsvReader: Reader = {
  id: 'k6-csv',
  detect(head: string): boolean {
    const first = (head.split('\n', 1)[0] ?? '').trim();
    const cols = first.split(',');
    return cols.includes('metric_name') && cols.includes('metric_value');
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    let header: string[] | null = null;
    let iMetric = -1;
    let iValue = -1;
    let iTime = -1;
    let iMethod = -1;
    let iName = -1;
    let iUrl = -1;
    let iExpected = -1;
    let need = 0;
    const handlers = new Map<string, Handler>();
    const limit = SeriesLimit.of(options);
    const fallbackName = baseName(file);
    let tMin = Infinity;
    let tMax = -Infinity;
    let resolutionMs = 0;
    let latencyRows = 0;

    for await (const { text, no } of readLines(source, file, options.signal)) {
      if (text.trim() === '') continue;
      if (header === null) {
        header = splitCsv(text).map((h) => h.trim());
        iMetric = header.indexOf('metric_name');
        iValue = header.indexOf('metric_value');
        iTime = header.indexOf('timestamp');
        iMethod = header.indexOf('method');
        iName = header.indexOf('name');
        iUrl = header.indexOf('url');
        iExpected = header.indexOf('expected_response');
        if (iMetric < 0 || iValue < 0) {
          throw new InputError(file, `not a k6 CSV header: missing column ${iMetric < 0 ? 'metric_name' : 'metric_value'} (first line ${quote(text)})`, no);
        }
        need = Math.max(iMetric, iValue, iTime, iMethod, iName, iUrl, iExpected);
        continue;
      }
      const f = splitCsv(text);
      if (f.length <= need) {
        throw new InputError(file, `row has ${f.length} fields, the header has ${header.length} (truncated row?)`, no);
      }
      const metric = f[iMetric]!;
      if (iTime >= 0) {
        const ts = f[iTime]!;
        if (ts !== '') {
          const t = parseTimestamp(ts);
          if (t === null) throw new InputError(file, `timestamp is not a time: ${quote(ts)}`, no);
          if (t.ms < tMin) tMin = t.ms;
          if (t.ms > tMax) tMax = t.ms;
          if (t.resolutionMs > resolutionMs) resolutionMs = t.resolutionMs;
        }
      }
      const isLatency = LATENCY_METRICS.has(metric);
      if (!isLatency && metric !== 'http_req_failed') continue;

      const name =
        k6HandlerName(iMethod >= 0 ? f[iMethod] : undefined, iName >= 0 ? f[iName] : undefined, iUrl >= 0 ? f[iUrl] : undefined) ??
        fallbackName;
      let st = handlers.get(name);
      if (!st && limit.admits(handlers.size, name, isLatency ? 1 : 0)) {
        st = { h: LatencyHistogram.create(), failed: 0, sawFailedMetric: false, unexpected: 0 };
        handlers.set(name, st);
      }
      const value = numberField(f[iValue], file, no, 'metric_value');
      if (isLatency) {
        if (value < 0) throw new InputError(file, `negative latency ${value} ms`, no);
        if (value > MAX_LATENCY_MS) throw new InputError(file, `latency ${value} ms out of range`, no);
        latencyRows++;
        if (!st) continue; // a series past the limit
        st.h.recordMs(value);
        if (iExpected >= 0 && f[iExpected] === 'false') st.unexpected++;
      } else if (st) {
        st.sawFailedMetric = true;
        if (value !== 0) st.failed++;
      }
    }

    if (header === null) throw new InputError(file, 'empty file');
    if (latencyRows === 0) throw new InputError(file, 'no http_req_duration rows in k6 CSV');

    const durationMs = tMax >= tMin ? tMax - tMin + resolutionMs : 0;
    const out: Series[] = [];
    for (const [name, st] of handlers) {
      if (st.h.count === 0) continue;
      out.push(
        fromHistogram({
          name,
          format: 'k6-csv',
          source: file,
          errors: st.sawFailedMetric ? st.failed : iExpected >= 0 ? st.unexpected : null,
          durationSec: durationMs > 0 ? durationMs / 1000 : null,
          histogram: st.h,
          startedAt: Number.isFinite(tMin) ? Math.round(tMin) : null,
        }),
      );
    }
    limit.report(options);
    return out;
  },
};
