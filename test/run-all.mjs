#!/usr/bin/env node
// `npm test`: build and type-check, then the unit, integration and e2e suites in that order, each
// reporting its counts through PERF_BUDGETS_STATS_FILE; ends with one summary line and a non-zero
// exit code when anything failed. Every stage runs even if an earlier one failed (except when the
// build fails), so one run shows everything that is broken.
//
//   node test/run-all.mjs [unit] [integration] [e2e]     (default: all three)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STAGE_TIMEOUT_MS = Number(process.env.PERF_BUDGETS_STAGE_TIMEOUT_S ?? 1200) * 1000;

const STAGES = [
  { name: 'build', args: ['run', '--silent', 'build'], check: true },
  { name: 'typecheck', args: ['run', '--silent', 'typecheck'], check: true },
  { name: 'typecheck:test', args: ['exec', '--', 'tsc', '--noEmit', '-p', 'test/tsconfig.json'], check: true },
  { name: 'unit', args: ['run', '--silent', 'test:unit', '--', '--reporter', './test/rig/countingReporter.cjs'], env: { PERF_BUDGETS_REPORTER: 'dot' } },
  { name: 'integration', args: ['run', '--silent', 'test:integration'] },
  { name: 'e2e', args: ['run', '--silent', 'test:e2e'] },
];
const wanted = process.argv.slice(2);
const stages = STAGES.filter((s) => s.check || !wanted.length || wanted.includes(s.name));

const tmp = mkdtempSync(path.join(tmpdir(), 'perf-budgets-test-'));
let current;
const forward = (sig) => () => {
  if (current) current.kill(sig); // the stage stops what it started, then exits
  else process.exit(130);
};
process.on('SIGINT', forward('SIGINT'));
process.on('SIGTERM', forward('SIGTERM'));

function runStage(stage) {
  const statsFile = path.join(tmp, `${stage.name}.json`);
  return new Promise((resolve) => {
    const t0 = Date.now();
    console.log(`\n===== ${stage.name}: npm ${stage.args.join(' ')}`);
    current = spawn('npm', stage.args, { cwd: REPO, stdio: 'inherit', env: { ...process.env, ...stage.env, PERF_BUDGETS_STATS_FILE: statsFile } });
    const timer = setTimeout(() => {
      console.error(`[test] ${stage.name} exceeded ${STAGE_TIMEOUT_MS / 1000} s: stopping it`);
      current.kill('SIGTERM');
      setTimeout(() => current?.kill('SIGKILL'), 15_000).unref();
    }, STAGE_TIMEOUT_MS);
    current.on('exit', (code, signal) => {
      clearTimeout(timer);
      current = undefined;
      const seconds = (Date.now() - t0) / 1000;
      let stats = stage.check ? { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 } : undefined;
      if (!stage.check && existsSync(statsFile)) stats = JSON.parse(readFileSync(statsFile, 'utf8'));
      stats ??= { passed: 0, failed: 0, skipped: 0 };
      // A stage that exits non-zero without reporting a failure still failed (crash, timeout).
      if (code !== 0 && !stats.failed) stats.failed = 1;
      // A suite that ran nothing and skipped nothing did not test anything: that is a failure too.
      if (!stage.check && !stats.passed && !stats.failed && !stats.skipped) {
        stats.failed = 1;
        stats.failures = [{ title: stage.name, error: 'no test ran (and none was reported skipped)' }];
      }
      resolve({ name: stage.name, code: code ?? signal, seconds, ...stats });
    });
  });
}

const results = [];
for (const stage of stages) {
  const r = await runStage(stage);
  results.push(r);
  if (stage.name === 'build' && r.failed) break;
}
rmSync(tmp, { recursive: true, force: true });

console.log('\n===== summary');
for (const r of results) {
  console.log(`${r.name.padEnd(15)} ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}  (${r.seconds.toFixed(1)} s)`);
  for (const f of r.failures ?? []) console.log(`  ✗ ${f.title}: ${String(f.error).split('\n')[0]}`);
  // A skipped test printed why (the tool and how to install it) where it ran; here: which ones.
  for (const n of r.notices ?? []) console.log(`  - ${n}`);
  for (const t of r.skippedTests ?? []) console.log(`  - skipped: ${t}`);
}
const suites = results.filter((r) => !STAGES.find((s) => s.name === r.name)?.check);
console.log(suites.map((r) => `${r.name}: ${r.passed} passed, ${r.failed} failed`).join('; '));
// Tests are counted from the suites; a failed build or type-check counts as one failure.
const sum = (list, k) => list.reduce((n, r) => n + r[k], 0);
const failed = sum(results, 'failed');
console.log(`${sum(suites, 'passed')} passed, ${failed} failed, ${sum(suites, 'skipped')} skipped`);
process.exit(failed ? 1 : 0);
