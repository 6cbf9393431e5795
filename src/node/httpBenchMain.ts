import { formatDuration, formatPercent } from '../core/units';
import { type HttpBenchSpec, runHttpBenchmark } from './httpBench';

/**
 * Entry of the child process that runs a built-in HTTP benchmark (bundled into dist/httpbench.js):
 *   node dist/httpbench.js '<HttpBenchSpec as JSON>'
 * Progress goes to stdout. Exit 0: the log was written; 2: the run could not be done (service not
 * ready, bad spec); 130: stopped by SIGINT/SIGTERM/SIGHUP (the service is stopped, nothing written).
 */
function main(): void {
  let spec: HttpBenchSpec;
  try {
    spec = JSON.parse(process.argv[2] ?? '') as HttpBenchSpec;
    if (!spec || typeof spec.workspace !== 'string' || !Array.isArray(spec.http?.requests)) throw new Error('not a benchmark spec');
  } catch (e) {
    process.stderr.write(`httpbench: expected one argument, the benchmark spec as JSON (${(e as Error).message})\n`);
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

main();
