import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setProcessPolicy } from '../../../src/node/processGate';
import { type WhatChanged, whatChanged } from '../../../src/node/whatChanged';

/** A real repository in a temp folder; commits get fixed dates so they can be checked exactly (test set-up, not the code under test). */
function makeRepo(prefix: string) {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  let day = 0;
  const git = (...args: string[]): string => {
    const date = `2024-01-${String(10 + day).padStart(2, '0')}T12:00:00+00:00`;
    return execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'Ada Test');
  git('config', 'user.email', 'ada@example.com');
  git('config', 'commit.gpgsign', 'false');
  const write = (file: string, text: string): void => writeFileSync(path.join(dir, file), text);
  const commit = (subject: string): string => {
    day++;
    git('add', '-A');
    git('commit', '-q', '-m', subject);
    return git('rev-parse', 'HEAD').trim();
  };
  return { dir, git, write, commit };
}

const api = (a: number, h: number) => `function a() {\n  return ${a};\n}\n\nfunction h(req, res) {\n  res.send(${h});\n}\n`;

const commitsOf = (r: WhatChanged) => {
  assert.equal(r.kind, 'changes', JSON.stringify(r));
  return r.kind === 'changes' ? r.commits.map((c) => ({ short: c.short, subject: c.subject, file: c.file, hunks: c.hunks })) : [];
};

describe('whatChanged: git log -L over a real repository', () => {
  const repo = makeRepo('pb-whatchanged-');
  let base = '';
  let editH = '';
  let editA = '';
  let rename = '';
  let editAfter = '';
  before(() => {
    repo.write('api.js', api(1, 2));
    base = repo.commit('base');
    repo.write('api.js', api(1, 3));
    editH = repo.commit('Make h send 3');
    repo.write('api.js', api(10, 3));
    editA = repo.commit('Make a return 10');
    repo.git('mv', 'api.js', 'server.js');
    rename = repo.commit('Rename api.js to server.js');
    repo.write('server.js', api(10, 4));
    editAfter = repo.commit('Make h send 4');
  });
  after(() => rmSync(repo.dir, { recursive: true, force: true }));

  it('lists the commits that edited the handler, newest first, across the rename, and not the one that edited another function', async () => {
    const r = await whatChanged(repo.dir, { file: 'server.js', start: 5, end: 7 }, base, editAfter);
    assert.equal(r.kind, 'changes');
    if (r.kind !== 'changes') return;
    assert.deepEqual(r.commits, [
      { hash: editAfter, short: editAfter.slice(0, 7), author: 'Ada Test', date: '2024-01-15T12:00:00+00:00', subject: 'Make h send 4', file: 'server.js', hunks: ['@@ -5,3 +5,3 @@\n function h(req, res) {\n-  res.send(3);\n+  res.send(4);\n }'] },
      { hash: editH, short: editH.slice(0, 7), author: 'Ada Test', date: '2024-01-12T12:00:00+00:00', subject: 'Make h send 3', file: 'api.js', hunks: ['@@ -5,3 +5,3 @@\n function h(req, res) {\n-  res.send(2);\n+  res.send(3);\n }'] },
    ]);
    assert.deepEqual(r.uncommitted, []);
    assert.equal(r.truncated, false);
    assert.ok(![editA, rename].some((h) => r.commits.some((c) => c.hash === h)));
  });

  it('the range of the other function lists only its own commit', async () => {
    const r = await whatChanged(repo.dir, { file: 'server.js', start: 1, end: 3 }, base, editAfter);
    assert.deepEqual(commitsOf(r), [{ short: editA.slice(0, 7), subject: 'Make a return 10', file: 'api.js', hunks: ['@@ -1,3 +1,3 @@\n function a() {\n-  return 1;\n+  return 10;\n }'] }]);
  });

  it('from..to excludes the baseline and earlier commits', async () => {
    const r = await whatChanged(repo.dir, { file: 'server.js', start: 5, end: 7 }, editH, rename);
    assert.deepEqual(commitsOf(r), []);
  });

  it('maxCommits bounds the list and says so; maxHunkLines cuts long hunks', async () => {
    const r = await whatChanged(repo.dir, { file: 'server.js', start: 5, end: 7 }, base, editAfter, { maxCommits: 1 });
    assert.deepEqual(commitsOf(r).map((c) => c.subject), ['Make h send 4']);
    assert.equal(r.kind === 'changes' && r.truncated, true);
    const cut = await whatChanged(repo.dir, { file: 'server.js', start: 5, end: 7 }, base, editAfter, { maxHunkLines: 2 });
    assert.deepEqual(commitsOf(cut)[0]!.hunks, ['@@ -5,3 +5,3 @@\n function h(req, res) {\n… 3 more lines']);
    assert.equal(cut.kind === 'changes' && cut.truncated, true);
  });

  it('a dirty tree: the working-tree hunk inside the range is listed, one above it is not, and the range is mapped back for the log', async () => {
    repo.write('server.js', `// top\n${api(10, 5)}`);
    try {
      const r = await whatChanged(repo.dir, { file: 'server.js', start: 6, end: 8 }, base, editAfter, { dirty: true });
      assert.equal(r.kind, 'changes');
      if (r.kind !== 'changes') return;
      assert.deepEqual(r.uncommitted, ['@@ -6 +7 @@ function h(req, res) {\n-  res.send(4);\n+  res.send(5);']);
      assert.deepEqual(
        r.commits.map((c) => c.subject),
        ['Make h send 4', 'Make h send 3'],
      );
    } finally {
      repo.git('checkout', '-q', '--', 'server.js');
    }
  });

  it('an unknown baseline commit in a full clone is missing-commit', async () => {
    const r = await whatChanged(repo.dir, { file: 'server.js', start: 5, end: 7 }, 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef', editAfter);
    assert.deepEqual(r, { kind: 'unavailable', reason: 'missing-commit', message: 'the baseline commit deadbee is not in this repository: fetch it (git fetch origin deadbee) or pick another baseline' });
  });

  it('a shallow clone without the baseline commit is shallow, with the command that fixes it', async () => {
    const clone = mkdtempSync(path.join(tmpdir(), 'pb-whatchanged-shallow-'));
    try {
      execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, clone], { encoding: 'utf8' });
      const r = await whatChanged(clone, { file: 'server.js', start: 5, end: 7 }, base, editAfter);
      assert.deepEqual(r, { kind: 'unavailable', reason: 'shallow', message: `the baseline commit ${base.slice(0, 7)} is not in this clone (shallow): run git fetch --deepen=100 (or --unshallow)` });
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('a range past the end of the file fails with git’s own line', async () => {
    const r = await whatChanged(repo.dir, { file: 'server.js', start: 50, end: 60 }, base, editAfter);
    assert.equal(r.kind, 'unavailable');
    assert.equal(r.kind === 'unavailable' && r.reason, 'failed');
    assert.match(r.kind === 'unavailable' ? r.message : '', /^git log -L 50,60:server\.js [0-9a-f]{12}\.\.[0-9a-f]{12}: fatal: file server\.js has only 7 lines$/);
  });

  it('restricted: the process gate refuses, and nothing runs', async () => {
    const restore = setProcessPolicy(() => 'the workspace is not trusted');
    try {
      const r = await whatChanged(repo.dir, { file: 'server.js', start: 5, end: 7 }, base, editAfter);
      assert.deepEqual(r, { kind: 'unavailable', reason: 'restricted', message: 'not running git rev-parse: the workspace is not trusted; trust the workspace to see what changed' });
    } finally {
      restore();
    }
  });

  it('no git on PATH is no-git', async () => {
    const saved = process.env.PATH;
    process.env.PATH = path.join(repo.dir, 'no-such-bin');
    try {
      const r = await whatChanged(repo.dir, { file: 'server.js', start: 5, end: 7 }, base, editAfter);
      assert.deepEqual(r, { kind: 'unavailable', reason: 'no-git', message: 'git could not be started: install git or put it on PATH' });
    } finally {
      process.env.PATH = saved;
    }
  });

  it('an aborted signal rejects before git runs', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stopped by the test'));
    await assert.rejects(whatChanged(repo.dir, { file: 'server.js', start: 5, end: 7 }, base, editAfter, { signal: ac.signal }), /stopped by the test/);
  });
});

describe('whatChanged: outside a repository, and a handler moved between files', () => {
  it('not a repository', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'pb-whatchanged-plain-'));
    try {
      const r = await whatChanged(plain, { file: 'x.js', start: 1, end: 2 }, 'HEAD~1', 'HEAD');
      assert.deepEqual(r, { kind: 'unavailable', reason: 'not-a-repository', message: `${plain} is not in a git repository: what changed needs the run's commits` });
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('from a subfolder of the repository: the file and the paths of the commits are relative to cwd', async () => {
    const repo = makeRepo('pb-whatchanged-sub-');
    try {
      mkdirSync(path.join(repo.dir, 'svc'));
      repo.write('svc/api.js', api(1, 2));
      const base = repo.commit('base');
      repo.write('svc/api.js', api(1, 3));
      const edit = repo.commit('Make h send 3');
      const r = await whatChanged(path.join(repo.dir, 'svc'), { file: 'api.js', start: 5, end: 7 }, base, edit);
      assert.deepEqual(commitsOf(r), [{ short: edit.slice(0, 7), subject: 'Make h send 3', file: 'api.js', hunks: ['@@ -5,3 +5,3 @@\n function h(req, res) {\n-  res.send(2);\n+  res.send(3);\n }'] }]);
    } finally {
      rmSync(repo.dir, { recursive: true, force: true });
    }
  });

  it('a handler moved to another file: git -L does not follow it; the move shows as one hunk adding its lines, earlier edits are not listed', async () => {
    const repo = makeRepo('pb-whatchanged-move-');
    try {
      repo.write('a.js', api(1, 2));
      repo.write('b.js', 'function other() {\n  return 0;\n}\n');
      const base = repo.commit('base');
      repo.write('a.js', api(1, 3));
      repo.commit('Make h send 3');
      repo.write('a.js', 'function a() {\n  return 1;\n}\n');
      repo.write('b.js', 'function other() {\n  return 0;\n}\n\nfunction h(req, res) {\n  res.send(3);\n}\n');
      const move = repo.commit('Move h to b.js');
      const r = await whatChanged(repo.dir, { file: 'b.js', start: 5, end: 7 }, base, move);
      assert.deepEqual(commitsOf(r), [{ short: move.slice(0, 7), subject: 'Move h to b.js', file: 'b.js', hunks: ['@@ -4,0 +5,3 @@\n+function h(req, res) {\n+  res.send(3);\n+}'] }]);
    } finally {
      rmSync(repo.dir, { recursive: true, force: true });
    }
  });
});
