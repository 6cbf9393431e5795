/**
 * Worker-thread entry (bundled to dist/worker.js): claims tasks (byte ranges of one file)
 * from a shared counter until none are left, scans them with the format's kernel, and posts
 * its one partial aggregate (or the first error).
 */
import { workerData, parentPort } from 'node:worker_threads';
import type { ScanJob, ScanReply } from './scanJob';
import { runScanJob } from './scanJob';
import { type ReadJob, type ReadReply, runReadJob } from './readJob';

if (parentPort) {
  const port = parentPort;
  const data = workerData as ScanJob | ReadJob;
  if ('kind' in data && data.kind === 'read') {
    void runReadJob(data, (bytes) => port.postMessage({ type: 'progress', bytes } satisfies ReadReply)).then((reply) => port.postMessage(reply));
  } else {
    const reply: ScanReply = runScanJob(data as ScanJob);
    port.postMessage(reply);
  }
}
