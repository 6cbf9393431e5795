#!/usr/bin/env node
// The same extension-host suite in desktop VS Code through @vscode/test-electron, on machines
// that can download VS Code (this project's dev/CI machines cannot: they use run.mjs and
// code-server). `npm run test:desktop`; VS Code version from PERF_BUDGETS_VSCODE_VERSION
// (default: stable). Uses a temp copy of the fixture workspace and a throw-away profile.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { REPO } from '../rig/codeServer.mjs';
import { cleanupAll, installSignalHandlers } from '../rig/processes.mjs';
import { writeStats } from '../rig/stats.mjs';
import { makeRunDirs } from '../rig/workspace.mjs';
import { buildSuite } from './build.mjs';

installSignalHandlers();
let code = 1;
try {
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('npm run build failed');
  const suite = await buildSuite();
  const dirs = makeRunDirs('basic', 'desktop');
  const resultsFile = path.join(dirs.root, 'results.json');
  // As in run.mjs: a one-folder .code-workspace, so tests can add and remove folders without a reload.
  const workspaceFile = path.join(dirs.root, 'integration.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: 'workspace' }] }));
  code = await runTests({
    version: process.env.PERF_BUDGETS_VSCODE_VERSION ?? 'stable',
    extensionDevelopmentPath: REPO,
    extensionTestsPath: suite.index,
    extensionTestsEnv: { PERF_BUDGETS_IT_RESULTS: resultsFile },
    launchArgs: [workspaceFile, '--disable-extensions', '--disable-workspace-trust', `--user-data-dir=${dirs.userDataDir}`, `--extensions-dir=${dirs.extensionsDir}`],
  }).catch((e) => {
    console.error(`[desktop] ${e?.message ?? e}`);
    return 1;
  });
  try {
    const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
    console.log(`[desktop] VS Code ${r.vscodeVersion}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
    writeStats({ passed: r.passed, failed: r.failed, skipped: r.skipped, failures: r.tests.filter((t) => t.state === 'failed') });
  } catch {
    writeStats({ passed: 0, failed: 1, skipped: 0, failures: [{ title: 'desktop VS Code', error: 'the suite wrote no results' }] });
  }
} catch (e) {
  console.error(`[desktop] ERROR: ${e?.stack ?? e}`);
} finally {
  await cleanupAll();
}
process.exit(code);
