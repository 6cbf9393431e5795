/**
 * Event-loop stalls while a big result file is read, as the extension host would read it
 * (bundled by stall.mjs to dist/bench-stall.js, beside dist/worker.js). Prints JSON:
 * the longest stall with the read in a worker (mainThread false) and on the calling thread.
 */
import { summarizeFile } from '../../src/node/read/summarizeFile';
import { type EventLoopWindow, watchEventLoop } from './eventLoopWatch';

/** The read, watched at 5 ms resolution; the watcher's 5 ms interval stands in for the editor's own work. */
function measure(file: string, mainThread: boolean): Promise<EventLoopWindow> {
  return watchEventLoop(() => summarizeFile(file, { mainThread, workerMinBytes: 8 << 20 }), 5);
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
