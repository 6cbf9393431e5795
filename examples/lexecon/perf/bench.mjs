// Lexecon under Locust: uvicorn on a free 127.0.0.1 port, 16 users for 5 s with the weighted tasks
// of locustfile.py, results as Locust --csv (perf/results/lexecon_stats.csv). The harness is the
// examples' shared one (examples/lib, which a copy of this folder needs beside it).
import { bench, locust, uvicorn, workspaceOf } from '../../lib/bench-lib.mjs';

const workspace = workspaceOf(import.meta.url);
await bench({ workspace, name: 'lexecon', ready: '/health', server: uvicorn, loads: (base) => [locust(base, { csv: 'perf/results/lexecon', users: 16, seconds: 5 })] });
