// Bench section: bundle sizes and start-up, against the product issue's targets
// (dist/extension.js < 400 KB minified, activate() < 20 ms).
//
// 1. `node esbuild.mjs --production` (the VSIX build: minified) run in a scratch copy of the repo
//    layout (src, package.json, node_modules linked; its own dist/ and media/), so the shared dist/
//    of `npm run build` is left as it is. Sizes of dist/extension.js, cli.js and worker.js.
// 2. Activation: per run a fresh `node` loads the minified dist/extension.js with a stub `vscode`
//    module (every top-level name of @types/vscode is a generic Proxy: a callable, constructible
//    no-op whose members and results are the same, disposable; get(key, default) answers the
//    default; so it keeps working as activate() grows) and times `require` of the bundle and
//    `activate(context)` to return separately (performance.now() around each). Median of
//    BENCH_STARTUP_RUNS (default 9) processes; PASS/MISS of activate() against < 20 ms.
// 3. CLI start-up: wall and CPU time of `node dist/cli.js summarize test/fixtures/hey/decide.csv
//    --json` (minified build), median of BENCH_CLI_RUNS (default 10), beside bare `node -e 0`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const EXTENSION_TARGET_KB = 400;
export const ACTIVATE_TARGET_MS = 20;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Minified build of every bundle into `<tmp>/prod/dist`; returns that dist folder. */
export function productionBuild({ root, tmp }) {
  const dir = path.join(tmp, 'prod');
  mkdirSync(path.join(dir, 'media'), { recursive: true });
  for (const f of ['package.json', 'tsconfig.json', 'esbuild.mjs', 'src', 'node_modules']) symlinkSync(path.join(root, f), path.join(dir, f));
  execFileSync('node', ['esbuild.mjs', '--production'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return path.join(dir, 'dist');
}

// The child that loads the extension: a stub `vscode`, then require + activate timed separately.
const ACTIVATE_CHILD = String.raw`
const Module = require('node:module');
const [bundle, extensionPath] = process.argv.slice(2);
// Where a generic no-op would mislead activate(): no folders open, no editor, a trusted workspace.
const VALUES = new Map([
  ['version', '1.90.0'],
  ['workspace.workspaceFolders', undefined],
  ['workspace.workspaceFile', undefined],
  ['workspace.isTrusted', true],
  ['workspace.textDocuments', []],
  ['window.activeTextEditor', undefined],
  ['window.visibleTextEditors', []],
  ['env.language', 'en'],
  ['env.appName', 'Visual Studio Code'],
  ['env.uiKind', 1],
]);
/** Any member: a callable, constructible no-op; calls return another (disposable) stub. */
function stub(name) {
  const children = new Map();
  return new Proxy(function () {}, {
    get(target, prop) {
      if (prop === 'then') return undefined; // not a thenable
      if (prop === Symbol.iterator) return function* () {};
      if (prop === Symbol.toPrimitive || prop === 'toString' || prop === 'toJSON') return () => name;
      if (prop === 'dispose') return () => {};
      if (typeof prop === 'symbol') return undefined;
      if (Object.prototype.hasOwnProperty.call(target, prop) && prop !== 'prototype' && prop !== 'length' && prop !== 'name') return target[prop];
      const key = name ? name + '.' + prop : prop;
      if (VALUES.has(key)) return VALUES.get(key);
      if (!children.has(prop)) children.set(prop, stub(key));
      return children.get(prop);
    },
    set(target, prop, value) {
      target[prop] = value;
      return true;
    },
    // get(key, default) of a configuration or Memento answers the default.
    apply: (_t, _this, args) => (/(^|\.)get$/.test(name) ? args[1] : stub(name + '()')),
    construct: () => stub('new ' + name),
  });
}
// The module's own members: the top-level names of @types/vscode (what __toESM copies).
const vscode = {};
for (const name of JSON.parse(process.env.PB_VSCODE_NAMES)) {
  Object.defineProperty(vscode, name, { enumerable: true, get: () => (VALUES.has(name) ? VALUES.get(name) : (vscode['#' + name] ??= stub(name))) });
}
const load = Module._load;
Module._load = function (request, ...rest) {
  return request === 'vscode' ? vscode : load.call(this, request, ...rest);
};
const memento = { get: (_k, d) => d, update: async () => {}, keys: () => [], setKeysForSync() {} };
const context = new Proxy(
  {
    subscriptions: [],
    extension: { id: 'perf-budgets.perf-budgets', packageJSON: require(extensionPath + '/package.json'), extensionPath },
    extensionPath,
    extensionUri: vscode.Uri.file(extensionPath),
    workspaceState: memento,
    globalState: memento,
    asAbsolutePath: (p) => extensionPath + '/' + p,
  },
  { get: (t, p) => (p in t ? t[p] : stub('context.' + String(p))) },
);
const t0 = performance.now();
const extension = require(bundle);
const t1 = performance.now();
extension.activate(context);
const t2 = performance.now();
process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1, subscriptions: context.subscriptions.length }));
process.exit(0); // not waiting for the background read of folders
`;

function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code !== 0) reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString().slice(0, 800)}`));
      else resolve({ ms, stdout: Buffer.concat(out).toString() });
    });
  });
}

/** Top-level names the `vscode` module exports (namespaces, classes, enums, constants, functions). */
function vscodeNames(root) {
  const dts = readFileSync(path.join(root, 'node_modules/@types/vscode/index.d.ts'), 'utf8');
  return [...new Set([...dts.matchAll(/^\texport (?:namespace|class|enum|const|let|function) (\w+)/gm)].map((m) => m[1]))];
}

/** Activation of `<dist>/extension.js` in fresh processes: { require, activate, subscriptions }. */
export async function activationBench({ root, tmp, dist, runs }) {
  const child = path.join(tmp, 'activate-child.cjs');
  writeFileSync(child, ACTIVATE_CHILD);
  const env = { ...process.env, PB_VSCODE_NAMES: JSON.stringify(vscodeNames(root)) };
  const req = [];
  const act = [];
  let subscriptions = 0;
  for (let i = 0; i < runs; i++) {
    const r = JSON.parse((await run('node', [child, path.join(dist, 'extension.js'), root], { env })).stdout);
    req.push(r.requireMs);
    act.push(r.activateMs);
    subscriptions = r.subscriptions;
  }
  const stats = (xs) => ({ min: Math.min(...xs), med: median(xs), max: Math.max(...xs) });
  return { runs, require: stats(req), activate: stats(act), subscriptions };
}

/**
 * Wall and CPU time (user + system, less sensitive to other load on the machine) of the CLI
 * summarizing a small file, and of bare node, in fresh processes.
 */
export async function cliStartBench({ root, tmp, dist, runs }) {
  const file = 'test/fixtures/hey/decide.csv';
  const preload = path.join(tmp, 'cpu-preload.cjs');
  const cpuFile = path.join(tmp, 'cpu.txt');
  writeFileSync(preload, "process.on('exit', () => { const u = process.resourceUsage(); require('fs').writeFileSync(process.env.PB_CPU_FILE, String((u.userCPUTime + u.systemCPUTime) / 1000)); });\n");
  const env = { ...process.env, PB_CPU_FILE: cpuFile };
  const cpu = () => Number(readFileSync(cpuFile, 'utf8'));
  const cli = { wall: [], cpu: [] };
  const bare = { wall: [], cpu: [] };
  for (let i = 0; i < runs; i++) {
    const r = await run('node', ['--require', preload, path.join(dist, 'cli.js'), 'summarize', file, '--json'], { cwd: root, env });
    if (i === 0) JSON.parse(r.stdout); // it did summarize
    cli.wall.push(r.ms);
    cli.cpu.push(cpu());
    bare.wall.push((await run('node', ['--require', preload, '-e', '0'], { env })).ms);
    bare.cpu.push(cpu());
  }
  const stats = (x) => ({ min: Math.min(...x.wall), med: median(x.wall), cpu: median(x.cpu) });
  return { runs, file, cli: stats(cli), bare: stats(bare) };
}

export async function startupBench({ root, tmp, runs = Number(process.env.BENCH_STARTUP_RUNS ?? 9), cliRuns = Number(process.env.BENCH_CLI_RUNS ?? 10) }) {
  const failures = [];
  const dist = productionBuild({ root, tmp });
  const sizes = ['extension.js', 'cli.js', 'worker.js'].map((f) => ({ file: `dist/${f}`, kb: statSync(path.join(dist, f)).size / 1024 }));
  let activation = null;
  try {
    activation = await activationBench({ root, tmp, dist, runs });
  } catch (e) {
    failures.push(`activation: ${e.message}`);
  }
  let cliStart = null;
  try {
    cliStart = await cliStartBench({ root, tmp, dist, runs: cliRuns });
  } catch (e) {
    failures.push(`cli start-up: ${e.message}`);
  }
  return { sizes, activation, cliStart, failures };
}

export function printStartupBench(r) {
  console.log('');
  console.log('Bundles (node esbuild.mjs --production, minified) and start-up');
  const ext = r.sizes[0];
  for (const s of r.sizes) {
    const target = s === ext ? `  ${s.kb < EXTENSION_TARGET_KB ? 'PASS' : 'MISS'} <${EXTENSION_TARGET_KB} KB` : '';
    console.log(`  ${s.file.padEnd(18)} ${s.kb.toFixed(0).padStart(5)} KB${target}`);
  }
  const a = r.activation;
  if (a) {
    const f = (x) => `median ${x.med.toFixed(1)} ms (min ${x.min.toFixed(1)}, max ${x.max.toFixed(1)})`;
    console.log(`Activation, plain node with a stub vscode, ${a.runs} fresh processes (${a.subscriptions} subscriptions registered):`);
    console.log(`  require(dist/extension.js)  ${f(a.require)}`);
    console.log(`  activate() to return        ${f(a.activate)}  ${a.activate.med < ACTIVATE_TARGET_MS ? 'PASS' : 'MISS'} <${ACTIVATE_TARGET_MS} ms`);
  }
  const c = r.cliStart;
  if (c) {
    console.log(`CLI start-up: node dist/cli.js summarize ${c.file} --json, ${c.runs} runs (wall: median, min; CPU user+sys: median):`);
    console.log(`  cli.js        wall ${c.cli.med.toFixed(0)} ms (min ${c.cli.min.toFixed(0)}), CPU ${c.cli.cpu.toFixed(0)} ms`);
    console.log(`  node -e 0     wall ${c.bare.med.toFixed(0)} ms (min ${c.bare.min.toFixed(0)}), CPU ${c.bare.cpu.toFixed(0)} ms (node itself)`);
  }
  console.log(`STARTUP: size ${ext.kb < EXTENSION_TARGET_KB ? 'PASS' : 'MISS'}, activate() ${a ? (a.activate.med < ACTIVATE_TARGET_MS ? 'PASS' : 'MISS') : 'n/a'}`);
  if (r.failures.length) console.log(`STARTUP CORRECTNESS: FAIL\n  ${r.failures.join('\n  ')}`);
}

// `node test/bench/startup.mjs [DIST]`: this section alone; with DIST, measure those bundles
// (e.g. an older build) instead of building.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { fileURLToPath } = await import('node:url');
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const tmp = mkdtempSync(path.join(tmpdir(), 'perf-budgets-startup-'));
  try {
    const given = process.argv[2] && path.resolve(process.argv[2]);
    let r;
    if (given) {
      const sizes = ['extension.js', 'cli.js', 'worker.js'].map((f) => ({ file: `dist/${f}`, kb: statSync(path.join(given, f)).size / 1024 }));
      r = {
        sizes,
        activation: await activationBench({ root, tmp, dist: given, runs: Number(process.env.BENCH_STARTUP_RUNS ?? 9) }),
        cliStart: await cliStartBench({ root, tmp, dist: given, runs: Number(process.env.BENCH_CLI_RUNS ?? 10) }),
        failures: [],
      };
    } else r = await startupBench({ root, tmp });
    printStartupBench(r);
    if (r.failures.length) process.exitCode = 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
