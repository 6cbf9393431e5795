import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { HttpBenchmark } from '../../../src/core/config/httpBenchmark';
import type { Series } from '../../../src/core/series';
import { runHttpBenchmark } from '../../../src/node/httpBench';
import { listRuns, recordRun, RUN_HISTORY_DIR } from '../../../src/node/runHistory';
import { oneLineInputError, strangerWorkspace } from './strangerWorkspace';

/**
 * Issue #13, A: a stranger's repository commits symlinks (git stores them) so that what the
 * extension writes or prunes inside the workspace lands in, or deletes from, a folder outside it.
 * Each test builds the links in a temporary workspace with a "victim" folder beside it.
 */

const META = { createdAt: '2024-05-01T08:00:00.000Z', commit: null, tool: 'test', machine: { cpu: 'cpu', cores: 2, os: 'linux', fingerprint: 'abc' } };
const SERIES: Series[] = [
  { name: 'GET /a', format: 'wrk', source: 'a.txt', count: 100, errors: 0, durationSec: 10, throughputPerSec: 10, exact: true, histogram: null, percentiles: { '50': 5, '95': 10 }, minMs: 1, maxMs: 20, meanMs: 5 },
];
const runName = (i: number) => `2024-05-01T08-${String(Math.floor(i / 60)).padStart(2, '0')}-${String(i % 60).padStart(2, '0')}-000Z.json`;

describe('writes and deletes do not follow symlinks out of the workspace (#13)', function () {
  this.timeout(30_000);
  const dirs = strangerWorkspace('pb-symw-');
  const refused = (what: RegExp) => oneLineInputError(what);

  it('the HTTP benchmark does not write its HDR log through a committed perf/out -> victim link, and starts nothing', async () => {
    const { ws, victim } = dirs;
    const server = http.createServer((req, res) => {
      req.resume();
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      mkdirSync(path.join(ws, 'perf'));
      symlinkSync(victim, path.join(ws, 'perf/out'));
      const spec = (results: string): HttpBenchmark => ({
        baseUrl,
        requests: [{ handler: 'GET /a', path: '/a', method: 'GET', headers: {}, weight: 1 }],
        durationMs: 300,
        connections: 1,
        readyTimeoutMs: 5000,
        results,
        allowRemote: false,
        start: 'touch started',
      });
      for (const results of ['perf/out/api.hlog', 'perf/out/new/dir/api.hlog']) {
        await assert.rejects(runHttpBenchmark({ benchmark: 'api', workspace: ws, cwd: ws, http: spec(results) }, () => {}), refused(/perf\/out.*outside the workspace folder.*not written/));
      }
      // The log itself a link to a victim's file: not replaced, not written through.
      writeFileSync(path.join(victim, 'keep.txt'), 'mine');
      symlinkSync(path.join(victim, 'keep.txt'), path.join(ws, 'perf/api.hlog'));
      await assert.rejects(runHttpBenchmark({ benchmark: 'api', workspace: ws, cwd: ws, http: spec('perf/api.hlog') }, () => {}), refused(/perf\/api\.hlog.*a symlink.*not written/));
      assert.ok(lstatSync(path.join(ws, 'perf/api.hlog')).isSymbolicLink());
      assert.deepEqual(readdirSync(victim), ['keep.txt']);
      assert.equal(readFileSync(path.join(victim, 'keep.txt'), 'utf8'), 'mine');
      assert.ok(!existsSync(path.join(ws, 'started')), 'refused before the service was started');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('run history: a committed .perf-budgets/runs -> victim link is neither written nor pruned (121 victim files stay 121)', () => {
    const { ws, victim } = dirs;
    for (let i = 0; i < 61; i++) writeFileSync(path.join(victim, runName(i)), '{}');
    for (let i = 0; i < 60; i++) writeFileSync(path.join(victim, `doc-${i}.json`), '{"mine":true}');
    mkdirSync(path.join(ws, '.perf-budgets'));
    symlinkSync(victim, path.join(ws, RUN_HISTORY_DIR));
    assert.throws(
      () => recordRun(ws, { benchmarks: ['api'], startedAt: '2024-05-02T08:00:00.000Z', finishedAt: '2024-05-02T08:00:01.000Z' }, SERIES, META, 50),
      refused(/\.perf-budgets\/runs.*outside the workspace folder.*not written/),
    );
    assert.equal(readdirSync(victim).length, 121);
    assert.deepEqual(listRuns(ws), [], 'a linked history folder is not read either');
    // The folder above it linked out: the same.
    rmSync(path.join(ws, '.perf-budgets'), { recursive: true });
    symlinkSync(victim, path.join(ws, '.perf-budgets'));
    mkdirSync(path.join(victim, 'runs'));
    for (let i = 0; i < 55; i++) writeFileSync(path.join(victim, 'runs', runName(i)), '{}');
    assert.throws(() => recordRun(ws, { benchmarks: ['api'], startedAt: '2024-05-02T08:00:00.000Z', finishedAt: '2024-05-02T08:00:01.000Z' }, SERIES, META, 50), refused(/outside the workspace folder/));
    assert.equal(readdirSync(path.join(victim, 'runs')).length, 55);
  });

  it('pruning deletes only run-named regular files of the real history folder: no other *.json, no links, no folders', () => {
    const { ws, victim } = dirs;
    const dir = path.join(ws, RUN_HISTORY_DIR);
    mkdirSync(dir, { recursive: true });
    for (let i = 0; i < 5; i++) writeFileSync(path.join(dir, runName(i)), '{}');
    writeFileSync(path.join(dir, 'notes.json'), '{"mine":true}');
    writeFileSync(path.join(dir, 'package.json'), '{}');
    writeFileSync(path.join(victim, 'target.json'), '{"mine":true}');
    symlinkSync(path.join(victim, 'target.json'), path.join(dir, runName(5)));
    mkdirSync(path.join(dir, runName(6)));
    recordRun(ws, { benchmarks: ['api'], startedAt: '2024-05-02T08:00:00.000Z', finishedAt: '2024-05-02T08:00:01.000Z' }, SERIES, META, 2);
    assert.deepEqual(readdirSync(dir).sort(), [runName(4), runName(5), runName(6), '2024-05-02T08-00-01-000Z.json', 'notes.json', 'package.json'].sort());
    assert.ok(lstatSync(path.join(dir, runName(5))).isSymbolicLink(), 'the link is left alone');
    assert.equal(readFileSync(path.join(victim, 'target.json'), 'utf8'), '{"mine":true}');
    assert.deepEqual(listRuns(ws).map((f) => path.basename(f)), [runName(4), '2024-05-02T08-00-01-000Z.json']);
  });
});
