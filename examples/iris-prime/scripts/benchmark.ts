// Iris Prime's benchmark: starts the dev server on a free 127.0.0.1 port, loads the three
// dashboard functions at once with autocannon for 3 s, writes each run's JSON result
// (perf/results/benchmark-<name>.json, autocannon's --json shape), scrapes the server's Prometheus
// /metrics into perf/results/metrics.prom, and stops the server.
//   node <repo>/node_modules/tsx/dist/cli.mjs scripts/benchmark.ts     (PERF_BUDGETS_REPO set)
import { createRequire } from 'node:module';
import path from 'node:path';
import { bench, repo, WORKSPACE, writeResult } from '../perf/bench-lib.mjs';

const nm = path.join(repo(), 'node_modules');
const requireFromRepo = createRequire(path.join(nm, 'noop.js'));
const autocannon = requireFromRepo('autocannon') as (opts: object) => Promise<object>;
const ROUTES = ['overview', 'signals', 'forecast'];

await bench({
  name: 'iris-prime',
  ready: '/api/health',
  server: () => ({ command: process.execPath, args: [path.join(nm, 'tsx/dist/cli.mjs'), 'scripts/dev-server.ts'], cwd: WORKSPACE }),
  loads: () => [],
  after: async (base: string) => {
    const results = await Promise.all(ROUTES.map((r) => autocannon({ url: `${base}/api/iris/${r}`, connections: 4, duration: 3 })));
    results.forEach((result, i) => writeResult(`perf/results/benchmark-${ROUTES[i]}.json`, `${JSON.stringify(result)}\n`));
    const metrics = await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(5000) });
    if (!metrics.ok) throw new Error(`/metrics answered ${metrics.status}`);
    writeResult('perf/results/metrics.prom', await metrics.text());
    console.log(`bench iris-prime: wrote ${ROUTES.length} JSON results and perf/results/metrics.prom`);
  },
});
