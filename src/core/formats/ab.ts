import { InputError, quote } from '../errors';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import type { PercentileMap, Series } from '../series';
import { fromHistogram } from '../series';
import { baseName, MAX_LATENCY_MS, readLines, splitCsv } from './lines';
import type { ReadOptions, Reader } from './reader';

/**
 * ApacheBench (ab 2.3) result files; neither names the URL or method, so the series is named
 * after the file.
 *
 * - `ab -g FILE` (TSV `starttime, seconds, ctime, dtime, ttime, wait`): one row per request,
 *   `ttime` = total time in integer ms, recorded into an HdrHistogram (exact = false). Rows are
 *   sorted by ttime, not time. errors null (no status column); durationSec = the range of the
 *   `seconds` column (whole seconds, so ±1 s; null when every request started in one second).
 * - `ab -e FILE` (CSV `Percentage served,Time in ms`, rows 0..100): the tool's percentiles,
 *   kept exactly (exact = true); min = row 0, max = row 100. The file has no request count:
 *   count, errors, duration and throughput are null.
 */

const TSV_HEADER = /^starttime\tseconds\tctime\tdtime\tttime\twait\s*$/;
const CSV_HEADER = /^\s*"?Percentage served"?\s*,\s*"?Time in ms"?\s*$/;

export const abReader: Reader = {
  id: 'ab',
  detect(head) {
    const first = head.split('\n', 1)[0]!.replace(/\r$/, '');
    return TSV_HEADER.test(first) || CSV_HEADER.test(first);
  },

  async read(source, options) {
    const lines = readLines(source, options.fileName, options.signal);
    const first = await lines.next();
    const file = options.fileName;
    if (first.done || (first.value.text.trim() === '' && (await isRestEmpty(lines)))) throw new InputError(file, 'empty file');
    const header = first.value.text;
    if (CSV_HEADER.test(header)) return readPercentiles(lines, options);
    if (/^starttime\t/.test(header)) return readGnuplot(header, lines, options);
    throw new InputError(file, `not an ab -g or -e file: header ${quote(header)}`, 1);
  },
};

async function isRestEmpty(lines: AsyncGenerator<{ text: string; no: number }>): Promise<boolean> {
  for await (const l of lines) if (l.text.trim() !== '') return false;
  return true;
}

function nonNegative(text: string | undefined, file: string, no: number, what: string, integer = false): number {
  const t = (text ?? '').trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v) || v < 0 || (integer && !Number.isInteger(v))) {
    throw new InputError(file, `${what} is not a non-negative ${integer ? 'integer' : 'number'}: ${quote(text ?? '')}`, no);
  }
  return v;
}

async function readPercentiles(lines: AsyncGenerator<{ text: string; no: number }>, options: ReadOptions): Promise<Series[]> {
  const file = options.fileName;
  const percentiles: PercentileMap = {};
  let next = 0;
  let lastNo = 1;
  for await (const { text, no } of lines) {
    lastNo = no;
    if (text.trim() === '') continue;
    const cells = splitCsv(text);
    if (cells.length !== 2) throw new InputError(file, `expected "percentage,time in ms", got ${quote(text)}`, no);
    const pct = nonNegative(cells[0], file, no, 'Percentage served', true);
    const ms = nonNegative(cells[1], file, no, 'Time in ms');
    if (pct !== next) throw new InputError(file, `expected percentage ${next}, got ${pct}`, no);
    const prev = percentiles[String(pct - 1)];
    if (prev !== undefined && ms < prev) throw new InputError(file, `time ${ms} ms is below the previous percentage's ${prev} ms`, no);
    percentiles[String(pct)] = ms;
    next++;
    if (next > 101) throw new InputError(file, 'rows beyond percentage 100', no);
  }
  if (next < 101) throw new InputError(file, `percentages stop at ${next - 1}; ab -e writes 0..100 (truncated file?)`, lastNo);
  return [
    {
      name: baseName(file),
      format: 'ab',
      source: file,
      count: null,
      errors: null,
      durationSec: null,
      throughputPerSec: null,
      exact: true,
      histogram: null,
      percentiles,
      minMs: percentiles['0']!,
      maxMs: percentiles['100']!,
      meanMs: null,
    },
  ];
}

async function readGnuplot(header: string, lines: AsyncGenerator<{ text: string; no: number }>, options: ReadOptions): Promise<Series[]> {
  const file = options.fileName;
  const cols = header.split('\t').map((c) => c.trim());
  const iSeconds = cols.indexOf('seconds');
  const iTotal = cols.indexOf('ttime');
  if (iSeconds < 0 || iTotal < 0) throw new InputError(file, `ab -g header lacks ${iTotal < 0 ? 'ttime' : 'seconds'}`, 1);
  const histogram = LatencyHistogram.create();
  let minSec = Infinity;
  let maxSec = -Infinity;
  let minMs = Infinity;
  let maxMs = -Infinity;
  for await (const { text, no } of lines) {
    if (text.trim() === '') continue;
    const cells = text.split('\t');
    if (cells.length !== cols.length) {
      throw new InputError(file, `expected ${cols.length} tab-separated fields, got ${cells.length}`, no);
    }
    const sec = nonNegative(cells[iSeconds], file, no, 'seconds', true);
    const ms = nonNegative(cells[iTotal], file, no, 'ttime', true);
    if (ms > MAX_LATENCY_MS) throw new InputError(file, `ttime ${ms} ms out of range`, no);
    histogram.recordMs(ms);
    if (sec < minSec) minSec = sec;
    if (sec > maxSec) maxSec = sec;
    if (ms < minMs) minMs = ms;
    if (ms > maxMs) maxMs = ms;
  }
  if (histogram.count === 0) throw new InputError(file, 'no request rows after the header');
  const range = maxSec - minSec;
  return [
    fromHistogram({
      name: baseName(file),
      format: 'ab',
      source: file,
      errors: null,
      durationSec: range > 0 ? range : null,
      histogram,
      minMs,
      maxMs,
      startedAt: minSec * 1000,
    }),
  ];
}
