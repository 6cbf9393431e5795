import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors';
import { decodeHead, detectFormat, readSeries } from '../../../../src/core/formats/index';
import { k6JsonReader } from '../../../../src/core/formats/k6Json';
import { seriesName } from '../../../../src/core/formats/k6JsonKernel';
import { bytesOf } from '../../../../src/core/formats/lines';
import { percentileOf, type Series } from '../../../../src/core/series';
import { mulberry32, nearestRank, within } from '../../helpers';
import { fingerprint, makeK6, rfc3339Nano } from './rawGen';

async function read(text: string | Uint8Array, chunk = 1 << 20, fileName = 'results/k6.json'): Promise<Series[]> {
  return k6JsonReader.read(bytesOf(text, chunk), { fileName });
}

async function rejects(text: string, line: number | undefined, re: RegExp) {
  await assert.rejects(read(text, 5), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.equal(e.file, 'results/k6.json');
    assert.equal(e.line, line, e.message);
    assert.match(e.reason, re);
    return true;
  });
}

const POINT = (metric: string, value: string, tags = '"method":"GET","name":"http://h/api/a","status":"200"') =>
  `{"type":"Point","data":{"time":"2024-05-01T10:00:00.5+02:00","value":${value},"tags":{${tags}}},"metric":"${metric}"}`;

describe('k6-json reader', () => {
  it('detects k6 NDJSON from its first line, and nothing else', () => {
    const k6 = makeK6(3).text;
    assert.equal(detectFormat(decodeHead(Buffer.from(k6)), 'out.json'), 'k6-json');
    assert.equal(k6JsonReader.detect(POINT('http_reqs', '1'), 'x'), true);
    assert.equal(k6JsonReader.detect('{"metrics":{}}', 'summary.json'), false);
    assert.equal(k6JsonReader.detect('{"type":"Point"}', 'x'), false);
  });

  it('gives exact counts, errors, duration and percentiles within 0.1% of nearest rank', async () => {
    const data = makeK6(3000, 7);
    const series = await read(data.text);
    assert.deepEqual(
      series.map((s) => s.name),
      [...data.expected.keys()].sort(),
    );
    for (const s of series) {
      const ex = data.expected.get(s.name)!;
      assert.equal(s.format, 'k6-json');
      assert.equal(s.source, 'results/k6.json');
      assert.equal(s.count, ex.values.length);
      assert.equal(s.errors, ex.errors);
      assert.equal(s.exact, false);
      assert.ok(Math.abs(s.durationSec! - data.durationSec) < 1e-6, `${s.durationSec} vs ${data.durationSec}`);
      assert.ok(Math.abs(s.startedAt! - data.startedAtMs) < 1e-3);
      assert.ok(Math.abs(s.throughputPerSec! - ex.values.length / data.durationSec) < 1e-6 * s.throughputPerSec!);
      assert.equal(s.maxMs, Math.max(...ex.values));
      assert.equal(s.minMs, Math.min(...ex.values));
      for (const p of [50, 90, 95, 99, 99.9]) {
        const exact = nearestRank(ex.values, p);
        assert.ok(within(percentileOf(s, p), exact), `${s.name} p${p}: ${percentileOf(s, p)} vs ${exact}`);
      }
    }
  });

  it('gives the same Series whatever the chunk boundaries (1 byte to 1 MiB)', async () => {
    const data = makeK6(400, 3);
    const want = fingerprint(await read(data.text));
    for (const chunk of [1, 2, 3, 7, 64, 333, 4096, 65536, 1 << 20]) {
      assert.deepEqual(fingerprint(await read(data.text, chunk)), want, `chunk ${chunk}`);
    }
  });

  it('takes errors from status codes when the file has no http_req_failed points', async () => {
    const data = makeK6(500, 11, false);
    for (const s of await read(data.text)) assert.equal(s.errors, data.expected.get(s.name)!.errors);
  });

  it('names series METHOD + path of a URL name (query dropped), or METHOD + the name', () => {
    assert.equal(seriesName('GET', 'http://127.0.0.1:3000/api/items?page=2#x'), 'GET /api/items');
    assert.equal(seriesName('POST', 'https://example.test'), 'POST /');
    assert.equal(seriesName('GET', 'search'), 'GET search');
    assert.equal(seriesName(null, 'http://h/x/${}'), '/x/${}');
    assert.equal(seriesName('GET', null), 'GET (unnamed)');
  });

  it('reads CRLF line endings, a BOM, blank lines and a last line without newline', async () => {
    const data = makeK6(200, 5);
    const want = fingerprint(await read(data.text));
    const crlf = `\uFEFF${data.text.replace(/\n/g, '\r\n').replace(/\r\n$/, '')}\n\n`;
    assert.deepEqual(fingerprint(await read(crlf, 100)), want);
    assert.deepEqual(fingerprint(await read(data.text.trimEnd(), 100)), want);
  });

  it('agrees with JSON.parse for any field order, whitespace and escapes (fast path vs fallback)', async () => {
    const rec = fc.record({
      metric: fc.constantFrom('http_req_duration', 'http_req_failed', 'http_reqs', 'http_req_blocked'),
      method: fc.constantFrom('GET', 'POST', 'DELETE'),
      name: fc.oneof(fc.constantFrom('http://h:1/api/a', 'http://h:1/api/b?q="1"', 'login'), fc.string({ maxLength: 12 })),
      status: fc.constantFrom('200', '404', '0', '503'),
      value: fc.oneof(fc.integer({ min: 0, max: 1 }), fc.double({ min: 0, max: 5000, noNaN: true })),
      ns: fc.integer({ min: 0, max: 999_999_999 }),
      sec: fc.integer({ min: 0, max: 3600 }),
      extra: fc.dictionary(fc.constantFrom('group', 'scenario', 'proto', 'url', 'zz', 'a"b', 'vu'), fc.string({ maxLength: 8 })),
    });
    const style = fc.record({ shuffle: fc.boolean(), space: fc.constantFrom('', ' ', '\t'), escape: fc.boolean(), seed: fc.integer() });
    await fc.assert(
      fc.asyncProperty(fc.array(rec, { minLength: 1, maxLength: 30 }), style, async (recs, st) => {
        const canonical: string[] = [];
        const other: string[] = [];
        for (const r of recs) {
          const value = r.metric === 'http_req_failed' ? (r.value > 0.5 ? 1 : 0) : r.value;
          const tags: Record<string, string> = { ...r.extra, method: r.method, name: r.name, status: r.status };
          const sorted = Object.fromEntries(Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : 1)));
          const time = rfc3339Nano(1714550400 + r.sec, r.ns);
          canonical.push(`{"type":"Point","data":{"time":"${time}","value":${JSON.stringify(value)},"tags":${JSON.stringify(sorted)}},"metric":"${r.metric}"}`);
          other.push(restyle({ type: 'Point', data: { time, value, tags: sorted }, metric: r.metric }, st));
        }
        const a = fingerprint(await read(`${canonical.join('\n')}\n`, 13));
        const b = fingerprint(await read(`${other.join('\n')}\n`, 17));
        assert.deepEqual(b, a);
      }),
      { numRuns: 150 },
    );
  });

  describe('bad input: an InputError naming the file and line', () => {
    const good = `${POINT('http_reqs', '1')}\n${POINT('http_req_duration', '12.5')}\n`;
    it('a half-written last line (no newline, truncated JSON)', async () => {
      const line = POINT('http_req_duration', '3');
      await rejects(`${good}${line.slice(0, 80)}`, 3, /truncated or invalid JSON/);
      await rejects(`${good}${line.slice(0, line.length - 1)}`, 3, /JSON/);
      await rejects(`${good}${line.slice(0, line.lastIndexOf('}}'))}`, 3, /JSON/);
    });
    it('a line that is not JSON', async () => {
      await rejects(`${good}hello world\n${good}`, 3, /invalid JSON/);
      await rejects(`${good}[1,2]\n`, 3, /not a k6 JSON record/);
      await rejects(`${good}{"type":"Other"}\n`, 3, /not a k6 Point or Metric/);
    });
    it('NaN, negative, non-numeric or huge values', async () => {
      await rejects(`${good}${POINT('http_req_duration', 'NaN')}\n`, 3, /JSON/);
      await rejects(`${good}${POINT('http_req_duration', '-1.5')}\n`, 3, /out of range/);
      await rejects(`${good}${POINT('http_req_duration', '"12"')}\n`, 3, /not a number/);
      await rejects(`${good}${POINT('http_req_duration', '1e300')}\n`, 3, /out of range/);
      await rejects(`${good}${POINT('http_req_failed', '-1')}\n`, 3, /out of range/);
    });
    it('a bad time', async () => {
      await rejects(`${good}${POINT('http_req_duration', '1').replace('2024-05-01T10', '2024-05-01 10')}\n`, 3, /RFC 3339/);
    });
    it('binary garbage', async () => {
      const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x7b, 0x22, 0x10, 0x0a, 0x80, 0x81]);
      await assert.rejects(read(Buffer.concat([Buffer.from(good), garbage]), 3), (e: unknown) => e instanceof InputError && e.line === 3);
      // Through the registry, detection refuses a binary head.
      await assert.rejects(readSeries(bytesOf(garbage), decodeHead(garbage), { fileName: 'x.json' }), InputError);
    });
  });
});

/** JSON.stringify with shuffled keys, whitespace and \u escapes: valid JSON, not k6's layout. */
function restyle(v: unknown, st: { shuffle: boolean; space: string; escape: boolean; seed: number }): string {
  const rnd = mulberry32(st.seed);
  const enc = (x: unknown): string => {
    if (x !== null && typeof x === 'object') {
      let entries = Object.entries(x as Record<string, unknown>);
      if (st.shuffle) entries = entries.sort(() => rnd() - 0.5);
      return `{${st.space}${entries.map(([k, val]) => `${str(k)}${st.space}:${st.space}${enc(val)}`).join(`,${st.space}`)}${st.space}}`;
    }
    return typeof x === 'string' ? str(x) : JSON.stringify(x);
  };
  const str = (s: string) => (st.escape ? `"${s.split("").map((c) => (c === '"' || c === '\\' || c < ' ' || rnd() < 0.3 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c)).join('')}"` : JSON.stringify(s));
  return enc(v);
}
