// The benchmark harness of the example workspaces whose load tool is not Perf Budgets' built-in
// HTTP benchmark (chimera's and lexecon's perf/bench.mjs, iris-prime's scripts/benchmark.ts; they
// import it as ../../lib/bench-lib.mjs): start the service on a free 127.0.0.1 port, wait until it
// answers, run the load tool(s) against it, stop the service by PID (its whole process group) and
// exit with the load tool's status. A cancelled task (SIGHUP from the closing terminal, SIGINT,
// SIGTERM) stops the service and the load tool too. Result files are written beside their target
// and renamed when the tool succeeds: a failed or cancelled run never leaves a partial result.
// Nothing here talks to anything but 127.0.0.1, and nothing needs an environment variable: Node
// packages (tsx, autocannon) are found the ordinary way, in a node_modules above the example.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Debian's python3, with python3-fastapi, python3-uvicorn and python3-locust. */
export const PY = '/usr/bin/python3';
const PY_ENV = { PYTHONDONTWRITEBYTECODE: '1' };

/** The workspace of a bench script one folder below it: workspaceOf(import.meta.url). */
export function workspaceOf(scriptUrl) {
  return fileURLToPath(new URL('..', scriptUrl));
}

function freePort() {
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

/** A `server` for bench(): the FastAPI app app.main:app under uvicorn. */
export function uvicorn(port) {
  return { command: PY, args: ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], env: PY_ENV };
}

/**
 * A load entry for bench(): headless Locust (locustfile.py) writing `--csv <csv>` (its _stats.csv and
 * the rest). Failed requests are results (the error-rate budgets read them), not a failed run:
 * `--exit-code-on-error 0`.
 */
export function locust(base, { csv, users = 6, seconds = 4 }) {
  return {
    command: PY,
    args: ['-m', 'locust', '-f', 'locustfile.py', '--headless', '-u', String(users), '-r', String(users), '-t', `${seconds}s`, '--host', base, '--csv', csv, '--only-summary', '--exit-code-on-error', '0', '--loglevel', 'WARNING'],
    env: PY_ENV,
  };
}

/**
 * bench({ workspace, name, server: (port) => ({ command, args, cwd, env }), ready: '/health',
 *         loads: (baseUrl) => [{ command, args, cwd, env, stdoutFile }], after: async (baseUrl) => {} })
 * Relative cwd and stdoutFile are in `workspace`; `after` runs while the service is still up (e.g.
 * a /metrics scrape).
 */
export async function bench({ workspace, name, server, ready, loads, after, readyTimeoutMs = 30_000 }) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const s = server(port);
  console.log(`bench ${name}: starting ${s.command} ${s.args.join(' ')} on ${base}`);
  const child = spawn(s.command, s.args, { cwd: path.resolve(workspace, s.cwd ?? '.'), env: { ...process.env, ...s.env, PORT: String(port) }, stdio: 'inherit', detached: true });
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.on('error', (e) => (exited = { code: null, signal: null, error: e }));
  mkdirSync(path.join(workspace, 'perf/results'), { recursive: true }); // Locust --csv does not create it
  const pidDir = path.join(workspace, '.bench');
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
      const target = l.stdoutFile ? path.resolve(workspace, l.stdoutFile) : null;
      if (target) mkdirSync(path.dirname(target), { recursive: true });
      const out = target ? openSync(`${target}.partial`, 'w') : 'inherit';
      load = spawn(l.command, l.args, { cwd: path.resolve(workspace, l.cwd ?? '.'), env: { ...process.env, ...l.env }, stdio: ['ignore', out, 'inherit'] });
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

/** Write a result file of `workspace` atomically (temp file + rename). */
export function writeResult(workspace, relative, text) {
  const target = path.resolve(workspace, relative);
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(`${target}.partial`, text);
  renameSync(`${target}.partial`, target);
}
