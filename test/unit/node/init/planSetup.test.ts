// planSetup's walk is bounded: dependency and build folders skipped, no symlink out of the
// folder followed, at most maxFiles files, big sources skipped, and it only reads.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { planSetup } from '../../../../src/node/init/planSetup';
import { walkFolder } from '../../../../src/node/init/walkFolder';

const EXPRESS = "const app = require('express')();\napp.get('/api/x', (req, res) => res.end());\napp.listen(3000);\n";

describe('planSetup', () => {
  let dir = '';
  let outside = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perf-budgets-plan-'));
    outside = mkdtempSync(path.join(tmpdir(), 'perf-budgets-outside-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  it('skips node_modules, .git, venv, dist and build; follows no symlink out of the folder', async () => {
    for (const d of ['node_modules/lib', '.git', 'venv/lib', 'dist', 'build', 'src']) mkdirSync(path.join(dir, d), { recursive: true });
    for (const d of ['node_modules/lib', '.git', 'venv/lib', 'dist', 'build']) writeFileSync(path.join(dir, d, 'server.js'), EXPRESS.replace('/api/x', `/api/${d.split('/')[0]}`));
    writeFileSync(path.join(dir, 'src/server.js'), EXPRESS);
    writeFileSync(path.join(outside, 'other.js'), EXPRESS.replace('/api/x', '/api/outside'));
    symlinkSync(outside, path.join(dir, 'linked'));
    symlinkSync(path.join(dir, 'src'), path.join(dir, 'src-again'));
    const plan = await planSetup(dir);
    assert.deepEqual(plan.routes.map((r) => `${r.method} ${r.path} ${r.file}`), ['GET /api/x src/server.js']);
    assert.deepEqual(plan.budgets.map((b) => b.handler), ['GET /api/x']);
    assert.ok(plan.notFound.includes('linked: a symlink leading outside the folder; not followed'), plan.notFound.join('\n'));
  });

  it('stops at maxFiles and says so; skips sources over 2 MiB', async () => {
    for (let i = 0; i < 30; i++) writeFileSync(path.join(dir, `f${String(i).padStart(2, '0')}.txt`), 'x\n');
    const walk = await walkFolder(dir, { maxFiles: 10 });
    assert.equal(walk.files.length, 10);
    assert.equal(walk.truncated, true);
    writeFileSync(path.join(dir, 'big.js'), `${EXPRESS}//${'x'.repeat(2 * 1024 * 1024)}\n`);
    const plan = await planSetup(dir, { maxFiles: 100 });
    assert.deepEqual(plan.routes, []);
    assert.ok(plan.notFound.includes('1 source or script file over 2 MiB skipped'), plan.notFound.join('\n'));
    const truncated = await planSetup(dir, { maxFiles: 5 });
    assert.ok(truncated.notFound.includes('stopped after 5 files: the rest of the folder was not looked at'));
  });

  it('only reads: the folder is as it was, and an aborted signal stops it', async () => {
    mkdirSync(path.join(dir, 'src'));
    writeFileSync(path.join(dir, 'src/server.js'), EXPRESS);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { start: 'node src/server.js' } }));
    const plan = await planSetup(dir);
    assert.deepEqual(plan.start, { command: 'npm start', port: 3000, source: 'package.json scripts.start' });
    assert.deepEqual(readdirSync(dir).sort(), ['package.json', 'src']);
    const abort = new AbortController();
    abort.abort(new Error('stop'));
    await assert.rejects(planSetup(dir, { signal: abort.signal }), /stop/);
  });
});
