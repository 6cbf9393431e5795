import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { InputError } from '../../../src/core/errors';
import { type AbCheckOptions, type AbProgress, runAbCheck } from '../../../src/node/ab';
import { AB_HANDLERS, makeAbRepo, makeCommandRepo, worktrees } from './abRepo';

const REPO_ROOT = path.resolve(__dirname, '../../..');

function options(configFile: string, extra: Partial<AbCheckOptions> = {}): AbCheckOptions & { lines: string[] } {
  const lines: string[] = [];
  const output = new PassThrough();
  output.resume();
  return { configFile, env: process.env, output, log: (l) => lines.push(l), lines, ...extra };
}

/** Histogram values: within 0.1% (3 significant digits). */
function near(got: number[], want: number[]): void {
  assert.equal(got.length, want.length, `${got}`);
  got.forEach((g, i) => assert.ok(Math.abs(g - want[i]!) <= 0.001 * want[i]!, `${got} vs ${want}`));
}

/** The temporary folder the log says A was checked out in. */
function checkedOutIn(lines: string[]): string {
  const line = lines.find((l) => / checked out in /.test(l));
  assert.ok(line, lines.join('\n'));
  return line.split(' checked out in ')[1]!;
}

describe('local A/B check (runAbCheck), command benchmark: the same numbers every run', function () {
  this.timeout(120_000);

  it('B twice as slow: regressed after exactly 4 + 4 runs (the fewest that can reach p < 0.05); runs kept; worktree removed', async () => {
    const repo = makeCommandRepo(10, 20);
    try {
      const o = options(repo.configFile);
      const progress: AbProgress[] = [];
      const report = await runAbCheck({ ...o, onProgress: (p) => progress.push(p) });
      assert.equal(report.stoppedBy, 'decided');
      assert.deepEqual(report.runs, { a: 4, b: 4 });
      assert.deepEqual(
        progress.map((p) => `${p.run}${p.side}`),
        ['1A', '1B', '2A', '2B', '3A', '3B', '4A', '4B'],
      );
      const [work] = report.handlers;
      assert.equal(work!.handler, 'work');
      assert.equal(work!.verdict, 'regressed');
      // 200 samples 10.0 … 10.9 (p95 = the 190th = 10.9) against 20.0 … 20.9 (20.9).
      near(work!.aRuns, [10.9, 10.9, 10.9, 10.9]);
      near(work!.bRuns, [20.9, 20.9, 20.9, 20.9]);
      // Exact Mann–Whitney with all A below all B: 2 / C(8, 4).
      assert.ok(Math.abs(work!.pValue! - 2 / 70) < 1e-12, String(work!.pValue));
      // Each run's file kept; the working tree's own results are this side's last run.
      assert.deepEqual(
        report.files.map((f) => `${f.side}${f.run}:${f.files.join(',')}`),
        ['A1:A-01/perf/results/work.txt', 'B1:B-01/perf/results/work.txt', 'A2:A-02/perf/results/work.txt', 'B2:B-02/perf/results/work.txt', 'A3:A-03/perf/results/work.txt', 'B3:B-03/perf/results/work.txt', 'A4:A-04/perf/results/work.txt', 'B4:B-04/perf/results/work.txt'],
      );
      const kept = (f: string) => readFileSync(path.join(repo.dir, report.runsDir, f), 'utf8').split('\n')[0];
      assert.equal(kept('A-03/perf/results/work.txt'), '10');
      assert.equal(kept('B-03/perf/results/work.txt'), '20');
      const json = JSON.parse(readFileSync(path.join(repo.dir, report.runsDir, 'report.json'), 'utf8'));
      assert.equal(json.handlers[0].verdict, 'regressed');
      assert.deepEqual(worktrees(repo.dir), [repo.dir]);
      assert.equal(existsSync(checkedOutIn(o.lines)), false);
    } finally {
      repo.cleanup();
    }
  });

  it('A/A (working tree = HEAD): unchanged after 4 + 4 runs, ratio CI exactly [1, 1]', async () => {
    const repo = makeCommandRepo(10, 10);
    try {
      const report = await runAbCheck(options(repo.configFile));
      const [work] = report.handlers;
      assert.equal(work!.verdict, 'unchanged');
      assert.deepEqual(report.runs, { a: 4, b: 4 });
      assert.equal(work!.ratio, 1);
      assert.deepEqual(work!.runsRatioCi, [1, 1]);
    } finally {
      repo.cleanup();
    }
  });

  it('--max-runs bounds it: 3 per side cannot decide, inconclusive; a ref other than HEAD (HEAD~1) is checked out', async () => {
    const repo = makeCommandRepo(10, 20);
    try {
      // A second commit with B's numbers: HEAD~1 is the slow-free A, HEAD and the working tree B.
      execFileSync('git', ['-c', 'user.name=x', '-c', 'user.email=x@example.invalid', 'commit', '-qam', 'B'], { cwd: repo.dir });
      const report = await runAbCheck({ ...options(repo.configFile), ref: 'HEAD~1', maxRuns: 3 });
      assert.equal(report.stoppedBy, 'max-runs');
      assert.deepEqual(report.runs, { a: 3, b: 3 });
      assert.equal(report.handlers[0]!.verdict, 'inconclusive');
      near(report.handlers[0]!.aRuns, [10.9, 10.9, 10.9]);
      assert.equal(report.handlers[0]!.minDetectable, Infinity);
    } finally {
      repo.cleanup();
    }
  });

  it('cancelled during a B run: rejects, the worktree is removed', async () => {
    const repo = makeCommandRepo(10, 20);
    try {
      // B's benchmark sleeps long enough to be cancelled in the middle.
      writeFileSync(path.join(repo.dir, 'bench.mjs'), 'setTimeout(() => {}, 60_000);\n');
      const ac = new AbortController();
      const o = options(repo.configFile, { signal: ac.signal, onProgress: (p) => p.side === 'B' && setTimeout(() => ac.abort(new Error('user cancelled')), 300) });
      await assert.rejects(runAbCheck(o), /user cancelled/);
      assert.deepEqual(worktrees(repo.dir), [repo.dir]);
      assert.equal(existsSync(checkedOutIn(o.lines)), false);
    } finally {
      repo.cleanup();
    }
  });

  it('bad input is an InputError naming perf-budgets.json: unknown ref, option-like ref, a benchmark that writes nothing, no such benchmark', async () => {
    const repo = makeCommandRepo(10, 20);
    try {
      const o = options(repo.configFile, { show: (abs: string) => path.basename(abs) });
      await assert.rejects(runAbCheck({ ...o, ref: 'no-such-ref' }), (e: Error) => e instanceof InputError && /^perf-budgets\.json: cannot compare with "no-such-ref": unknown git ref/.test(e.message));
      await assert.rejects(runAbCheck({ ...o, ref: '--output=x' }), /not a git ref/);
      await assert.rejects(runAbCheck({ ...o, benchmark: 'nope' }), /perf-budgets\.json: no benchmark named "nope"/);
      const http = (extra: Record<string, unknown>) =>
        writeFileSync(repo.configFile, JSON.stringify({ benchmarks: { api: { http: { baseUrl: 'http://127.0.0.1:9', requests: [{ handler: 'GET /a', path: '/a' }], ...extra } } }, budgets: { 'GET /a': { p95: '1s' } } }));
      http({});
      await assert.rejects(runAbCheck(o), /perf-budgets\.json: benchmark "api": the A\/B check needs "start" to run each version's own service/);
      http({ start: 'node server.mjs', baseUrl: 'http://10.0.0.1:9', allowRemote: true });
      await assert.rejects(runAbCheck(o), /perf-budgets\.json: benchmark "api": the A\/B check runs loopback services only \("allowRemote" is set\)/);
      execFileSync('git', ['checkout', 'perf-budgets.json'], { cwd: repo.dir, stdio: 'pipe' });
      writeFileSync(path.join(repo.dir, 'bench.mjs'), '// writes nothing\n');
      await assert.rejects(runAbCheck(o), /perf-budgets\.json: benchmark "work" \(B, run 1\) wrote no result file matching perf\/results\/work\.txt/);
      assert.deepEqual(worktrees(repo.dir), [repo.dir]);
    } finally {
      repo.cleanup();
    }
  });
});

describe('local A/B check (runAbCheck), built-in HTTP benchmark against a real server on 127.0.0.1', function () {
  this.timeout(600_000);

  it('GET /api/slow sleeping 10 ms at HEAD and 100 ms in the working tree: only it regressed; the server log kept per run', async () => {
    const repo = await makeAbRepo({ repoRoot: REPO_ROOT, slowMsA: 10, slowMsB: 100, duration: '1s', regressionThreshold: '25%' });
    try {
      const report = await runAbCheck({ ...options(repo.configFile), maxRuns: 8 });
      const verdict = Object.fromEntries(report.handlers.map((h) => [h.handler, h.verdict]));
      assert.equal(verdict['GET /api/slow'], 'regressed', JSON.stringify(report.handlers, null, 1));
      for (const h of AB_HANDLERS.filter((x) => x !== 'GET /api/slow')) assert.notEqual(verdict[h], 'regressed', `${h}: ${JSON.stringify(report.handlers)}`);
      const slow = report.handlers.find((h) => h.handler === 'GET /api/slow')!;
      assert.ok(slow.bP95! >= 100, `B sleeps 100 ms: p95 ${slow.bP95}`);
      assert.ok(report.files.every((f) => f.files.length === 1 && f.files[0]!.endsWith('/api.hlog')));
      // The working tree's own results are untouched: the built-in benchmark wrote into the run folders.
      assert.equal(existsSync(path.join(repo.dir, 'perf/results/api.hlog')), false);
      assert.deepEqual(worktrees(repo.dir), [repo.dir]);
    } finally {
      repo.cleanup();
    }
  });

  it('A/A against the same server code: no handler regressed', async () => {
    const repo = await makeAbRepo({ repoRoot: REPO_ROOT, duration: '1s', regressionThreshold: '25%' });
    try {
      const report = await runAbCheck({ ...options(repo.configFile), maxRuns: 6 });
      assert.deepEqual(
        report.handlers.filter((h) => h.verdict === 'regressed').map((h) => h.handler),
        [],
        JSON.stringify(report.handlers),
      );
      assert.deepEqual(worktrees(repo.dir), [repo.dir]);
    } finally {
      repo.cleanup();
    }
  });
});
