import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InputError } from '../../../src/core/errors';
import { LatencyHistogram } from '../../../src/core/histograms/latencyHistogram';
import type { Series } from '../../../src/core/series';
import { readFiles } from '../../../src/node/read/readFiles';
import { expandResults } from '../../../src/node/resultFiles';
import { summarizeFile } from '../../../src/node/read/summarizeFile';
import { fingerprint, makeK6 } from '../core/formats/rawGen';

const FIXTURES = path.resolve(__dirname, '../../fixtures');

/** The Series without `source` (the .gz file is named as itself), histograms encoded. */
const content = (series: Series[]) => fingerprint(series).map(({ source: _, ...rest }) => rest);
/** The Series as a worker's reply rebuilds them (histograms encoded, then decoded). */
const roundTrip = (series: Series[]) => series.map((s) => ({ ...s, histogram: s.histogram && LatencyHistogram.decode(s.histogram.encode()) }));

describe('gzip result files', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'pb-gzip-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const gz = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };

  it('a .gz of a fixture gives the Series of the plain file, on this thread and in a worker, format detected on the inflated bytes', async () => {
    for (const rel of ['stacks/flask-k6/perf/results/k6.json', 'jmeter/results.jtl', 'hey/decide.csv', 'hdrhistogram/jHiccup-2.0.7S.logV2.hlog', 'locust/run_stats.csv']) {
      const plain = path.join(FIXTURES, rel);
      const expected = content(await summarizeFile(plain, { mainThread: true }));
      assert.ok(expected.length > 0, rel);
      const file = gz(`${path.basename(rel)}.gz`, gzipSync(readFileSync(plain), { level: 6 }));
      const here = await summarizeFile(file, { mainThread: true, displayName: `${rel}.gz` });
      assert.deepEqual(content(here), expected, `${rel}: on this thread`);
      assert.ok(here.every((s) => s.source === `${rel}.gz`), `${rel}: named as the .gz file`);
      // From a worker, histograms crossed the thread boundary encoded: compare them after the same round trip.
      const inWorker = await summarizeFile(file, { mainThread: false, workerMinBytes: 0 });
      assert.deepEqual(content(inWorker), content(roundTrip(await summarizeFile(plain, { mainThread: true }))), `${rel}: in a worker`);
    }
  });

  it('k6 output gzipped: counts and errors equal what was generated; a gzip file is recognised by its magic, whatever its name', async () => {
    const data = makeK6(5000, 7);
    const file = gz('results-no-suffix', gzipSync(data.text));
    const series = await summarizeFile(file, { mainThread: true });
    assert.deepEqual(
      series.map((s) => [s.name, s.count, s.errors]),
      [...data.expected].filter(([, e]) => e.values.length > 0).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, e]) => [k, e.values.length, e.errors]),
    );
  });

  it('reads a multi-member gzip (cat a.gz b.gz) whole, as zcat does', async () => {
    const lines = makeK6(3000, 9).text.split('\n');
    const cut = 4001; // members split mid-file, on a line boundary, and again mid-line
    const parts = [lines.slice(0, cut).join('\n') + '\n', lines.slice(cut).join('\n').slice(0, 999), lines.slice(cut).join('\n').slice(999)];
    const plain = gz('whole.json', Buffer.from(lines.join('\n')));
    const multi = gz('multi.json.gz', Buffer.concat(parts.map((p) => gzipSync(p))));
    assert.deepEqual(content(await summarizeFile(multi, { mainThread: true })), content(await summarizeFile(plain, { mainThread: true, parallel: false })));
  });

  it('a truncated or corrupt gzip is a one-line InputError naming the file and the bytes inflated before it', async () => {
    const whole = gzipSync(makeK6(20_000, 3).text);
    const truncated = gz('truncated.json.gz', whole.subarray(0, Math.floor(whole.length * 0.6)));
    // Corrupt where zlib itself must notice: the compression method (byte 2), the CRC-32 trailer.
    const badMethod = Buffer.from(whole);
    badMethod[2] = 7;
    const badCrc = Buffer.from(whole);
    badCrc[whole.length - 8] = badCrc[whole.length - 8]! ^ 0xff;
    // Corrupt mid-stream: inflates to garbage the reader refuses first, or zlib does; either way one line naming the file.
    const garbage = Buffer.from(whole);
    for (let i = 5000; i < 5040; i++) garbage[i] = 0xff - garbage[i]!;
    const cases = [
      [gz('method.json.gz', badMethod), /^method\.json\.gz: corrupt gzip data \(unknown compression method\) after 0 B$/],
      [gz('crc.json.gz', badCrc), /^crc\.json\.gz: corrupt gzip data \(incorrect data check\) after \d+(\.\d+)? MB$/],
      [gz('garbage.json.gz', garbage), /^garbage\.json\.gz(:\d+)?: [^\n]+$/],
    ] as const;
    for (const mainThread of [true, false]) {
      const opts = { mainThread, workerMinBytes: 0 };
      await assert.rejects(summarizeFile(truncated, { ...opts, displayName: 'results/truncated.json.gz' }), (e: unknown) => {
        assert.ok(e instanceof InputError, String(e));
        assert.match(e.message, /^results\/truncated\.json\.gz: truncated gzip data \(unexpected end of file\) after \d+(\.\d+)? MB$/);
        return true;
      });
      for (const [file, message] of cases) {
        await assert.rejects(summarizeFile(file, { ...opts, displayName: path.basename(file) }), (e: unknown) => {
          assert.ok(e instanceof InputError, String(e));
          assert.match(e.message, message);
          return true;
        });
      }
    }
    // Inflating to nothing, or to no known format: named as the .gz file.
    await assert.rejects(summarizeFile(gz('empty.json.gz', gzipSync('')), { mainThread: true, displayName: 'empty.json.gz' }), (e: unknown) => e instanceof InputError && e.message === 'empty.json.gz: empty file');
    await assert.rejects(summarizeFile(gz('odd.txt.gz', gzipSync('what is this\n')), { mainThread: true, displayName: 'odd.txt.gz' }), (e: unknown) => e instanceof InputError && e.file === 'odd.txt.gz' && /unknown result format/.test(e.message));
    // Broken in its first bytes (before the head is inflated), and gzip's magic alone.
    await assert.rejects(summarizeFile(gz('stub.gz', Buffer.from([0x1f, 0x8b])), { mainThread: true }), (e: unknown) => e instanceof InputError && /truncated gzip data/.test(e.message));
  });

  it('keeps the other files\' results when one .gz is broken', async () => {
    const good = gz('good.json.gz', gzipSync(makeK6(2000, 4).text));
    const whole = gzipSync(makeK6(4000, 5).text);
    const bad = gz('bad.json.gz', whole.subarray(0, whole.length - 100));
    const outcomes = await readFiles([{ file: good }, { file: bad }, { file: good }], { threads: 2 });
    const expected = content(await summarizeFile(good, { mainThread: true }));
    assert.ok('series' in outcomes[0]! && 'series' in outcomes[2]!);
    assert.deepEqual(content((outcomes[0] as { series: Series[] }).series), expected);
    assert.deepEqual(content((outcomes[2] as { series: Series[] }).series), expected);
    const failed = outcomes[1]!;
    assert.ok('error' in failed && failed.error instanceof InputError && /truncated gzip data/.test(failed.error.message), JSON.stringify(failed));
  });

  it('a results glob "results/*.json.gz" finds the gzip files (and only them) to read', async () => {
    mkdirSync(path.join(dir, 'results'));
    const data = makeK6(1000, 8);
    writeFileSync(path.join(dir, 'results/a.json.gz'), gzipSync(data.text));
    writeFileSync(path.join(dir, 'results/b.json.gz'), gzipSync(data.text));
    writeFileSync(path.join(dir, 'results/c.json'), data.text);
    const files = await expandResults(['results/*.json.gz'], dir);
    assert.deepEqual(files, [path.join(dir, 'results/a.json.gz'), path.join(dir, 'results/b.json.gz')]);
    const outcomes = await readFiles(files.map((file) => ({ file })), { threads: 2 });
    const plain = content(await summarizeFile(path.join(dir, 'results/c.json'), { mainThread: true }));
    assert.deepEqual(outcomes.map((o) => ('series' in o ? content(o.series) : o)), [plain, plain]);
  });

  it('stops inflating when its signal is aborted (an AbortError)', async () => {
    const file = gz('abort.json.gz', gzipSync(makeK6(20_000, 6).text));
    for (const mainThread of [true, false]) {
      const ac = new AbortController();
      const run = summarizeFile(file, { mainThread, workerMinBytes: 0, signal: ac.signal });
      setImmediate(() => ac.abort());
      await assert.rejects(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
    }
  });
});
