#!/usr/bin/env node
// End-to-end: package the VSIX (npm run package), install it into a fresh extensions dir of
// code-server 4.100.x (`--install-extension`), open the fixture workspace in headless Chromium and
// run test/e2e/*.test.ts (mocha) against the live workbench, as a user would. Screenshots of every
// test (and of failures) go to test-results/e2e/. Server and browser are stopped by PID always.
//
//   node test/e2e/run.mjs [--no-package] [--grep PATTERN]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import 'tsx'; // registers tsx for import() and require() of the .ts test files
import { launchBrowser } from '../rig/browser.mjs';
import { REPO, CodeServerUnavailable, ensureCodeServer, rigMissing, installExtension, startCodeServer, workbenchUrl, writeUserSettings } from '../rig/codeServer.mjs';
import { cleanupAll, installSignalHandlers, onCleanup } from '../rig/processes.mjs';
import { skipStage, writeStats } from '../rig/stats.mjs';
import { makeRunDirs } from '../rig/workspace.mjs';

const VSIX = path.join(REPO, 'out/perf-budgets.vsix');
const OUT = path.join(REPO, 'test-results/e2e');
const argv = process.argv.slice(2);
const grep = argv.includes('--grep') ? argv[argv.indexOf('--grep') + 1] : process.env.PERF_BUDGETS_E2E_GREP;
const SETTINGS = { 'workbench.colorTheme': 'Default Dark Modern', 'editor.hover.delay': 300 };
const t0 = Date.now();
const step = (msg) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);

async function runMocha(sessionState) {
  const { default: Mocha } = await import('mocha');
  const { default: Reporter } = await import('../rig/countingReporter.cjs');
  const slug = (t) => t.fullTitle().replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '').slice(0, 120);
  const mocha = new Mocha({
    reporter: Reporter,
    timeout: 90_000,
    slow: 10_000,
    color: false,
    grep,
    rootHooks: {
      // A screenshot after every test; failures get their own name so they stand out.
      async afterEach() {
        const t = this.currentTest;
        const name = `${t.state === 'failed' ? 'FAILED-' : ''}${slug(t)}.png`;
        await sessionState.page.screenshot({ path: path.join(OUT, name) }).catch((e) => console.error(`screenshot failed: ${e.message}`));
      },
    },
  });
  for (const f of readdirSync(path.join(REPO, 'test/e2e')).filter((f) => f.endsWith('.test.ts')).sort()) mocha.addFile(path.join(REPO, 'test/e2e', f));
  await mocha.loadFilesAsync();
  return new Promise((resolve) => mocha.run((failures) => resolve(failures)));
}

/**
 * code-server 4.100 now and then opens a .code-workspace with none of its folders ("You have not yet
 * added a folder to the workspace"), before any extension runs: here about one time in five when
 * the multi-root test runs alone, and most times after other workspaces opened in the same server.
 * That is the workbench, not Perf Budgets: reload until the Explorer lists the folders (at most 3
 * tries), and say so in the log.
 */
async function ensureWorkspaceFolders(tab, count, name) {
  const rows = tab.locator('.explorer-folders-view .monaco-list-row[aria-level="1"]');
  for (let attempt = 1; ; attempt++) {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await rows.count()) < count) await tab.waitForTimeout(250);
    if ((await rows.count()) >= count) return;
    if (attempt === 3) throw new Error(`the workbench opened ${name} without its ${count} folders, ${attempt} times`);
    console.log(`[e2e] the workbench opened ${name} without its folders; reloading (try ${attempt + 1})`);
    await tab.reload({ waitUntil: 'domcontentloaded', timeout: 60_000 });
    await tab.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  }
}

async function main() {
  installSignalHandlers();
  const missing = rigMissing();
  if (missing.length) return { missing };
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });

  if (!argv.includes('--no-package') || !existsSync(VSIX)) {
    step('packaging the extension (npm run package)');
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout}`);
    // package bundles dist/ for production (minified, no source maps); put the dev build back.
    spawnSync('npm', ['run', '--silent', 'build'], { cwd: REPO, stdio: 'inherit' });
  }
  try {
    ensureCodeServer();
  } catch (e) {
    if (!(e instanceof CodeServerUnavailable)) throw e;
    console.log(`[e2e] ${e.message.split('\n')[0]}`);
    return { missing: [{ tool: 'code-server', install: 'node test/rig/codeServer.mjs (from the npm registry)' }] };
  }
  const dirs = makeRunDirs('basic', 'e2e');
  writeUserSettings(dirs.userDataDir, SETTINGS);
  step(`installing ${path.relative(REPO, VSIX)} with code-server --install-extension`);
  console.log(`  ${installExtension(VSIX, dirs.extensionsDir, dirs.userDataDir).split('\n').join('\n  ')}`);

  step(`starting code-server on workspace ${dirs.workspace}`);
  const server = await startCodeServer({ workspace: dirs.workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, logFile: path.join(OUT, 'code-server.log') });
  onCleanup(() => server.stop());
  const browser = await launchBrowser();
  onCleanup(() => browser.close());
  const { page } = browser;
  step('opening the workbench');
  await page.goto(workbenchUrl(server, dirs.workspace), { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {}); // keyboard focus in the workbench

  globalThis.perfBudgetsE2E = {
    page,
    workspace: dirs.workspace,
    screenshots: OUT,
    // A suite on its own fixture (test/e2e/workbench.ts useWorkspace): a temp copy, `prepare(dir)`
    // run on it (e.g. git init), then a second workbench tab on the same server; the basic
    // workspace's tab stays open for the other suites. `{ trusted: false }`: a server of its own
    // with workspace trust left on (restricted mode, no startup prompt) and the VSIX installed.
    async openWorkspace(fixture, prepare, { trusted = true, env = {} } = {}) {
      const own = makeRunDirs(fixture, `e2e-${fixture}${trusted ? '' : '-untrusted'}`);
      if (prepare) await prepare(own.workspace);
      let host = server;
      if (!trusted) {
        writeUserSettings(own.userDataDir, {
          ...SETTINGS,
          'security.workspace.trust.enabled': true,
          'security.workspace.trust.startupPrompt': 'never',
          'security.workspace.trust.untrustedFiles': 'open',
        });
        installExtension(VSIX, own.extensionsDir, own.userDataDir);
        host = await startCodeServer({ workspace: own.workspace, userDataDir: own.userDataDir, extensionsDir: own.extensionsDir, logFile: path.join(OUT, `code-server-${fixture.replace(/\W+/g, '-')}-untrusted.log`), workspaceTrust: true, env: typeof env === 'function' ? env(own) : env });
        onCleanup(() => host.stop());
      }
      const tab = await browser.context.newPage();
      tab.setDefaultTimeout(30_000);
      // A fixture holding a .code-workspace file opens as that multi-root workspace.
      const wsFile = readdirSync(own.workspace).find((f) => f.endsWith('.code-workspace'));
      const target = wsFile ? path.join(own.workspace, wsFile) : own.workspace;
      await tab.goto(workbenchUrl(host, target), { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await tab.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
      if (wsFile) await ensureWorkspaceFolders(tab, JSON.parse(readFileSync(target, 'utf8')).folders.length, wsFile);
      await tab.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
      const close = async () => {
        await tab.close().catch(() => {});
        if (host !== server) await host.stop();
      };
      return { page: tab, workspace: own.workspace, url: workbenchUrl(host, target), close };
    },
  };
  step('running test/e2e/*.test.ts');
  return runMocha(globalThis.perfBudgetsE2E);
}

let code = 1;
try {
  const failures = await main();
  if (failures?.missing) {
    skipStage('e2e', failures.missing);
    code = 0;
  } else code = failures ? 1 : 0;
} catch (e) {
  console.error(`[e2e] ERROR: ${e?.stack ?? e}`);
  writeStats({ passed: 0, failed: 1, skipped: 0, failures: [{ title: 'e2e rig', error: String(e?.message ?? e) }] });
  code = 1;
} finally {
  await cleanupAll();
}
const shots = existsSync(OUT) ? readdirSync(OUT).filter((f) => f.endsWith('.png')) : [];
console.log(`[e2e] ${shots.length} screenshot(s) in ${path.relative(REPO, OUT)}/; done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(code);
