import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { mergeByName } from '../../../src/core/budgets/mergeSeries';
import { InputError } from '../../../src/core/errors';
import type { Series } from '../../../src/core/series';
import { type FileOutcome, type ReadFilesProgress, readFiles, seriesOrThrow } from '../../../src/node/read/readFiles';
import { resetWorkerPeak, workersAlive } from '../../../src/node/read/scanPool';
import { summarizeFile } from '../../../src/node/read/summarizeFile';
import { fingerprint, makeHey, makeK6 } from '../core/formats/rawGen';

describe('readFiles: many result files in parallel, bounded by the threads', function () {
  this.timeout(120_000);
  let dir: string;
  let files: string[];
  /** Requests per series over all files, from the generators (independent of any reader). */
  const generated = new Map<string, { count: number; errors: number }>();
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pb-many-'));
    files = [];
    for (let i = 0; i < 8; i++) {
      const data = makeK6(1500 + 250 * i, 100 + i);
      for (const [name, e] of data.expected) {
        const sum = generated.get(name) ?? { count: 0, errors: 0 };
        generated.set(name, { count: sum.count + e.values.length, errors: sum.errors + e.errors });
      }
      const file = path.join(dir, `gen${i}.json${i % 3 === 2 ? '.gz' : ''}`);
      writeFileSync(file, i % 3 === 2 ? gzipSync(data.text) : data.text);
      files.push(file);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const oneByOne = async (): Promise<Series[]> => {
    const all: Series[] = [];
    for (const file of files) all.push(...(await summarizeFile(file, { mainThread: true, parallel: false })));
    return all;
  };

  it('8 files read in parallel give exactly the merged histograms and counts of reading them one by one', async () => {
    const expected = mergeByName(await oneByOne());
    assert.deepEqual(
      expected.map((s) => [s.name, s.count, s.errors]),
      [...generated].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, g]) => [name, g.count, g.errors]),
      'the one-by-one read counts what was generated',
    );
    // parallelMinBytes/workerMinBytes 0: every file goes to a worker; else these small files stream on this thread.
    for (const [threads, inWorkers] of [
      [2, true],
      [8, false],
    ] as const) {
      const outcomes = await readFiles(
        files.map((file) => ({ file })),
        { threads, mainThread: true, ...(inWorkers ? { parallelMinBytes: 0, workerMinBytes: 0 } : {}) },
      );
      const got = mergeByName(seriesOrThrow(outcomes).flat());
      assert.deepEqual(fingerprint(got), fingerprint(expected), `threads ${threads}`);
      assert.deepEqual(outcomes.map((o) => o.file), files, 'outcomes in file order');
    }
  });

  it('never runs more reads, nor keeps more worker threads alive, than the threads it is given', async () => {
    for (const threads of [1, 3]) {
      resetWorkerPeak();
      const running: number[] = [];
      await readFiles(
        files.map((file) => ({ file })),
        { threads, parallelMinBytes: 0, workerMinBytes: 0, onReadStart: (n) => running.push(n) },
      );
      assert.equal(running.length, files.length, 'one start per file');
      assert.ok(Math.max(...running) <= threads, `threads ${threads}: ${running.join(',')} reads at once`);
      const { peak, live } = workersAlive();
      assert.ok(peak >= 1 && peak <= threads, `threads ${threads}: ${peak} workers alive at once`);
      assert.equal(live, 0, 'every worker has exited');
    }
  });

  it('reports the progress of the whole read: bytes over all files, growing to their total', async () => {
    const seen: ReadFilesProgress[] = [];
    await readFiles(
      files.map((file) => ({ file, options: { displayName: path.basename(file) } })),
      { threads: 2, onProgress: (p) => seen.push(p) },
    );
    const total = files.reduce((n, f) => n + statSync(f).size, 0);
    assert.ok(seen.every((p) => p.totalBytes === total && p.files === 8 && p.reading.length <= 2));
    assert.ok(seen.every((p, i) => i === 0 || (p.bytesRead >= seen[i - 1]!.bytesRead && p.done >= seen[i - 1]!.done)), 'never goes back');
    assert.deepEqual(seen.at(-1), { bytesRead: total, totalBytes: total, files: 8, done: 8, reading: [] });
    assert.ok(seen.some((p) => p.reading.includes('gen0.json')));
  });

  it('stopAfterError: a failed file stops the reads after it; the first failure in file order is thrown', async () => {
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, `${makeHey(50, 1).text}not,a,row\n`);
    const list = [bad, ...files].map((file) => ({ file, options: { displayName: path.basename(file) } }));
    const outcomes: FileOutcome[] = await readFiles(list, { threads: 1, stopAfterError: true });
    assert.ok('error' in outcomes[0]! && outcomes[0].error instanceof InputError && outcomes[0].error.file === 'bad.csv', JSON.stringify(outcomes[0]));
    assert.ok(outcomes.slice(1).every((o) => 'skipped' in o), 'the files after it are not read');
    assert.throws(() => seriesOrThrow(outcomes), (e: unknown) => e instanceof InputError && e.file === 'bad.csv');
    // In parallel, files before the failed one are still read in full.
    const later = await readFiles([...list.slice(1, 4), list[0]!, ...list.slice(4)], { threads: 2, stopAfterError: true });
    assert.ok(later.slice(0, 3).every((o) => 'series' in o && o.series.length > 0));
    assert.ok('error' in later[3]!);
    assert.ok(later.slice(4).every((o) => !('error' in o)));
  });

  it('an abort stops every read (an AbortError)', async () => {
    const ac = new AbortController();
    const run = readFiles(
      files.map((file) => ({ file })),
      { threads: 2, signal: ac.signal, parallelMinBytes: 0, onReadStart: () => ac.abort() },
    );
    await assert.rejects(run, (e: unknown) => e instanceof Error && e.name === 'AbortError');
  });
});
