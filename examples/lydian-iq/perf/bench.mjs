// Lydian-IQ under Perf Budgets' built-in load generator: the Express API on a free 127.0.0.1 port,
// 8 connections for 4 s shared by the four handlers, results as an HdrHistogram log.
import path from 'node:path';
import { bench, builtinLoad, repo, WORKSPACE } from './bench-lib.mjs';

const nm = path.join(repo(), 'node_modules');
const products = Array.from({ length: 40 }, (_, i) => ({ sku: `LX-${1000 + i}`, qty: 1 + (i % 5) }));
await bench({
  name: 'lydian-iq',
  ready: '/health',
  // NODE_PATH: express from the Perf Budgets repository (the example has no node_modules of its own).
  server: () => ({ command: process.execPath, args: ['src/server.js'], cwd: WORKSPACE, env: { NODE_PATH: nm } }),
  loads: (base) => [
    builtinLoad({
      benchmark: 'api',
      base,
      durationMs: 4000,
      connections: 8,
      results: 'perf/results/api.hlog',
      requests: [
        { handler: 'POST /api/chat/tool-call', path: '/api/chat/tool-call', body: { tool: 'search', args: { q: 'shipping delays' } }, weight: 2 },
        { handler: 'POST /api/products/batch', path: '/api/products/batch', body: { products } },
        { handler: 'GET /api/logistics/track/:id', path: '/api/logistics/track/LX-20931', weight: 2 },
        { handler: 'GET /api/civic-grid/insights', path: '/api/civic-grid/insights', weight: 2 },
      ],
    }),
  ],
});
