import { InputError, quote } from '../errors';
import type { PercentileMap, PeriodSummary, Series } from '../series';
import { percentileKey } from '../series';
import { readLines, splitCsv } from './lines';
import { roundedPercentiles } from './locustRounding';
import type { Reader } from './reader';

/**
 * Locust `--csv PREFIX` output (Locust 0.13 – 2.x): `PREFIX_stats.csv` and
 * `PREFIX_stats_history.csv` (also the 0.13 `_requests.csv` / `_distribution.csv`), columns found
 * by header name. A summary: percentiles as Locust printed them (ms, `N/A` = absent).
 *
 * - name: `Type` (older: `Method`) + " " + `Name`. The `Aggregated` row (0.13: `None`,`Total`) is
 *   Locust's own all-requests row: a series named `Aggregated` with `allRequests: true`.
 * - count `Request Count`, errors `Failure Count`, throughput `Requests/s`, min/max/mean from the
 *   Min/Max/Average Response Time columns (Locust's exact floats). durationSec = count /
 *   Requests/s (Locust's rate is requests over the run's start to its last request). "100" is
 *   the exact `Max Response Time`, not the rounded `100%` column.
 * - Rounding (locustRounding.ts): Locust keeps response times rounded (to the integer below
 *   100 ms, to 2 significant digits from 100 ms up: 10 ms steps to 999, 100 ms steps to 9999,
 *   1000 ms steps beyond) and every percentile column is such a rounded key. A percentile of
 *   100 ms or more is therefore only known to lie in the interval its rounding allows: that
 *   interval, clamped to [min, max] response time, is its `buckets` entry (a budget inside it is
 *   inconclusive), the value itself is clamped to the max, and the series is `exact: false`.
 *   A series whose percentiles are all below 100 ms keeps them as printed (whole ms), `exact: true`.
 * - `_stats_history.csv`: one row per tick (1 s) per entry. Its `Total …` columns are cumulative;
 *   count, errors, median (p50), min/max/mean come from the entry's LAST row.
 *   - Default history (only Aggregated rows): the percentile columns are cumulative too (the
 *     whole run so far) and are kept from the last row.
 *   - `--csv-full-history` (a row per entry every tick): Locust 2.12 writes there each entry's
 *     *current* percentiles (`get_current_response_time_percentile`): the requests since a cached
 *     snapshot of about 10 s before the tick (CURRENT_RESPONSE_TIME_PERCENTILE_WINDOW), 0 where
 *     no snapshot was near enough. They are not the run's percentiles, so the series keeps only
 *     the cumulative median and the max; the windows become `periods`: walking back from the
 *     last row, every row at least 10 s before the previous one picked ends a period that starts
 *     at the row picked before it (the first at the file's first Timestamp), so periods do not
 *     overlap. A period's count/errors are the `Total` differences (exact), its percentiles the
 *     row's windowed columns (Locust-rounded, clamped to that row's max; absent when the period
 *     had no request or the columns are all 0).
 *   - durationSec = the Timestamp of the first row where the file's request counts reached
 *     their final values (the tick after the last request) minus the first Timestamp (the
 *     writer starts with the run): Locust's own Requests/s is requests / (last request - start),
 *     so a run whose users stop early is not diluted by its idle end. throughput = count /
 *     durationSec, which agrees with `_stats.csv` of the same tick to within about one tick (1 s,
 *     Timestamps are whole seconds) of duration. startedAt = the first Timestamp.
 */

interface Columns {
  type: number;
  name: number;
  count: number;
  failures: number;
  median: number;
  average: number;
  min: number;
  max: number;
  rps: number;
  timestamp: number;
  percentiles: Array<{ index: number; p: number }>;
  history: boolean;
}

/** Locust's `get_current_response_time_percentile` window (s), its default. */
const WINDOW_SEC = 10;

function findColumns(header: string[]): Columns | string {
  const names = header.map((h) => h.trim().toLowerCase());
  const history = names.includes('timestamp');
  const col = (...alts: string[]): number => {
    for (const a of alts) {
      const i = names.indexOf(a);
      if (i >= 0) return i;
    }
    return -1;
  };
  const t = history ? 'total ' : '';
  const c: Columns = {
    type: col('type', 'method'),
    name: col('name'),
    count: col(`${t}request count`, '# requests'),
    failures: col(`${t}failure count`, '# failures'),
    median: col(`${t}median response time`),
    average: col(`${t}average response time`),
    min: col(`${t}min response time`),
    max: col(`${t}max response time`),
    rps: col('requests/s'),
    timestamp: col('timestamp'),
    percentiles: [],
    history,
  };
  names.forEach((n, index) => {
    const m = /^(\d+(?:\.\d+)?)%?$/.exec(n);
    if (m && Number(m[1]) <= 100) c.percentiles.push({ index, p: Number(m[1]) });
  });
  if (c.name < 0) return 'no "Name" column';
  if (c.count < 0) return `no "${history ? 'Total Request Count' : 'Request Count'}" column`;
  return c;
}

function isLocustHeader(line: string): boolean {
  const names = splitCsv(line).map((h) => h.trim().toLowerCase());
  return names.includes('name') && (names.includes('request count') || names.includes('# requests') || names.includes('total request count'));
}

interface Row {
  type: string;
  name: string;
  cells: string[];
  no: number;
  /** Timestamp (s), history files only. */
  ts: number | null;
  count: number;
  errors: number | null;
}

/** Rows per chunk of HistoryRows. */
const CHUNK_ROWS = 4096;

/** One entry (Type, Name): its first and last rows, and for a history file the numbers of every row. */
interface Entry {
  first: Row;
  last: Row;
  history: HistoryRows | null;
}

/**
 * What periodsOf needs of each row of one entry's history, packed in one growable array (a
 * 500 MB full history has millions of rows; their cells would take gigabytes): Timestamp, the
 * Total counts, the line, Total Max Response Time and the percentile columns. A cell is read as
 * optionalNumber reads it, its error deferred to its use, as when the cells were kept:
 * N/A is -1, a bad cell NaN with its text kept aside.
 */
class HistoryRows {
  length = 0;
  /** Fixed-size chunks of CHUNK_ROWS rows: no copy and no spare half when it grows. */
  private readonly chunks: Float64Array[] = [];
  private readonly bad = new Map<number, string>();
  private readonly stride: number;

  constructor(private readonly c: Columns) {
    this.stride = 5 + c.percentiles.length;
  }

  push(r: Row): void {
    const i = this.length++;
    if (i % CHUNK_ROWS === 0) this.chunks.push(new Float64Array(this.stride * CHUNK_ROWS));
    const at = i * this.stride;
    this.set(at, r.ts!);
    this.set(at + 1, r.count);
    this.set(at + 2, r.errors ?? -1);
    this.set(at + 3, r.no);
    this.cell(at + 4, r.cells[this.c.max]);
    this.c.percentiles.forEach(({ index }, k) => this.cell(at + 5 + k, r.cells[index]));
  }

  private get(at: number): number {
    const span = this.stride * CHUNK_ROWS;
    return this.chunks[Math.floor(at / span)]![at % span]!;
  }

  private set(at: number, v: number): void {
    const span = this.stride * CHUNK_ROWS;
    this.chunks[Math.floor(at / span)]![at % span] = v;
  }

  private cell(at: number, text: string | undefined): void {
    const t = (text ?? '').trim();
    const v = t === '' ? NaN : Number(t);
    if (t === 'N/A') this.set(at, -1);
    else if (Number.isFinite(v) && v >= 0) this.set(at, v);
    else {
      this.set(at, NaN);
      this.bad.set(at, text ?? '');
    }
  }

  ts(i: number): number {
    return this.get(i * this.stride);
  }

  count(i: number): number {
    return this.get(i * this.stride + 1);
  }

  errors(i: number): number | null {
    const v = this.get(i * this.stride + 2);
    return v === -1 ? null : v;
  }

  /** Total Max Response Time (slot -1) or percentile column k of row i, as optionalNumber gives it. */
  value(i: number, slot: number, what: string, file: string): number | null {
    const at = i * this.stride + 5 + slot;
    const v = this.get(at);
    if (v === -1) return null;
    if (v !== v) throw new InputError(file, `${what} is not a non-negative number: ${quote(this.bad.get(at)!)}`, this.get(i * this.stride + 3));
    return v;
  }
}

const isTotal = (r: Row): boolean => (r.type === '' || r.type === 'None') && (r.name === 'Aggregated' || r.name === 'Total');

export const locustCsvReader: Reader = {
  id: 'locust-csv',
  detect(head) {
    return isLocustHeader(head.split('\n', 1)[0]!.replace(/\r$/, ''));
  },

  async read(source, options) {
    const file = options.fileName;
    let cols: Columns | undefined;
    let width = 0;
    let sawLine = false;
    // Per (Type, Name), in the order of each entry's last row (_stats.csv: its only row).
    const byEntry = new Map<string, Entry>();
    let firstTs: number | null = null;
    let settledTs: number | null = null;
    const seen = new Map<string, number>();

    for await (const { text, no } of readLines(source, file, options.signal)) {
      if (text.trim() === '') continue;
      sawLine = true;
      const cells = splitCsv(text);
      if (!cols) {
        const found = findColumns(cells);
        if (typeof found === 'string') throw new InputError(file, `not a Locust stats CSV: ${found} in the header`, no);
        cols = found;
        width = cells.length;
        continue;
      }
      if (cells.length !== width) throw new InputError(file, `expected ${width} fields as in the header, got ${cells.length}`, no);
      const ts = cols.timestamp >= 0 ? number(cells[cols.timestamp], file, no, 'Timestamp') : null;
      const count = optionalNumber(cells[cols.count], file, no, cols.history ? 'Total Request Count' : 'Request Count');
      if (count === null || !Number.isInteger(count)) throw new InputError(file, `request count is not a whole number: ${quote(cells[cols.count] ?? '')}`, no);
      const errors = cols.failures < 0 ? null : optionalNumber(cells[cols.failures], file, no, 'Failure Count');
      if (errors !== null && !Number.isInteger(errors)) throw new InputError(file, `failure count is not a whole number: ${quote(cells[cols.failures] ?? '')}`, no);
      const r: Row = { type: cols.type >= 0 ? cells[cols.type]!.trim() : '', name: cells[cols.name]!, cells, no, ts, count, errors };
      const key = isTotal(r) ? '\u0000total' : `${r.type}\u0000${r.name}`;
      const entry = byEntry.get(key) ?? { first: r, last: r, history: cols.history ? new HistoryRows(cols) : null };
      byEntry.delete(key);
      byEntry.set(key, entry);
      entry.last = r;
      entry.history?.push(r);
      if (cols.history) {
        firstTs ??= ts;
        const own = `${r.type}\u0000${r.name}`;
        if (count !== (seen.get(own) ?? 0)) settledTs = Math.max(settledTs ?? -Infinity, ts!);
        seen.set(own, count);
      }
    }
    if (!sawLine) throw new InputError(file, 'empty file');
    if (!cols || byEntry.size === 0) throw new InputError(file, 'no rows after the header');
    const c = cols;
    const entries = [...byEntry.values()];
    // --csv-full-history: a row per entry, so the percentile columns are the current window.
    const windowed = c.history && entries.some((e) => !isTotal(e.first));
    const historyDuration = firstTs !== null && settledTs !== null && settledTs > firstTs ? settledTs - firstTs : null;

    return entries.map((entry): Series => {
      const r = entry.last;
      const num = (row: Row, i: number, what: string): number | null => (i < 0 ? null : optionalNumber(row.cells[i], file, row.no, what));
      const count = r.count;
      const has = count > 0;
      const maxMs = has ? num(r, c.max, 'Max Response Time') : null;
      const minMs = has ? num(r, c.min, 'Min Response Time') : null;
      const median = num(r, c.median, 'Median Response Time');
      const printed: PercentileMap = {};
      for (const { index, p } of c.percentiles) {
        const v = num(r, index, header(p));
        if (v !== null && !windowed && p < 100) printed[percentileKey(p)] = v;
      }
      if (printed['50'] === undefined && median !== null && has) printed['50'] = median;
      if (maxMs !== null) printed['100'] = maxMs;
      const { percentiles, buckets, exact } = roundedPercentiles(printed, minMs, maxMs);
      const rps = num(r, c.rps, 'Requests/s');
      const durationSec = c.history ? historyDuration : rps !== null && rps > 0 ? count / rps : null;
      const total = isTotal(r);
      const periods = windowed ? periodsOf(entry.history!, firstTs!, c, file) : null;
      return {
        name: total ? 'Aggregated' : r.type ? `${r.type} ${r.name}` : r.name,
        format: 'locust-csv',
        source: file,
        count,
        errors: r.errors,
        durationSec,
        throughputPerSec: c.history ? (durationSec ? count / durationSec : null) : rps,
        exact,
        histogram: null,
        percentiles,
        minMs,
        maxMs,
        meanMs: has ? num(r, c.average, 'Average Response Time') : null,
        ...(Object.keys(buckets).length ? { buckets } : {}),
        ...(total ? { allRequests: true } : {}),
        ...(firstTs !== null ? { startedAt: firstTs * 1000 } : {}),
        ...(periods && periods.length ? { periods } : {}),
      };
    });
  },
};

/** One entry's full-history rows -> non-overlapping periods of about WINDOW_SEC (see the doc comment). */
function periodsOf(rows: HistoryRows, firstTs: number, c: Columns, file: string): PeriodSummary[] {
  const picked: number[] = [];
  for (let i = rows.length - 1; i >= 0; i--) {
    if (picked.length === 0 || rows.ts(i) <= rows.ts(picked[picked.length - 1]!) - WINDOW_SEC) picked.push(i);
  }
  picked.reverse();
  const out: PeriodSummary[] = [];
  let prev: { ts: number; count: number; errors: number | null } = { ts: firstTs, count: 0, errors: 0 };
  for (const i of picked) {
    const ts = rows.ts(i);
    const errors = rows.errors(i);
    const count = rows.count(i) - prev.count;
    if (ts > prev.ts || count !== 0) {
      const percentiles: PercentileMap = {};
      const maxMs = rows.value(i, -1, 'Total Max Response Time', file);
      if (count > 0) {
        c.percentiles.forEach(({ p }, k) => {
          const v = rows.value(i, k, header(p), file);
          if (v !== null) percentiles[percentileKey(p)] = maxMs !== null && maxMs > 0 ? Math.min(v, maxMs) : v;
        });
        if (Object.values(percentiles).every((v) => v === 0)) for (const k of Object.keys(percentiles)) delete percentiles[k];
      }
      out.push({
        startedAt: prev.ts * 1000,
        durationSec: ts - prev.ts,
        count,
        errors: errors !== null && prev.errors !== null ? errors - prev.errors : null,
        percentiles,
      });
    }
    prev = { ts, count: rows.count(i), errors };
  }
  return out;
}

function header(p: number): string {
  return `${percentileKey(p)}%`;
}

/** A non-negative number, null for `N/A` (Locust's "no data"); an InputError otherwise. */
function optionalNumber(text: string | undefined, file: string, line: number, what: string): number | null {
  const t = (text ?? '').trim();
  if (t === 'N/A') return null;
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v) || v < 0) throw new InputError(file, `${what} is not a non-negative number: ${quote(text ?? '')}`, line);
  return v;
}

function number(text: string | undefined, file: string, line: number, what: string): number {
  const v = optionalNumber(text, file, line, what);
  if (v === null) throw new InputError(file, `${what} is N/A`, line);
  return v;
}
