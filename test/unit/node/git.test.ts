import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { checkRef, GitError, hardenedGitArgs, headCommit, refProblem, resolveCommit, runGit, showAtRef } from '../../../src/node/git';
import { ProcessRefused, setProcessPolicy } from '../../../src/node/processGate';

/** A new repository in a temp folder; `git(...)` runs plain git in it (the test's own set-up, not the code under test). */
function makeRepo(prefix: string): { dir: string; git: (...args: string[]) => string } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  return { dir, git };
}

describe('git: a file at a ref', () => {
  let dir = '';
  before(() => {
    const repo = makeRepo('perf-budgets-git-');
    dir = repo.dir;
    writeFileSync(path.join(dir, 'baseline.json'), 'committed\n');
    repo.git('add', 'baseline.json');
    repo.git('commit', '-q', '-m', 'baseline');
    writeFileSync(path.join(dir, 'baseline.json'), 'working copy\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the committed content, not the working copy', async () => {
    assert.equal(await showAtRef('HEAD', 'baseline.json', dir), 'committed\n');
    assert.equal(await showAtRef('main', 'baseline.json', dir), 'committed\n');
    assert.match((await headCommit(dir)) ?? '', /^[0-9a-f]{40}$/);
    assert.equal(await resolveCommit('HEAD', dir), await headCommit(dir));
  });

  it('is null for a file that does not exist at the ref', async () => {
    assert.equal(await showAtRef('HEAD', 'nope.json', dir), null);
  });

  it('refuses an unknown ref and one that git would read as an option', async () => {
    await assert.rejects(showAtRef('no-such-ref', 'baseline.json', dir), (e: unknown) => e instanceof GitError && e.reason === 'unknown-ref' && /unknown git ref "no-such-ref"/.test(e.message));
    await assert.rejects(showAtRef('--output=/tmp/x', 'baseline.json', dir), /not a git ref: "--output=\/tmp\/x" \(a git ref cannot start with '-'\)/);
    await assert.rejects(showAtRef('', 'baseline.json', dir), /not a git ref: "" \(a git ref is needed\)/);
  });

  it('outside a repository: headCommit is null, showAtRef says so', async () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'perf-budgets-nogit-'));
    try {
      assert.equal(await headCommit(plain), null);
      await assert.rejects(showAtRef('HEAD', 'baseline.json', plain), (e: unknown) => e instanceof GitError && e.reason === 'not-a-repository' && /not a git repository/.test(e.message));
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('git: refs are validated before use', () => {
  it('accepts branches, tags, HEAD~N / ^N and commit ids', () => {
    for (const ref of ['HEAD', 'HEAD~1', 'HEAD^', 'HEAD^2', 'HEAD~3^2~1', 'main', 'origin/main', 'v1.0', 'release-2024_01', 'c0ffee1234', 'feature/x.y', 'main~2', 'v2.0.0-rc.1', 'user@host-branch']) {
      assert.equal(refProblem(ref), null, ref);
    }
  });

  it('refuses index and path forms, reflogs, ranges, options and shell syntax, each with its reason', () => {
    const refused: Array<[string, RegExp]> = [
      [':0', /^not a branch, tag/],
      [':0:perf/baseline.json', /^not a branch, tag/],
      [':perf/baseline.json', /^not a branch, tag/],
      ['HEAD:perf/baseline.json', /^not a branch, tag/],
      ['main@{1}', /^reflog forms/],
      ['@', /^reflog forms/],
      ['HEAD^{tree}', /^not a branch, tag/],
      ['main..HEAD', /^a git ref cannot contain '\.\.'/],
      ['-p', /^a git ref cannot start with '-'/],
      ['--output=/tmp/x', /^a git ref cannot start with '-'/],
      ['', /^a git ref is needed/],
      ['~1', /^a git ref needs a name/],
      ['a'.repeat(201), /^too long/],
      ['.hidden', /start with '\.'/],
      ['x.lock', /end with '\.lock'/],
      ['x/', /'\/'/],
      ['/x', /'\/'/],
      ['a//b', /'\/\/'/],
      ['x.', /end with '\.'/],
    ];
    for (const [ref, why] of refused) assert.match(refProblem(ref) ?? '', why, JSON.stringify(ref));
    for (const ref of ['HEAD; rm -rf /', '$(touch /tmp/pwned)', '`id`', 'a b', 'x|y', 'x\ny', '<img src=x>', 'a*', 'a?', 'a[b]', 'a\\b', 'tab\there', 'nul\u0000']) {
      assert.match(refProblem(ref) ?? '', /^not a branch, tag/, JSON.stringify(ref));
    }
    assert.throws(() => checkRef(':0'), (e: unknown) => e instanceof GitError && e.reason === 'refused-ref' && /^not a git ref: ":0" \(not a branch, tag, HEAD~N or commit id/.test(e.message));
  });

  it('agrees with git check-ref-format on every name it accepts', () => {
    for (const ref of ['main', 'origin/main', 'v1.0', 'release-2024_01', 'feature/x.y', 'user@host-branch', 'a+b']) {
      assert.equal(refProblem(ref), null, ref);
      const r = spawnSync('git', ['check-ref-format', '--allow-onelevel', ref]);
      assert.equal(r.status, 0, `git check-ref-format refuses ${ref}`);
    }
  });
});

describe('git: every call is hardened against the repository’s own commands', function () {
  this.timeout(60_000);
  let dir = '';
  let marker = '';
  const markerFor = (what: string) => path.join(dir, '..', `${path.basename(dir)}-${what}.marker`);
  /** A command that leaves a marker file (and fails), for a config value that git would run. */
  const markerCommand = (what: string) => `touch ${markerFor(what)}; false`;
  const markers = () => readdirSync(path.dirname(dir)).filter((f) => f.startsWith(`${path.basename(dir)}-`) && f.endsWith('.marker'));
  let git: (...args: string[]) => string = () => '';
  let first = '';

  before(() => {
    const repo = makeRepo('perf-budgets-hostile-');
    dir = repo.dir;
    git = repo.git;
    marker = markerFor('any');
    mkdirSync(path.join(dir, 'perf'));
    writeFileSync(path.join(dir, 'perf', 'baseline.json'), '{"v":1}\n');
    writeFileSync(path.join(dir, '.gitattributes'), '*.json diff=hostile\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'one');
    first = git('rev-parse', 'HEAD').trim();
    writeFileSync(path.join(dir, 'perf', 'baseline.json'), '{"v":2}\n');
    git('commit', '-q', '-am', 'two');
    // The folder's own configuration names a command in each place where git would run one.
    git('config', 'core.fsmonitor', markerCommand('fsmonitor'));
    git('config', 'core.pager', markerCommand('pager'));
    git('config', 'diff.hostile.textconv', markerCommand('textconv'));
    git('config', 'diff.external', markerCommand('extdiff'));
    mkdirSync(path.join(dir, '.git', 'hooks'), { recursive: true });
    writeFileSync(path.join(dir, '.git', 'hooks', 'post-checkout'), `#!/bin/sh\n${markerCommand('hook')}\n`);
    chmodSync(path.join(dir, '.git', 'hooks', 'post-checkout'), 0o755);
  });
  after(() => {
    for (const m of markers()) rmSync(path.join(path.dirname(dir), m), { force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    for (const m of markers()) rmSync(path.join(path.dirname(dir), m), { force: true });
  });

  it('the crafted repository does run its commands under plain git (the attack is real)', () => {
    spawnSync('git', ['status'], { cwd: dir });
    assert.ok(existsSync(markerFor('fsmonitor')), 'plain git status ran core.fsmonitor');
    spawnSync('git', ['log', '-p', '-1'], { cwd: dir });
    assert.ok(existsSync(markerFor('textconv')), 'plain git log -p ran the textconv driver');
    spawnSync('git', ['diff', first, 'HEAD'], { cwd: dir });
    assert.ok(existsSync(markerFor('extdiff')), 'plain git diff ran diff.external');
  });

  it('runs none of them through runGit, showAtRef, headCommit or resolveCommit', async () => {
    assert.equal(await showAtRef('HEAD', 'perf/baseline.json', dir), '{"v":2}\n');
    assert.equal(await showAtRef('HEAD~1', 'perf/baseline.json', dir), '{"v":1}\n');
    assert.match((await headCommit(dir)) ?? '', /^[0-9a-f]{40}$/);
    assert.equal(await resolveCommit(first.slice(0, 12), dir), first);
    assert.equal((await runGit(['status', '--porcelain'], { cwd: dir })).code, 0);
    const log = await runGit(['log', '-p', '-2'], { cwd: dir });
    assert.equal(log.code, 0);
    assert.match(log.stdout, /^-\{"v":1\}$/m, 'the diff is the raw content, not a textconv output');
    assert.equal((await runGit(['diff', first, 'HEAD'], { cwd: dir })).code, 0);
    assert.equal((await runGit(['show', 'HEAD'], { cwd: dir })).code, 0);
    const wt = mkdtempSync(path.join(tmpdir(), 'perf-budgets-wt-'));
    try {
      assert.equal((await runGit(['worktree', 'add', '--detach', path.join(wt, 'a'), first], { cwd: dir })).code, 0);
      assert.ok(existsSync(path.join(wt, 'a', 'perf', 'baseline.json')));
    } finally {
      await runGit(['worktree', 'remove', '--force', path.join(wt, 'a')], { cwd: dir });
      rmSync(wt, { recursive: true, force: true });
    }
    assert.deepEqual(markers(), [], `no marker command ran (${marker})`);
  });

  it("refuses the ':0' ref that reached the index (and core.fsmonitor) before", async () => {
    await assert.rejects(showAtRef(':0', 'perf/baseline.json', dir), /not a git ref: ":0"/);
    await assert.rejects(resolveCommit(':0', dir), /not a git ref: ":0"/);
    assert.deepEqual(markers(), []);
  });

  it('puts the overrides before the subcommand and the diff options after it', () => {
    const argv = hardenedGitArgs(['log', '-p', 'x']);
    assert.equal(argv[0], '--no-pager');
    for (const c of ['core.fsmonitor=false', 'core.hooksPath=/dev/null', 'protocol.allow=never', 'log.showSignature=false']) assert.ok(argv.includes(c), c);
    const sub = argv.indexOf('log');
    assert.deepEqual(argv.slice(sub), ['log', '--no-textconv', '--no-ext-diff', '--no-show-signature', '-p', 'x']);
    assert.ok(!hardenedGitArgs(['show', 'x'], true).includes('protocol.allow=never'), 'lazyFetch lifts only the transport ban');
    assert.deepEqual(hardenedGitArgs(['rev-parse', 'HEAD']).slice(-2), ['rev-parse', 'HEAD']);
  });
});

describe('git: a partial clone missing the baseline blob', function () {
  this.timeout(60_000);
  let dir = '';
  const sshMarker = () => `${dir}-ssh.marker`;

  before(() => {
    const repo = makeRepo('perf-budgets-promisor-');
    dir = repo.dir;
    mkdirSync(path.join(dir, 'perf'));
    writeFileSync(path.join(dir, 'perf', 'baseline.json'), '{"lazy":true}\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'baseline');
    // Drop the blob and mark the repository as a partial clone whose promisor remote is reached
    // over ssh: git would "fetch" the missing blob by running core.sshCommand. The URL is
    // loopback; the marker command never connects anywhere.
    const blob = repo.git('rev-parse', 'HEAD:perf/baseline.json').trim();
    unlinkSync(path.join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    repo.git('config', 'core.repositoryformatversion', '1');
    repo.git('config', 'extensions.partialClone', 'origin');
    repo.git('config', 'remote.origin.url', 'ssh://127.0.0.1/nothing.git');
    repo.git('config', 'remote.origin.promisor', 'true');
    repo.git('config', 'core.sshCommand', `touch ${sshMarker()}; false`);
  });
  after(() => {
    rmSync(sshMarker(), { force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => rmSync(sshMarker(), { force: true }));

  it('plain git runs core.sshCommand to fetch it (the attack is real)', () => {
    spawnSync('git', ['show', 'HEAD:perf/baseline.json'], { cwd: dir, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    assert.ok(existsSync(sshMarker()), 'plain git show ran core.sshCommand');
  });

  it('showAtRef fetches nothing: a clear error, and no command ran', async () => {
    await assert.rejects(showAtRef('HEAD', 'perf/baseline.json', dir), /perf\/baseline\.json at HEAD is not in this partial clone, and Perf Budgets does not fetch it \(run `git fetch` yourself, or give the CLI --git-lazy-fetch\)/);
    assert.ok(!existsSync(sshMarker()), 'core.sshCommand did not run');
  });

  it('with lazyFetch (the CLI flag), git may fetch: the promisor remote is asked', async () => {
    await assert.rejects(showAtRef('HEAD', 'perf/baseline.json', dir, { lazyFetch: true }));
    assert.ok(existsSync(sshMarker()), 'the fetch was attempted, through the repository’s configured transport');
  });
});

describe('git: the process gate', () => {
  it('starts no git at all while the policy refuses processes (Restricted Mode)', async () => {
    const restore = setProcessPolicy(() => 'this workspace is not trusted (Restricted Mode)');
    try {
      assert.throws(() => runGit(['rev-parse', 'HEAD'], { cwd: tmpdir() }), (e: unknown) => e instanceof ProcessRefused && /not running git rev-parse: this workspace is not trusted/.test(e.message));
      await assert.rejects(headCommit(tmpdir()), ProcessRefused);
      await assert.rejects(showAtRef('HEAD', 'x.json', tmpdir()), ProcessRefused);
    } finally {
      restore();
    }
  });

  it('bounds the time and the output', async () => {
    const repo = makeRepo('perf-budgets-bounds-');
    try {
      writeFileSync(path.join(repo.dir, 'big.txt'), 'x'.repeat(200_000));
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'big');
      const capped = await runGit(['show', 'HEAD:big.txt'], { cwd: repo.dir, maxBytes: 10_000 });
      assert.equal(capped.code, 125);
      assert.match(capped.stderr, /output over/);
      // A git that hangs: a lazy fetch (allowed here) whose transport command sleeps.
      const blob = repo.git('rev-parse', 'HEAD:big.txt').trim();
      unlinkSync(path.join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
      for (const [k, v] of [['core.repositoryformatversion', '1'], ['extensions.partialClone', 'origin'], ['remote.origin.url', 'ssh://127.0.0.1/x.git'], ['remote.origin.promisor', 'true'], ['core.sshCommand', 'sleep 3; false']]) repo.git('config', k!, v!);
      const slow = await runGit(['show', 'HEAD:big.txt'], { cwd: repo.dir, timeoutMs: 300, lazyFetch: true });
      assert.equal(slow.code, 124, 'killed at the bound');
      assert.match(slow.stderr, /no answer within 0\.3 s; stopped/);
    } finally {
      rmSync(repo.dir, { recursive: true, force: true });
    }
  });
});
