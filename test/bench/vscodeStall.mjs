// The extension host's event-loop stall while the extension re-reads a big result file, measured
// inside the real VS Code: code-server (the rig's, installed into .vscode-test/ on first use)
// opens a temp workspace with a perf-budgets.json and a ~400 MB JTL (test/fixtures/bigJtl.ts), and
// headless Chromium opens its workbench with a payload naming this repo as extensionDevelopmentPath
// and out/test/bench/vscodeStall/index.js (from test/bench/vscodeStall/index.ts) as
// extensionTestsPath, as test/integration/run.mjs does. That entry measures and writes JSON here.
// The server and the browser are stopped by PID and the temp folder removed whatever happens.
//
//   node test/bench/vscodeStall.mjs   (builds the extension first; npm run bench calls vscodeStallBench)
// Env: BENCH_VSCODE_STALL_MB (default 400) sets the file's size.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { launchBrowser } from '../rig/browser.mjs';
import { CODE_SERVER_VERSION, ensureCodeServer, startCodeServer, workbenchUrl, writeUserSettings } from '../rig/codeServer.mjs';
import { installSignalHandlers, onCleanup } from '../rig/processes.mjs';

const TARGET_MS = 50;
const TIMEOUT_S = 300;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves the figures, or { skipped: why } when code-server is not installed. */
export async function vscodeStallBench(root) {
  try {
    ensureCodeServer(); // first use installs it into .vscode-test/ (~1 min), as the test suites do
  } catch (e) {
    return { skipped: `code-server ${CODE_SERVER_VERSION} could not be installed: ${e.message.split('\n')[0]}` };
  }
  installSignalHandlers();
  const outDir = path.join(root, 'out/test/bench/vscodeStall');
  rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { index: path.join(root, 'test/bench/vscodeStall/index.ts'), bigJtl: path.join(root, 'test/fixtures/bigJtl.ts') },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    logLevel: 'error',
  });
  const { writeBigJtl, JTL_HEADER, JTL_ROW } = createRequire(import.meta.url)(path.join(outDir, 'bigJtl.js'));

  const tmp = mkdtempSync(path.join(tmpdir(), 'perf-budgets-vscode-stall-'));
  const stops = [];
  const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
  const unregister = onCleanup(async () => {
    for (const stop of [...stops].reverse()) await stop();
    removeTmp();
  });
  try {
    const workspace = path.join(tmp, 'workspace');
    const userDataDir = path.join(tmp, 'user-data');
    const extensionsDir = path.join(tmp, 'extensions');
    for (const d of [path.join(workspace, 'perf/results'), userDataDir, extensionsDir]) mkdirSync(d, { recursive: true });
    writeUserSettings(userDataDir);
    writeFileSync(
      path.join(workspace, 'perf-budgets.json'),
      JSON.stringify({ benchmarks: { big: { command: 'true', results: 'perf/results/big.jtl', format: 'jmeter' } }, budgets: { 'GET /big': { p95: '100ms' } } }),
    );
    const bytes = writeBigJtl(path.join(workspace, 'perf/results/big.jtl'), Number(process.env.BENCH_VSCODE_STALL_MB ?? 400) * 1e6);
    const resultsFile = path.join(tmp, 'results.json');

    const server = await startCodeServer({
      workspace,
      userDataDir,
      extensionsDir,
      logFile: path.join(tmp, 'code-server.log'),
      env: { PERF_BUDGETS_BENCH_RESULTS: resultsFile },
    });
    stops.push(() => server.stop());
    const browser = await launchBrowser();
    stops.push(() => browser.close());
    const url = workbenchUrl(server, workspace, { extensionDevelopmentPath: root, extensionTestsPath: path.join(outDir, 'index.js') });
    await browser.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    const deadline = Date.now() + TIMEOUT_S * 1000;
    let r;
    for (;;) {
      if (existsSync(resultsFile)) r = JSON.parse(readFileSync(resultsFile, 'utf8'));
      if (r?.done) break;
      const exited = server.logText().match(/Extension Host Process exited with code: (\d+)/);
      if (exited) throw new Error(`the extension host exited (code ${exited[1]}) before the measurement finished:\n${server.logText().slice(-2000)}`);
      if (server.exited()) throw new Error(`code-server exited during the measurement:\n${server.logText().slice(-2000)}`);
      if (Date.now() > deadline) throw new Error(`timed out after ${TIMEOUT_S} s waiting for the extension host's figures`);
      await sleep(250);
    }
    if (r.fatal) throw new Error(`the measurement failed in the extension host:\n${r.fatal}`);
    // The read must have read the whole file: one series with every row of it.
    const rows = (bytes - JTL_HEADER.length) / JTL_ROW.length;
    const failures = [];
    if (r.bytes !== bytes) failures.push(`the file has ${r.bytes} bytes, ${bytes} written`);
    if (r.series.length !== 1 || r.series[0].name !== 'GET /big' || r.series[0].count !== rows) failures.push(`read ${JSON.stringify(r.series)}, expected GET /big with ${rows} requests`);
    if (!(r.probe.maxStallMs >= 190)) failures.push(`a deliberate 200 ms block measured only ${r.probe.maxStallMs.toFixed(0)} ms: the stall figures cannot be trusted`);
    return { ...r, codeServer: CODE_SERVER_VERSION, rows, failures };
  } finally {
    unregister();
    for (const stop of [...stops].reverse()) await stop();
    removeTmp();
  }
}

export function printVscodeStallBench(r) {
  if (r.skipped) {
    console.log(`\nextension-host stall in VS Code: skipped (${r.skipped})`);
    return;
  }
  const pass = r.read.maxStallMs < TARGET_MS ? 'PASS' : 'MISS';
  const f = (ms) => ms.toFixed(0);
  console.log(
    `\nextension-host stall during a ${(r.bytes / 1e6).toFixed(0)} MB JTL read in VS Code ${r.vscodeVersion} (code-server ${r.codeServer}): longest ${f(r.read.maxStallMs)} ms, p99 ${f(r.read.p99StallMs)} ms (target < ${TARGET_MS} ms) ${pass}`,
  );
  console.log(
    `  Re-read Results took ${(r.read.ms / 1000).toFixed(1)} s (${r.rows} rows); longest stall = max of monitorEventLoopDelay (10 ms resolution) ${r.read.histogramMaxMs.toFixed(1)} ms and a 5 ms interval's drift ${r.read.intervalMaxDriftMs.toFixed(1)} ms;`,
  );
  console.log(`  the same host idle for ${(r.idle.ms / 1000).toFixed(0)} s just before: longest ${f(r.idle.maxStallMs)} ms, p99 ${f(r.idle.p99StallMs)} ms`);
  console.log(`  the instrument's check, a deliberate 200 ms block of the host's thread: longest ${f(r.probe.maxStallMs)} ms`);
  for (const failure of r.failures) console.log(`  FAIL: ${failure}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const b = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (b.status !== 0) throw new Error('npm run build failed');
  const r = await vscodeStallBench(root);
  printVscodeStallBench(r);
  process.exit(r.failures?.length ? 1 : 0);
}
