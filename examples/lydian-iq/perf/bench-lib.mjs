// The benchmark harness of this example (the same file in every examples/<name>/perf/): start the
// service on a free 127.0.0.1 port, wait until it answers, run the load tool(s) against it, stop
// the service by PID (its whole process group) and exit with the load tool's status. A cancelled
// task (SIGHUP from the closing terminal, SIGINT, SIGTERM) stops the service and the load tool too.
// Result files are written beside their target and renamed when the tool succeeds: a failed or
// cancelled run never leaves a partial result. Nothing here talks to anything but 127.0.0.1.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const WORKSPACE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The Perf Budgets repository (node_modules with express, tsx, autocannon; dist/httpbench.js): PERF_BUDGETS_REPO. */
export function repo() {
  const r = process.env.PERF_BUDGETS_REPO;
  if (!r) fail('PERF_BUDGETS_REPO is not set (npm run demo and the test rig set it to the Perf Budgets repository)');
  return r;
}

export function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A load entry that runs Perf Budgets' built-in load generator (`node dist/httpbench.js`, its spec
 * in PERF_BUDGETS_HTTP_SPEC, never an argument; autocannon in a child process) and writes an
 * HdrHistogram interval log, one tag per handler.
 * requests: [{ handler, path, method?, body?, weight? }]
 */
export function builtinLoad({ benchmark, base, requests, results, durationMs = 3000, connections = 8 }) {
  const spec = {
    benchmark,
    workspace: WORKSPACE,
    cwd: WORKSPACE,
    http: {
      baseUrl: base,
      requests: requests.map((r) => ({
        handler: r.handler,
        path: r.path,
        method: r.method ?? r.handler.split(' ')[0],
        headers: r.body === undefined ? {} : { 'content-type': 'application/json' },
        ...(r.body === undefined ? {} : { body: JSON.stringify(r.body) }),
        weight: r.weight ?? 1,
      })),
      durationMs,
      connections,
      readyTimeoutMs: 10_000,
      results,
      allowRemote: false,
    },
  };
  const entry = path.join(repo(), 'dist/httpbench.js');
  if (!existsSync(entry)) fail(`${entry} is missing: run npm run build in the Perf Budgets repository`);
  return { command: process.execPath, args: [entry], env: { PERF_BUDGETS_HTTP_SPEC: JSON.stringify(spec) } };
}

/**
 * bench({ name, server: (port) => ({ command, args, cwd, env }), ready: '/health',
 *         loads: (baseUrl) => [{ command, args, cwd, env, stdoutFile }], after: async (baseUrl) => {} })
 * `after` runs while the service is still up (e.g. a /metrics scrape).
 */
export async function bench({ name, server, ready, loads, after, readyTimeoutMs = 30_000 }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const s = server(port);
  console.log(`bench ${name}: starting ${s.command} ${s.args.join(' ')} on ${base}`);
  const child = spawn(s.command, s.args, { cwd: s.cwd ?? WORKSPACE, env: { ...process.env, ...s.env, PORT: String(port) }, stdio: 'inherit', detached: true });
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (e) => (exited = { code: null, signal: null, error: e }));
  mkdirSync(path.join(WORKSPACE, 'perf/results'), { recursive: true }); // Locust --csv does not create it
  const pidDir = path.join(WORKSPACE, '.bench');
  mkdirSync(pidDir, { recursive: true });
  writeFileSync(path.join(pidDir, `${name}.pid`), `${child.pid}\n`);

  let load = null;
  const stopServer = async () => {
    if (exited || !child.pid) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 30 && !exited; i++) await sleep(100);
    if (!exited) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  };
  for (const sig of ['SIGHUP', 'SIGINT', 'SIGTERM']) {
    process.on(sig, () => {
      console.error(`bench ${name}: ${sig}, stopping`);
      load?.kill('SIGTERM');
      void stopServer().then(() => process.exit(130));
    });
  }

  let status = 0;
  try {
    const deadline = Date.now() + readyTimeoutMs;
    for (;;) {
      if (exited) throw new Error(`the service exited before it was ready (${exited.error?.message ?? exited.code ?? exited.signal})`);
      const ok = await fetch(`${base}${ready}`, { signal: AbortSignal.timeout(1000) }).then((r) => r.status < 500, () => false);
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`the service did not answer ${ready} within ${readyTimeoutMs / 1000} s`);
      await sleep(100);
    }
    console.log(`bench ${name}: service ready`);
    for (const l of loads(base)) {
      console.log(`bench ${name}: ${l.command} ${l.args.map((a) => (a.length > 80 ? `${a.slice(0, 77)}...` : a)).join(' ')}${l.stdoutFile ? ` > ${l.stdoutFile}` : ''}`);
      const target = l.stdoutFile ? path.resolve(WORKSPACE, l.stdoutFile) : null;
      if (target) mkdirSync(path.dirname(target), { recursive: true });
      const out = target ? openSync(`${target}.partial`, 'w') : 'inherit';
      load = spawn(l.command, l.args, { cwd: l.cwd ?? WORKSPACE, env: { ...process.env, ...l.env }, stdio: ['ignore', out, 'inherit'] });
      const code = await new Promise((resolve) => {
        load.on('exit', (c, sig) => resolve(c ?? (sig ? 128 : 1)));
        load.on('error', (e) => {
          console.error(`bench ${name}: ${e.message}`);
          resolve(127);
        });
      });
      load = null;
      if (target) {
        closeSync(out);
        if (code === 0) renameSync(`${target}.partial`, target);
        else rmSync(`${target}.partial`, { force: true });
      }
      if (code !== 0) {
        status = code;
        break;
      }
    }
    if (status === 0 && after) await after(base);
  } catch (e) {
    console.error(`bench ${name}: ${e.message}`);
    status = 1;
  } finally {
    await stopServer();
  }
  console.log(`bench ${name}: service stopped; exit ${status}`);
  process.exit(status);
}

/** Write a result file atomically (temp file + rename). */
export function writeResult(relative, text) {
  const target = path.resolve(WORKSPACE, relative);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(`${target}.partial`, text);
  renameSync(`${target}.partial`, target);
}
