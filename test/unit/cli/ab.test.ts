import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { makeCommandRepo, worktrees } from '../node/abRepo';
import { cli, type Outcome } from './run';

const ab = (args: string[], cwd: string): Promise<Outcome> => cli(['ab', ...args], cwd);

describe('perf-budgets ab', function () {
  this.timeout(120_000);

  it('a regression exits 1; the text report names the verdict, the runs and where they are kept', async () => {
    const repo = makeCommandRepo(10, 20);
    try {
      const r = await ab([], repo.dir);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^A = HEAD \([0-9a-f]{12}\), B = the working tree; work: 4 \+ 4 runs, stopped by every handler decided after/);
      assert.match(r.stdout, /\nwork +10\.9 ms +20\.9 ms +1\.92× +.* +regressed +0\.029 +/);
      assert.match(r.stdout, /Regressed: work\./);
      assert.match(r.stdout, /Runs kept in \.perf-budgets\/ab\/[\dT-]+Z\/\./);
      assert.match(r.stderr, /perf-budgets ab: A, run 1: work: node bench\.mjs/);
      assert.deepEqual(worktrees(repo.dir), [repo.dir]);
    } finally {
      repo.cleanup();
    }
  });

  it('A/A exits 0; --format json and --format markdown', async () => {
    const repo = makeCommandRepo(10, 10);
    try {
      const json = await ab(['--format', 'json'], repo.dir);
      assert.equal(json.code, 0, json.stderr);
      const report = JSON.parse(json.stdout);
      assert.equal(report.ref, 'HEAD');
      assert.deepEqual(report.runs, { a: 4, b: 4 });
      assert.equal(report.handlers[0].verdict, 'unchanged');
      assert.equal(report.handlers[0].ratio, 1);
      const md = await ab(['--format', 'markdown', '--max-runs', '4'], repo.dir);
      assert.equal(md.code, 0);
      assert.match(md.stdout, /^### Perf Budgets A\/B: working tree vs HEAD\n/);
      assert.match(md.stdout, /\n\| Handler \| A p95 \| B p95 \| B\/A \| 95% CI of B\/A \| Verdict \| p \| Min\. detectable \|\n\|---\|---:\|---:\|---:\|---:\|---\|---:\|---:\|\n\| work \| 10\.9 ms \| 10\.9 ms \| 1× \| 0\.999×–1× \| unchanged \| 1 \| \+10% \|\n/);
      // The interval: the runs' [1, 1] joined with the histograms' (their 1/2048 resolution either side).
    } finally {
      repo.cleanup();
    }
  });

  it('inconclusive (too few runs) exits 0, or 1 with --strict', async () => {
    const repo = makeCommandRepo(10, 20);
    try {
      const plain = await ab(['--max-runs', '2'], repo.dir);
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(plain.stdout, /inconclusive/);
      assert.match(plain.stdout, /none yet/);
      assert.equal((await ab(['--max-runs', '2', '--strict'], repo.dir)).code, 1);
    } finally {
      repo.cleanup();
    }
  });

  it('input errors exit 2 with one line: bad options, unknown ref, missing or broken config', async () => {
    const repo = makeCommandRepo(10, 20);
    try {
      const cases: Array<[string[], RegExp]> = [
        [['--max-runs', '1'], /^perf-budgets: --max-runs must be a whole number from 2 to 100\n$/],
        [['--max-time', 'soon'], /^perf-budgets: --max-time must be a duration such as "90s" or "10m", at most 2h\n$/],
        [['--format', 'html'], /^perf-budgets: unknown --format "html"; use text, markdown, json\n$/],
        [['--ref=-x'], /^perf-budgets: --ref "-x" is refused: a git ref cannot start with '-'\n$/],
        [['--ref=:0'], /^perf-budgets: --ref ":0" is refused: not a branch, tag, HEAD~N or commit id/],
        [['--ref', 'v9'], /^perf-budgets: perf-budgets\.json: cannot compare with "v9": unknown git ref "v9"\n$/],
        [['--config', 'nope.json'], /^perf-budgets: nope\.json: config file not found\n$/],
      ];
      for (const [args, want] of cases) {
        const r = await ab(args, repo.dir);
        assert.equal(r.code, 2, `${args}: ${r.stderr}`);
        assert.match(r.stderr, want);
      }
      writeFileSync(path.join(repo.dir, 'perf-budgets.json'), '{"budgets": {"work": {"p95": "fast"}}}');
      const broken = await ab([], repo.dir);
      assert.equal(broken.code, 2);
      assert.match(broken.stderr, /^perf-budgets: perf-budgets\.json:1:30: budgets\.work\.p95: /);
      assert.deepEqual(worktrees(repo.dir), [repo.dir]);
    } finally {
      repo.cleanup();
    }
  });
});
