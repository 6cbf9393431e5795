import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../src/core/errors';
import { parseHeyHeader } from '../../../src/core/formats/heyCsvKernel';
import type { KernelSpec } from '../../../src/core/formats/reader';
import type { Series } from '../../../src/core/series';
import { scanFileParallel } from '../../../src/node/read/scanPool';
import { summarizeFile } from '../../../src/node/read/summarizeFile';
import { fingerprint, makeHey, makeK6 } from '../core/formats/rawGen';

describe('summarizeFile and the parallel scan', function () {
  this.timeout(60_000);
  let dir: string;
  let k6File: string;
  let heyFile: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pb-scan-'));
    k6File = path.join(dir, 'k6.json');
    heyFile = path.join(dir, 'decide.csv');
    writeFileSync(k6File, makeK6(6000, 21).text);
    writeFileSync(heyFile, makeHey(30000, 22).text);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const parallel = (file: string, spec: KernelSpec, taskBytes: number, mainThread: boolean, dataStart = 0): Promise<Series[]> =>
    scanFileParallel(file, statSync(file).size, spec, { threads: 2, mainThread, dataStart, taskBytes });

  it('k6-json: the parallel path equals the single-threaded reader (encoded histograms identical), ranges cut anywhere', async () => {
    const single = fingerprint(await summarizeFile(k6File, { parallel: false }));
    assert.equal(single.length, 3);
    for (const [taskBytes, mainThread] of [
      [4099, true],
      [65536, false],
      [1 << 20, true],
      [333_333, false],
    ] as const) {
      const got = fingerprint(await parallel(k6File, { format: 'k6-json', fileName: k6File }, taskBytes, mainThread));
      assert.deepEqual(got, single, `taskBytes ${taskBytes}, mainThread ${mainThread}`);
    }
    assert.deepEqual(fingerprint(await summarizeFile(k6File, { parallel: true, threads: 2 })), single);
  });

  it('the calling thread, done with every task, does not wait for a worker that never started claiming', async () => {
    // A worker that boots but never claims (as one still booting on a busy machine): the scan must
    // end with the calling thread's answer, not wait for it (before, this read never ended).
    const never = path.join(dir, 'never-claims.js');
    writeFileSync(never, 'setInterval(() => {}, 1000);\n');
    const single = fingerprint(await summarizeFile(k6File, { parallel: false }));
    const got = await scanFileParallel(k6File, statSync(k6File).size, { format: 'k6-json', fileName: k6File }, { threads: 2, mainThread: true, dataStart: 0, workerScript: never });
    assert.deepEqual(fingerprint(got), single);
  });

  it('hey-csv: the parallel path equals the single-threaded reader', async () => {
    const single = fingerprint(await summarizeFile(heyFile, { parallel: false }));
    const headerEnd = 91;
    const cols = parseHeyHeader('response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset')!;
    for (const taskBytes of [977, 50_000, 1 << 20]) {
      const got = await parallel(heyFile, { format: 'hey-csv', fileName: heyFile, header: cols }, taskBytes, taskBytes !== 977, headerEnd);
      assert.deepEqual(fingerprint(got), single, `taskBytes ${taskBytes}`);
    }
    assert.deepEqual(fingerprint(await summarizeFile(heyFile, { parallel: true, mainThread: true })), single);
    // Below the threshold with mainThread: scanned in this thread with positioned reads.
    assert.deepEqual(fingerprint(await summarizeFile(heyFile, { mainThread: true })), single);
    assert.deepEqual(fingerprint(await summarizeFile(k6File, { mainThread: true })), fingerprint(await summarizeFile(k6File)));
  });

  it('reports the same file:line for bad input in the parallel path as the reader does', async () => {
    const good = makeK6(3000, 5).text.split('\n');
    const badFile = path.join(dir, 'bad.json');
    const durationLine = good.findIndex((l, i) => i > 9000 && l.endsWith('"metric":"http_req_duration"}'));
    for (const [at, bad] of [
      [7000, 'not json at all'],
      [durationLine, good[durationLine]!.replace('"value":', '"value":-')],
    ] as const) {
      const lines = [...good];
      lines[at] = bad;
      writeFileSync(badFile, lines.join('\n'));
      const errOf = async (p: Promise<unknown>) => {
        try {
          await p;
        } catch (e) {
          return e;
        }
        return null;
      };
      const single = await errOf(summarizeFile(badFile, { parallel: false }));
      const par = await errOf(parallel(badFile, { format: 'k6-json', fileName: badFile }, 100_000, true));
      assert.ok(single instanceof InputError && par instanceof InputError, `${single} / ${par}`);
      assert.equal(single.line, at + 1);
      assert.equal(par.message, single.message);
    }
    // A half-written last line is an error in both paths too.
    writeFileSync(badFile, `${good.slice(0, 4000).join('\n')}\n${good[4000]!.slice(0, 100)}`);
    await assert.rejects(summarizeFile(badFile, { parallel: true }), (e: unknown) => e instanceof InputError && e.line === 4001);
    await assert.rejects(summarizeFile(badFile, { parallel: false }), (e: unknown) => e instanceof InputError && e.line === 4001);
  });

  it('stops when its signal is aborted (an AbortError, not an InputError)', async () => {
    const ac = new AbortController();
    ac.abort();
    for (const parallel of [true, false]) {
      await assert.rejects(summarizeFile(k6File, { parallel, signal: ac.signal }), (e: unknown) => e instanceof Error && e.name === 'AbortError');
    }
    const ac2 = new AbortController();
    const run = summarizeFile(k6File, { parallel: true, threads: 2, signal: ac2.signal });
    setImmediate(() => ac2.abort());
    await assert.rejects(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });

  it('reads any other format through the registry, and names unreadable files', async () => {
    const f = path.join(dir, 'missing.json');
    await assert.rejects(summarizeFile(f), (e: unknown) => e instanceof InputError && /cannot read/.test(e.message));
    const s = await summarizeFile(heyFile, { displayName: 'perf/results/decide.csv' });
    assert.equal(s[0]!.name, 'decide');
    assert.equal(s[0]!.source, 'perf/results/decide.csv');
  });

  it('any format: big files are read by a worker when the calling thread must not block (same Series, same errors)', async () => {
    const fixtures = path.resolve(__dirname, '../../fixtures');
    for (const rel of ['locust/run_stats.csv', 'jmeter/results-header.jtl', 'ab/decide.tsv', 'wrk/slow.txt', 'prometheus/metrics.txt']) {
      const file = path.join(fixtures, rel);
      const here = fingerprint(await summarizeFile(file, { mainThread: true }));
      const inWorker = fingerprint(await summarizeFile(file, { mainThread: false, workerMinBytes: 0 }));
      assert.deepEqual(inWorker, here, rel);
    }
    const broken = path.join(dir, 'broken.jtl');
    writeFileSync(broken, 'timeStamp,elapsed,label,responseCode,success\n1700000000000,12,GET /x,200,true\n1700000000001,oops,GET /x,200,true\n');
    await assert.rejects(summarizeFile(broken, { mainThread: false, workerMinBytes: 0, displayName: 'broken.jtl' }), (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.file, 'broken.jtl');
      assert.equal(e.line, 3);
      return true;
    });
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(summarizeFile(path.join(fixtures, 'locust/run_stats.csv'), { mainThread: false, workerMinBytes: 0, signal: aborted.signal }));
  });

  it('a worker read reports its progress (bytes read, file size) and stops mid-file when aborted', async () => {
    const jtl = path.join(dir, 'progress.jtl');
    // A quoted label sends every row through the JTL line reader (not the byte kernel), so the read
    // lasts several progress intervals (250 ms) even on a fast machine.
    const row = '1700000000000,12,"GET /x, y",200,OK,t,text,true,,100\n';
    writeFileSync(jtl, `timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes\n${row.repeat(1_200_000)}`);
    const size = statSync(jtl).size;
    const seen: Array<[number, number]> = [];
    const series = await summarizeFile(jtl, { mainThread: false, workerMinBytes: 0, onProgress: (bytes, total) => seen.push([bytes, total]) });
    assert.equal(series[0]!.count, 1_200_000);
    assert.deepEqual(seen[0], [0, size], 'the first report is the start');
    assert.ok(seen.length > 1, 'no progress reported while reading');
    assert.ok(seen.every(([b, t], i) => t === size && b <= size && (i === 0 || b > seen[i - 1]![0])), JSON.stringify(seen));
    // Aborted at its first report of bytes read: the worker is terminated, the read rejects as aborted.
    const ac = new AbortController();
    let reports = 0;
    await assert.rejects(
      summarizeFile(jtl, { mainThread: false, workerMinBytes: 0, signal: ac.signal, onProgress: (b) => (b > 0 ? (reports++, ac.abort()) : undefined) }),
      (e: unknown) => e instanceof Error && e.name === 'AbortError',
    );
    assert.equal(reports, 1, 'no progress after the abort');
  });
});
