import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { showAtRef } from '../../../src/node/git';

describe('git: a file at a ref', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perf-budgets-git-'));
    const run = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
    run('init', '-q');
    writeFileSync(path.join(dir, 'baseline.json'), 'committed\n');
    run('add', 'baseline.json');
    run('commit', '-q', '-m', 'baseline');
    writeFileSync(path.join(dir, 'baseline.json'), 'working copy\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the committed content, not the working copy', async () => {
    assert.equal(await showAtRef('HEAD', 'baseline.json', dir), 'committed\n');
  });

  it('is null for a file that does not exist at the ref', async () => {
    assert.equal(await showAtRef('HEAD', 'nope.json', dir), null);
  });

  it('refuses an unknown ref and one that git would read as an option', async () => {
    await assert.rejects(showAtRef('no-such-ref', 'baseline.json', dir), /unknown git ref "no-such-ref"/);
    await assert.rejects(showAtRef('--output=/tmp/x', 'baseline.json', dir), /not a git ref: "--output=\/tmp\/x"/);
    await assert.rejects(showAtRef('', 'baseline.json', dir), /not a git ref: ""/);
  });
});
