/**
 * Worker-thread entry of handler discovery (bundled to dist/discoveryWorker.js; discoverRoutes.ts
 * starts it): runs its share of a DiscoveryJob and posts what it kept, then a summary.
 *
 * On Linux the nice value belongs to the thread, so this thread lowers its own: when the machine is
 * busy, the thread that started it (the extension host's event loop) gets the CPU first. Elsewhere
 * the call would lower the whole process, so it is not made.
 */
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { type DiscoveryJob, runDiscoveryJob } from './discoveryJob';

/** Nice value of the worker thread on Linux (0 normal, 19 lowest). */
const WORKER_NICE = 10;

if (parentPort) {
  const port = parentPort;
  if (process.platform === 'linux') {
    try {
      setPriority(WORKER_NICE);
    } catch {
      // Not permitted (a sandbox): the scan runs at normal priority.
    }
  }
  runDiscoveryJob(workerData as DiscoveryJob, (reply) => port.postMessage(reply));
}
