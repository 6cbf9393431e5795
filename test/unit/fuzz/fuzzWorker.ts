/**
 * Worker-thread entry of the fuzz pool: runs the jobs it is sent, one at a time, and writes the
 * index of the case it is on into the shared progress cell before each case, so the pool sees a
 * case that never returns (a synchronous loop cannot be timed out from inside its own thread).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type FuzzJob, runFuzzJob } from './engine';

const progress = new Int32Array(workerData.progress as SharedArrayBuffer);

parentPort!.on('message', (job: FuzzJob) => {
  runFuzzJob(job, (i, series, inputErrors) => {
    Atomics.store(progress, 0, i);
    Atomics.add(progress, 1, 1);
    Atomics.store(progress, 2, series);
    Atomics.store(progress, 3, inputErrors);
  }).then(
    (report) => parentPort!.postMessage({ ok: true, report }),
    (e: unknown) => parentPort!.postMessage({ ok: false, error: String((e as Error)?.stack ?? e) }),
  );
});
