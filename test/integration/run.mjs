#!/usr/bin/env node
// Runs the extension-host suite (test/integration/*.test.ts) in a real VS Code: code-server
// 4.100.x (cached in .vscode-test/) + headless Chromium opening the workbench with a `payload`
// that names this repo as extensionDevelopmentPath and out/test/integration/index.js as
// extensionTestsPath. The suite writes its results to a file; this script prints them, writes
// the counts for test/run-all.mjs, and exits non-zero on any failure or timeout. The server and
// the browser are stopped by PID whatever happens.
//
//   node test/integration/run.mjs [--grep PATTERN] [--timeout SECONDS-WITHOUT-PROGRESS] [--max-seconds SECONDS]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../rig/browser.mjs';
import { CODE_SERVER_VERSION, REPO, CodeServerUnavailable, ensureCodeServer, rigMissing, startCodeServer, workbenchUrl, writeUserSettings } from '../rig/codeServer.mjs';
import { cleanupAll, installSignalHandlers, onCleanup } from '../rig/processes.mjs';
import { skipStage, writeStats } from '../rig/stats.mjs';
import { makeRunDirs } from '../rig/workspace.mjs';
import { buildSuite } from './build.mjs';

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
// The suite is stopped when no test has finished for TIMEOUT_S (a hang: each test and hook has its
// own mocha timeout, the longest 240 s), or after MAX_S in all. A slow machine only makes the
// suite longer, so the runner does not bound the whole run by a normal run's duration.
const TIMEOUT_S = Number(arg('--timeout') ?? process.env.PERF_BUDGETS_IT_TIMEOUT ?? 420);
const MAX_S = Number(arg('--max-seconds') ?? process.env.PERF_BUDGETS_IT_MAX_SECONDS ?? 2400);
const OUT = path.join(REPO, 'test-results/integration');
const t0 = Date.now();
const step = (msg) => console.log(`[integration +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function main() {
  installSignalHandlers();
  mkdirSync(OUT, { recursive: true });
  const missing = rigMissing();
  if (missing.length) return { missing };

  step('building the extension (npm run build) and the suite');
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('npm run build failed');
  const suite = await buildSuite();

  try {
    ensureCodeServer();
  } catch (e) {
    if (!(e instanceof CodeServerUnavailable)) throw e;
    console.log(`[integration] ${e.message.split('\n')[0]}`);
    return { missing: [{ tool: `code-server@${CODE_SERVER_VERSION}`, install: 'node test/rig/codeServer.mjs (from the npm registry)' }] };
  }
  const dirs = makeRunDirs('basic', 'integration');
  writeUserSettings(dirs.userDataDir);
  const resultsFile = path.join(dirs.root, 'results.json');
  // A (multi-root) workspace of that one folder: tests may then add and remove folders
  // (vscode.workspace.updateWorkspaceFolders) without VS Code reloading the window.
  const workspaceFile = path.join(dirs.root, 'integration.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'workspace' }] }));

  step(`starting code-server ${CODE_SERVER_VERSION} on workspace ${dirs.workspace}`);
  const server = await startCodeServer({
    workspace: dirs.workspace,
    userDataDir: dirs.userDataDir,
    extensionsDir: dirs.extensionsDir,
    logFile: path.join(OUT, 'code-server.log'),
    // The extension host inherits the server's environment: tell the suite where to write.
    env: { PERF_BUDGETS_IT_RESULTS: resultsFile, ...(arg('--grep') ? { PERF_BUDGETS_IT_GREP: arg('--grep') } : {}) },
  });
  onCleanup(() => server.stop());

  step('opening the workbench in headless Chromium');
  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  const consoleLines = [];
  browser.page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
  const url = workbenchUrl(server, workspaceFile, { extensionDevelopmentPath: REPO, extensionTestsPath: suite.index });
  await browser.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

  step(`waiting for the suite (stopped after ${TIMEOUT_S} s without a test finishing, or ${MAX_S} s in all)`);
  const deadline = Date.now() + MAX_S * 1000;
  let progressAt = Date.now();
  let results;
  let printed = 0;
  for (;;) {
    if (existsSync(resultsFile)) {
      try {
        results = JSON.parse(readFileSync(resultsFile, 'utf8'));
      } catch {
        /* being written */
      }
      for (const line of results?.log?.slice(printed) ?? []) console.log(`  ${line}`);
      if ((results?.log?.length ?? printed) > printed) progressAt = Date.now();
      printed = results?.log?.length ?? printed;
      if (results?.done) break;
    }
    const exited = server.logText().match(/Extension Host Process exited with code: (\d+)/);
    if (exited && !results?.done) {
      await sleep(1000); // let a last write land
      if (existsSync(resultsFile)) results = JSON.parse(readFileSync(resultsFile, 'utf8'));
      if (!results?.done) throw new Error(`the extension host exited (code ${exited[1]}) before the suite finished; see ${path.relative(REPO, server.logFile)}`);
      break;
    }
    if (server.exited()) throw new Error(`code-server exited during the suite; see ${path.relative(REPO, server.logFile)}`);
    const sofar = `results so far: ${results ? `${results.passed} passed, ${results.failed} failed` : 'none'}`;
    if (Date.now() - progressAt > TIMEOUT_S * 1000) throw new Error(`no test finished for ${TIMEOUT_S} s: the suite is stuck (${sofar})`);
    if (Date.now() > deadline) throw new Error(`timed out after ${MAX_S} s waiting for the suite (${sofar})`);
    await sleep(250);
  }
  await browser.page.screenshot({ path: path.join(OUT, 'workbench.png') }).catch(() => {});
  return { results, consoleLines };
}

let code = 1;
try {
  const { results, consoleLines, missing } = await main();
  if (missing) {
    skipStage('integration', missing);
    code = 0;
  } else {
    const expected = CODE_SERVER_VERSION.split('.').slice(0, 2).join('.') === '4.100' ? '1.100.' : '';
    const versionOk = results.vscodeVersion?.startsWith(expected);
    console.log(`[integration] ran inside VS Code ${results.vscodeVersion} (${results.appHost}), code-server ${CODE_SERVER_VERSION}`);
    if (!versionOk) console.log(`[integration] FAIL: expected VS Code ${expected}x`);
    if (results.fatal) console.log(`[integration] FAIL: suite could not run:\n${results.fatal}`);
    const failed = results.failed + (versionOk ? 0 : 1);
    console.log(`[integration] ${results.passed} passed, ${failed} failed, ${results.skipped} skipped`);
    if (failed && consoleLines.length) {
      const file = path.join(OUT, 'browser-console.log');
      (await import('node:fs')).writeFileSync(file, `${consoleLines.join('\n')}\n`);
      console.log(`[integration] browser console: ${path.relative(REPO, file)}`);
    }
    writeStats({ passed: results.passed, failed, skipped: results.skipped, failures: results.tests.filter((t) => t.state === 'failed').map((t) => ({ title: t.title, error: t.error })), skippedTests: results.tests.filter((t) => t.state === 'pending').map((t) => t.title) });
    code = failed ? 1 : 0;
  }
} catch (e) {
  console.error(`[integration] ERROR: ${e?.stack ?? e}`);
  writeStats({ passed: 0, failed: 1, skipped: 0, failures: [{ title: 'integration rig', error: String(e?.message ?? e) }] });
  code = 1;
} finally {
  await cleanupAll();
}
console.log(`[integration] done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(code);
