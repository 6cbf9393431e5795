import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { findGitDir, readHeadState, watchGitHead } from '../../../src/node/gitHead';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd, encoding: 'utf8' }).trim();

describe('gitHead: HEAD moves seen from git\'s files, without running git', () => {
  let repo: string;
  beforeEach(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'pb-githead-'));
    git(repo, 'init', '-q', '-b', 'main');
    writeFileSync(path.join(repo, 'a.txt'), 'one\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'one');
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  it('finds the git directory from a subfolder, and reads HEAD\'s commit as git does', () => {
    const sub = path.join(repo, 'examples/x');
    mkdirSync(sub, { recursive: true });
    const gitDir = findGitDir(sub)!;
    assert.equal(gitDir, path.join(repo, '.git'));
    assert.equal(readHeadState(gitDir), `ref: refs/heads/main -> ${git(repo, 'rev-parse', 'HEAD')}`);
    // Packed refs (after gc): still the same commit.
    git(repo, 'pack-refs', '--all');
    assert.equal(readHeadState(gitDir), `ref: refs/heads/main -> ${git(repo, 'rev-parse', 'HEAD')}`);
    assert.equal(findGitDir(tmpdir()), findGitDir(tmpdir()), 'outside a repository: stable (null unless tmp is in one)');
  });

  it('calls back on a commit, a reset and a detached checkout; not on a write that leaves HEAD as it was', async () => {
    const gitDir = findGitDir(repo)!;
    let moves = 0;
    let wake: () => void = () => {};
    const w = watchGitHead(gitDir, () => {
      moves++;
      wake();
    });
    const moved = (n: number) =>
      new Promise<void>((resolve, reject) => {
        const deadline = setTimeout(() => reject(new Error(`expected ${n} HEAD moves, saw ${moves}`)), 20_000);
        const check = () => {
          if (moves >= n) {
            clearTimeout(deadline);
            resolve();
          }
        };
        wake = check;
        check();
      });
    try {
      writeFileSync(path.join(repo, 'a.txt'), 'two\n');
      git(repo, 'commit', '-q', '-am', 'two');
      await moved(1);
      git(repo, 'reset', '-q', '--hard', 'HEAD~1');
      await moved(2);
      git(repo, 'checkout', '-q', '--detach', 'HEAD');
      // Detached at the same commit: HEAD's file changed (a sha, not a ref), which counts as a move.
      await moved(3);
      const before = moves;
      // Not a move: the index and the work tree only.
      writeFileSync(path.join(repo, 'a.txt'), 'three\n');
      git(repo, 'add', '-A');
      git(repo, 'status', '--porcelain');
      assert.equal(readHeadState(gitDir), git(repo, 'rev-parse', 'HEAD'));
      assert.equal(moves, before);
    } finally {
      w.close();
    }
  });
});
