import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError } from '../../../../src/core/errors';
import { decodeHead, detectFormat } from '../../../../src/core/formats/index';
import { heyCsvReader } from '../../../../src/core/formats/heyCsv';
import { bytesOf } from '../../../../src/core/formats/lines';
import { percentileOf, type Series } from '../../../../src/core/series';
import { nearestRank, within } from '../../helpers';
import { fixtureSuite } from './formatTestUtil';
import { fingerprint, makeHey } from './rawGen';

const HEADER = 'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset';

async function read(text: string | Uint8Array, chunk = 1 << 20, fileName = 'perf/results/decide.csv'): Promise<Series[]> {
  return heyCsvReader.read(bytesOf(text, chunk), { fileName });
}

async function rejects(text: string, line: number, re: RegExp) {
  await assert.rejects(read(text, 3), (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.equal(e.file, 'perf/results/decide.csv');
    assert.equal(e.line, line, e.message);
    assert.match(e.reason, re);
    return true;
  });
}

describe('hey-csv reader', () => {
  it('detects hey CSV by its header', () => {
    assert.equal(detectFormat(decodeHead(Buffer.from(`${HEADER}\n0.1,0,0,0,0,0,200,0`)), 'x.csv'), 'hey-csv');
    assert.equal(heyCsvReader.detect('timeStamp,elapsed,label\n', 'x.jtl'), false);
  });

  it('gives exact count, errors (not 2xx), duration and percentiles within 0.1% of nearest rank', async () => {
    const data = makeHey(5000, 9);
    const [s, ...rest] = await read(data.text);
    assert.equal(rest.length, 0);
    assert.equal(s!.name, 'decide');
    assert.equal(s!.format, 'hey-csv');
    assert.equal(s!.count, 5000);
    assert.equal(s!.errors, data.expected.errors);
    assert.equal(s!.durationSec, data.durationSec);
    assert.equal(s!.throughputPerSec, 5000 / data.durationSec);
    assert.equal(s!.maxMs, Math.max(...data.expected.values));
    assert.equal(s!.minMs, Math.min(...data.expected.values));
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = nearestRank(data.expected.values, p);
      assert.ok(within(percentileOf(s!, p), exact), `p${p}: ${percentileOf(s!, p)} vs ${exact}`);
    }
  });

  it('gives the same Series whatever the chunk boundaries, CRLF or a trailing newline', async () => {
    const data = makeHey(700, 4);
    const want = fingerprint(await read(data.text));
    for (const chunk of [1, 2, 5, 64, 1000, 1 << 20]) assert.deepEqual(fingerprint(await read(data.text, chunk)), want, `chunk ${chunk}`);
    assert.deepEqual(fingerprint(await read(`${data.text.replace(/\n/g, '\r\n')}\r\n`, 7)), want);
  });

  it('reads numbers in other spellings the same way (slow path)', async () => {
    const fast = await read(`${HEADER}\n0.0213,0,0,0,0,0,200,0.0023\n0.5,0,0,0,0,0,500,1.25`);
    const slow = await read(`${HEADER}\n 2.13e-2 ,0,0,0,0,0, 200 ,+0.0023\n0.50000,0,0,0,0,0,500,1.250e0`);
    assert.deepEqual(fingerprint(slow), fingerprint(fast));
    assert.equal(fast[0]!.errors, 1);
  });

  it('agrees with the general row parser for any spelling of the numbers (property)', async () => {
    const row = fc.record({ rt: fc.integer({ min: 0, max: 99_999 }), status: fc.constantFrom(200, 201, 302, 404, 500), off: fc.integer({ min: 0, max: 9_999_999 }) });
    const spell = fc.record({ pad: fc.constantFrom('', ' '), zeros: fc.integer({ min: 0, max: 3 }), crlf: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), spell, async (rows, sp) => {
        const canonical = rows.map((r) => `${(r.rt / 1e4).toFixed(4)},0.0001,0.0000,0.0000,0.0001,0.0000,${r.status},${(r.off / 1e4).toFixed(4)}`);
        const other = rows.map(
          (r) => `${sp.pad}${(r.rt / 1e4).toFixed(4)}${'0'.repeat(sp.zeros)}${sp.pad},x,,,,,${sp.pad}${r.status},${(r.off / 1e4).toFixed(4)}${'0'.repeat(sp.zeros)}`,
        );
        const eol = sp.crlf ? '\r\n' : '\n';
        const a = fingerprint(await read(`${HEADER}\n${canonical.join('\n')}`, 11));
        const b = fingerprint(await read(`${HEADER}${eol}${other.join(eol)}${eol}`, 13));
        assert.deepEqual(b, a);
      }),
      { numRuns: 100 },
    );
  });

  describe('bad input: an InputError naming the file and line', () => {
    it('a missing header', async () => {
      await rejects('0.0213,0.0041,0.0010,0.0001,0.0165,0.0006,200,0.0023\n', 1, /missing hey CSV header/);
      await rejects('', 1, /missing hey CSV header/);
    });
    it('a short (half-written) row', async () => {
      await rejects(`${HEADER}\n0.0213,0,0,0,0,0,200,0.0023\n0.0213,0.0041,0.00`, 3, /expected 8 fields, found 3/);
    });
    it('NaN, negative or non-numeric fields', async () => {
      await rejects(`${HEADER}\n0.1,0,0,0,0,0,200,0\nNaN,0,0,0,0,0,200,0`, 3, /response-time is not a number/);
      await rejects(`${HEADER}\n-0.1,0,0,0,0,0,200,0`, 2, /out of range/);
      await rejects(`${HEADER}\n0.1,0,0,0,0,0,OK,0`, 2, /status-code is not a number/);
      await rejects(`${HEADER}\n0.1,0,0,0,0,0,200,`, 2, /offset is not a number/);
    });
    it('binary garbage', async () => {
      await assert.rejects(read(Buffer.concat([Buffer.from(`${HEADER}\n0.1,0,0,0,0,0,200,0\n`), Buffer.from([0, 0xff, 0x2c, 0x80])]), 2), (e: unknown) => e instanceof InputError && e.line === 3);
    });
  });
});

fixtureSuite('hey', (f) => f === 'hey-csv');
