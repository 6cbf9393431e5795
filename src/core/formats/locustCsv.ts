import { InputError, quote } from '../errors';
import type { PercentileMap, Series } from '../series';
import { percentileKey } from '../series';
import { baseName, readLines, splitCsv } from './lines';
import type { Reader } from './reader';

/**
 * Locust `--csv PREFIX` output (Locust 0.13 – 2.x): `PREFIX_stats.csv` and
 * `PREFIX_stats_history.csv` (also the 0.13 `_requests.csv` / `_distribution.csv`), columns found
 * by header name. A summary: percentiles as Locust printed them (ms, `N/A` = absent), exact.
 *
 * - name: `Type` (older: `Method`) + " " + `Name`; the `Aggregated` row is
 *   (0.13: `None`,`Total`) skipped, unless it is the only row: then it is kept, named after the file.
 * - count `Request Count`, errors `Failure Count`, throughput `Requests/s`, min/max/mean from the
 *   Min/Max/Average Response Time columns. durationSec = count / Requests/s (Locust's rate is
 *   requests over the entry's active time). "100" is the exact `Max Response Time`, not the
 *   rounded `100%` column.
 * - `_stats_history.csv`: the LAST row per (Type, Name), whose `Total …` columns are cumulative
 *   over the run: count, errors, median (p50), min/max/mean. Its percentile columns are
 *   cumulative only when the file holds just Aggregated rows (Locust's default); with
 *   `--csv-full-history` they cover the last 10 s window, so then only the cumulative median is
 *   kept. durationSec = last minus first Timestamp; throughput = count / durationSec.
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
}

export const locustCsvReader: Reader = {
  id: 'locust-csv',
  detect(head) {
    return isLocustHeader(head.split('\n', 1)[0]!.replace(/\r$/, ''));
  },

  async read(source, options) {
    const file = options.fileName;
    let cols: Columns | undefined;
    let width = 0;
    const rows: Row[] = [];
    let firstTs: number | null = null;
    let lastTs: number | null = null;
    let sawLine = false;

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
      if (cols.timestamp >= 0) {
        const ts = number(cells[cols.timestamp], file, no, 'Timestamp');
        firstTs ??= ts;
        lastTs = ts;
      }
      rows.push({ type: cols.type >= 0 ? cells[cols.type]!.trim() : '', name: cells[cols.name]!, cells, no });
    }
    if (!sawLine) throw new InputError(file, 'empty file');
    if (!cols || rows.length === 0) throw new InputError(file, 'no rows after the header');

    const isTotal = (r: Row): boolean => (r.type === '' || r.type === 'None') && (r.name === 'Aggregated' || r.name === 'Total');
    // Last row per (Type, Name): the only row in _stats.csv, the latest tick in the history.
    const last = new Map<string, Row>();
    for (const r of rows) {
      const key = `${r.type}\u0000${r.name}`;
      last.delete(key); // keep first-seen order of the final rows
      last.set(key, r);
    }
    let picked = [...last.values()].filter((r) => !isTotal(r));
    const onlyTotals = picked.length === 0;
    if (onlyTotals) picked = [...last.values()];
    const c = cols;
    const durationOfFile = c.history && firstTs !== null && lastTs !== null && lastTs > firstTs ? lastTs - firstTs : null;

    return picked.map((r): Series => {
      const num = (i: number, what: string): number | null => (i < 0 ? null : optionalNumber(r.cells[i], file, r.no, what));
      const count = num(c.count, c.history ? 'Total Request Count' : 'Request Count');
      if (count === null || !Number.isInteger(count)) {
        throw new InputError(file, `request count is not a whole number: ${quote(r.cells[c.count] ?? '')}`, r.no);
      }
      const errors = num(c.failures, 'Failure Count');
      if (errors !== null && !Number.isInteger(errors)) throw new InputError(file, `failure count is not a whole number: ${quote(r.cells[c.failures] ?? '')}`, r.no);
      const maxMs = num(c.max, 'Max Response Time');
      const median = num(c.median, 'Median Response Time');
      const percentiles: PercentileMap = {};
      const windowed = c.history && !onlyTotals; // --csv-full-history: percentile columns are the last 10 s
      for (const { index, p } of c.percentiles) {
        const v = num(index, header(p));
        if (v !== null && !windowed && p < 100) percentiles[percentileKey(p)] = v;
      }
      if (percentiles['50'] === undefined && median !== null && count > 0) percentiles['50'] = median;
      if (maxMs !== null && count > 0) percentiles['100'] = maxMs;
      const rps = num(c.rps, 'Requests/s');
      const durationSec = c.history ? durationOfFile : rps !== null && rps > 0 ? count / rps : null;
      return {
        name: onlyTotals ? baseName(file) : r.type ? `${r.type} ${r.name}` : r.name,
        format: 'locust-csv',
        source: file,
        count,
        errors,
        durationSec,
        throughputPerSec: c.history ? (durationSec ? count / durationSec : null) : rps,
        exact: true,
        histogram: null,
        percentiles,
        minMs: count > 0 ? num(c.min, 'Min Response Time') : null,
        maxMs: count > 0 ? maxMs : null,
        meanMs: count > 0 ? num(c.average, 'Average Response Time') : null,
      };
    });
  },
};

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
