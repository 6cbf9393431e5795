import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { Benchmark } from '../core/config/parseConfig';
import { HTTP_SPEC_ENV, httpBenchCommand } from './httpBenchProcess';
import { mayStartProcess } from './processGate';

/** How a benchmark process ended: its exit code, or why it was stopped. */
export type BenchmarkExit = number | 'timeout' | 'cancelled';

/** A benchmark's own bound: its "timeout", or for the built-in HTTP benchmark ready wait + duration + 1 min. */
export function benchmarkTimeoutMs(bench: Benchmark): number | undefined {
  return bench.timeoutMs ?? (bench.http ? bench.http.readyTimeoutMs + bench.http.durationMs + 60_000 : undefined);
}

/** What runs, in words: "built-in HTTP benchmark of URL" or the command. Null when nothing can run outside the editor. */
export function describeBenchmark(bench: Benchmark): string | null {
  if (bench.http) return `built-in HTTP benchmark of ${bench.http.baseUrl}`;
  return bench.command ?? null;
}

export interface BenchmarkProcessOptions {
  env: NodeJS.ProcessEnv;
  /** Where the process's stdout and stderr go (not ended). */
  output: NodeJS.WritableStream;
  /** Default: benchmarkTimeoutMs(bench). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Non-loopback hosts the user allowed the built-in HTTP benchmark (`--allow-remote`); default none. */
  allowRemoteHosts?: readonly string[];
}

/**
 * Runs one benchmark outside the editor, as `perf-budgets run` does: the built-in HTTP benchmark
 * in a child process (this Node running dist/httpbench.js, its spec on stdin; it bounds itself and
 * stops the service it started), or the command through the shell in the benchmark's cwd. The
 * process gets its own group, which a timeout or the signal stops (SIGTERM, SIGKILL 5 s later),
 * by PID.
 */
export function runBenchmarkProcess(bench: Benchmark, workspace: string, options: BenchmarkProcessOptions): Promise<BenchmarkExit> {
  mayStartProcess(`benchmark ${JSON.stringify(bench.name)}`);
  const bounded = { ...options, timeoutMs: options.timeoutMs ?? benchmarkTimeoutMs(bench) };
  if (bench.http) {
    const child = httpBenchCommand(bench, workspace, options.allowRemoteHosts ?? []);
    const env = { ...options.env, ...child.env };
    // The spec comes on stdin here; an inherited variable must not take its place.
    delete env[HTTP_SPEC_ENV];
    return runProcess({ file: child.command, args: child.args, env, stdin: child.spec }, child.cwd, bounded);
  }
  if (!bench.command) throw new Error(`benchmark ${JSON.stringify(bench.name)} has no "command" or "http" (only a task, which runs in the editor)`);
  return runProcess(bench.command, path.resolve(workspace, bench.cwd ?? '.'), bounded);
}

function runProcess(
  command: string | { file: string; args: string[]; env: NodeJS.ProcessEnv; stdin: string },
  cwd: string,
  options: BenchmarkProcessOptions,
): Promise<BenchmarkExit> {
  return new Promise((resolve) => {
    if (options.signal?.aborted) return resolve('cancelled');
    const child =
      typeof command === 'string'
        ? spawn(command, { cwd, shell: true, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: options.env })
        : spawn(command.file, command.args, { cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'], env: command.env });
    if (typeof command !== 'string') {
      // A child that exits before reading it all (EPIPE) ends with its own exit code.
      child.stdin?.on('error', () => {});
      child.stdin?.end(command.stdin);
    }
    child.stdout.pipe(options.output, { end: false });
    child.stderr.pipe(options.output, { end: false });
    let stopped: 'timeout' | 'cancelled' | undefined;
    let kill: NodeJS.Timeout | undefined;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    const stop = (why: 'timeout' | 'cancelled') => {
      stopped ??= why;
      signalGroup('SIGTERM');
      kill ??= setTimeout(() => signalGroup('SIGKILL'), 5000);
    };
    const timer = options.timeoutMs !== undefined ? setTimeout(() => stop('timeout'), options.timeoutMs) : undefined;
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', () => resolve(127));
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (kill) clearTimeout(kill);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(stopped ?? code ?? (signal ? 128 : 1));
    });
  });
}
