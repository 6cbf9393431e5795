// The git history and the run history the demo (examples/demo/demo.mjs) and the e2e
// (test/e2e/workspaces.test.ts) give a temp copy of an example, and the one-line summary of what
// its comparison panel shows.
//
// commitStory(dir): `git init`, then
//   - an example with demo/change.patch (lydian-iq): commit "before" = the code with the patch
//     reverted + perf/baseline.json, recorded from that code; then commit "after" = the patch (its
//     first paragraph is the commit message). HEAD:perf/baseline.json is the baseline the
//     extension compares with, and `git log` tells the story.
//   - any other example: one commit of the copy with its committed perf/baseline.json.
// panelSummary(report, baselineRef): "1 regressed, 3 unchanged vs baseline 1a2b3c4" from a
// `perf-budgets check --report json` report, with the precedence the panel's Regression column
// uses (regressed > inconclusive > improved > unchanged; no baseline value: "no baseline").
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const CHANGE_PATCH = 'demo/change.patch';

/** git in `dir` with a fixed identity and default branch (no user config needed). */
export function git(dir, ...args) {
  return execFileSync('git', ['-c', 'user.name=Perf Budgets demo', '-c', 'user.email=demo@perf-budgets.invalid', '-c', 'init.defaultBranch=main', '-c', 'commit.gpgsign=false', ...args], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The commit message of a patch file: its text before the first `diff --git` line. */
export function patchMessage(text) {
  const head = text.split(/^diff --git /m)[0].trim();
  return head || 'Apply demo/change.patch';
}

/** Turns the copy `dir` of an example into a git repository with the example's story; returns the commits, oldest first. */
export function commitStory(dir) {
  const name = path.basename(dir) === 'workspace' ? 'the example' : path.basename(dir);
  if (!existsSync(path.join(dir, 'perf/baseline.json'))) throw new Error(`${path.join(dir, 'perf/baseline.json')}: no committed baseline in this example`);
  git(dir, 'init', '-q');
  const patch = path.join(dir, CHANGE_PATCH);
  if (!existsSync(patch)) {
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', `${name} with its committed performance baseline`, '-m', 'perf/baseline.json: a real run of its own benchmark, written by `perf-budgets baseline update`.');
    return [git(dir, 'rev-parse', '--short=7', 'HEAD').trim()];
  }
  git(dir, 'apply', '-R', CHANGE_PATCH);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'Record the performance baseline', '-m', `perf/baseline.json: the benchmark of this code, run for real and written by \`perf-budgets baseline update\`. The next commit is ${CHANGE_PATCH}.`);
  git(dir, 'apply', CHANGE_PATCH);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', patchMessage(readFileSync(patch, 'utf8')));
  return git(dir, 'log', '--reverse', '--format=%h', '--abbrev=7').trim().split('\n');
}

/** The short commit that last changed perf/baseline.json in `dir` (what "vs baseline …" names). */
export function baselineCommit(dir) {
  return git(dir, 'log', '-1', '--format=%h', '--abbrev=7', '--', 'perf/baseline.json').trim();
}

const ORDER = ['regressed', 'inconclusive', 'improved', 'unchanged', 'no baseline'];

/** Per handler, the panel's Regression column: the first of regressed, inconclusive, improved that any metric has, else unchanged. */
export function handlerVerdicts(report) {
  const by = new Map();
  for (const v of report.verdicts ?? []) {
    const list = by.get(v.handler) ?? [];
    if (v.regression) list.push(v.regression);
    by.set(v.handler, list);
  }
  return [...by].map(([handler, rs]) => ({ handler, verdict: rs.length === 0 ? 'no baseline' : (ORDER.slice(0, 3).find((k) => rs.includes(k)) ?? 'unchanged') }));
}

/** "1 regressed, 3 unchanged vs baseline 1a2b3c4 (regressed: POST /api/chat/tool-call p95 +52%)". */
export function panelSummary(report, baselineRef) {
  const verdicts = handlerVerdicts(report);
  const counts = ORDER.map((k) => [k, verdicts.filter((v) => v.verdict === k).length]).filter(([, n]) => n > 0);
  const regressed = (report.verdicts ?? []).filter((v) => v.regression === 'regressed');
  const detail = regressed.length ? ` (regressed: ${regressed.map((v) => `${v.handler} ${v.metric}${v.deltaPct === null || v.deltaPct === undefined ? '' : ` ${v.deltaPct >= 0 ? '+' : ''}${Math.round(v.deltaPct)}%`}`).join(', ')})` : '';
  return `${counts.map(([k, n]) => `${n} ${k}`).join(', ') || 'no handlers'} vs baseline ${baselineRef}${detail}`;
}
