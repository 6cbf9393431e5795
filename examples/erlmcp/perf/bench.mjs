// erlmcp under Perf Budgets' built-in load generator: compile the modules (erlc -> ebin/), start
// the gen_tcp server on a free 127.0.0.1 port, 8 connections for 4 s over the MCP routes, results
// as an HdrHistogram log (perf/results/erlmcp.hlog).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { bench, builtinLoad, fail, WORKSPACE } from './bench-lib.mjs';

mkdirSync(path.join(WORKSPACE, 'ebin'), { recursive: true });
const sources = readdirSync(path.join(WORKSPACE, 'src')).filter((f) => f.endsWith('.erl')).map((f) => `src/${f}`);
const c = spawnSync('erlc', ['-o', 'ebin', ...sources], { cwd: WORKSPACE, stdio: 'inherit', timeout: 60_000 });
if (c.status !== 0) fail(`erlc failed (${c.error?.message ?? c.status}); apt-get install -y erlang-base`);

await bench({
  name: 'erlmcp',
  ready: '/health',
  server: () => ({ command: 'erl', args: ['-noshell', '-pa', 'ebin', '-s', 'erlmcp_http', 'main'], cwd: WORKSPACE }),
  loads: (base) => [
    builtinLoad({
      benchmark: 'http',
      base,
      durationMs: 4000,
      connections: 8,
      results: 'perf/results/erlmcp.hlog',
      requests: [
        { handler: 'GET /mcp/tools/list', path: '/mcp/tools/list', weight: 2 },
        { handler: 'POST /mcp/tools/call', path: '/mcp/tools/call', body: { name: 'search', arguments: { q: 'otp' } }, weight: 2 },
        { handler: 'GET /mcp/resources/read', path: '/mcp/resources/read?uri=mcp://docs/readme', weight: 2 },
      ],
    }),
  ],
});
