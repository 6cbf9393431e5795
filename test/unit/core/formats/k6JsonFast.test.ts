/**
 * The k6-json kernel's fast path against a plain reference reader written here (JSON.parse of
 * every line, nothing shared with the kernel but the histogram library): identical Series,
 * histograms bucket for bucket, on every k6 NDJSON fixture, on the realistic generator's output
 * (both layouts, 6-decimal and 17-digit values) and on seeded random k6 lines in every spelling
 * JSON allows (key order, whitespace, \u escapes in keys, tag values and the metric name,
 * exponents, negative zero, null tags, metadata, CRLF, a BOM, blank lines, unicode).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { k6JsonReader } from '../../../../src/core/formats/k6Json';
import { bytesOf } from '../../../../src/core/formats/lines';
import { parseJsonNumber, parseNumber } from '../../../../src/core/formats/seriesAccumulator';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import type { Series } from '../../../../src/core/series';
import { FIXTURES, mulberry32 } from '../../helpers';

/** The bench's generator (an ES module: loaded once, before the tests). */
let gen: typeof import('../../../bench/k6Realistic.mjs', { with: { 'resolution-mode': 'import' } });
const g17 = (v: number) => gen.g17(v);
before(async () => {
  gen = await import('../../../bench/k6Realistic.mjs');
});

interface RefSeries {
  values: number[];
  failed: number;
  statusErrors: number;
}

/** The reader's documented rules (k6Json.ts), applied to JSON.parse of each line. */
function reference(text: string) {
  const series = new Map<string, RefSeries>();
  let failedSignals = 0;
  let spanStart = Infinity;
  let spanEnd = -Infinity;
  const at = (key: string) => {
    let s = series.get(key);
    if (!s) series.set(key, (s = { values: [], failed: 0, statusErrors: 0 }));
    return s;
  };
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (i === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    if (line.trim() === '') continue;
    const o = JSON.parse(line) as { type: string; metric: string; data: { time: string; value: number; tags: unknown } };
    if (o.type !== 'Point' || (o.metric !== 'http_req_duration' && o.metric !== 'http_req_failed')) continue;
    const tags = (o.data.tags !== null && typeof o.data.tags === 'object' ? o.data.tags : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : null);
    const key = refName(str(tags.method), str(tags.name));
    if (o.metric === 'http_req_failed') {
      failedSignals++;
      if (o.data.value !== 0) at(key).failed++;
      continue;
    }
    const s = at(key);
    s.values.push(o.data.value);
    const status = str(tags.status);
    if (status !== null && /^[0-9]+$/.test(status) && (Number(status) === 0 || Number(status) >= 400)) s.statusErrors++;
    const t = epochMs(o.data.time);
    spanStart = Math.min(spanStart, t);
    spanEnd = Math.max(spanEnd, t);
  }
  return { series, failedSignals, spanStart, spanEnd };
}

/** METHOD + the path of a URL name (query and fragment dropped), or METHOD + the name. */
function refName(method: string | null, name: string | null): string {
  let n = name ?? '';
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(n);
  if (origin) n = n.slice(origin[0].length).split(/[?#]/)[0] || '/';
  if (n === '') n = '(unnamed)';
  return method ? `${method} ${n}` : n;
}

/** Epoch ms of an RFC 3339 time, fraction kept. */
function epochMs(time: string): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)[Tt](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:[Zz]|([+-])(\d\d):(\d\d))$/.exec(time);
  assert.ok(m, `time ${time}`);
  const [, y, mo, d, h, mi, s, frac, sign, oh, om] = m;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) - offset * 60000 + (frac ? Number(`0.${frac}`) * 1000 : 0);
}

/** The kernel's Series equal the reference's: names, counts, errors, exact min/max, every histogram bucket, time span. */
function assertSame(got: Series[], text: string, label: string) {
  const ref = reference(text);
  const want = [...ref.series].filter(([, s]) => s.values.length > 0);
  assert.deepEqual(got.map((s) => s.name), want.map(([k]) => k).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)), `${label}: series`);
  const span = ref.spanEnd - ref.spanStart;
  for (const s of got) {
    const r = ref.series.get(s.name)!;
    const h = LatencyHistogram.create();
    for (const v of r.values) h.recordMs(v);
    assert.equal(s.count, r.values.length, `${label}: ${s.name} count`);
    assert.equal(s.errors, ref.failedSignals > 0 ? r.failed : r.statusErrors, `${label}: ${s.name} errors`);
    // The first of the smallest / largest (so 0 and -0 keep their order), as a running min/max does.
    assert.equal(s.minMs, r.values.reduce((a, b) => (b < a ? b : a), Infinity), `${label}: ${s.name} min`);
    assert.equal(s.maxMs, r.values.reduce((a, b) => (b > a ? b : a), -Infinity), `${label}: ${s.name} max`);
    assert.deepEqual(s.histogram!.buckets(), h.buckets(), `${label}: ${s.name} histogram`);
    if (span > 0) assert.ok(Math.abs(s.durationSec! - span / 1000) < 1e-9, `${label}: ${s.name} duration ${s.durationSec} vs ${span / 1000}`);
    else assert.equal(s.durationSec, null);
    assert.ok(Math.abs(s.startedAt! - ref.spanStart) < 1e-3, `${label}: ${s.name} start`);
  }
}

async function read(text: string, chunk = 1 << 20): Promise<Series[]> {
  return k6JsonReader.read(bytesOf(text, chunk), { fileName: 'k6.json' });
}

/** Every file under test/fixtures whose first line is a k6 NDJSON record. */
function k6Fixtures(dir = FIXTURES): string[] {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) return k6Fixtures(abs);
    if (!/\.(json|ndjson)$/.test(name) || statSync(abs).size > 64 << 20) return [];
    return k6JsonReader.detect(readFileSync(abs, 'utf8').slice(0, 4096), abs) ? [abs] : [];
  });
}

describe('k6-json fast path = a plain JSON.parse reader', () => {
  it('on every k6 NDJSON fixture', async () => {
    const files = k6Fixtures();
    assert.ok(files.some((f) => f.endsWith(path.join('k6-json', 'realistic-small.ndjson'))), files.join(', '));
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      assertSame(await read(text), text, path.relative(FIXTURES, f));
    }
  });

  for (const layout of ['metric-first', 'metric-last'] as const) {
    for (const digits17 of [false, true]) {
      it(`on the realistic generator's output (${layout}, ${digits17 ? '17 significant digits' : '6 decimals'})`, async () => {
        const data = gen.k6RealisticText({ requests: 1500, seed: 11, layout, digits17, zoneMin: digits17 ? 120 : 0 });
        const got = await read(data.text, 65_537);
        assertSame(got, data.text, layout);
        // And the generator's own answers (the bench checks the same against the CLI).
        for (const s of got) {
          const ex = data.expected.get(s.name)!;
          assert.equal(s.count, ex.count);
          assert.equal(s.errors, ex.errors);
        }
        assert.equal(got.length, data.expected.size);
      });
    }
  }

  it('on hand-written lines that look like k6 but are spelled otherwise', async () => {
    const tags = '"method":"GET","name":"http://h/api/a","status":"500"';
    const first = (metric: string, value: string, t = tags, tail = '') => `{"metric":"${metric}","type":"Point","data":{"time":"2026-12-07T08:00:00.5Z","value":${value},"tags":{${t}}${tail}}}`;
    const last = (metric: string, value: string, t = tags) => `{"type":"Point","data":{"time":"2026-12-07T08:00:01Z","value":${value},"tags":{${t}}},"metric":"${metric}"}`;
    const cases = [
      // escaped metric names: needed although the literal name is absent
      [first('http_req_d\\u0075ration', '12.5'), last('http_req_f\\u0061iled', '1'), first('http_req_duration', '3')],
      [first('http_\\u0072eq_duration', '1.5'), last('http_req_duratio\\u006e', '2.5'), last('http_req_duration', '4')],
      // an escaped status, method and name, without http_req_failed points (errors from status)
      [first('http_req_duration', '7', '"method":"G\\u0045T","name":"http://h/api/\\u0061","status":"5\\u0030\\u0030"'), last('http_req_duration', '8', '"method":"GET","name":"http://h/api/a?q=1\\u0026r=2","status":"404"')],
      // URL names: an escape before the query (\\u003f is a "?"), after it, in the method; a "?" in the host
      [
        first('http_req_duration', '1', '"method":"GET","name":"http://h/api/a\\u003fq=1","status":"200"'),
        first('http_req_duration', '2', '"method":"GET","name":"http://h/api/a?q=\\u0031","status":"200"'),
        first('http_req_duration', '3', '"method":"G\\u0045T","name":"http://h/api/a?q=2","status":"200"'),
        last('http_req_duration', '4', '"method":"GET","name":"http://h?q=3","status":"200"'),
        last('http_req_failed', '1', '"method":"GET","name":"http://h/api/a#f","status":"500"'),
        first('http_req_duration', '5', '"method":"GET","name":"http:\\/\\/h\\/api\\/a?q","status":"200"'),
      ],
      // repeated keys inside the tags and the data object (JSON.parse keeps the last)
      [first('http_req_duration', '9', `${tags},"method":"POST","status":"200"`), first('http_req_duration', '10', tags, ',"value":11'), last('http_req_failed', '0', tags), first('http_req_failed', '0', tags, ',"value":1')],
      // exponents, 17 digits, negative zero, metadata, null tags
      [first('http_req_duration', '1.2345e1'), first('http_req_duration', '12.345677999999999'), first('http_req_duration', '-0'), first('http_req_duration', '0'), first('http_req_duration', '5', tags, ',"metadata":{"trace_id":"x"}'), '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-12-07T08:00:02Z","value":6,"tags":null}}'],
    ];
    for (const lines of cases) {
      const text = `${lines.join('\n')}\n`;
      for (const chunk of [3, 1 << 20]) assertSame(await read(text, chunk), text, text);
    }
  });

  it('on seeded random k6 lines in every spelling JSON allows', async () => {
    const rnd = mulberry32(20261207);
    for (let file = 0; file < 400; file++) {
      const lines: string[] = [];
      const withFailed = rnd() < 0.7; // without http_req_failed points, errors come from status tags
      for (let i = 0, n = 1 + Math.floor(rnd() * 40); i < n; i++) lines.push(randomLine(rnd, withFailed));
      const eol = rnd() < 0.2 ? '\r\n' : '\n';
      let text = (rnd() < 0.1 ? '\uFEFF' : '') + lines.join(eol) + (rnd() < 0.8 ? eol : '');
      if (rnd() < 0.1) text = text.replace(eol, `${eol}${eol}`); // a blank line
      const got = await read(text, 1 + Math.floor(rnd() * 300));
      assertSame(got, text, `file ${file}:\n${text}`);
    }
  });
});

describe('parseNumber / parseJsonNumber give the same double as JSON.parse', () => {
  it('on 6-decimal, 17-significant-digit, exponent and edge values', () => {
    const rnd = mulberry32(7);
    const texts = ['0', '-0', '1', '007', '12.5', '0.000001', '123456789012345', '1234567890123456', '12345678901234567890', '9007199254740993', '0.1', '5e-05', '1.234567e+06', '1E3', '-2.5E-3', '1e400', '2.2250738585072014e-308'];
    for (let i = 0; i < 20_000; i++) {
      const ns = Math.floor(rnd() * 1e12);
      texts.push(String(ns / 1e6), g17(ns / 1e6), g17(rnd() * 10 ** Math.floor(rnd() * 12 - 4)), (rnd() * 1e5).toExponential());
    }
    // Exact halfway points between two doubles (ulp 2^-3 in [2^49, 2^50)): Number() rounds them to even.
    for (let j = 0; j < 200; j++) {
      const x10k = (2n ** 49n + BigInt(Math.floor(rnd() * 1e6))) * 10000n + BigInt(Math.floor(rnd() * 8)) * 1250n + 625n;
      texts.push(`${x10k / 10000n}.${String(x10k % 10000n).padStart(4, '0')}`);
    }
    const enc = new TextEncoder();
    for (const t of texts) {
      const b = enc.encode(`${t},`);
      const want = Number(t); // JSON.parse(t) where t is valid JSON ("007" is not: Number reads it as 7)
      assert.ok(Object.is(parseJsonNumber(b, 0, b.length), want), `parseJsonNumber ${t}`);
      const simple = parseNumber(b, 0, b.length);
      if (!/[eE]/.test(t)) assert.ok(Object.is(simple, want), `parseNumber ${t}`);
      else assert.ok(Number.isNaN(simple), `parseNumber ${t}: exponent -> NaN (caller's slow path)`);
      const ms = parseNumber(b, 0, b.length, 3);
      if (!/[eE]/.test(t)) assert.ok(Object.is(ms, Number(`${t}e3`)), `parseNumber ${t} x 1e3`);
    }
  });
});

// ---------- random k6 lines

type Raw = { raw: string };
type Val = string | Raw | null | Val[] | { [k: string]: Val };
const raw = (s: string): Raw => ({ raw: s });
const pick = <T>(rnd: () => number, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

const METRICS = ['http_req_duration', 'http_req_duration', 'http_req_duration', 'http_req_failed', 'http_req_failed', 'http_reqs', 'http_req_waiting', 'vus', 'iterations', 'data_sent', 'http_req_duration_x', 'http_req_f', 'Http_req_duration', 'http_req_durations'];
const STRINGS = [
  'GET', 'POST', 'http://127.0.0.1:3000/api/items', 'https://h.test/api/a?x=1&y=<2>', 'search', '', 'é日本😀', 'a"b\\c', 'tab\there', 'http://h/p#frag', '/relative/path',
  // URL names whose query or fragment the series drops, and names that only look like URLs
  'http://h/api/a?q=1', 'HTTP://H/api/a?q=2', 'ht+t.p-1://h/api/a#x?y', 'http://h?x=1', 'http://h/api/a?', 'http://h/a\\b?c', 'http://h/é?日', 'http:/h/api/a?q', '1http://h/api/a?q', 'h_t://h/a?b', '?http://h/a', 'http://h/api/a/?q#f',
];

function randomValue(rnd: () => number, metric: string): Raw {
  if (metric === 'http_req_failed') return raw(pick(rnd, ['0', '1', '0.0', '1e0', '-0', '0E+0', '0.5']));
  const ns = Math.floor(rnd() * 5e9);
  const v = ns / 1e6;
  return raw(pick(rnd, [String(v), g17(v), v.toExponential(), v.toExponential().toUpperCase(), `${Math.floor(v)}`, '-0', '0', `${v}e0`, `${Math.round(v)}.000`]));
}

function randomTime(rnd: () => number): string {
  const sec = 1796630400 + Math.floor(rnd() * 86400);
  const zone = pick(rnd, [0, 0, 120, -330]);
  const d = new Date((sec + zone * 60) * 1000).toISOString().slice(0, 19);
  const frac = pick(rnd, ['', `.${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`, `.${Math.floor(rnd() * 1000)}`]);
  const z = zone === 0 ? pick(rnd, ['Z', '+00:00']) : `${zone < 0 ? '-' : '+'}${String(Math.floor(Math.abs(zone) / 60)).padStart(2, '0')}:${String(Math.abs(zone) % 60).padStart(2, '0')}`;
  return `${d}${frac}${z}`;
}

function randomTags(rnd: () => number): Val {
  const r = rnd();
  if (r < 0.1) return null;
  if (r < 0.15) return {};
  const tags: Record<string, Val> = {};
  const keys = ['error_code', 'expected_response', 'group', 'method', 'name', 'proto', 'scenario', 'status', 'tls_version', 'url', 'ключ', 'k"q'];
  for (const k of keys) {
    if (rnd() < 0.6) tags[k] = k === 'status' ? pick(rnd, ['200', '500', '0', '404', 'abc', '', '2x0']) : pick(rnd, STRINGS);
  }
  if (rnd() < 0.05) tags.method = raw(pick(rnd, ['1', 'true', 'null']));
  if (rnd() < 0.05) tags.status = raw('500');
  if (rnd() < 0.05) tags['method#2'] = pick(rnd, STRINGS);
  if (rnd() < 0.05) tags['name#2'] = pick(rnd, STRINGS);
  if (rnd() < 0.05) tags['status#2'] = pick(rnd, ['200', '503']);
  return tags;
}

/** One record (Point, sometimes Metric) in one of k6's layouts or any other spelling. */
function randomLine(rnd: () => number, withFailed: boolean): string {
  let metric = pick(rnd, METRICS);
  if (!withFailed && metric === 'http_req_failed') metric = 'http_req_duration';
  if (rnd() < 0.05) return `{"type":"Metric","data":{"name":"${metric}","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"${metric}"}`;
  const data: Record<string, Val> = { time: randomTime(rnd), value: randomValue(rnd, metric), tags: randomTags(rnd) };
  if (rnd() < 0.1) data.metadata = { trace_id: 'abc', vu: '3' };
  // A repeated key (JSON.parse keeps the last): inside the tags, or a member of data after them.
  if (rnd() < 0.05) data['value#2'] = randomValue(rnd, metric);
  if (rnd() < 0.03) data['tags#2'] = randomTags(rnd);
  const rec: Record<string, Val> = rnd() < 0.5 ? { metric, type: 'Point', data } : { type: rnd() < 0.97 ? 'Point' : 'Metric', data, metric };
  const style = { shuffle: rnd() < 0.15, space: rnd() < 0.1 ? pick(rnd, [' ', '\t', ' \t ']) : '', escape: rnd() < 0.1 ? 0.3 : 0 };
  return encode(rec, style, rnd);
}

/**
 * JSON text of `v`: raw tokens as given, keys optionally shuffled, whitespace, \u escapes
 * (probability `escape` per character); a key "k#2" is written "k" (a repeated key).
 */
function encode(v: Val, st: { shuffle: boolean; space: string; escape: number }, rnd: () => number): string {
  const sp = st.space;
  const str = (s: string) => {
    if (st.escape === 0) return JSON.stringify(s);
    let out = '"';
    for (const c of s) {
      for (const unit of c.length > 1 ? [c.charCodeAt(0), c.charCodeAt(1)] : [c.charCodeAt(0)]) {
        const ch = String.fromCharCode(unit);
        const hex = unit.toString(16).padStart(4, '0');
        out += ch === '"' || ch === '\\' || unit < 0x20 || unit > 0xd7ff || rnd() < st.escape ? `\\u${rnd() < 0.5 ? hex : hex.toUpperCase()}` : ch;
      }
    }
    return `${out}"`;
  };
  if (v === null) return 'null';
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return `[${v.map((x) => encode(x, st, rnd)).join(',')}]`;
  if ('raw' in v && typeof v.raw === 'string') return v.raw;
  let entries = Object.entries(v as Record<string, Val>);
  if (st.shuffle) entries = entries.sort(() => rnd() - 0.5);
  return `{${sp}${entries.map(([k, x]) => `${str(k.replace(/#2$/, ''))}${sp}:${sp}${encode(x, st, rnd)}`).join(`${sp},${sp}`)}${sp}}`;
}
