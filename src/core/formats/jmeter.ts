import { InputError, quote } from '../errors';
import { fromHistogram, type Series } from '../series';
import { MAX_LATENCY_MS, MAX_LINE_BYTES, numberField, readLines, splitCsv } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';
import { JtlKernel, type JtlLines } from './jmeterKernel';
import { type JtlColumns, jtlColumns, JtlLabel, record } from './jmeterRows';
import { scanSource } from './seriesAccumulator';
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
 *
 * `read` scans the bytes with jmeterKernel.ts, which reads ordinary rows in place and hands every
 * other line to JtlTable below, the line reader this format always had (`readJtlLines` runs it
 * alone: the reference the kernel is tested against). Both give the same Series.
 */

const DEFAULT_COLUMNS = [
  'timeStamp', 'elapsed', 'label', 'responseCode', 'responseMessage', 'threadName', 'dataType', 'success',
  'failureMessage', 'bytes', 'sentBytes', 'grpThreads', 'allThreads', 'URL', 'Latency', 'IdleTime', 'Connect',
];

/**
 * The JTL read, line by line over decoded text: the header, records whose quoted fields span
 * lines, each row's checks, the labels. It is the whole reader for `readJtlLines` (the reference)
 * and the slow path of the byte kernel (jmeterKernel.ts), which hands it every line its fast
 * path does not take; both then build the Series with `series()`.
 */
export class JtlTable implements JtlLines {
  columns: JtlColumns | null = null;
  readonly labels = new Map<string, JtlLabel>();
  /** A record whose quoted field spans lines, joined so far ('' when none). */
  pending = '';
  private pendingLine = 0;
  readonly limit: SeriesLimit;

  constructor(
    readonly file: string,
    options: { maxSeries?: number | undefined },
  ) {
    this.limit = SeriesLimit.of(options);
  }

  /** One line (CR and BOM removed), 1-based number `no`. */
  line(text: string, no: number): void {
    if (this.pending !== '') {
      // a quoted field spans lines: keep joining until the quotes balance
      this.pending += `\n${text}`;
      if (this.pending.length > MAX_LINE_BYTES) throw new InputError(this.file, 'unterminated quoted field', this.pendingLine);
      if (quotesBalanced(this.pending)) {
        const rec = this.pending;
        this.pending = '';
        this.row(rec, this.pendingLine);
      }
      return;
    }
    if (text.trim() === '') return;
    if (this.columns === null && this.header(text, no)) return;
    if (!quotesBalanced(text)) {
      this.pending = text;
      this.pendingLine = no;
      return;
    }
    this.row(text, no);
  }

  /** The first non-blank line: true when it is the header; false for a header-less file's first row. */
  private header(text: string, no: number): boolean {
    const first = text.trim();
    if (first.startsWith('<')) {
      throw new InputError(this.file, 'XML JTL is not supported: save results as CSV (jmeter.save.saveservice.output_format=csv)', no);
    }
    const sep = [',', '\t', ';', '|'].find((d) => first.includes(d)) ?? ',';
    const cols = splitCsv(first, sep).map((c) => c.trim());
    if (cols.includes('elapsed') && cols.includes('label')) {
      this.columns = jtlColumns(cols, sep);
      return true;
    }
    if (!/^\d/.test(first)) {
      throw new InputError(this.file, `not a JMeter CSV header: missing column ${cols.includes('elapsed') ? 'label' : 'elapsed'} (first line ${quote(first)})`, no);
    }
    this.columns = jtlColumns(DEFAULT_COLUMNS, sep); // header-less: default column order
    return false;
  }

  private row(text: string, no: number): void {
    const c = this.columns!;
    const f = splitCsv(text, c.sep);
    if (f.length <= c.need) {
      throw new InputError(this.file, `row has ${f.length} fields, the header has ${c.names.length} (truncated row?)`, no);
    }
    const elapsed = numberField(f[c.elapsed], this.file, no, 'elapsed');
    if (elapsed < 0) throw new InputError(this.file, `negative elapsed ${elapsed} ms`, no);
    if (elapsed > MAX_LATENCY_MS) throw new InputError(this.file, `elapsed ${elapsed} ms out of range`, no);
    let failed = false;
    if (c.success >= 0) {
      const s = f[c.success]!.trim().toLowerCase();
      if (s === 'false') failed = true;
      else if (s !== 'true') throw new InputError(this.file, `success is not true/false: ${quote(f[c.success]!)}`, no);
    }
    let ts = NaN;
    if (c.time >= 0) {
      const t = parseTimestamp(f[c.time]!);
      if (t === null) throw new InputError(this.file, `timeStamp is not a time: ${quote(f[c.time]!)}`, no);
      ts = t.ms;
    }
    const st = this.label(f[c.label]!);
    if (st !== null) record(st, elapsed, failed, ts);
  }

  /** The state of label `name`, created on its first row; null when past the series limit (the row counts as skipped). */
  label(name: string): JtlLabel | null {
    const st = this.labels.get(name);
    if (st) return st;
    if (!this.limit.admits(this.labels.size, name)) return null;
    const created = new JtlLabel(name);
    this.labels.set(name, created);
    return created;
  }

  /** The Series of everything read (labels in order of first appearance); InputError for a file without rows. */
  series(options: ReadOptions): Series[] {
    if (this.pending !== '') throw new InputError(this.file, 'unterminated quoted field (truncated file?)', this.pendingLine);
    if (this.columns === null) throw new InputError(this.file, 'empty file');
    if (this.labels.size === 0) throw new InputError(this.file, 'no samples in JMeter CSV (header only)');
    const hasSuccess = this.columns.success >= 0;
    const out: Series[] = [];
    for (const [name, st] of this.labels) {
      const span = st.end - st.start;
      const sub = /^(.*)-\d+$/.exec(name);
      const parent = sub && this.labels.has(sub[1]!) ? sub[1]! : undefined;
      out.push(
        fromHistogram({
          name,
          ...(parent !== undefined ? { parent } : {}),
          format: 'jmeter',
          source: this.file,
          errors: hasSuccess ? st.failed : null,
          durationSec: Number.isFinite(span) && span > 0 ? span / 1000 : null,
          histogram: st.histogram,
          startedAt: Number.isFinite(st.start) ? Math.round(st.start) : null,
        }),
      );
    }
    this.limit.report(options);
    return out;
  }
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
    const table = new JtlTable(options.fileName, options);
    await scanSource(new JtlKernel(table), source, options.fileName, options.signal);
    return table.series(options);
  },
};

/**
 * The reference reader: decoded lines (readLines) through a JtlTable, no byte kernel. The
 * kernel's answers are checked against it (test/unit/core/formats/jmeterKernel.test.ts).
 */
export async function readJtlLines(source: ByteSource, options: ReadOptions): Promise<Series[]> {
  const table = new JtlTable(options.fileName, options);
  for await (const { text, no } of readLines(source, options.fileName, options.signal)) table.line(text, no);
  return table.series(options);
}

function quotesBalanced(s: string): boolean {
  let n = 0;
  for (let i = s.indexOf('"'); i >= 0; i = s.indexOf('"', i + 1)) n++;
  return n % 2 === 0;
}
