// Chimera's two benchmarks. `node perf/bench.mjs load`: uvicorn on a free 127.0.0.1 port under
// Locust (30 users, 5 s: hundreds of requests per endpoint; --csv perf/results/locust). `node perf/bench.mjs micro`: pytest-benchmark of
// the transform function (--benchmark-json perf/results/pytest-benchmark.json, at most ~1 s).
// The harness is the examples' shared one (examples/lib, which a copy of this folder needs beside it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { bench, locust, PY, uvicorn, workspaceOf } from '../../lib/bench-lib.mjs';

const workspace = workspaceOf(import.meta.url);
const what = process.argv[2] ?? 'load';
if (what === 'micro') {
  mkdirSync(path.join(workspace, 'perf/results'), { recursive: true });
  const out = 'perf/results/pytest-benchmark.json';
  const args = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_bench_transform.py', `--benchmark-json=${out}.partial`, '--benchmark-min-rounds=200', '--benchmark-max-time=0.5', '--benchmark-disable-gc'];
  console.log(`bench micro: ${PY} ${args.join(' ')}`);
  const r = spawnSync(PY, args, { cwd: workspace, stdio: 'inherit', timeout: 60_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
  renameSync(path.join(workspace, `${out}.partial`), path.join(workspace, out));
  process.exit(0);
}
await bench({ workspace, name: 'chimera', ready: '/health', server: uvicorn, loads: (base) => [locust(base, { csv: 'perf/results/locust', users: 30, seconds: 5 })] });
