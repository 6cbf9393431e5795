import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Benchmark } from '../core/config/parseConfig';
import type { HttpBenchSpec } from './httpBench';

/** How to start the child process that runs a benchmark's `http` (see httpBenchMain.ts). */
export interface HttpBenchCommand {
  command: string;
  args: string[];
  /** Extra environment: ELECTRON_RUN_AS_NODE=1, so the extension host's executable runs as Node. */
  env: Record<string, string>;
  cwd: string;
}

/**
 * The child-process command of a benchmark's `http`: this Node (process.execPath — the extension
 * host's too, with ELECTRON_RUN_AS_NODE) running dist/httpbench.js beside this bundle, or under
 * tsx the TypeScript entry (tests). The spec travels as one JSON argument (no shell involved).
 */
export function httpBenchCommand(bench: Benchmark, workspace: string): HttpBenchCommand {
  if (!bench.http) throw new Error(`benchmark ${bench.name} has no "http"`);
  const ts = __filename.endsWith('.ts');
  const script = path.join(__dirname, ts ? 'httpBenchMain.ts' : 'httpbench.js');
  if (!existsSync(script)) throw new Error(`${script} is missing; run the build`);
  const spec: HttpBenchSpec = {
    benchmark: bench.name,
    workspace,
    cwd: path.resolve(workspace, bench.cwd ?? '.'),
    http: bench.http,
  };
  return {
    command: process.execPath,
    // Under tsx (tests) the child loads tsx too, by absolute URL: its cwd is the workspace.
    args: [...(ts ? ['--import', pathToFileURL(createRequire(__filename).resolve('tsx')).href] : []), script, JSON.stringify(spec)],
    env: { ELECTRON_RUN_AS_NODE: '1' },
    cwd: workspace,
  };
}
