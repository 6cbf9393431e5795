import { InputError, quote } from '../errors';
import type { PercentileMap, Series } from '../series';
import { percentileKey } from '../series';
import { baseName, readLines } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';

/**
 * wrk `--latency` text output (wrk 4.x), and the shared parser for wrk2 (see wrk2.ts).
 *
 * wrk prints a summary only: the 50/75/90/99 percentiles of its "Latency Distribution" are kept
 * exactly as printed (exact = true); nothing else is invented. The text has no method and the
 * URL is not a handler id, so the series is named after the file.
 */

const TIME_UNIT_MS: Record<string, number> = { us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const TIME = /^(\d+(?:\.\d+)?)(us|ms|s|m|h)$/;

/** "850.00us" | "12.46ms" | "1.02s" | "1.10m" -> ms; undefined when it is not a wrk time. */
export function wrkTimeMs(text: string): number | undefined {
  const m = TIME.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * TIME_UNIT_MS[m[2]!]!;
}

const RUNNING = /^\s*Running\s+\S+\s+test\s+@\s+\S+/;
const LATENCY_STATS = /^\s*Latency\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*$/;
const DIST_HEADER = /^\s*Latency Distribution\b(.*)$/;
const DIST_LINE = /^\s*(\d+(?:\.\d+)?)%\s+(\S+)\s*$/;
const REQUESTS = /^\s*(\d+)\s+requests in\s+([^\s,]+)\s*,/;
const SOCKET_ERRORS = /^\s*Socket errors:\s*connect\s+(\d+),\s*read\s+(\d+),\s*write\s+(\d+),\s*timeout\s+(\d+)\s*$/;
const NON_2XX = /^\s*Non-2xx or 3xx responses:\s*(\d+)\s*$/;
const REQ_PER_SEC = /^\s*Requests\/sec:\s*(\S+)\s*$/;
const SPECTRUM_HEADER = /^\s*Detailed Percentile spectrum:?\s*$/;
const SPECTRUM_COLUMNS = /^\s*Value\s+Percentile\s+TotalCount\s+1\/\(1-Percentile\)\s*$/;
const FOOTER_MEAN = /^#\[Mean\s*=\s*(\S+?),\s*StdDeviation\s*=\s*(\S+?)\]\s*$/;
const FOOTER_MAX = /^#\[Max\s*=\s*(\S+?),\s*Total count\s*=\s*(\S+?)\]\s*$/;

export function detectWrk2(head: string): boolean {
  return /Detailed Percentile spectrum|Latency Distribution \(HdrHistogram|Thread calibration: mean lat/.test(head);
}

export function detectWrk(head: string): boolean {
  if (detectWrk2(head)) return false;
  const start = head.replace(/^\s+/, '');
  if (/^Running\s+\S+\s+test\s+@\s+\S+/.test(start)) return true;
  return /^\s*Thread Stats\s+Avg\s+Stdev\s+Max/m.test(head) && /^\s*Latency\s+\S+/m.test(head);
}

/** A row of wrk2's "Detailed Percentile spectrum" (HdrHistogram percentile text). */
interface SpectrumRow {
  valueMs: number;
  fraction: number;
  count: number;
}

/** Percentiles wrk2's spectrum is looked up at. */
const SPECTRUM_PERCENTILES = [50, 75, 90, 95, 99, 99.9, 99.99, 99.999, 100];

export async function readWrkText(source: ByteSource, options: ReadOptions, variant: 'wrk' | 'wrk2'): Promise<Series[]> {
  const file = options.fileName;
  const printed: PercentileMap = {};
  let meanMs: number | null = null;
  let maxMs: number | null = null;
  let count: number | null = null;
  let durationSec: number | null = null;
  let throughput: number | null = null;
  let non2xx = 0;
  let socketErrors = 0;
  let runs = 0;
  let sawAnything = false;

  // "recorded" (wrk, or wrk2's corrected block), "uncorrected" (wrk2 -U: ignored), or none.
  let block: 'none' | 'recorded' | 'uncorrected' = 'none';
  let inDist = false;
  let inSpectrum = false;
  let spectrumOpenLine = 0;
  const spectrum: SpectrumRow[] = [];
  let footerMaxMs: number | null = null;
  let footerMeanMs: number | null = null;
  let footerCount: number | null = null;

  const num = (text: string, no: number, what: string): number => {
    const v = Number(text);
    if (!Number.isFinite(v) || v < 0 || text.trim() === '') {
      throw new InputError(file, `${what} is not a non-negative number: ${quote(text)}`, no);
    }
    return v;
  };
  const time = (text: string, no: number, what: string): number => {
    const v = wrkTimeMs(text);
    if (v === undefined) throw new InputError(file, `${what} is not a wrk time (like 12.46ms): ${quote(text)}`, no);
    return v;
  };

  for await (const { text, no } of readLines(source, file, options.signal)) {
    if (text.trim() !== '') sawAnything = true;

    if (inSpectrum) {
      const t = text.trim();
      if (t === '' || SPECTRUM_COLUMNS.test(t)) continue;
      let m: RegExpExecArray | null;
      if ((m = FOOTER_MEAN.exec(t))) {
        if (block === 'recorded') footerMeanMs = num(m[1]!, no, 'Mean');
        continue;
      }
      if ((m = FOOTER_MAX.exec(t))) {
        if (block === 'recorded') {
          footerMaxMs = num(m[1]!, no, 'Max');
          footerCount = num(m[2]!, no, 'Total count');
        }
        continue;
      }
      if (t.startsWith('#[')) continue; // #[Buckets = …, SubBuckets = …]
      if (/^-{10,}$/.test(t)) {
        inSpectrum = false;
        continue;
      }
      const cols = t.split(/\s+/);
      if (cols.length < 3 || cols.length > 4) {
        throw new InputError(file, `percentile spectrum row needs Value, Percentile, TotalCount: ${quote(t)}`, no);
      }
      const valueMs = num(cols[0]!, no, 'spectrum Value');
      const fraction = num(cols[1]!, no, 'spectrum Percentile');
      const rowCount = num(cols[2]!, no, 'spectrum TotalCount');
      if (fraction > 1) throw new InputError(file, `spectrum Percentile is a fraction 0..1, got ${cols[1]}`, no);
      if (block === 'recorded') {
        const prev = spectrum[spectrum.length - 1];
        if (prev && (fraction < prev.fraction || valueMs < prev.valueMs || rowCount < prev.count)) {
          throw new InputError(file, 'percentile spectrum rows are not in increasing order', no);
        }
        spectrum.push({ valueMs, fraction, count: rowCount });
      }
      continue;
    }

    if (inDist) {
      const m = DIST_LINE.exec(text);
      if (m) {
        const v = time(m[2]!, no, `${m[1]}% latency`);
        if (block === 'recorded') printed[percentileKey(Number(m[1]))] = v;
        continue;
      }
      inDist = false;
      if (/^\s*\d+(?:\.\d+)?%/.test(text)) throw new InputError(file, `bad latency distribution line ${quote(text.trim())}`, no);
    }

    let m: RegExpExecArray | null;
    if (RUNNING.test(text)) {
      if (++runs > 1) throw new InputError(file, `a second ${variant} run starts here; keep one run per file`, no);
    } else if ((m = DIST_HEADER.exec(text))) {
      block = /Uncorrected/i.test(m[1]!) ? 'uncorrected' : 'recorded';
      inDist = true;
    } else if (SPECTRUM_HEADER.test(text)) {
      inSpectrum = true;
      spectrumOpenLine = no;
    } else if ((m = LATENCY_STATS.exec(text))) {
      meanMs = time(m[1]!, no, 'Latency Avg');
      maxMs = time(m[3]!, no, 'Latency Max');
    } else if ((m = REQUESTS.exec(text))) {
      count = num(m[1]!, no, 'request count');
      const d = wrkTimeMs(m[2]!);
      if (d === undefined) throw new InputError(file, `test duration is not a wrk time: ${quote(m[2]!)}`, no);
      durationSec = d / 1000;
    } else if ((m = SOCKET_ERRORS.exec(text))) {
      socketErrors = Number(m[1]) + Number(m[2]) + Number(m[3]) + Number(m[4]);
    } else if (/^\s*Socket errors:/.test(text)) {
      throw new InputError(file, `unreadable socket errors line ${quote(text.trim())}`, no);
    } else if ((m = NON_2XX.exec(text))) {
      non2xx = Number(m[1]);
    } else if (/^\s*Non-2xx or 3xx responses:/.test(text)) {
      throw new InputError(file, `unreadable Non-2xx line ${quote(text.trim())}`, no);
    } else if ((m = REQ_PER_SEC.exec(text))) {
      throughput = num(m[1]!, no, 'Requests/sec');
    } else if (/^\s*Requests\/sec:/.test(text)) {
      throw new InputError(file, `Requests/sec has no value`, no);
    }
  }

  if (!sawAnything) throw new InputError(file, 'empty file');
  if (inSpectrum && block === 'recorded' && spectrum.length === 0) {
    throw new InputError(file, 'percentile spectrum has no rows (truncated output?)', spectrumOpenLine);
  }
  if (count === null || durationSec === null) {
    throw new InputError(file, `no "N requests in T" line: not ${variant} output, or truncated`);
  }
  if (throughput === null) throw new InputError(file, 'no "Requests/sec:" line (truncated output?)');

  let percentiles: PercentileMap = printed;
  if (spectrum.length > 0) {
    // HdrHistogram semantics: the value at percentile x is the first row at or above x.
    percentiles = {};
    for (const p of SPECTRUM_PERCENTILES) {
      const row = spectrum.find((r) => r.fraction >= p / 100 - 1e-9);
      if (row) percentiles[percentileKey(p)] = row.valueMs;
    }
  }
  const finalMax = footerMaxMs ?? maxMs ?? percentiles['100'] ?? null;

  return [
    {
      name: baseName(file),
      format: variant,
      source: file,
      count: count ?? footerCount ?? 0,
      errors: non2xx + socketErrors,
      durationSec,
      throughputPerSec: throughput,
      exact: true,
      histogram: null,
      percentiles,
      minMs: spectrum.length > 0 ? spectrum[0]!.valueMs : null,
      maxMs: finalMax,
      meanMs: footerMeanMs ?? meanMs,
    },
  ];
}

export const wrkReader: Reader = {
  id: 'wrk',
  detect: (head) => detectWrk(head),
  read: (source, options) => readWrkText(source, options, 'wrk'),
};
