/**
 * Worker-thread entry of the comparison panel's run history (bundled to dist/panelWorker.js;
 * PanelHistoryReader starts it): answers each job in turn, through one parse cache for the
 * worker's life, so a run file is parsed once however often the panel refreshes.
 */
import { parentPort } from 'node:worker_threads';
import { PanelHistoryCache, type PanelWorkerReply, type PanelWorkerRequest, readPanelHistory } from './panelHistory';

if (parentPort) {
  const port = parentPort;
  const cache = new PanelHistoryCache();
  port.on('message', ({ id, job }: PanelWorkerRequest) => {
    let reply: PanelWorkerReply;
    try {
      reply = { id, history: readPanelHistory(job, cache) };
    } catch (e) {
      reply = { id, error: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(reply);
  });
}
