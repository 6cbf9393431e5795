import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark } from '../core/config/parseConfig';
import type { HttpBenchSpec } from './httpBench';

/**
 * The environment variable that carries the spec to the child where its stdin cannot (a VS Code
 * task's process). The child removes it from its environment at once, so the service it starts
 * does not inherit it.
 */
export const HTTP_SPEC_ENV = 'PERF_BUDGETS_HTTP_SPEC';

/** How to start the child process that runs a benchmark's `http` (see httpBenchMain.ts). */
export interface HttpBenchCommand {
  command: string;
  /** Never the spec: a command line is readable by every user of the machine (ps) and printed by the task terminal. */
  args: string[];
  /** Extra environment: ELECTRON_RUN_AS_NODE=1, so the extension host's executable runs as Node. */
  env: Record<string, string>;
  cwd: string;
  /** The HttpBenchSpec as JSON, for the child's stdin, or else the HTTP_SPEC_ENV variable of its environment. */
  spec: string;
}

/**
 * The child-process command of a benchmark's `http`: this Node (process.execPath — the extension
 * host's too, with ELECTRON_RUN_AS_NODE) running dist/httpbench.js beside this bundle, or under
 * tsx the TypeScript entry (tests). The spec (with header values) travels as JSON on stdin or
 * in HTTP_SPEC_ENV, never on the command line. `allowedRemoteHosts`: what the user allowed (see
 * remoteHostsRefused); the child refuses any other non-loopback host.
 */
export function httpBenchCommand(bench: Benchmark, workspace: string, allowedRemoteHosts: readonly string[]): HttpBenchCommand {
  if (!bench.http) throw new Error(`benchmark ${bench.name} has no "http"`);
  const ts = __filename.endsWith('.ts');
  const script = path.join(__dirname, ts ? 'httpBenchMain.ts' : 'httpbench.js');
  if (!existsSync(script)) throw new Error(`${script} is missing; run the build`);
  const spec: HttpBenchSpec = {
    benchmark: bench.name,
    workspace,
    cwd: path.resolve(workspace, bench.cwd ?? '.'),
    http: bench.http,
    allowedRemoteHosts: [...allowedRemoteHosts],
  };
  return {
    command: process.execPath,
    // Under tsx (tests) the child loads tsx too, by absolute URL: its cwd is the workspace.
    args: [...(ts ? ['--import', pathToFileURL(createRequire(__filename).resolve('tsx')).href] : []), script],
    env: { ELECTRON_RUN_AS_NODE: '1' },
    cwd: workspace,
    spec: JSON.stringify(spec),
  };
}
