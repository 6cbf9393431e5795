import { formatDuration, formatPercent } from '../core/units';
import { type HttpBenchSpec, runHttpBenchmark } from './httpBench';
import { HTTP_SPEC_ENV } from './httpBenchProcess';

/**
 * Entry of the child process that runs a built-in HTTP benchmark (bundled into dist/httpbench.js):
 *   node dist/httpbench.js < spec.json      (or with the JSON in the PERF_BUDGETS_HTTP_SPEC variable)
 * The HttpBenchSpec never comes as an argument: it holds header values, and a command line is
 * readable by every user of the machine. Progress goes to stdout. Exit 0: the log was written; 2:
 * the run could not be done (service not ready, bad spec, a header's variable not set, a remote
 * host not allowed); 130: stopped by SIGINT/SIGTERM/SIGHUP (the service is stopped, nothing written).
 */
async function main(): Promise<void> {
  let spec: HttpBenchSpec;
  try {
    spec = JSON.parse(await readSpec()) as HttpBenchSpec;
    if (!spec || typeof spec.workspace !== 'string' || !Array.isArray(spec.http?.requests)) throw new Error('not a benchmark spec');
  } catch (e) {
    process.stderr.write(`httpbench: expected the benchmark spec as JSON on stdin or in ${HTTP_SPEC_ENV} (${(e as Error).message})\n`);
    process.exitCode = 2;
    return;
  }
  const ac = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      process.stdout.write(`httpbench: ${sig}: stopping\n`);
      ac.abort(new Error(`stopped by ${sig}`));
    });
  }
  // Whatever happens, this process does not outlive its bounds (ready wait + run + stop).
  setTimeout(() => {
    process.stderr.write('httpbench: overran its time bound; exiting\n');
    process.exit(3);
  }, spec.http.readyTimeoutMs + spec.http.durationMs + 60_000).unref();

  const log = (line: string) => process.stdout.write(`${line}\n`);
  log(`Perf Budgets HTTP benchmark "${spec.benchmark}": ${spec.http.requests.length} request(s) against ${spec.http.baseUrl}`);
  runHttpBenchmark(spec, log, ac.signal).then(
    (out) => {
      for (const h of out.handlers) {
        const ms = (v: number | null) => (v === null ? 'n/a' : formatDuration(v));
        const rate = out.durationSec > 0 ? `${Math.round(h.requests / out.durationSec)}/s` : 'n/a';
        log(`  ${h.handler}: ${h.requests} requests (${rate}), errors ${h.requests ? formatPercent(h.errors / h.requests) : '0%'}, p50 ${ms(h.p50Ms)}, p95 ${ms(h.p95Ms)}, p99 ${ms(h.p99Ms)}`);
      }
      log(`wrote ${out.file}`);
      process.exitCode = 0;
    },
    (e: unknown) => {
      process.stderr.write(`httpbench: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = ac.signal.aborted ? 130 : 2;
    },
  );
}

/** The spec from HTTP_SPEC_ENV (then removed, so the service started does not inherit it), else all of stdin. */
async function readSpec(): Promise<string> {
  const fromEnv = process.env[HTTP_SPEC_ENV];
  if (fromEnv !== undefined) {
    delete process.env[HTTP_SPEC_ENV];
    return fromEnv;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

void main();
