#!/usr/bin/env node
// Proof that the unit suite is self-contained (issue #16): clones this repository's committed HEAD
// into a fresh temp directory with nothing beside the clone (no ../shared, no sibling checkout),
// links the clone's node_modules to this checkout's (dependencies are not part of the repository),
// runs the unit suite there with the clone's own .mocharc.json, and fails unless it ran N > 0 tests
// with 0 failures. The temp directory is removed afterwards (PERF_BUDGETS_KEEP_TMP=1 keeps it).
// Uncommitted files are not in the clone: a test that needs one fails here.
//
//   node test/cloneProof.mjs [-- MOCHA-ARGS...]     (e.g. -- --grep manifest, to try it quickly)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const t0 = Date.now();
const say = (msg) => console.log(`[clone-proof +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const extra = process.argv.includes('--') ? process.argv.slice(process.argv.indexOf('--') + 1) : [];

function fail(msg) {
  console.error(`[clone-proof] FAIL: ${msg}`);
  return 1;
}

async function main(tmp) {
  if (!existsSync(path.join(REPO, 'node_modules/mocha/bin/mocha.js'))) return fail(`${path.join(REPO, 'node_modules')} has no mocha: run npm ci first`);
  const head = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: REPO, encoding: 'utf8' });
  if (head.status !== 0) return fail(`${REPO} is not a git checkout (git rev-parse HEAD: ${head.stderr.trim()})`);
  const clone = path.join(tmp, 'repo');
  say(`cloning ${REPO} @ ${head.stdout.trim().slice(0, 12)} into ${clone}`);
  const c = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', REPO, clone], { encoding: 'utf8' });
  if (c.status !== 0) return fail(`git clone failed: ${c.stderr.trim()}`);
  // Nothing beside the clone: a path like ../shared/... from the repository root finds nothing.
  const beside = readdirSync(tmp).filter((n) => n !== 'repo');
  if (beside.length) return fail(`the temp directory holds more than the clone: ${beside.join(', ')}`);
  if (existsSync(path.join(clone, '../shared'))) return fail('../shared exists beside the clone');
  symlinkSync(path.join(REPO, 'node_modules'), path.join(clone, 'node_modules'), 'dir');

  const statsFile = path.join(tmp, 'unit-stats.json');
  const args = [path.join(clone, 'node_modules/mocha/bin/mocha.js'), '--reporter', './test/rig/countingReporter.cjs', ...extra];
  say(`running the unit suite in the clone: mocha (its .mocharc.json: ${JSON.parse(readFileSync(path.join(clone, '.mocharc.json'), 'utf8')).spec})${extra.length ? ` ${extra.join(' ')}` : ''}`);
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: clone,
      stdio: 'inherit',
      env: { ...process.env, PERF_BUDGETS_REPORTER: 'dot', PERF_BUDGETS_STATS_FILE: statsFile },
    });
    const stop = (sig) => () => child.kill(sig);
    process.on('SIGINT', stop('SIGINT'));
    process.on('SIGTERM', stop('SIGTERM'));
    child.on('exit', (code, signal) => resolve(code ?? signal));
  });
  if (!existsSync(statsFile)) return fail(`mocha exited (${code}) without reporting its counts`);
  const stats = JSON.parse(readFileSync(statsFile, 'utf8'));
  const figures = `${stats.passed} passed, ${stats.failed} failed, ${stats.skipped} skipped`;
  say(`unit suite in a clean clone: ${figures} (mocha exit ${code})`);
  for (const f of stats.failures ?? []) console.log(`  ✗ ${f.title}: ${String(f.error).split('\n')[0]}`);
  if (stats.passed + stats.failed === 0) return fail('no test ran');
  if (stats.failed || code !== 0) return fail(figures);
  // What the build and the tests left in the clone must not be a tracked file changed (a test that
  // writes into the repository instead of a temp folder would show here).
  const dirty = spawnSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: clone, encoding: 'utf8' }).stdout.trim();
  if (dirty) return fail(`the suite changed tracked files of the clone:\n${dirty}`);
  console.log(`[clone-proof] ok: ${figures} in a clone with nothing beside it`);
  return 0;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'perf-budgets-clone-'));
let code = 1;
try {
  code = await main(tmp);
} catch (e) {
  code = fail(e?.stack ?? String(e));
} finally {
  if (process.env.PERF_BUDGETS_KEEP_TMP === '1') console.log(`[clone-proof] kept ${tmp}`);
  else rmSync(tmp, { recursive: true, force: true });
}
say('done');
process.exit(code);
