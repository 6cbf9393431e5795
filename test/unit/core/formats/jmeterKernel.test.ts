import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { jmeterReader, readJtlLines } from '../../../../src/core/formats/jmeter';
import { bytesOf } from '../../../../src/core/formats/lines';
import type { ByteSource } from '../../../../src/core/formats/reader';
import type { Series } from '../../../../src/core/series';
import { FIXTURES, mulberry32, nearestRank, ROOT, within } from '../../helpers';

/**
 * The byte kernel (jmeterReader.read) against the reference line reader (readJtlLines): the same
 * Series, every field and the histogram bucket for bucket, or the same InputError.
 */

/** A Series as plain data: the histogram as its buckets. */
function plain(series: Series[]): unknown[] {
  return series.map((s) => ({ ...s, histogram: s.histogram?.buckets() ?? null, histogramCount: s.histogram?.count ?? null }));
}

async function outcome(read: (src: ByteSource) => Promise<Series[]>, src: ByteSource): Promise<unknown> {
  try {
    return plain(await read(src));
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { error: e.message, line: e.line };
  }
}

/** Both readers on the same bytes, the kernel's fed in `chunks` pieces (cut where `cut` says); returns the kernel's outcome. */
async function same(bytes: Uint8Array, fileName: string, cut: (n: number) => number[] = (n) => [n], maxSeries?: number): Promise<unknown> {
  const options = { fileName, ...(maxSeries !== undefined ? { maxSeries } : {}) };
  const ref = await outcome((src) => readJtlLines(src, options), bytesOf(bytes, 1 << 20));
  const ends = cut(bytes.length);
  async function* pieces(): ByteSource {
    let at = 0;
    for (const end of ends) {
      yield bytes.subarray(at, end);
      at = end;
    }
    if (at < bytes.length) yield bytes.subarray(at);
  }
  const got = await outcome((src) => jmeterReader.read(src, options), pieces());
  assert.deepEqual(got, ref, `${fileName}: kernel and reference differ`);
  return got;
}

const DEFAULT_HEADER = 'timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect';

describe('JMeter JTL byte kernel = the reference line reader', () => {
  it('every JTL fixture', async () => {
    const files = ['jmeter/results.jtl', 'jmeter/results-header.jtl', 'jmeter/results-extra.jtl', 'stacks/koa-jmeter/perf/results/jmeter.jtl', 'workspaces/bigread/perf/results/big.jtl'];
    for (const rel of files) {
      const got = (await same(readFileSync(path.join(FIXTURES, rel)), rel)) as Array<{ count: number }>;
      assert.ok(Array.isArray(got) && got.length > 0 && got.every((s) => s.count > 0), rel);
    }
  });

  it('the realistic generator (test/bench/rows.mjs), with its exact counts and p95', async () => {
    const { jtlBlock, JTL_HEAD } = await import('../../../bench/rows.mjs');
    const block = jtlBlock(2000, 5);
    const bytes = Buffer.from(JTL_HEAD + block.text);
    assert.ok(block.text.includes('"Number of samples in transaction : 2, number of failing samples : 0"'));
    assert.ok(/"Test failed: code expected to equal \/\n/.test(block.text), 'a failure message spanning lines');
    await same(bytes, 'big.jtl', (n) => Array.from({ length: Math.ceil(n / 4093) }, (_, i) => (i + 1) * 4093));
    const series = await jmeterReader.read(bytesOf(bytes, 65536), { fileName: 'big.jtl' });
    assert.equal(series.length, block.tallies.size);
    for (const s of series) {
      const t = block.tallies.get(s.name)!;
      assert.equal(s.count, t.count, s.name);
      assert.equal(s.errors, t.errors, s.name);
      assert.ok(within(s.histogram!.percentileMs(95), nearestRank(t.values, 95)), `${s.name} p95`);
      assert.equal(s.parent, /^Home Page-\d$/.test(s.name) ? 'Home Page' : undefined, s.name);
    }
  });

  it('chunks cut at every byte of a small file with quotes, CRLF and a record over three lines', async () => {
    const rows = [
      DEFAULT_HEADER,
      '1714550400000,12,Home Page-0,302,Found,TG 1-1,text,true,,300,120,1,1,https://x.test/,11,0,3',
      '1714550400001,40,Home Page,200,OK,TG 1-1,text,true,,900,120,1,1,https://x.test/,39,0,3',
      '1714550400002,55,"Search, all",500,"Internal, Server Error",TG 1-1,text,false,"Test failed: ""x""",901,120,1,1,https://x.test/s,50,0,0',
      '1714550400003,7,TC Checkout,200,"Number of samples in transaction : 1, number of failing samples : 0",TG 1-1,,true,,5,6,1,1,null,6,0,0\r',
      '1714550400004,9,Login,200,OK,TG 1-1,text,false,"Test failed: code expected to equal /',
      '',
      '****** received  : [[[500]]]",12,13,1,1,https://x.test/l,8,0,0',
      '',
      '1714550400005,13,Login,200,OK,TG 1-1,text,TRUE,,1,2,1,1,u,1,0,0',
    ];
    const bytes = Buffer.from(`${rows.join('\n')}\n`);
    for (let k = 0; k <= bytes.length; k++) await same(bytes, 'small.jtl', () => [k]);
  });

  it('more distinct labels than the label trie holds, and past the series limit', async () => {
    const rnd = mulberry32(99);
    const lines = ['timeStamp,elapsed,label,success'];
    for (let i = 0; i < 6000; i++) lines.push(`${1714550400000 + i},${1 + Math.floor(rnd() * 500)},label number ${Math.floor(rnd() * 900)},${rnd() < 0.05 ? 'false' : 'true'}`);
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    const all = (await same(bytes, 'many.jtl')) as unknown[];
    assert.ok(all.length > 800, `${all.length} labels`);
    assert.equal(((await same(bytes, 'many.jtl', (n) => [n], 500)) as unknown[]).length, 500);
  });

  it('seeded random JTLs: column orders, missing columns, quotes, CRLF, sub-results, bad rows', async () => {
    let errors = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const { text, fileName } = randomJtl(seed);
      const rnd = mulberry32(seed * 31);
      const bytes = Buffer.from(text);
      const step = 1 + Math.floor(rnd() * 300);
      const got = await same(bytes, fileName, (n) => Array.from({ length: Math.ceil(n / step) }, (_, i) => (i + 1) * step), seed % 7 === 0 ? 3 : undefined);
      if (!Array.isArray(got)) errors++;
    }
    // Both kinds of outcome are compared, many times each.
    assert.ok(errors >= 30 && errors <= 170, `${errors} of 200 files rejected`);
  });
});

/** A random JTL: a shuffled subset of JMeter's columns, rows that are mostly good and sometimes odd or bad. */
function randomJtl(seed: number): { text: string; fileName: string } {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const optional = DEFAULT_HEADER.split(',').filter((c) => c !== 'elapsed' && c !== 'label' && rnd() < 0.8);
  const cols = ['elapsed', 'label', ...optional].sort(() => rnd() - 0.5);
  if (rnd() < 0.3) {
    // JMeter's own order, with whatever columns this file saves
    const order = DEFAULT_HEADER.split(',');
    cols.sort((a, b) => order.indexOf(a) - order.indexOf(b));
  }
  const eol = rnd() < 0.3 ? '\r\n' : '\n';
  const headerless = rnd() < 0.05;
  const labels = ['Home Page', 'Home Page-0', 'Home Page-1', 'Login', 'Step-1', 'Search, all', 'Say "hi"', 'ünïcode ✓', '', ' spaced '];
  const q = (s: string) => (/[,"\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  const lines: string[] = headerless ? [] : [cols.join(',')];
  const header = headerless ? DEFAULT_HEADER.split(',') : cols;
  const n = 5 + Math.floor(rnd() * 60);
  for (let i = 0; i < n; i++) {
    const r = rnd();
    const field = (c: string): string => {
      switch (c) {
        case 'timeStamp':
          return r < 0.01 ? '2024/05/01 08:00:00.123' : r < 0.02 ? '1714550400123456' : r < 0.025 ? 'soon' : r < 0.05 ? String(1714550400 + i) : String(1714550400000 + Math.floor(rnd() * 100000));
        case 'elapsed':
          return r > 0.99 ? '-3' : r > 0.98 ? '1.5' : r > 0.975 ? ' 12' : r > 0.97 ? '' : String(Math.floor(rnd() ** 3 * 40000));
        case 'label':
          return q(pick(labels));
        case 'success':
          return r > 0.96 && r < 0.97 ? 'TRUE' : r > 0.955 && r < 0.96 ? 'maybe' : rnd() < 0.1 ? 'false' : 'true';
        case 'responseMessage':
          return q(pick(['OK', 'Internal Server Error', 'Number of samples in transaction : 2, number of failing samples : 1']));
        case 'failureMessage':
          return q(pick(['', '', 'Test failed: code expected to equal /\n\n****** received  : [[[500]]]\n/', 'said "no"']));
        default:
          return rnd() < 0.05 ? '"quoted"x' : String(Math.floor(rnd() * 1000));
      }
    };
    let row = header.map(field).join(',');
    if (r > 0.992) row = row.slice(0, Math.floor(rnd() * row.length)); // truncated
    lines.push(r > 0.985 && r < 0.988 ? '' : row);
  }
  const bom = rnd() < 0.1 ? '\uFEFF' : '';
  const last = rnd() < 0.5 ? eol : '';
  return { text: bom + lines.join(eol) + last, fileName: `run-${seed}.jtl` };
}
