import { InputError, quote } from '../errors';
import { LatencyHistogram } from '../histograms/latencyHistogram';
import { fromHistogram, type Series } from '../series';
import { MAX_LATENCY_MS, readLines } from './lines';
import type { ByteSource, ReadOptions, Reader } from './reader';
import { SeriesLimit } from './seriesLimit';

/**
 * Gatling 3.0 - 3.9 `simulation.log`: tab-separated records, the first field the record type.
 *   RUN      [simulation class] simulation id  start(epoch ms)  description  gatling version
 *   USER     scenario  [userId]  START|END  timestamp …       (ignored)
 *   REQUEST  [userId]  [groups]  name  start  end  OK|KO  [message]
 *   GROUP    [userId]  groups  start  end  cumulated response time  OK|KO  (3 integers before the status)
 *   ERROR / ASSERTION (3.x writes ASSERTION records first, before RUN) / others (ignored)
 * Columns moved between versions (3.0-3.3 write a userId, later ones do not), so a REQUEST or
 * GROUP is read from its status field backwards: the first `OK`/`KO` field preceded by two
 * integers is the status, those two are start and end (epoch ms; for a GROUP the two before
 * the cumulated response time), the field before them the
 * name (REQUEST) or the comma-joined group hierarchy (GROUP); for a REQUEST the field before
 * the name is the group hierarchy when there are 2+ fields before the name (userId and groups)
 * or exactly 1 (groups only).
 *
 * Series: one per request, `end - start` ms into a LatencyHistogram (`exact: false`: within
 * HdrHistogram precision of nearest rank); errors = KO records; count = records; duration
 * from the first start to the last end of that series; startedAt = first start;
 * throughput = count / duration. A request outside any group is named by its request name;
 * a request inside groups "A,B" is named "A / B / <request>" and has `parent` "A / B", the
 * group's series. Each group path is its own series named by its levels joined with " / "
 * (a nested group "A,B" has `parent` "A"), its latency `end - start` of its GROUP records (Gatling's group duration; the cumulated
 * response time is not used), errors = GROUP records with KO; it repeats its requests' time,
 * so it is never added to them (their `parent` says so).
 * Gatling 3.10+ writes a binary simulation.log: it is refused (see BINARY_GATLING_MESSAGE).
 */

export const BINARY_GATLING_MESSAGE =
  'binary Gatling simulation.log (Gatling 3.10+): point "results" at the HTML report\'s js/stats.json or js/global_stats.json instead';

/** A binary file that is (most likely) a Gatling 3.10+ simulation.log: by name, or a Gatling version string in its first bytes. */
export function isBinaryGatlingLog(head: string, fileName: string): boolean {
  if (/(^|[\\/])simulation[^\\/]*\.log$/i.test(fileName)) return true;
  return /\b3\.(1\d|[2-9]\d)\.\d+/.test(head.slice(0, 256)) && /simulation/i.test(head.slice(0, 4096));
}

const SEP = ' / ';

interface Acc {
  h: LatencyHistogram;
  errors: number;
  start: number;
  end: number;
  parent?: string;
}

const INT = /^-?\d+$/;
const RECORD_TYPES = new Set(['RUN', 'USER', 'REQUEST', 'GROUP', 'ERROR', 'ASSERTION']);

function statusIndex(f: string[]): number {
  for (let i = 3; i < f.length; i++) {
    const s = f[i]!.trim();
    if ((s === 'OK' || s === 'KO') && INT.test(f[i - 1]!.trim()) && INT.test(f[i - 2]!.trim())) return i;
  }
  return -1;
}

export const gatlingLogReader: Reader = {
  id: 'gatling-log',
  detect(head) {
    const first = head.split('\n', 1)[0] ?? '';
    if (/^RUN\t/.test(first)) return true;
    if (/^ASSERTION\t/.test(first) && /^RUN\t/m.test(head)) return true; // 3.x writes assertions first
    return /^(REQUEST|USER|GROUP)\t/m.test(head) && /^REQUEST\t.*\t\d{12,14}\t\d{12,14}\t(OK|KO)/m.test(head);
  },
  async read(source: ByteSource, options: ReadOptions): Promise<Series[]> {
    const file = options.fileName;
    const series = new Map<string, Acc>();
    const limit = SeriesLimit.of(options);
    let sawRun = false;
    let records = 0;
    const add = (key: string, ms: number, start: number, end: number, ko: boolean, parent?: string) => {
      let a = series.get(key);
      if (!a) {
        if (!limit.admits(series.size, key)) return;
        a = { h: LatencyHistogram.create(), errors: 0, start: Infinity, end: -Infinity, ...(parent ? { parent } : {}) };
        series.set(key, a);
      }
      a.h.recordMs(ms);
      if (ko) a.errors++;
      if (start < a.start) a.start = start;
      if (end > a.end) a.end = end;
    };
    for await (const { text, no } of readLines(source, file, options.signal)) {
      if (text.trim() === '') continue;
      const f = text.split('\t');
      const type = f[0]!;
      if (no === 1 && !RECORD_TYPES.has(type)) {
        throw new InputError(file, `not a Gatling simulation.log: first record ${quote(type.slice(0, 40))}`, no);
      }
      if (type === 'RUN') sawRun = true;
      if (type !== 'REQUEST' && type !== 'GROUP') continue;
      const i = statusIndex(f);
      if (i < 0) throw new InputError(file, `${type} record without start, end and OK/KO status (truncated line?)`, no);
      // GROUP: start, end, cumulated response time before the status; REQUEST: start, end
      const g0 = type === 'GROUP' ? 1 : 0;
      if (g0 && !INT.test((f[i - 3] ?? '').trim())) throw new InputError(file, 'GROUP record without start, end, cumulated response time and OK/KO status', no);
      const start = Number(f[i - 2 - g0]);
      const end = Number(f[i - 1 - g0]);
      const ms = end - start;
      if (ms < 0) throw new InputError(file, `${type} ends before it starts (${start} > ${end})`, no);
      if (ms > MAX_LATENCY_MS) throw new InputError(file, `${type} duration ${ms} ms out of range`, no);
      const ko = f[i]!.trim() === 'KO';
      const groups = (g: string) => g.split(',').map((x) => x.trim()).filter((x) => x !== '').join(SEP);
      records++;
      if (type === 'GROUP') {
        const levels = i - 4 >= 1 ? groups(f[i - 4]!) : '';
        if (levels === '') throw new InputError(file, 'GROUP record without a group name', no);
        const cut = levels.lastIndexOf(SEP);
        add(levels, ms, start, end, ko, cut > 0 ? levels.slice(0, cut) : undefined);
      } else {
        const name = f[i - 3]!;
        if (name === '' || i - 3 < 1) throw new InputError(file, 'REQUEST record without a request name', no);
        const before = i - 4; // fields between the type and the name
        const g = before >= 1 ? groups(f[i - 4]!) : '';
        if (g === '') add(name, ms, start, end, ko);
        else add(`${g}${SEP}${name}`, ms, start, end, ko, g);
      }
    }
    if (records === 0) {
      throw new InputError(file, sawRun ? 'no REQUEST records in Gatling simulation.log' : 'empty file');
    }
    const out: Series[] = [];
    for (const [name, a] of series) {
      const span = a.end - a.start;
      out.push(
        fromHistogram({
          name,
          format: 'gatling-log',
          source: file,
          errors: a.errors,
          durationSec: span > 0 ? span / 1000 : null,
          histogram: a.h,
          startedAt: a.start,
          ...(a.parent ? { parent: a.parent } : {}),
        }),
      );
    }
    limit.report(options);
    return out;
  },
};
