import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../src/core/errors';
import { expandResults, MAX_GLOB_MATCHES } from '../../../src/node/resultFiles';
import { baselinePath, loadConfigFile, readBenchmarkResults } from '../../../src/node/workspaceFiles';

const HEY = 'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n0.0100,0,0,0,0.0098,0,200,0.0001\n';

describe('result globs and paths stay inside the workspace', function () {
  this.timeout(60_000);
  let root: string;
  let ws: string;
  let outside: string;
  before(() => {
    root = mkdtempSync(path.join(tmpdir(), 'pb-globs-'));
    ws = path.join(root, 'ws');
    outside = path.join(root, 'outside');
    mkdirSync(path.join(ws, 'perf/results'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(path.join(outside, 'secret.csv'), HEY);
    writeFileSync(path.join(ws, 'perf/results/decide.csv'), HEY);
    symlinkSync(path.join(outside, 'secret.csv'), path.join(ws, 'perf/results/link.csv'));
    symlinkSync(outside, path.join(ws, 'perf/results/dirlink'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  const rel = (files: string[]) => files.map((f) => path.relative(ws, f));
  const config = async (body: object) => {
    const file = path.join(ws, 'perf-budgets.json');
    writeFileSync(file, JSON.stringify({ budgets: {}, ...body }));
    return loadConfigFile(file, (p) => path.relative(ws, p) || '.');
  };
  const refuses = async (p: Promise<unknown>, file: string, message: RegExp) =>
    assert.rejects(p, (e: unknown) => {
      assert.ok(e instanceof InputError, String(e));
      assert.equal(e.file, file);
      assert.match(e.message, message);
      return true;
    });

  it('does not follow symlinks out of the workspace: a linked file, a linked folder, even named literally', async () => {
    assert.deepEqual(rel(await expandResults(['perf/results/*.csv', 'perf/results/**/*.csv', '**/*'], ws)), ['perf/results/decide.csv']);
    assert.deepEqual(await expandResults(['perf/results/link.csv', 'perf/results/dirlink/secret.csv', 'perf/results/dirlink/*'], ws), []);
  });

  it('refuses a config glob that climbs out ("../x/*", "perf/../../x") or is absolute, naming the config', async () => {
    for (const glob of ['../outside/*.csv', 'perf/../../outside/*.csv', path.join(outside, '*.csv'), '..']) {
      await refuses(expandResults([glob], ws, { source: 'perf-budgets.json' }), 'perf-budgets.json', /points outside the workspace folder/);
    }
    const loaded = await config({ benchmarks: { api: { command: 'true', results: ['perf/results/*.csv', '../outside/*.csv'] } } });
    await refuses(readBenchmarkResults(loaded), 'perf-budgets.json', /results glob "\.\.\/outside\/\*\.csv" points outside the workspace folder/);
    // Inside is fine, and a ".." that stays inside too.
    const ok = await config({ benchmarks: { api: { command: 'true', results: ['perf/results/../results/*.csv'] } } });
    assert.deepEqual((await readBenchmarkResults(ok)).map((s) => s.name), ['decide']);
    // Globs typed on the command line may point anywhere.
    assert.deepEqual((await readBenchmarkResults(ok, { globs: ['../outside/*.csv'], globCwd: ws })).map((s) => s.name), ['secret']);
  });

  it(`caps a glob at ${MAX_GLOB_MATCHES} files with an InputError naming the config`, async () => {
    const many = path.join(ws, 'many');
    mkdirSync(many);
    // One more file than the cap (xargs touch: thousands of files in a few processes).
    execFileSync('sh', ['-c', `seq 0 ${MAX_GLOB_MATCHES} | sed 's/$/.csv/' | xargs touch`], { cwd: many });
    await refuses(expandResults(['many/*.csv'], ws, { source: 'perf-budgets.json' }), 'perf-budgets.json', new RegExp(`matches more than ${MAX_GLOB_MATCHES} files`));
    rmSync(many, { recursive: true, force: true });
  });

  it('refuses a baseline path outside the workspace folder (where `baseline update` would write)', async () => {
    for (const b of ['../baseline.json', path.join(outside, 'baseline.json'), 'perf/../../x.json', '.']) {
      const loaded = await config({ baseline: b });
      assert.throws(() => baselinePath(loaded), (e: unknown) => e instanceof InputError && e.file === 'perf-budgets.json' && /outside the workspace folder/.test(e.message));
    }
    assert.equal(baselinePath(await config({ baseline: 'perf/baseline.json' })), path.join(ws, 'perf/baseline.json'));
    assert.equal(baselinePath(await config({ baseline: 'perf/new/dir/baseline.json' })), path.join(ws, 'perf/new/dir/baseline.json'));
    // Through a symlinked folder that leads out of the workspace.
    const loaded = await config({ baseline: 'perf/results/dirlink/sub/baseline.json' });
    assert.throws(() => baselinePath(loaded), (e: unknown) => e instanceof InputError && /through a symlink/.test(e.message));
  });
});
