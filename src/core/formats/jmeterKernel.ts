/**
 * The byte kernel of JMeter's CSV JTL (jmeter.ts): rows scanned as bytes, numbers parsed in
 * place, labels found by their bytes; no line is decoded or split unless it is unusual.
 *
 * Fast path. A line takes it only when all of these hold; any other line goes, as text, to
 * JtlTable.line (the reference reader's own code), which reads it, joins records across lines
 * and reports errors exactly as `readJtlLines` does:
 *  1. the header has been read, its delimiter is `,`, and no record is pending (open quote);
 *  2. every `"` of the line is in a field other than timeStamp, elapsed, label and success that is
 *     quoted whole (`"…"` from its first byte to its `,`, `""` inside). Then splitCsv finds the
 *     same field boundaries as this scan, the quotes balance (the record is this one line), and
 *     the fields read are the bytes between commas, untrimmed, as splitCsv gives them;
 *  3. it has more fields than the highest column read (`need`);
 *  4. `elapsed` is 1 to 15 ASCII digits and at most MAX_LATENCY_MS: Number(text) is that
 *     integer, exactly;
 *  5. `timeStamp` (when there is one) is 1 to 15 ASCII digits: parseTimestamp takes Number(text)
 *     and scales it by magnitude (seconds, ms, µs), done here with the same operations;
 *  6. `success` (when there is one) is exactly `true` or `false`.
 * JMeter quotes a field only when it holds a delimiter, a quote or a line break (CSVSaveService),
 * so every row it writes is such a line but those with a quoted label or a line break in a
 * message (assertion failures): a small minority, read by the reference.
 *
 * Labels: the bytes of a label walk a trie of the labels seen (one table lookup a byte), so a
 * row builds no string and a label is found exactly, with no hash to verify. A label's first row
 * decodes its name and asks the JtlTable (same series limit, same order of first appearance).
 * Decoding the field alone gives the text decoding the line gives: a comma ends any invalid
 * UTF-8 sequence.
 *
 * The kernel reads a file from its start, in order (scanSource), because a quoted field may hold
 * a line break: a byte range starting mid-file cannot tell a record's start from a line inside
 * a quoted field. So it is not registered for the parallel scan of src/node/read/ (whose merge
 * also lacks the per-label spans and sub-result parents a JTL needs).
 */
import { decodeUtf8 } from '../utf8';
import { type JtlColumns, type JtlLabel, record } from './jmeterRows';
import { MAX_LATENCY_MS } from './lines';
import type { KernelResult, ScanKernel } from './seriesAccumulator';
import type { SkippedSeries } from './seriesLimit';

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;
/** A local copy: read on every row, and an imported binding is a getter under some loaders. */
const MAX_MS = MAX_LATENCY_MS;

/** What the kernel needs of the line reader (JtlTable in jmeter.ts), which reads every line it does not. */
export interface JtlLines {
  readonly columns: JtlColumns | null;
  readonly labels: ReadonlyMap<string, JtlLabel>;
  /** A record whose quoted field spans lines, joined so far ('' when none). */
  readonly pending: string;
  readonly limit: { readonly skipped: SkippedSeries };
  line(text: string, no: number): void;
  /** The label's state (created on its first row), or null past the series limit. */
  label(name: string): JtlLabel | null;
}

export class JtlKernel implements ScanKernel {
  line = 0;
  private atStart = false;
  private readonly labels = new LabelTrie();

  constructor(readonly table: JtlLines) {}

  beginRange(atFileStart: boolean): void {
    this.line = 0;
    this.atStart = atFileStart;
  }

  /** The ScanKernel view (labels and what was skipped); the Series come from JtlTable.series, which has each label's span and parent. */
  result(): KernelResult {
    return { format: 'jmeter', series: [...this.table.labels.values()], spanStartMs: null, spanEndMs: null, failedSignals: 0, skipped: this.table.limit.skipped };
  }

  scan(b: Uint8Array, start: number, end: number): void {
    let s = start;
    if (this.atStart) s = this.skipBoms(b, s, end);
    const table = this.table;
    let q = -1; // the next quote at or after s (end: none)
    while (s < end) {
      let nl = b.indexOf(LF, s);
      if (nl < 0 || nl >= end) nl = end;
      this.line++;
      let e = nl;
      if (e > s && b[e - 1] === CR) e--;
      if (q < s) {
        q = b.indexOf(QUOTE, s);
        if (q < 0 || q > end) q = end;
      }
      const c = table.columns;
      if (c === null || c.sep !== ',' || table.pending !== '' || !this.fast(b, s, e, c, q < e)) {
        table.line(decodeUtf8(b, s, e), this.line);
      }
      s = nl + 1;
    }
  }

  /** The file's BOMs, as readLines drops them: its decoder drops one, then it drops one more. */
  private skipBoms(b: Uint8Array, s: number, end: number): number {
    this.atStart = false;
    for (let k = 0; k < 2 && end - s >= 3 && b[s] === 0xef && b[s + 1] === 0xbb && b[s + 2] === 0xbf; k++) s += 3;
    return s;
  }

  /**
   * Reads the row b[s, e) when it meets the fast path's conditions (see the top); false (nothing
   * done) otherwise. `quoted`: the line holds a `"` (then every field is checked to the end).
   */
  private fast(b: Uint8Array, s: number, e: number, c: JtlColumns, quoted: boolean): boolean {
    const need = c.need;
    let p = s;
    let elapsed = -1;
    let ts = NaN;
    let failed = false;
    let labelStart = 0;
    let labelEnd = 0;
    let node = 0;
    let ch = 0;
    for (let f = 0; ; f++) {
      const f0 = p;
      if (f === c.elapsed || f === c.time) {
        let v = 0;
        while (p < e && (ch = b[p]! - 48) >= 0 && ch <= 9) {
          v = v * 10 + ch;
          p++;
        }
        if (p === f0 || p - f0 > 15) return false;
        if (f === c.elapsed) elapsed = v;
        else ts = v < 1e11 ? v * 1000 : v < 1e14 ? v : v / 1e3; // parseTimestamp's scaling (15 digits < 1e17)
      } else if (f === c.label) {
        const next = this.labels.next;
        let n = ROOT;
        while (p < e && (ch = b[p]!) !== COMMA) {
          if (ch === QUOTE) return false;
          n = next[(n << 8) | ch]!; // 0 (no such label) stays 0
          p++;
        }
        labelStart = f0;
        labelEnd = p;
        node = n;
      } else if (f === c.success) {
        if (e - p >= 4 && b[p] === 116 && b[p + 1] === 114 && b[p + 2] === 117 && b[p + 3] === 101) p += 4; // true
        else if (e - p >= 5 && b[p] === 102 && b[p + 1] === 97 && b[p + 2] === 108 && b[p + 3] === 115 && b[p + 4] === 101) {
          p += 5; // false
          failed = true;
        } else return false;
      } else if (quoted) {
        p = skipField(b, p, e);
        if (p < 0) return false;
      } else {
        while (p < e && b[p] !== COMMA) p++;
      }
      if (p < e && b[p] !== COMMA) return false;
      if (f === need) break;
      if (p >= e) return false; // too few fields
      p++;
    }
    // The fields after `need`: with quotes, each must be well formed (the record then ends here).
    while (quoted && p < e) {
      p = skipField(b, p + 1, e);
      if (p < 0 || (p < e && b[p] !== COMMA)) return false;
    }
    if (elapsed > MAX_MS) return false;
    const st = this.labels.find(node, b, labelStart, labelEnd, this.table);
    if (st !== null) record(st, elapsed, failed, ts);
    return true;
  }
}

/**
 * The end of the field starting at b[p] (its `,` or `e`), for a line holding quotes: a field is
 * either unquoted without any `"`, or `"…"` (`""` inside) right up to its `,`: where splitCsv
 * reads the same field boundaries. -1 for anything else (a stray quote, a quote left open).
 */
function skipField(b: Uint8Array, p: number, e: number): number {
  if (p < e && b[p] === QUOTE) {
    for (let i = p + 1; ; ) {
      const j = b.indexOf(QUOTE, i);
      if (j < 0 || j >= e) return -1;
      if (j + 1 < e && b[j + 1] === QUOTE) i = j + 2;
      else return j + 1;
    }
  }
  let ch = 0;
  while (p < e && (ch = b[p]!) !== COMMA) {
    if (ch === QUOTE) return -1;
    p++;
  }
  return p;
}

/** The trie's first node (node 0 is "no such label": every transition from it leads back to it). */
const ROOT = 1;
/** Nodes at most (4 MiB of transitions); labels past it are found by name, more slowly. */
const MAX_NODES = 1 << 12;

/**
 * Label bytes → the JtlTable's state for that label (null: past the series limit, so each row
 * is counted as skipped by asking the table again). `next[(node << 8) | byte]` is the node after
 * `byte`, 0 when no label seen so far continues that way.
 */
class LabelTrie {
  next = new Int32Array(64 << 8);
  private nodes = ROOT + 1;
  /** Per node: the label ending there (undefined: none). */
  private readonly ends: Array<{ state: JtlLabel | null; name: string } | undefined> = [];

  /** The label whose bytes b[s, e) led the walk to `node`. */
  find(node: number, b: Uint8Array, s: number, e: number, table: JtlLines): JtlLabel | null {
    const end = node === 0 ? undefined : this.ends[node];
    if (end !== undefined) return end.state ?? table.label(end.name);
    const name = decodeUtf8(b, s, e);
    const state = table.label(name);
    this.insert(b, s, e, { state, name });
    return state;
  }

  private insert(b: Uint8Array, s: number, e: number, end: { state: JtlLabel | null; name: string }): void {
    if (this.nodes + (e - s) > MAX_NODES) return;
    let n = ROOT;
    for (let p = s; p < e; p++) {
      const at = (n << 8) | b[p]!;
      if (this.next[at] === 0) {
        const created = this.nodes++;
        if (created << 8 >= this.next.length) {
          const grown = new Int32Array(this.next.length * 2);
          grown.set(this.next);
          this.next = grown;
        }
        this.next[at] = created;
      }
      n = this.next[at]!;
    }
    this.ends[n] = end;
  }
}
