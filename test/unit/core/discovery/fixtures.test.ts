import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findSymbol } from '../../../../src/core/discovery/findSymbol';
import { matchBudgets } from '../../../../src/core/discovery/matchBudgets';
import { RouteIndex } from '../../../../src/core/discovery/routeIndex';

const ROOT = join(__dirname, '../../../fixtures/discovery');

/** Scans one fixture workspace the way the editor does: every file through a RouteIndex. */
function scanWorkspace(name: string): { index: RouteIndex; root: string } {
  const root = join(ROOT, name);
  const index = new RouteIndex();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else index.update(relative(root, full), readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return { index, root };
}

const show = (index: RouteIndex): string[] => index.all().map((r) => `${r.file}:${r.line + 1} ${r.method ?? '*'} ${r.path} ${r.symbol ?? '-'}`);

describe('discovery: fixture workspaces', () => {
  it('Express (TypeScript): prefixes within a file and from the file that mounts the router, chains, wrappers, multi-line calls', () => {
    const { index } = scanWorkspace('express-ts');
    assert.deepEqual(show(index), [
      'src/routes/orders.ts:6 GET /api/orders orders.list',
      'src/routes/orders.ts:7 POST /api/orders orders.create',
      'src/routes/orders.ts:12 PATCH /api/orders/:orderId orders.update',
      'src/routes/orders.ts:13 GET /api/orders/:orderId orders.show',
      'src/server.ts:12 GET /healthz -',
      'src/server.ts:19 GET /api/version version',
      'src/tracking.ts:7 GET /api/tracking/:id getTracking',
      'src/tracking.ts:10 GET /api/tracking/:id/events listEvents',
      'src/tracking.ts:12 POST /api/tracking/:id/events createTracking',
    ]);
    const [order, tracking] = matchBudgets([{ handler: 'GET /api/orders/:orderId' }, { handler: 'POST /api/tracking/{id}/events' }], index.all());
    assert.deepEqual(order!.locations.map((l) => `${l.file}:${l.line} ${l.route?.symbol}`), ['src/routes/orders.ts:12 orders.show']);
    assert.deepEqual(tracking!.locations.map((l) => `${l.file}:${l.line} ${l.route?.symbol}`), ['src/tracking.ts:11 createTracking']);
  });

  it('FastAPI: def lines, router prefix + include prefix from a constant, docstring and comments skipped', () => {
    assert.deepEqual(show(scanWorkspace('fastapi').index), [
      'app/main.py:14 GET /healthz healthz',
      'app/main.py:19 GET /api/tracking/:tracking_id get_tracking',
      'app/main.py:28 POST /api/tracking/:tracking_id/events add_event',
    ]);
  });

  it('Go: method patterns, method values as symbols, and findSymbol to their func lines', () => {
    const { index, root } = scanWorkspace('go');
    assert.deepEqual(show(index), [
      'internal/server/routes.go:10 GET /healthz -',
      'internal/server/routes.go:13 GET /api/tracking/:id s.getTracking',
      'internal/server/routes.go:14 POST /api/tracking/:id/events s.addEvent',
      'internal/server/routes.go:16 * /static/ -',
    ]);
    const file = 'internal/server/routes.go';
    const content = readFileSync(join(root, file), 'utf8');
    const [budget] = matchBudgets([{ handler: 'GET /api/tracking/:trackingId' }], index.all());
    assert.equal(budget!.locations.length, 1);
    assert.deepEqual(findSymbol(file, content, budget!.locations[0]!.route!.symbol!), { line: 19, column: 0 });
  });
});
