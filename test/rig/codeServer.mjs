// code-server (VS Code's server + web workbench, from npm) as the real VS Code of the test suites.
// Install once into .vscode-test/ (git-ignored) with the workarounds of
// shared/notes/real-vscode-here.md, then start/stop it per run on a free loopback port.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopTree, track } from './processes.mjs';
import { missingTools } from './tools.cjs';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** 4.100.x is the last line that runs on Node 20 (VS Code 1.100). */
export const CODE_SERVER_VERSION = process.env.PERF_BUDGETS_CODE_SERVER_VERSION ?? '4.100.3';
export const CACHE_DIR = process.env.PERF_BUDGETS_VSCODE_TEST_DIR ?? path.join(REPO, '.vscode-test');

// @vscode/ripgrep (a code-server dependency) downloads rg from GitHub in its postinstall unless
// this archive is already in its cache under os.tmpdir(); we build it from Debian's /usr/bin/rg.
const RIPGREP_CACHE = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_ARCHIVE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

const log = (msg) => console.log(`[code-server] ${msg}`);

function which(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || undefined;
}

function installDir() {
  return path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
}

/** Path of code-server's entry script (run with `node`). */
export function codeServerEntry() {
  return path.join(installDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

function checkPrerequisites() {
  const missing = [];
  if (!existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev (kerberos needs gssapi/gssapi.h)');
  if (!which('rg')) missing.push('ripgrep (rg, for @vscode/ripgrep)');
  if (!which('make') || !which('g++')) missing.push('build-essential (node-gyp builds native modules)');
  if (missing.length) throw new Error(`cannot install code-server; apt-get install -y ${missing.map((m) => m.split(' ')[0]).join(' ')}\n  missing: ${missing.join(', ')}`);
  if (arch() !== 'x64') log(`warning: ripgrep workaround is made for x64, this is ${arch()}`);
}

function seedRipgrepCache() {
  const dir = path.join(tmpdir(), RIPGREP_CACHE);
  const archive = path.join(dir, RIPGREP_ARCHIVE);
  if (existsSync(archive)) return;
  mkdirSync(dir, { recursive: true });
  const stage = mkdtempSync(path.join(tmpdir(), 'rg-stage-'));
  try {
    const rg = which('rg');
    spawnSync('cp', [rg, path.join(stage, 'rg')], { stdio: 'inherit' });
    const r = spawnSync('tar', ['-czf', archive, '-C', stage, 'rg'], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('could not build the ripgrep cache archive');
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  log(`seeded ${archive} from ${which('rg')}`);
}

const isCached = () => existsSync(path.join(installDir(), '.installed')) && existsSync(codeServerEntry());

/**
 * What a real-VS-Code run needs and this machine lacks, as [{ tool, install }]: Chromium, and
 * code-server's build prerequisites while it is not cached yet. Empty when the rig can start.
 */
export function rigMissing() {
  return missingTools(['chromium', ...(isCached() ? [] : ['libkrb5-dev', 'ripgrep', 'build-essential'])]);
}

/** Thrown when code-server cannot be installed from npm (no network, registry down). */
export class CodeServerUnavailable extends Error {}

/** Install code-server into the cache on first use; later calls re-use it. Returns the entry script. */
export function ensureCodeServer() {
  const dir = installDir();
  const marker = path.join(dir, '.installed');
  if (isCached()) {
    log(`using cached ${CODE_SERVER_VERSION} in ${path.relative(REPO, dir) || dir}`);
    return codeServerEntry();
  }
  checkPrerequisites();
  seedRipgrepCache();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // Own package.json so npm's allowScripts gate lets exactly these install scripts run.
  writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'code-server-cache', private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2)}\n`,
  );
  log(`installing code-server@${CODE_SERVER_VERSION} into ${path.relative(REPO, dir) || dir} (first run only, ~1 min)`);
  const t0 = Date.now();
  const logFile = path.join(dir, 'install.log');
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--no-save', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 15 * 60_000,
    env: {
      ...process.env,
      npm_config_unsafe_perm: 'true', // code-server's postinstall refuses to run as root otherwise
      npm_config_yes: 'true', // node-pty's postinstall runs `npx node-gyp`
      npm_config_update_notifier: 'false',
    },
    maxBuffer: 64 * 1024 * 1024,
  });
  writeFileSync(logFile, `${r.stdout ?? ''}\n${r.stderr ?? ''}`);
  if (r.status !== 0 || !existsSync(codeServerEntry())) {
    throw new CodeServerUnavailable(`npm install code-server@${CODE_SERVER_VERSION} failed (status ${r.status}${r.error ? `, ${r.error.message}` : ''}); see ${logFile}; retry with: node test/rig/codeServer.mjs\n${(r.stderr ?? '').split('\n').slice(-25).join('\n')}`);
  }
  const rg = path.join(dir, 'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg');
  if (!existsSync(rg)) throw new Error(`code-server installed without ${rg}; see ${logFile}`);
  writeFileSync(marker, `${CODE_SERVER_VERSION} ${new Date().toISOString()}\n`);
  log(`installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return codeServerEntry();
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** A throw-away user-data dir with the settings that keep dialogs out of the way. */
export function writeUserSettings(userDataDir, extra = {}) {
  const dir = path.join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  const settings = {
    'security.workspace.trust.enabled': false, // else a modal trust dialog blocks every click
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'git.enabled': false,
    // The built-in TypeScript/JavaScript features start a semantic tsserver that loads a project
    // for every folder with a .js/.ts file opened, and vscode.executeHoverProvider waits for its
    // answer too: on a busy 2-core machine that start-up alone took over 30 s, and a test hovering
    // a handler timed out waiting for TypeScript, not for Perf Budgets. The syntax-only server
    // answers at once (it loads no project); the suites test Perf Budgets' hovers, not TypeScript's.
    'typescript.tsserver.useSyntaxServer': 'always',
    'typescript.disableAutomaticTypeAcquisition': true,
    ...extra,
  };
  writeFileSync(path.join(dir, 'settings.json'), `${JSON.stringify(settings, null, 2)}\n`);
}

/** `code-server --install-extension FILE.vsix` into extensionsDir. */
export function installExtension(vsix, extensionsDir, userDataDir) {
  const r = spawnSync(process.execPath, [codeServerEntry(), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout.trim();
}

/**
 * Start code-server on a free loopback port. Resolves when it listens.
 * Returns { url, port, pid, logFile, stop(), logText() }.
 * `workspaceTrust: true` leaves workspace trust on (no --disable-workspace-trust), for a
 * restricted-mode test; its user settings must then enable trust too.
 * The server (and so tasks and terminals) gets PERF_BUDGETS_REPO = this repo, so fixture tasks
 * can reach the repo's node_modules from the temp copy of the workspace.
 */
export async function startCodeServer({ workspace, userDataDir, extensionsDir, logFile, env = {}, timeoutMs = 60_000, workspaceTrust = false }) {
  const port = await freePort();
  const args = [
    codeServerEntry(),
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--extensions-dir', extensionsDir,
    '--user-data-dir', userDataDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--log', 'info',
    workspace,
  ];
  mkdirSync(path.dirname(logFile), { recursive: true });
  const out = createWriteStream(logFile);
  let text = '';
  const child = spawn(process.execPath, args, {
    cwd: workspace,
    env: { ...process.env, PERF_BUDGETS_REPO: REPO, ...env, VSCODE_PROXY_URI: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  track(child.pid);
  const onData = (d) => {
    text += d.toString();
    out.write(d);
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`code-server exited early (${exited.code ?? exited.signal}); log: ${logFile}\n${text.slice(-2000)}`);
    if (/HTTP server listening on/.test(text)) {
      try {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
        if (res.ok) break;
      } catch {
        /* not yet */
      }
    }
    if (Date.now() > deadline) {
      await stopTree(child.pid);
      throw new Error(`code-server did not listen within ${timeoutMs / 1000} s; log: ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  log(`pid ${child.pid} listening on ${url} (log: ${path.relative(REPO, logFile)})`);
  return {
    url,
    port,
    pid: child.pid,
    logFile,
    logText: () => text,
    exited: () => exited,
    async stop() {
      await stopTree(child.pid);
      out.end();
      log(`pid ${child.pid} stopped`);
    },
  };
}

/** Workbench URL for a folder, optionally with a `payload` (e.g. extensionDevelopmentPath). */
export function workbenchUrl(server, folder, payload) {
  const host = `127.0.0.1:${server.port}`;
  // A .code-workspace file opens as a (multi-root) workspace, anything else as a folder.
  const key = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
  let url = `${server.url}/?${key}=${encodeURIComponent(folder)}`;
  if (payload) {
    const remote = (p) => `vscode-remote://${host}${p}`;
    const pairs = Object.entries(payload).map(([k, v]) => [k, k.endsWith('Path') ? remote(v) : v]);
    url += `&payload=${encodeURIComponent(JSON.stringify(pairs))}`;
  }
  return url;
}

// `node test/rig/codeServer.mjs`: install code-server into the cache now (what the suites do on first use).
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const missing = rigMissing().filter((m) => m.tool !== 'chromium');
  if (missing.length) {
    console.error(`cannot install code-server: ${missing.map((m) => m.install).join(' && ')}`);
    process.exit(1);
  }
  ensureCodeServer();
}
