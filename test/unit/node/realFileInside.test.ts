import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { realFileInside } from '../../../src/node/realFileInside';

// Issue #13: the hover's "Open result file" links carry a folder and a path from the workspace;
// the command opens only a regular file whose real path lies inside that folder's.
describe('realFileInside (what perfBudgets.openResultFile may open)', () => {
  let root: string;
  let ws: string;
  let outside: string;
  before(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'perf-budgets-inside-')));
    ws = path.join(root, 'ws');
    outside = path.join(root, 'secret.txt');
    mkdirSync(path.join(ws, 'perf', 'results'), { recursive: true });
    writeFileSync(path.join(ws, 'perf', 'results', 'a.json'), '{}');
    writeFileSync(outside, 'secret');
    mkdirSync(path.join(root, 'elsewhere'));
    writeFileSync(path.join(root, 'elsewhere', 'b.json'), '{}');
    symlinkSync(outside, path.join(ws, 'perf', 'results', 'link.json'));
    symlinkSync(path.join(root, 'elsewhere'), path.join(ws, 'perf', 'linked'));
    symlinkSync(path.join(ws, 'perf', 'results', 'a.json'), path.join(ws, 'inner.json'));
    symlinkSync(ws, path.join(root, 'ws-link'));
    execFileSync('mkfifo', [path.join(ws, 'perf', 'fifo')]);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('opens a regular file inside the folder, by its real path', () => {
    const a = path.join(ws, 'perf', 'results', 'a.json');
    assert.deepEqual(realFileInside(ws, 'perf/results/a.json'), { ok: true, path: a });
    assert.deepEqual(realFileInside(ws, a), { ok: true, path: a }, 'an absolute path inside');
    assert.deepEqual(realFileInside(ws, 'perf/../perf/results/a.json'), { ok: true, path: a });
    assert.deepEqual(realFileInside(ws, 'inner.json'), { ok: true, path: a }, 'a symlink to a file inside');
    assert.deepEqual(realFileInside(path.join(root, 'ws-link'), 'perf/results/a.json'), { ok: true, path: a }, 'a folder opened through a symlink');
  });

  it('refuses anything outside: .., an absolute path, a symlink to a file or through a folder outside', () => {
    for (const file of ['../secret.txt', outside, 'perf/results/link.json', 'perf/linked/b.json', '/etc/passwd']) {
      assert.deepEqual(realFileInside(ws, file), { ok: false, reason: 'it is outside the workspace folder' }, file);
    }
  });

  it('refuses what is not a regular file, and what does not exist', () => {
    for (const file of ['perf', '', '.', 'perf/fifo']) assert.deepEqual(realFileInside(ws, file), { ok: false, reason: 'it is not a regular file' }, file);
    for (const file of ['perf/results/none.json', 'a\u0000b']) assert.deepEqual(realFileInside(ws, file), { ok: false, reason: 'no such file' }, file);
    assert.deepEqual(realFileInside(path.join(root, 'none'), 'a.json'), { ok: false, reason: 'the workspace folder is not there' });
  });
});
