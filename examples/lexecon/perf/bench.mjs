// Lexecon under Locust: uvicorn on a free 127.0.0.1 port, 6 users for 4 s with the weighted tasks
// of locustfile.py, results as Locust --csv (perf/results/lexecon_stats.csv).
import { bench, WORKSPACE } from './bench-lib.mjs';

const PY = '/usr/bin/python3'; // Debian's, with python3-fastapi, python3-uvicorn, python3-locust
await bench({
  name: 'lexecon',
  ready: '/health',
  server: (port) => ({ command: PY, args: ['-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warning'], cwd: WORKSPACE, env: { PYTHONDONTWRITEBYTECODE: '1' } }),
  loads: (base) => [
    {
      command: PY,
      args: ['-m', 'locust', '-f', 'locustfile.py', '--headless', '-u', '6', '-r', '6', '-t', '4s', '--host', base, '--csv', 'perf/results/lexecon', '--only-summary', '--loglevel', 'WARNING'],
      env: { PYTHONDONTWRITEBYTECODE: '1' },
    },
  ],
});
