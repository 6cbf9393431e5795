import { InputError, quote } from '../errors';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import { fromHistogram, type Series } from '../series';
import { MAX_LATENCY_MS, MAX_LINE_BYTES, numberField, readLines, splitCsv } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';
import { SeriesLimit } from './seriesLimit';
import { parseTimestamp } from './timestamps';

/**
 * JMeter JTL in CSV (the default `jmeter.save.saveservice.output_format=csv`):
 *   timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,…
 * Columns are configurable, so everything is read by header name; the delimiter (`,`, tab,
 * `;` or `|`) is taken from the header. A header-less file is read with the default column
 * order. Quoted fields may hold delimiters, doubled quotes and line breaks.
 *
 * One series per `label` (sampler / transaction name), `elapsed` in ms into a histogram;
 * `success=false` → errors (no `success` column → null). Duration per label, JMeter's own
 * convention: (max(timeStamp + elapsed) − min(timeStamp)). timeStamp is epoch ms, or one of
 * JMeter's date formats (read as UTC). XML JTL is refused with an InputError.
 *
 * Sub-results (redirects, embedded resources) are written as rows of their own, labelled
 * `<parent label>-<N>` (JMeter renames a sub-result so when it adds it to its parent). Rule: a
 * label `P-N` (N digits) whose prefix `P` is also a label of the same file gets `parent: P`, so an
 * all-requests merge does not count that traffic twice. The parent's own numbers are its own rows
 * only (they always were: every row goes to its label's series). This is decided by labels alone,
 * so a sampler really named `Step-1` next to one named `Step` would be taken for a sub-result.
 * Transaction controller rows (responseMessage `Number of samples in transaction : N, …`) are kept
 * as their own series; their children are NOT marked: the CSV does not link a child row to its
 * transaction (same thread and earlier rows is a guess that nested or overlapping controllers break).
 */

const DEFAULT_COLUMNS = [
  'timeStamp', 'elapsed', 'label', 'responseCode', 'responseMessage', 'threadName', 'dataType', 'success',
  'failureMessage', 'bytes', 'sentBytes', 'grpThreads', 'allThreads', 'URL', 'Latency', 'IdleTime', 'Connect',
];

interface Label {
  h: LatencyHistogram;
  errors: number;
  start: number;
  end: number;
}

export const jmeterReader: Reader = {
  id: 'jmeter',
  detect(head: string, fileName: string): boolean {
    const first = (head.split('\n', 1)[0] ?? '').trim();
    const cols = first.split(/[,\t;|]/).map((c) => c.replace(/^"|"$/g, ''));
    if (cols.includes('elapsed') && cols.includes('label')) return true;
    if (!/\.jtl$/i.test(fileName)) return false;
    // .jtl: XML (refused with a clear message by read) or header-less CSV starting with an epoch ms
    return /^<\?xml|^<testResults/.test(first) || /^\d{12,14}[,\t;|]\d+[,\t;|]/.test(first);
  },

  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    let header: string[] | null = null;
    let sep = ',';
    let iTime = -1;
    let iElapsed = -1;
    let iLabel = -1;
    let iSuccess = -1;
    let need = 0;
    const labels = new Map<string, Label>();
    const limit = SeriesLimit.of(options);
    let pending = '';
    let pendingLine = 0;

    const setHeader = (cols: string[]) => {
      header = cols;
      iTime = cols.indexOf('timeStamp');
      iElapsed = cols.indexOf('elapsed');
      iLabel = cols.indexOf('label');
      iSuccess = cols.indexOf('success');
      need = Math.max(iTime, iElapsed, iLabel, iSuccess);
    };

    const row = (text: string, no: number) => {
      const f = splitCsv(text, sep);
      if (f.length <= need) {
        throw new InputError(file, `row has ${f.length} fields, the header has ${header!.length} (truncated row?)`, no);
      }
      const label = f[iLabel]!;
      const elapsed = numberField(f[iElapsed], file, no, 'elapsed');
      if (elapsed < 0) throw new InputError(file, `negative elapsed ${elapsed} ms`, no);
      if (elapsed > MAX_LATENCY_MS) throw new InputError(file, `elapsed ${elapsed} ms out of range`, no);
      let failed = false;
      if (iSuccess >= 0) {
        const s = f[iSuccess]!.trim().toLowerCase();
        if (s === 'false') failed = true;
        else if (s !== 'true') throw new InputError(file, `success is not true/false: ${quote(f[iSuccess]!)}`, no);
      }
      let ts = NaN;
      if (iTime >= 0) {
        const t = parseTimestamp(f[iTime]!);
        if (t === null) throw new InputError(file, `timeStamp is not a time: ${quote(f[iTime]!)}`, no);
        ts = t.ms;
      }
      let st = labels.get(label);
      if (!st) {
        if (!limit.admits(labels.size, label)) return;
        st = { h: LatencyHistogram.create(), errors: 0, start: Infinity, end: -Infinity };
        labels.set(label, st);
      }
      st.h.recordMs(elapsed);
      if (failed) st.errors++;
      if (Number.isFinite(ts)) {
        if (ts < st.start) st.start = ts;
        if (ts + elapsed > st.end) st.end = ts + elapsed;
      }
    };

    for await (const { text, no } of readLines(source, file, options.signal)) {
      if (pending !== '') {
        // a quoted field spans lines: keep joining until the quotes balance
        pending += `\n${text}`;
        if (pending.length > MAX_LINE_BYTES) throw new InputError(file, 'unterminated quoted field', pendingLine);
        if (quotesBalanced(pending)) {
          const rec = pending;
          pending = '';
          row(rec, pendingLine);
        }
        continue;
      }
      if (text.trim() === '') continue;
      if (header === null) {
        const first = text.trim();
        if (first.startsWith('<')) {
          throw new InputError(file, 'XML JTL is not supported: save results as CSV (jmeter.save.saveservice.output_format=csv)', no);
        }
        sep = [',', '\t', ';', '|'].find((d) => first.includes(d)) ?? ',';
        const cols = splitCsv(first, sep).map((c) => c.trim());
        if (cols.includes('elapsed') && cols.includes('label')) {
          setHeader(cols);
          continue;
        }
        if (/^\d/.test(first)) setHeader(DEFAULT_COLUMNS); // header-less: default column order
        else throw new InputError(file, `not a JMeter CSV header: missing column ${cols.includes('elapsed') ? 'label' : 'elapsed'} (first line ${quote(first)})`, no);
      }
      if (!quotesBalanced(text)) {
        pending = text;
        pendingLine = no;
        continue;
      }
      row(text, no);
    }
    if (pending !== '') throw new InputError(file, 'unterminated quoted field (truncated file?)', pendingLine);
    if (header === null) throw new InputError(file, 'empty file');
    if (labels.size === 0) throw new InputError(file, 'no samples in JMeter CSV (header only)');

    const out: Series[] = [];
    for (const [name, st] of labels) {
      const span = st.end - st.start;
      const sub = /^(.*)-\d+$/.exec(name);
      const parent = sub && labels.has(sub[1]!) ? sub[1]! : undefined;
      out.push(
        fromHistogram({
          name,
          ...(parent !== undefined ? { parent } : {}),
          format: 'jmeter',
          source: file,
          errors: iSuccess >= 0 ? st.errors : null,
          durationSec: Number.isFinite(span) && span > 0 ? span / 1000 : null,
          histogram: st.h,
          startedAt: Number.isFinite(st.start) ? Math.round(st.start) : null,
        }),
      );
    }
    limit.report(options);
    return out;
  },
};

function quotesBalanced(s: string): boolean {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n % 2 === 0;
}
