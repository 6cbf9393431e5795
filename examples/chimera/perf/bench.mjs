// Chimera's two benchmarks. `node perf/bench.mjs load`: uvicorn on a free 127.0.0.1 port under
// Locust (6 users, 4 s, --csv perf/results/locust). `node perf/bench.mjs micro`: pytest-benchmark of
// the transform function (--benchmark-json perf/results/pytest-benchmark.json, at most ~1 s).
import path from 'node:path';
import { bench, WORKSPACE } from './bench-lib.mjs';

const PY = '/usr/bin/python3'; // Debian's, with python3-fastapi, -uvicorn, -locust, -pytest-benchmark
const what = process.argv[2] ?? 'load';
if (what === 'micro') {
  const { spawnSync } = await import('node:child_process');
  const { mkdirSync, renameSync } = await import('node:fs');
  mkdirSync(path.join(WORKSPACE, 'perf/results'), { recursive: true });
  const out = 'perf/results/pytest-benchmark.json';
  const args = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', 'tests/test_bench_transform.py', `--benchmark-json=${out}.partial`, '--benchmark-min-rounds=200', '--benchmark-max-time=0.5', '--benchmark-disable-gc'];
  console.log(`bench micro: ${PY} ${args.join(' ')}`);
  const r = spawnSync(PY, args, { cwd: WORKSPACE, stdio: 'inherit', timeout: 60_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
  renameSync(path.join(WORKSPACE, `${out}.partial`), path.join(WORKSPACE, out));
  process.exit(0);
}
await bench({
  name: 'chimera',
  ready: '/health',
  server: (port) => ({ command: PY, args: ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], cwd: WORKSPACE, env: { PYTHONDONTWRITEBYTECODE: '1' } }),
  loads: (base) => [
    {
      command: PY,
      args: ['-m', 'locust', '-f', 'locustfile.py', '--headless', '-u', '6', '-r', '6', '-t', '4s', '--host', base, '--csv', 'perf/results/locust', '--only-summary', '--loglevel', 'WARNING'],
      env: { PYTHONDONTWRITEBYTECODE: '1' },
    },
  ],
});
