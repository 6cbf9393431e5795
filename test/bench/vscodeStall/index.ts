// Extension-tests entry (the `run()` format, as test/integration/index.ts) of the in-VS-Code stall
// bench, run by test/bench/vscodeStall.mjs inside code-server's extension host. Its workspace holds
// a perf-budgets.json and a big JTL (perf/results/big.jtl, already read once at activation). It
// watches this thread's event loop (perf_hooks' histogram, 10 ms resolution, plus a 5 ms interval's
// drift) while the extension re-reads the results (Re-read Results) and writes the figures as JSON
// to $PERF_BUDGETS_BENCH_RESULTS: first 2 s with nothing running (the host's own noise), then the read,
// then a deliberate 200 ms block of the thread (the instrument must see it).
import { renameSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { activeApi, waitFor } from '../../integration/helpers';

const COMMAND = 'perfBudgets.rereadResults'; // src/vscode/ids.ts COMMANDS.rereadResults
const IDLE_MS = 2000;
const PROBE_BLOCK_MS = 200;

interface Window {
  ms: number;
  /** Longest stall: the larger of the histogram's max delay and the interval's max drift. */
  maxStallMs: number;
  histogramMaxMs: number;
  intervalMaxDriftMs: number;
  p99StallMs: number;
}

/** Watches this thread's event loop until `during` settles. */
async function watch(during: () => PromiseLike<unknown>): Promise<Window> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  let last = performance.now();
  let drift = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    drift = Math.max(drift, now - last - 5);
    last = now;
  }, 5);
  h.enable();
  const started = performance.now();
  try {
    await during();
  } finally {
    h.disable();
    clearInterval(timer);
  }
  const ms = performance.now() - started;
  const histogramMaxMs = h.max / 1e6;
  return { ms, maxStallMs: Math.max(histogramMaxMs, drift), histogramMaxMs, intervalMaxDriftMs: drift, p99StallMs: h.percentile(99) / 1e6 };
}

interface ReadFolder {
  folder: vscode.WorkspaceFolder;
  model?: { readAt: Date; series: Array<{ name: string; count: number | null }> };
  error?: Error;
}

export async function run(): Promise<void> {
  const out = process.env.PERF_BUDGETS_BENCH_RESULTS;
  if (!out) throw new Error('PERF_BUDGETS_BENCH_RESULTS is not set');
  const write = (body: object) => {
    writeFileSync(`${out}.tmp`, JSON.stringify(body, null, 2));
    renameSync(`${out}.tmp`, out);
  };
  try {
    const api = (await activeApi()) as unknown as { registry: { all(): ReadFolder[] }; ready: Promise<void> };
    await api.ready;
    const folder = await waitFor('the workspace folder read once', () => api.registry.all().find((f) => f.model || f.error), 120_000);
    if (folder.error) throw folder.error;
    const file = path.join(folder.folder.uri.fsPath, 'perf/results/big.jtl');
    const before = folder.model!.readAt.getTime();

    const idle = await watch(() => new Promise((r) => setTimeout(r, IDLE_MS)));
    const read = await watch(() => vscode.commands.executeCommand(COMMAND));
    // The instrument's check: a deliberate 200 ms block of this thread must measure as a ~200 ms stall.
    const probe = await watch(async () => {
      await new Promise((r) => setTimeout(r, 50));
      const t = performance.now();
      while (performance.now() - t < PROBE_BLOCK_MS);
      await new Promise((r) => setTimeout(r, 50));
    });

    const model = folder.model!;
    if (folder.error) throw folder.error;
    if (model.readAt.getTime() <= before) throw new Error('Re-read Results finished without a new read');
    write({
      done: true,
      vscodeVersion: vscode.version,
      appHost: vscode.env.appHost,
      bytes: statSync(file).size,
      series: model.series.map((s) => ({ name: s.name, count: s.count })),
      idle,
      read,
      probe,
    });
  } catch (e) {
    write({ done: true, fatal: String((e as Error)?.stack ?? e) });
  }
}
