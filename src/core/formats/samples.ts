import { InputError, quote } from '../errors';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import { fromHistogram, type Series } from '../series';
import { baseName, MAX_LATENCY_MS, readLines, splitCsv } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';

/**
 * Raw latency samples, the fallback format:
 *  - one number per line (blank lines and `#` comments skipped), or
 *  - a CSV with a header: the column is `options.column`, else the only column, else one named
 *    like latency / duration / elapsed / response_time / value (optionally with a unit suffix
 *    such as `latency_ms` or `duration (us)`), else the only column holding a number.
 * Unit: `options.unit`, else the column's unit suffix, else ms. One series named after the file;
 * errors and duration unknown. Detected by a `.samples` name, a `.txt` name whose content starts
 * with a number (or a header then a row holding one), or first lines that are all bare numbers;
 * it must stay last in the registry.
 */

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000 };
const LATENCY_NAME = /^(latency|duration|elapsed|response[ _-]?time|value|time|rt)(?:[ _-]*\(?(ns|us|µs|ms|s)\)?)?$/i;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

export const samplesReader: Reader = {
  id: 'samples',
  detect(head: string, fileName: string): boolean {
    if (/\.samples$/i.test(fileName)) return true;
    const lines = head.split('\n');
    if (/\.txt$/i.test(fileName)) {
      // .txt: numbers, or a header line followed by a row holding a number
      const data = lines.map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
      if (data.length > 0 && NUMBER.test(data[0]!)) return true;
      return data.length > 1 && !/\s/.test(data[0]!.replace(/[ \t]*[,;\t][ \t]*/g, ',')) && splitCsv(data[1]!, data[1]!.includes('\t') ? '\t' : data[1]!.includes(';') ? ';' : ',').some((f) => NUMBER.test(f.trim()));
    }
    if (head.length >= 64 * 1024 - 1) lines.pop(); // the head may cut the last line
    let numbers = 0;
    for (const l of lines) {
      const t = l.trim();
      if (t === '' || t.startsWith('#')) continue;
      if (!NUMBER.test(t)) return false;
      numbers++;
    }
    return numbers > 0;
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    const h = LatencyHistogram.create();
    let mode: 'plain' | 'csv' | null = null;
    let sep = ',';
    let col = -1;
    let colName = '';
    let scale = options.unit ? UNIT_MS[options.unit]! : 1;
    let headerCols: string[] = [];
    let headerNo = 0;

    const record = (text: string | undefined, no: number, what: string) => {
      const t = (text ?? '').trim();
      if (!NUMBER.test(t)) {
        throw new InputError(file, `${what} is not a number: ${quote(t)}`, no);
      }
      const v = Number(t);
      if (!Number.isFinite(v)) throw new InputError(file, `${what} is not a number: ${quote(t)}`, no);
      if (v < 0) throw new InputError(file, `negative latency ${t}`, no);
      if (v * scale > MAX_LATENCY_MS) throw new InputError(file, `latency ${t} out of range`, no);
      h.recordMs(v * scale);
    };

    for await (const { text, no } of readLines(source, file, options.signal)) {
      const t = text.trim();
      if (t === '' || (mode !== 'csv' && t.startsWith('#'))) continue;
      if (mode === null) {
        if (NUMBER.test(t) || /^(nan|-?inf(inity)?)$/i.test(t)) {
          if (options.column) throw new InputError(file, `column ${quote(options.column)} requested, but the file has no header`, no);
          mode = 'plain';
        } else {
          mode = 'csv';
          sep = [',', '\t', ';'].find((d) => t.includes(d)) ?? ',';
          headerCols = splitCsv(t, sep).map((c) => c.trim());
          headerNo = no;
          if (options.column) {
            col = headerCols.indexOf(options.column);
            if (col < 0) {
              throw new InputError(file, `no column ${quote(options.column)} in header (columns: ${headerCols.join(', ')})`, no);
            }
          } else if (headerCols.length === 1) col = 0;
          else {
            const named = headerCols.map((c, i) => [c, i] as const).filter(([c]) => LATENCY_NAME.test(c));
            if (named.length === 1) col = named[0]![1];
          }
          if (col >= 0) {
            colName = headerCols[col]!;
            const u = LATENCY_NAME.exec(colName)?.[2]?.toLowerCase();
            if (!options.unit && u) scale = UNIT_MS[u]!;
          }
          continue;
        }
      }
      if (mode === 'plain') {
        record(t, no, 'sample');
        continue;
      }
      const f = splitCsv(text, sep);
      if (col < 0) {
        // no header hint: the single column holding a number in the first data row
        const numeric = f.map((v, i) => [v.trim(), i] as const).filter(([v]) => NUMBER.test(v));
        if (numeric.length !== 1) {
          throw new InputError(
            file,
            `cannot tell which column holds the latency (columns: ${headerCols.join(', ')}); set "column"`,
            headerNo,
          );
        }
        col = numeric[0]![1];
        colName = headerCols[col] ?? `column ${col + 1}`;
      }
      if (f.length <= col) throw new InputError(file, `row has ${f.length} fields, the latency is column ${col + 1} (truncated row?)`, no);
      record(f[col], no, colName);
    }
    if (mode === null) throw new InputError(file, 'empty file: no samples');
    if (h.count === 0) throw new InputError(file, 'no samples (header only)');
    return [
      fromHistogram({
        name: baseName(file),
        format: 'samples',
        source: file,
        errors: null,
        durationSec: null,
        histogram: h,
      }),
    ];
  },
};
