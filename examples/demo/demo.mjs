#!/usr/bin/env node
// `npm run demo`: the extension in a real VS Code on an example workspace.
//   1. packages the extension (npm run package: production bundle + vsce -> out/perf-budgets.vsix),
//   2. installs code-server 4.100.x into .vscode-test/ on first use (test/rig/codeServer.mjs),
//   3. installs the VSIX into a throw-away profile, copies examples/lydian-iq to a temp folder and
//      makes it a git repository with the example's story (examples/demo/story.mjs): for
//      lydian-iq, "Record the performance baseline" (the code before demo/change.patch and
//      perf/baseline.json, recorded from it) and then the change, a slower chat tool call,
//   4. runs the benchmark for real with the CLI (node dist/cli.js run), so .perf-budgets/runs holds
//      several runs (the panel's p95 history), and prints what the panel shows, e.g.
//      "lydian-iq: 1 regressed, 3 unchanged vs baseline 1a2b3c4",
//   5. starts code-server on a free 127.0.0.1 port (no auth, loopback only) and prints the URL.
// Open the URL, then F1 "Perf Budgets: Open Comparison Panel" (or "Run Benchmarks" to run again).
// Ctrl-C stops code-server (and anything it started) and removes the temp folders.
//
//   node examples/demo/demo.mjs [--workspace lydian-iq|iris-prime|chimera|lexecon|erlmcp | --all]
//                               [--runs N] [--screenshot] [--no-package]
// --all: prepares every example (steps 3-4) and prints one line per workspace; no browser.
// --runs N: how many times step 4 runs `run` (default 1 for a benchmark with "repeat" of 4 or
// more, whose runs are already several, else 3).
// --screenshot: drives headless Chromium through the three user actions (run from the palette,
// read the inline warning, open the comparison panel), saves media/screenshots/*.png and exits.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { launchBrowser } from '../../test/rig/browser.mjs';
import { REPO, ensureCodeServer, installExtension, startCodeServer, workbenchUrl, writeUserSettings } from '../../test/rig/codeServer.mjs';
import { cleanupAll, installSignalHandlers, onCleanup } from '../../test/rig/processes.mjs';
import { makeRunDirs } from '../../test/rig/workspace.mjs';
import { baselineCommit, commitStory, git, panelSummary } from './story.mjs';

const argv = process.argv.slice(2);
const arg = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const EXAMPLE = arg('--workspace', 'lydian-iq');
const ALL = argv.includes('--all');
const EXAMPLES = ['lydian-iq', 'iris-prime', 'chimera', 'lexecon', 'erlmcp'];
const RUNS = argv.includes('--runs') ? Number(arg('--runs')) : null;
const SCREENSHOT = argv.includes('--screenshot');
const CLI = path.join(REPO, 'dist/cli.js');
const SHOTS = path.join(REPO, 'media/screenshots');
const VSIX = path.join(REPO, 'out/perf-budgets.vsix');
const t0 = Date.now();
const step = (msg) => console.log(`[demo +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function npm(...args) {
  const r = spawnSync('npm', ['run', '--silent', ...args], { cwd: REPO, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run ${args.join(' ')} failed (${r.status})`);
}

/**
 * Steps 3-4 for one example: a temp copy with its git story and several real runs of its
 * benchmark; returns the copy's dirs and the line saying what its panel shows.
 */
function prepare(example) {
  if (!EXAMPLES.includes(example)) throw new Error(`--workspace ${example}: not one of ${EXAMPLES.join(', ')}`);
  const dirs = makeRunDirs(`examples/${example}`, `demo-${example}`);
  const commits = commitStory(dirs.workspace);
  step(`${example}: git history ${git(dirs.workspace, 'log', '--format=%h %s').trim().split('\n').reverse().join(' | ')}`);
  const config = readFileSync(path.join(dirs.workspace, 'perf-budgets.json'), 'utf8');
  const repeat = Math.max(1, ...[...config.matchAll(/"repeat"\s*:\s*(\d+)/g)].map((m) => Number(m[1])));
  const runs = RUNS ?? (repeat >= 4 ? 1 : 3);
  if (!(Number.isInteger(runs) && runs >= 1 && runs <= 10)) throw new Error('--runs must be a whole number from 1 to 10');
  let report = null;
  for (let i = 1; i <= runs; i++) {
    step(`${example}: perf-budgets run ${i} of ${runs}${repeat > 1 ? ` (${repeat} runs each)` : ''}, the benchmark for real (log: ${path.relative(dirs.root, path.join(dirs.root, 'run.log'))} in ${dirs.root})`);
    const r = spawnSync(process.execPath, [CLI, 'run', '--report', 'json'], { cwd: dirs.workspace, encoding: 'utf8', maxBuffer: 64 << 20, timeout: 10 * 60_000 });
    writeFileSync(path.join(dirs.root, 'run.log'), `${r.stderr ?? ''}`, { flag: 'a' });
    // Exit 1 is a failed budget or a regression (the example's point); 2 is an error.
    if (r.status !== 0 && r.status !== 1) throw new Error(`${example}: perf-budgets run exited ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').slice(-3).join(' / ')}`);
    report = JSON.parse(r.stdout);
  }
  const line = `${example}: ${panelSummary(report, baselineCommit(dirs.workspace))}`;
  return { dirs, commits, line };
}

function ensureCli() {
  if (existsSync(CLI)) return;
  step('building the CLI (npm run build)');
  npm('build');
}

async function poll(read, ok, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read().catch(() => undefined);
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(v)})`);
    await sleep(200);
  }
}

/** F1, type the command, wait until it is the selected entry; Enter unless `enter: false`. */
async function palette(page, title, { enter = true } = {}) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input.input').waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(title, { delay: 20 });
  await poll(() => page.locator('.quick-input-list .monaco-list-row.focused').getAttribute('aria-label', { timeout: 1000 }), (l) => !!l?.startsWith(title), `the palette to select "${title}"`);
  if (enter) await page.keyboard.press('Enter');
}

async function openFile(page, file) {
  await palette(page, 'Go to File...');
  await page.keyboard.type(file, { delay: 10 });
  await poll(() => page.locator('.quick-input-list .monaco-list-row.focused').getAttribute('aria-label', { timeout: 1000 }), (l) => !!l?.includes(path.basename(file)), `Quick Open to find ${file}`);
  await page.keyboard.press('Enter');
  const editor = page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 10_000 });
  return editor;
}

async function shoot(page, name) {
  const file = path.join(SHOTS, name);
  await page.screenshot({ path: file });
  step(`saved ${path.relative(REPO, file)}`);
}

/** The three user actions of the README, with a screenshot of each. */
async function screenshots(page) {
  mkdirSync(SHOTS, { recursive: true });
  const status = page.locator('.statusbar-item[id$="perfBudgets.status"]');
  await status.waitFor({ state: 'visible', timeout: 60_000 });
  const editor = await openFile(page, 'src/server.js');
  // 1. Run from the palette.
  await palette(page, 'Perf Budgets: Run Benchmarks', { enter: false });
  await shoot(page, '1-run-from-palette.png');
  await page.keyboard.press('Enter');
  await page.locator('.notifications-toasts .notification-list-item', { hasText: 'Perf Budgets' }).first().waitFor({ state: 'visible', timeout: 30_000 }).catch(() => {});
  step('benchmark running (the service starts on 127.0.0.1, ~4 s of load)');
  await poll(async () => (await status.innerText({ timeout: 2000 })).replace(/\s+/g, ' ').trim(), (t) => /^Budgets \d+\/\d+/.test(t ?? ''), 'the status bar verdicts', 120_000);
  // 2. The inline warning: the decoration at the breached handler, and its hover (room for the
  // whole end-of-line text: no side bar, no terminal).
  for (const cmd of ['View: Close Primary Side Bar', 'View: Hide Panel']) await palette(page, cmd).catch((e) => step(`(${cmd}: ${e.message})`));
  await editor.click({ position: { x: 300, y: 10 } });
  await page.keyboard.press('Control+Home');
  await sleep(1500);
  const breached = editor.locator('.view-lines .view-line', { hasText: "app.get('/api/civic-grid/insights'" });
  await breached.hover({ position: { x: 60, y: 5 } }).catch(() => {});
  await poll(() => page.locator('.monaco-hover:not(.hidden)').first().innerText({ timeout: 500 }), (t) => /over budget/.test(t ?? ''), 'the hover of GET /api/civic-grid/insights', 20_000).catch((e) => step(`(no hover: ${e.message})`));
  await sleep(1200); // the hover's fade-in
  await shoot(page, '2-inline-warning.png');
  await page.mouse.move(5, 5);
  // 3. The comparison panel.
  await palette(page, 'Perf Budgets: Open Comparison Panel');
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await poll(() => frame.locator('tbody tr.row').count(), (n) => n >= 4, 'the panel rows', 30_000);
  // The regressed handler's row, so the detail shows its plot against the baseline and its history.
  const regressed = frame.locator('tbody tr.row', { has: frame.locator('td.col-regression', { hasText: /^regressed$/ }) }).first();
  if (await regressed.count()) await regressed.click();
  await sleep(1000);
  await shoot(page, '3-comparison-panel.png');
}

async function main() {
  installSignalHandlers();
  if (ALL) {
    ensureCli();
    const lines = [];
    for (const ex of EXAMPLES) lines.push(prepare(ex).line);
    console.log(`\n  What each workspace's comparison panel shows:\n${lines.map((l) => `    ${l}`).join('\n')}\n`);
    return;
  }
  if (!argv.includes('--no-package')) {
    step('packaging the extension (npm run package)');
    npm('package');
  }
  ensureCli();
  ensureCodeServer();
  const { dirs, line } = prepare(EXAMPLE);
  writeUserSettings(dirs.userDataDir, { 'workbench.colorTheme': 'Default Dark Modern', 'editor.hover.delay': 300, 'window.commandCenter': false });
  step(`installing ${path.relative(REPO, VSIX)} into a throw-away profile`);
  installExtension(VSIX, dirs.extensionsDir, dirs.userDataDir);
  const server = await startCodeServer({ workspace: dirs.workspace, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, logFile: path.join(dirs.root, 'code-server.log') });
  onCleanup(() => server.stop());
  const url = workbenchUrl(server, dirs.workspace);
  console.log(`\n  Perf Budgets demo: examples/${EXAMPLE} (a temp copy: ${dirs.workspace}; \`git log\` there tells its story)\n\n    ${line}\n\n    ${url}\n`);
  if (!SCREENSHOT) {
    console.log('  Open it in a browser, then F1 "Perf Budgets: Open Comparison Panel", or "Run Benchmarks" to run again.');
    console.log('  Ctrl-C stops code-server and removes the temp folders.\n');
    await new Promise(() => {}); // until Ctrl-C (installSignalHandlers cleans up)
  }
  const browser = await launchBrowser({ viewport: { width: 1280, height: 800 } });
  onCleanup(() => browser.close());
  const { page } = browser;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
  await page.locator('.monaco-workbench').click({ position: { x: 640, y: 400 } }).catch(() => {});
  await screenshots(page);
}

let code = 0;
try {
  await main();
} catch (e) {
  console.error(`[demo] ERROR: ${e?.stack ?? e}`);
  code = 1;
} finally {
  await cleanupAll();
}
process.exit(code);
