import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { hdrLogReader, unitFromRatio } from '../../../../src/core/formats/hdrLog';
import { decodeHdrLogTag, encodeHdrLogTag, formatHdrLog } from '../../../../src/core/formats/hdrLogWriter';
import { detectFormat } from '../../../../src/core/formats/index';
import { bytesOf } from '../../../../src/core/formats/lines';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { percentileOf } from '../../../../src/core/series';
import { HDR_FIXTURES, readContent, readFixture } from '../../helpers';
import { rejectsWithInputError } from './formatTestUtil';

const HDR = HDR_FIXTURES;
const fx = (f: string) => path.join(HDR, f);
const intervalLines = (f: string) => readFileSync(fx(f), 'utf8').split('\n').filter((l) => /^(Tag=[^,]*,)?\d/.test(l)).length;

const rejects = (content: string, fileName: string, match: RegExp, line?: number) => rejectsWithInputError(readContent(content, fileName, 'hdr-log'), fileName, match, line);

/** A V2 interval line holding `values` (raw units) with the Interval_Max column = max / ratio. */
function intervalLine(values: number[], start: number, ratio: number, tag?: string): string {
  const h = LatencyHistogram.create();
  for (const v of values) h.recordNs(v);
  const max = Math.max(...values) / ratio;
  return `${tag ? `Tag=${tag},` : ''}${start.toFixed(3)},1.000,${max.toFixed(3)},${h.encode()}`;
}

describe('hdr-log reader', () => {
  describe('reference logs (HdrHistogram Java test expectations)', () => {
    it('jHiccup V2: 62 intervals, 48761 values, p99.9 and max as the Java reader', async () => {
      assert.equal(intervalLines('jHiccup-2.0.7S.logV2.hlog'), 62);
      const [s, ...rest] = await readFixture(fx('jHiccup-2.0.7S.logV2.hlog'));
      assert.equal(rest.length, 0);
      assert.equal(s!.format, 'hdr-log');
      assert.equal(s!.name, 'jHiccup-2.0.7S.logV2');
      assert.equal(s!.count, 48761);
      assert.equal(s!.errors, null);
      assert.equal(s!.exact, false);
      // ratio 1e6 inferred → raw values are ns; compare in ns
      assert.equal(Math.round(percentileOf(s!, 99.9)! * 1e6), 1745879039);
      assert.equal(Math.round(s!.maxMs! * 1e6), 1796210687);
      assert.equal(Math.round(percentileOf(s!, 100)! * 1e6), 1796210687);
      assert.equal(s!.startedAt, Math.round((1441812279.474 + 0.127) * 1000));
      assert.ok(Math.abs(s!.durationSec! - (61.124 + 1.007 - 0.127)) < 0.01, String(s!.durationSec));
      assert.ok(Math.abs(s!.throughputPerSec! - 48761 / s!.durationSec!) < 1e-9);
    });

    it('jHiccup V1 (HISTIgAA, 2-byte words): decoded here, 88 intervals, 65964 values', async () => {
      assert.equal(intervalLines('jHiccup-2.0.6.logV1.hlog'), 88);
      const [s] = await readFixture(fx('jHiccup-2.0.6.logV1.hlog'));
      assert.equal(s!.count, 65964);
      assert.equal(Math.round(percentileOf(s!, 99.9)! * 1e6), 1829765119);
      assert.equal(Math.round(s!.maxMs! * 1e6), 1888485375);
    });

    it('ycsb V1 (HISTggAA, 8-byte words, absolute timestamps): 602 intervals, 300056 values', async () => {
      assert.equal(intervalLines('ycsb.logV1.hlog'), 602);
      const [s] = await readFixture(fx('ycsb.logV1.hlog'));
      assert.equal(s!.count, 300056);
      assert.equal(Math.round(percentileOf(s!, 99.9)! * 1e6), 1214463);
      assert.equal(Math.round(s!.maxMs! * 1e6), 1546239);
      assert.equal(s!.startedAt, 1438613579290); // absolute: no base added
    });

    it('tagged-Log: Tag=A and untagged lines give equal series; 32290 values over all lines', async () => {
      const series = await readFixture(fx('tagged-Log.logV2.hlog'));
      assert.deepEqual(series.map((s) => s.name).sort(), ['A', 'tagged-Log.logV2']);
      const a = series.find((s) => s.name === 'A')!;
      const u = series.find((s) => s.name !== 'A')!;
      assert.equal(a.count! + u.count!, 32290);
      assert.equal(a.count, u.count);
      for (const p of [0, 50, 90, 95, 99, 99.9, 100]) assert.equal(percentileOf(a, p), percentileOf(u, p), `p${p}`);
      assert.equal(a.maxMs, u.maxMs);
      assert.equal(a.meanMs, u.meanMs);
      assert.equal(a.durationSec, u.durationSec);
    });

    it('no header: same distribution; relative timestamps without StartTime give no wall-clock start', async () => {
      const [s] = await readFixture(fx('jHiccup-no-header-2.0.7S.logV2.hlog'));
      assert.equal(s!.count, 48761);
      assert.equal(Math.round(percentileOf(s!, 99.9)! * 1e6), 1745879039);
      assert.equal(s!.startedAt, null);
    });

    it('BaseTime: timestamps are offsets from BaseTime', async () => {
      const [s] = await readFixture(fx('jHiccup-with-basetime-2.0.7S.logV2.hlog'));
      assert.equal(s!.count, 48761);
      assert.equal(s!.startedAt, Math.round((1441812123.123 + 0.127) * 1000));
    });

    it('trailing whitespace after the payload (bug-whitespace.hlog) reads; an empty histogram has no percentiles', async () => {
      const [s] = await readFixture(fx('bug-whitespace.hlog'));
      assert.equal(s!.name, 'bo-global-http');
      assert.equal(s!.count, 0);
      assert.equal(percentileOf(s!, 99), null);
    });

    it('options.unit overrides the inferred unit', async () => {
      const [s] = await readFixture(fx('jHiccup-2.0.7S.logV2.hlog'), 'hdr-log', { unit: 'us' });
      // raw 1745879039 µs = 1745879.039 ms (within one bucket after rescaling)
      const p = percentileOf(s!, 99.9)!;
      assert.ok(Math.abs(p - 1745879.039) / 1745879.039 < 0.002, String(p));
    });
  });

  describe('unit inference from the Interval_Max column', () => {
    it('maps the max value unit ratio to a raw unit (column in ms)', () => {
      assert.equal(unitFromRatio(1e6), 1); // ns
      assert.equal(unitFromRatio(1.0004e6), 1);
      assert.equal(unitFromRatio(1000.7), 1e3); // µs
      assert.equal(unitFromRatio(1), 1e6); // ms
      assert.equal(unitFromRatio(0), 1);
    });

    it('µs values with ratio 1000 (hdr-histogram-js writer default) read as µs', async () => {
      const us = [850, 1200, 1250, 1500, 2500, 9000];
      const content = [
        '#[Histogram log format version 1.3]',
        '#[StartTime: 1700000000.000 (seconds since epoch), Tue Nov 14 22:13:20 UTC 2023]',
        '"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"',
        intervalLine(us, 0, 1000),
        intervalLine([40000, 30000, 20000], 1, 1000, 'GET /api/items'),
        intervalLine([35000], 2, 1000, 'GET /api/items'),
        '',
      ].join('\n');
      const series = await readContent(content, 'perf/out/run.hlog');
      assert.equal(detectFormat(content, 'perf/out/run.hlog'), 'hdr-log');
      const def = series.find((s) => s.name === 'run')!;
      assert.equal(def.count, 6);
      assert.ok(Math.abs(percentileOf(def, 50)! - 1.25) / 1.25 < 0.002, String(percentileOf(def, 50)));
      assert.ok(Math.abs(def.maxMs! - 9) / 9 < 0.002);
      assert.equal(def.startedAt, 1700000000000);
      const items = series.find((s) => s.name === 'GET /api/items')!;
      assert.equal(items.count, 4);
      assert.ok(Math.abs(percentileOf(items, 50)! - 30) / 30 < 0.002);
      assert.equal(items.durationSec, 2);
      assert.equal(items.throughputPerSec, 2);
    });

    it('ms values with ratio 1 read as ms', async () => {
      const content = `${intervalLine([5, 7, 12], 0, 1)}\n${intervalLine([9], 1, 1)}\n`;
      const [s] = await readContent(content, 'x.hlog');
      assert.equal(s!.count, 4);
      assert.ok(Math.abs(s!.maxMs! - 12) / 12 < 0.002, String(s!.maxMs));
    });
  });

  describe('detection', () => {
    it('recognises headers, legends, bare interval lines and .hlog names', () => {
      assert.ok(hdrLogReader.detect('#[Histogram log format version 1.2]\n', 'a.txt'));
      assert.ok(hdrLogReader.detect('"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"\n', 'a'));
      assert.ok(hdrLogReader.detect('0.127,1.007,2.769,HISTFAAAAEV42pNpmSz\n', 'a.log'));
      assert.ok(hdrLogReader.detect('Tag=bo-global-http,1527510686.313,40.807,0.000,HISTFAAAABx4 \n', 'a'));
      assert.ok(!hdrLogReader.detect('timeStamp,elapsed,label\n1,2,x\n', 'a.csv'));
      assert.ok(!hdrLogReader.detect('12.5\n13\n', 'a.txt'));
    });
  });

  describe('bad input', () => {
    const v2 = readFileSync(fx('jHiccup-2.0.7S.logV2.hlog'), 'utf8').split('\n');

    it('a truncated payload names file and line', async () => {
      const lines = v2.slice(0, 6);
      lines[5] = lines[5]!.slice(0, 40);
      await rejects(lines.join('\n'), 'trunc.hlog', /corrupt|truncated|base64/i, 6);
    });

    it('a non-numeric timestamp names the line', async () => {
      const lines = v2.slice(0, 6);
      lines[5] = `abc${lines[5]!.slice(5)}`;
      await rejects(lines.join('\n'), 'bad.hlog', /StartTimestamp is not a number/, 6);
    });

    it('too few fields', async () => {
      await rejects('#[Histogram log format version 1.2]\n0.1,1.0,HISTFAAAAEV42pNpmSz\n', 'few.hlog', /fields/, 2);
    });

    it('a file with no intervals', async () => {
      await rejects('#[Histogram log format version 1.2]\n#[StartTime: 1 (seconds since epoch)]\n', 'empty.hlog', /no interval/);
    });

    it('garbage that is not base64', async () => {
      await rejects('0.1,1.0,2.0,HIST!!!notbase64\n', 'junk.hlog', /base64/, 1);
    });

    it('V0 and DoubleHistogram encodings are refused clearly', async () => {
      const v0 = Buffer.alloc(16);
      v0.writeInt32BE(0x1c849389, 0);
      v0.writeInt32BE(8, 4);
      await rejects(`0.1,1.0,2.0,${v0.toString('base64')}\n`, 'v0.hlog', /V0 histogram encoding .*not supported/, 1);
      await rejects('0.1,1.0,2.0,DHISTwAAAAMAAAAAAAAABHicY2BgYGBiYGJgBmJmBmZmBmZmBmZmBmY=\n', 'd.hlog', /DoubleHistogram/, 1);
    });

    it('a corrupt V1 payload is an InputError, not a crash', async () => {
      const line = readFileSync(fx('jHiccup-2.0.6.logV1.hlog'), 'utf8').split('\n')[4]!;
      const parts = line.split(',');
      const b = Buffer.from(parts[3]!, 'base64');
      const cut = b.subarray(0, 20).toString('base64');
      await rejects(`${parts.slice(0, 3).join(',')},${cut}\n`, 'v1bad.hlog', /corrupt V1/, 1);
    });

    it('reads through the raw reader with small chunks (streaming)', async () => {
      const bytes = readFileSync(fx('tagged-Log.logV2.hlog'));
      const series = await hdrLogReader.read(bytesOf(bytes, 13), { fileName: 't.hlog' });
      assert.equal(series.reduce((n, s) => n + s.count!, 0), 32290);
    });
  });

  describe('logs written by the built-in HTTP benchmark (hdrLogWriter)', () => {
    const TAGS = ['GET /api/x', 'POST /a,b', '100% done', 'tab\there', 'GET /café ünïcode', 'line\nbreak', 'plain'];

    it('percent-encodes tags so an interval line holds them, and decodes them back (property-free table)', () => {
      for (const t of TAGS) {
        const e = encodeHdrLogTag(t);
        assert.doesNotMatch(e, /[,\s]/, e);
        assert.equal(decodeHdrLogTag(e), t);
      }
      assert.equal(encodeHdrLogTag('GET /api/x'), 'GET%20/api/x');
      assert.equal(encodeHdrLogTag('a,b%'), 'a%2Cb%25');
      assert.equal(decodeHdrLogTag('bad%zz'), 'bad%zz', 'invalid percent-encoding is kept as written');
    });

    it('round-trips handler tags, counts and errors through the reader', async () => {
      const intervals = TAGS.flatMap((tag, i) =>
        [0, 1].map((sec) => {
          const h = LatencyHistogram.create();
          for (let k = 1; k <= 10; k++) h.recordMs(k * (i + 1));
          return { tag, startSec: sec, lengthSec: 1, histogram: h };
        }),
      );
      const totals = Object.fromEntries(TAGS.map((t, i) => [t, { requests: 20 + i, errors: i }]));
      const text = formatHdrLog({ startTimeMs: 1_700_000_000_123, intervals, totals, comment: 'Perf Budgets HTTP benchmark' });
      const series = await readContent(text, 'api.hlog');
      assert.deepEqual(series.map((s) => s.name).sort(), [...TAGS].sort());
      for (const [i, t] of TAGS.entries()) {
        const s = series.find((x) => x.name === t)!;
        assert.equal(s.format, 'hdr-log');
        assert.equal(s.count, 20 + i, 'requests from the comment');
        assert.equal(s.errors, i);
        assert.equal(s.histogram!.count, 20);
        assert.ok(Math.abs(percentileOf(s, 50)! - 5 * (i + 1)) <= 0.01 * (i + 1), `${t} p50 ${percentileOf(s, 50)}`);
        assert.equal(s.durationSec, 2);
        assert.equal(s.startedAt, 1_700_000_000_123);
      }
    });

    it('handler names from a stranger\'s config (shell metacharacters, line breaks, separators) round-trip exactly and never appear raw (#13)', async () => {
      const hostile = ['x;cmd;', '$(rm -rf ~)', '`id`', 'a|b&c>d<e', `it's "quoted"`, 'new\nline\r', 'comma, space', 'sep\u2028x', '#[Perf-Budgets: {}]', '\\back\\', 'emoji 😀 é', '%41 literal'];
      const intervals = hostile.map((tag, i) => {
        const h = LatencyHistogram.create();
        h.recordMs(i + 1);
        return { tag, startSec: 0, lengthSec: 1, histogram: h };
      });
      const totals = Object.fromEntries(hostile.map((t, i) => [t, { requests: 10 + i, errors: i }]));
      const text = formatHdrLog({ startTimeMs: 1_700_000_000_000, intervals, totals, comment: 'benchmark "x;cmd;"\nTag=evil' });
      const lines = text.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 5 + hostile.length, 'one line each: comment, version, start, meta, header, intervals');
      for (const l of lines.filter((x) => x.startsWith('Tag='))) assert.match(l, /^Tag=[A-Za-z0-9\-._~/:@+=%]+,[\d.]+,[\d.]+,[\d.]+,HIST[A-Za-z0-9+/=]+$/);
      const meta = lines.find((l) => l.startsWith('#[Perf-Budgets:'))!;
      const json = meta.slice('#[Perf-Budgets: '.length, -1);
      assert.doesNotMatch(json, /[;|&$`'<>()!*?#\s]|\u2028/u, json.slice(0, 200));
      for (const t of hostile) assert.ok(!lines.slice(1).some((l) => l.includes(t)), `${JSON.stringify(t)} appears raw`);
      const series = await readContent(text, 'api.hlog');
      assert.deepEqual(series.map((x) => x.name).sort(), [...hostile].sort());
      for (const [i, t] of hostile.entries()) {
        const s = series.find((x) => x.name === t)!;
        assert.deepEqual([s.count, s.errors, s.histogram!.count], [10 + i, i, 1], t);
      }
    });

    it('reads logs written before tags were fully encoded as before (only %, comma and whitespace encoded)', async () => {
      const meta = '#[Perf-Budgets: {"v":1,"tags":"percent","handlers":{"x;cmd;":{"requests":7,"errors":1},"GET /a":{"requests":3,"errors":0}}}]';
      const text = [meta, intervalLine([1_000_000], 0, 1e6, 'x;cmd;'), intervalLine([2_000_000], 0, 1e6, 'GET%20/a')].join('\n');
      const series = await readContent(`${text}\n`, 'old.hlog', 'hdr-log');
      assert.deepEqual(series.map((s) => [s.name, s.count, s.errors]).sort(), [['GET /a', 3, 0], ['x;cmd;', 7, 1]]);
    });

    it('leaves tags of other logs alone, and refuses a malformed Perf-Budgets comment', async () => {
      const line = intervalLine([1_000_000], 0, 1e6, 'a%20b');
      const [s] = await readContent(`${line}\n`, 'x.hlog', 'hdr-log');
      assert.equal(s!.name, 'a%20b');
      assert.equal(s!.errors, null);
      await rejects(`#[Perf-Budgets: {nope}]\n${line}\n`, 'y.hlog', /Perf-Budgets: …\] comment is not JSON/, 1);
      await rejects(`#[Perf-Budgets: {"v":1,"handlers":{"a":{"requests":-1,"errors":0}}}]\n${line}\n`, 'z.hlog', /version 1/, 1);
    });
  });
});
