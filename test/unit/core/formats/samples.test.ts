import assert from 'node:assert/strict';
import { detectFormat, decodeHead, readSeries } from '../../../../src/core/formats/index';
import { bytesOf } from '../../../../src/core/formats/lines';
import type { ReadOptions } from '../../../../src/core/formats/reader';
import { samplesReader } from '../../../../src/core/formats/samples';
import { percentileOf, type Series } from '../../../../src/core/series';
import { mulberry32, nearestRank, readContent, within } from '../../helpers';
import { rejectsWithInputError } from './formatTestUtil';

const rnd = mulberry32(3);
const VALUES = Array.from({ length: 5000 }, () => Number((0.2 + rnd() ** 4 * 800).toFixed(3)));

async function read(content: string, fileName: string, extra: Partial<ReadOptions> = {}): Promise<Series[]> {
  const bytes = Buffer.from(content);
  return readSeries(bytesOf(bytes, 11), decodeHead(bytes), { fileName, format: 'samples', ...extra });
}

function check(s: Series, values: number[], scale = 1): void {
  assert.equal(s.format, 'samples');
  assert.equal(s.count, values.length);
  assert.equal(s.errors, null);
  assert.equal(s.durationSec, null);
  assert.equal(s.exact, false);
  for (const p of [50, 90, 95, 99]) {
    assert.ok(within(percentileOf(s, p), nearestRank(values, p) * scale), `p${p}: ${percentileOf(s, p)} vs ${nearestRank(values, p) * scale}`);
  }
  assert.ok(within(s.maxMs, Math.max(...values) * scale));
}

const rejects = rejectsWithInputError;

describe('samples reader', () => {
  it('one number per line (ms), detected as the numeric fallback, named after the file', async () => {
    const text = `# latencies of /decide\n${VALUES.join('\n')}\n\n`;
    assert.equal(detectFormat(VALUES.slice(0, 50).join('\n'), 'perf/results/decide.dat'), 'samples');
    const [s] = await readContent(text, 'perf/results/decide.samples');
    assert.equal(s!.name, 'decide');
    check(s!, VALUES);
  });

  it('options.unit rescales bare numbers', async () => {
    const us = VALUES.map((v) => Math.round(v * 1000));
    const [s] = await read(us.join('\n'), 'x.txt', { unit: 'us' });
    check(s!, us, 1e-3);
    const [sec] = await read(VALUES.map((v) => v / 1000).join('\r\n'), 'y.txt', { unit: 's' });
    check(sec!, VALUES);
  });

  it('CSV: options.column, a latency-like column, its unit suffix, the single numeric column', async () => {
    const rows = VALUES.slice(0, 400);
    const csv = ['id,endpoint,latency_ms,status', ...rows.map((v, i) => `${i},"/a,b",${v},200`)].join('\n');
    check((await read(csv, 'lat.csv', { column: 'latency_ms' }))[0]!, rows);
    check((await read(csv, 'lat.csv'))[0]!, rows); // latency_ms recognised, unit ms
    const us = ['when\tduration (us)', ...rows.map((v) => `t\t${Math.round(v * 1000)}`)].join('\n');
    check((await read(us, 'd.tsv'))[0]!, rows.map((v) => Math.round(v * 1000)), 1e-3);
    const single = ['host,took', ...rows.map((v) => `h1,${v}`)].join('\n');
    check((await read(single, 's.csv'))[0]!, rows);
    const oneCol = ['rt', ...rows].join('\n');
    check((await read(oneCol, 'o.csv'))[0]!, rows);
  });

  it('detection: only by name or all-numeric content', () => {
    assert.ok(samplesReader.detect('latency\n1\n2\n', 'x.samples'));
    assert.ok(samplesReader.detect('1.5\n2\n3e2\n', 'noext'));
    assert.ok(!samplesReader.detect('a,b\n1,2\n', 'x.csv'));
    assert.ok(!samplesReader.detect('', 'x.csv'));
    assert.ok(samplesReader.detect('# ms\n12.5\n', 'x.txt'));
    assert.ok(samplesReader.detect('latency_ms\n12.5\n', 'x.txt'));
    assert.ok(!samplesReader.detect('hello world\n', 'unknown.txt'));
    assert.ok(!samplesReader.detect('# HELP x\nx_bucket{le="0.1"} 3\nx_bucket{le="+Inf"} 4\n', 'metrics.txt'));
  });

  describe('bad input', () => {
    it('a non-numeric line names the line', async () => {
      await rejects(read('1\n2\nfast\n4\n', 'bad.txt'), 'bad.txt', /sample is not a number: "fast"/, 3);
    });
    it('NaN, Infinity and negative samples name the line', async () => {
      await rejects(read('1\nNaN\n', 'nan.txt'), 'nan.txt', /not a number/, 2);
      await rejects(read('NaN\n', 'nan0.txt'), 'nan0.txt', /not a number/, 1);
      await rejects(read('1\nInfinity\n', 'inf.txt'), 'inf.txt', /not a number/, 2);
      await rejects(read('1\n-3\n', 'neg.txt'), 'neg.txt', /negative latency/, 2);
      await rejects(read('lat\n1\n-3\n', 'neg.csv'), 'neg.csv', /negative latency/, 3);
    });
    it('empty file, header only', async () => {
      await rejects(read('', 'empty.txt'), 'empty.txt', /empty/);
      await rejects(read('\n# nothing\n', 'empty2.txt'), 'empty2.txt', /empty/);
      await rejects(read('latency\n', 'hdr.csv'), 'hdr.csv', /no samples/);
    });
    it('missing or ambiguous column', async () => {
      await rejects(read('a,b\n1,2\n', 'amb.csv'), 'amb.csv', /cannot tell which column/, 1);
      await rejects(read('a,b\n1,2\n', 'miss.csv', { column: 'latency' }), 'miss.csv', /no column "latency" in header \(columns: a, b\)/, 1);
      await rejects(read('1\n2\n', 'plain.txt', { column: 'latency' }), 'plain.txt', /no header/, 1);
    });
    it('truncated CSV row', async () => {
      await rejects(read('id,latency\n1,5\n2\n', 'trunc.csv'), 'trunc.csv', /truncated row/, 3);
    });
  });
});
