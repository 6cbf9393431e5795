import { type ChildProcess, spawn } from 'node:child_process';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import { mayStartProcess } from './processGate';

/**
 * The service a built-in HTTP benchmark starts (`"start"`), and the wait until it (or an already
 * running service) is ready. The command runs in its own process group, which is what `stop()`
 * signals — by PID, never by name — with bounded waits.
 */
export class ServiceProcess {
  private exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  private readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve();
      });
      child.once('error', () => {
        this.exit ??= { code: 127, signal: null };
        resolve();
      });
    });
  }

  /** Starts `command` through the shell in `cwd`; at most `maxLines` lines of its output reach `log`. */
  static start(command: string, cwd: string, log: (line: string) => void, maxLines = 200): ServiceProcess {
    mayStartProcess(`the service's start command (${command})`);
    const child = spawn(command, { cwd, shell: true, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split(/\r?\n/)) {
        if (line === '') continue;
        lines++;
        if (lines <= maxLines) log(`[service] ${line}`);
        else if (lines === maxLines + 1) log(`[service] (further output not shown)`);
      }
    };
    child.stdout?.on('data', forward);
    child.stderr?.on('data', forward);
    return new ServiceProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Why it is no longer running, or undefined while it runs. */
  get exitReason(): string | undefined {
    if (!this.exit) return undefined;
    return this.exit.signal ? `was killed by ${this.exit.signal}` : `exited with code ${this.exit.code}`;
  }

  /** SIGTERM to the process group, up to `graceMs` to exit, then SIGKILL (and up to 2 s more). */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.pid === undefined) return;
    if (!this.exit) this.signal('SIGTERM');
    // The shell may exit before the service it started (same group) has closed its socket:
    // wait for the whole group, not only the direct child.
    const deadline = Date.now() + graceMs;
    await within(this.exited, graceMs);
    while (this.groupAlive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (this.groupAlive() || !this.exit) {
      this.signal('SIGKILL');
      await within(this.exited, 2000);
      for (let i = 0; i < 40 && this.groupAlive(); i++) await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Whether any process of the service's group is still running (POSIX; the child on Windows). */
  private groupAlive(): boolean {
    const pid = this.child.pid!;
    if (process.platform === 'win32') return !this.exit;
    try {
      process.kill(-pid, 0);
      return true;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'EPERM';
    }
  }

  private signal(sig: NodeJS.Signals): void {
    const pid = this.child.pid!;
    try {
      if (process.platform === 'win32') this.child.kill(sig);
      else process.kill(-pid, sig);
    } catch {
      // The group is already gone.
    }
  }
}

/**
 * Polls until the service is ready: `readyUrl` answers 2xx or 3xx, or (without one) `baseUrl`'s
 * host and port accept a TCP connection. Every 200 ms, each probe at most 2 s, up to `timeoutMs`;
 * fails at once when the started service exits. Throws an Error that says why.
 */
export async function waitReady(
  baseUrl: string,
  readyUrl: string | undefined,
  timeoutMs: number,
  service: ServiceProcess | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const what = readyUrl ?? baseUrl;
  let last = 'no answer';
  for (let attempt = 0; attempt < Math.ceil(timeoutMs / 200) + 1; attempt++) {
    signal?.throwIfAborted();
    if (service?.exitReason) throw new Error(`the start command ${service.exitReason} before ${what} was ready`);
    const probe = readyUrl ? await probeHttp(readyUrl) : await probeTcp(baseUrl);
    if (probe === true) return;
    last = probe;
    if (Date.now() >= deadline) break;
    await sleep(Math.min(200, Math.max(0, deadline - Date.now())), signal);
  }
  throw new Error(`${what} was not ready after ${Math.round(timeoutMs / 100) / 10} s (${last})`);
}

function probeHttp(url: string): Promise<true | string> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    const req = get(url, { timeout: 2000, rejectUnauthorized: false }, (res) => {
      res.resume();
      const code = res.statusCode ?? 0;
      resolve(code >= 200 && code < 400 ? true : `HTTP ${code}`);
    });
    req.on('timeout', () => req.destroy(new Error('probe timed out')));
    req.on('error', (e) => resolve(e.message));
  });
}

function probeTcp(baseUrl: string): Promise<true | string> {
  const u = new URL(baseUrl);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('connect timed out');
    });
    socket.once('error', (e) => resolve(e.message));
  });
}

function within(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
