// Iris Prime's benchmark: starts the dev server on a free 127.0.0.1 port, loads the three
// dashboard functions at once with autocannon (12 connections each) for 4 s, writes each run's JSON result
// (perf/results/benchmark-<name>.json, autocannon's --json shape), scrapes the server's Prometheus
// /metrics into perf/results/metrics.prom, and stops the server.
//   node --import tsx scripts/benchmark.ts
// tsx and autocannon come from a node_modules above the example (the Perf Budgets clone's); the
// harness is the examples' shared one (examples/lib, which a copy of this folder needs beside it).
import autocannon from 'autocannon';
import { bench, workspaceOf, writeResult } from '../../lib/bench-lib.mjs';

const workspace = workspaceOf(import.meta.url);
const ROUTES = ['overview', 'signals', 'forecast'];

await bench({
  workspace,
  name: 'iris-prime',
  ready: '/api/health',
  server: () => ({ command: process.execPath, args: ['--import', 'tsx', 'scripts/dev-server.ts'] }),
  loads: () => [],
  after: async (base: string) => {
    const results = await Promise.all(ROUTES.map((r) => autocannon({ url: `${base}/api/iris/${r}`, connections: 12, duration: 4 })));
    results.forEach((result, i) => writeResult(workspace, `perf/results/benchmark-${ROUTES[i]}.json`, `${JSON.stringify(result)}\n`));
    const metrics = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) });
    if (!metrics.ok) throw new Error(`/metrics answered ${metrics.status}`);
    writeResult(workspace, 'perf/results/metrics.prom', await metrics.text());
    console.log(`bench iris-prime: wrote ${ROUTES.length} JSON results and perf/results/metrics.prom`);
  },
});
