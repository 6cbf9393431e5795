/**
 * Event-loop stalls while a big result file is read, as the extension host would read it
 * (bundled by stall.mjs to dist/bench-stall.js, beside dist/worker.js). Prints JSON:
 * the longest stall with the read in a worker (mainThread false) and on the calling thread.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { summarizeFile } from '../../src/node/summarizeFile';

async function measure(file: string, mainThread: boolean): Promise<{ ms: number; maxStallMs: number; p99StallMs: number }> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  // A steady 10 ms timer stands in for the editor's own work (keystrokes, rendering).
  let ticks = 0;
  const timer = setInterval(() => ticks++, 10);
  h.enable();
  const started = performance.now();
  await summarizeFile(file, { mainThread, workerMinBytes: 8 << 20 });
  const ms = performance.now() - started;
  h.disable();
  clearInterval(timer);
  void ticks;
  return { ms, maxStallMs: h.max / 1e6, p99StallMs: h.percentile(99) / 1e6 };
}

const file = process.argv[2]!;
(async () => {
  const worker = await measure(file, false);
  const main = await measure(file, true);
  process.stdout.write(`${JSON.stringify({ worker, main })}\n`);
})().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
