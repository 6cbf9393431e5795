// The CLI run in-process, as the CLI tests drive it: argv and a working directory in; the exit
// code and everything it wrote to stdout and stderr out.
import { PassThrough } from 'node:stream';
import { main } from '../../../src/cli/cli';

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** `perf-budgets ...args` in `cwd`, with this process's environment (or `env`). */
export async function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Outcome> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (d: Buffer) => (stdout += d.toString()));
  err.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await main(args, { stdout: out, stderr: err, cwd, env });
  return { code, stdout, stderr };
}
