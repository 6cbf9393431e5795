import { strict as assert } from 'node:assert';
import { matchBudgets } from '../../../../src/core/discovery/matchBudgets';
import type { FileRoute } from '../../../../src/core/discovery/routeDefinition';

function route(file: string, method: string | null, path: string, line: number, symbol: string | null = null): FileRoute {
  return { file, method, path, line, column: 0, symbol, framework: 'test' };
}

const routes: FileRoute[] = [
  route('src/tracking.ts', 'GET', '/api/tracking/:id', 10, 'getTracking'),
  route('src/tracking.ts', 'POST', '/api/tracking', 20, 'createTracking'),
  route('src/tracking.ts', 'GET', '/api/tracking/latest', 30, 'latest'),
  route('polls/urls.py', null, '/questions/:question_id/', 5, 'views.detail'),
  route('src/files.go', 'GET', '/files/:path*', 7, 'serveFile'),
  route('src/users.ts', 'GET', '/api/users/:id', 3, 'getUser'),
];

const at = (r: ReturnType<typeof matchBudgets>[number]): string[] => r.locations.map((l) => `${l.file}:${l.line}`);
const cand = (r: ReturnType<typeof matchBudgets>[number]): string[] => r.candidates.map((l) => `${l.route?.method ?? '*'} ${l.route?.path}`);

describe('discovery: matchBudgets', () => {
  it('matches method and path segment by segment, parameters in any notation', () => {
    const [a, b, c, d] = matchBudgets(
      [{ handler: 'GET /api/tracking/{trackingId}' }, { handler: 'GET /api/tracking/<int:id>/' }, { handler: 'post /api/tracking' }, { handler: 'GET /questions/[id]' }],
      routes,
    );
    assert.deepEqual(at(a!), ['src/tracking.ts:10']);
    assert.deepEqual(at(b!), ['src/tracking.ts:10']);
    assert.deepEqual(at(c!), ['src/tracking.ts:20']);
    assert.deepEqual(at(d!), ['polls/urls.py:5'], 'an any-method route takes a GET budget');
    assert.equal(a!.locations[0]!.route?.symbol, 'getTracking');
    assert.deepEqual(a!.candidates, []);
  });

  it('prefers parameter-to-parameter over parameter-to-literal, and literal budgets take parameter routes', () => {
    const [latest, concrete] = matchBudgets([{ handler: 'GET /api/tracking/latest' }, { handler: 'GET /api/tracking/42' }], routes);
    assert.deepEqual(at(latest!), ['src/tracking.ts:30']);
    assert.deepEqual(at(concrete!), ['src/tracking.ts:10']);
  });

  it('a method-less budget matches every method; catch-all routes match deeper paths', () => {
    const [any, files] = matchBudgets([{ handler: '/api/tracking' }, { handler: 'GET /files/a/b/c.txt' }], routes);
    assert.deepEqual(at(any!), ['src/tracking.ts:20']);
    assert.deepEqual(at(files!), ['src/files.go:7']);
  });

  it('explicit at wins: path#symbol through route symbols, path:line, or the resolver', () => {
    const calls: string[] = [];
    const resolve = (file: string, symbol: string): { line: number; column: number } | null => {
      calls.push(`${file}#${symbol}`);
      return file === 'polls/views.py' && symbol === 'detail' ? { line: 41, column: 0 } : null;
    };
    const [sym, line, viaResolver, unresolved, free] = matchBudgets(
      [
        { handler: 'GET /api/tracking/:id', at: './src/tracking.ts#latest' },
        { handler: 'GET /api/users/:id', at: 'src/users.ts:4' },
        { handler: 'GET /questions/:id/', at: 'polls/views.py#detail' },
        { handler: 'GET /api/users/:id', at: 'src/nowhere.ts#ghost' },
        { handler: 'chat.tool_call', at: 'src/chat.ts:12:5' },
      ],
      routes,
      resolve,
    );
    assert.deepEqual(at(sym!), ['src/tracking.ts:30']);
    assert.deepEqual(at(line!), ['src/users.ts:3']);
    assert.equal(line!.locations[0]!.route?.symbol, 'getUser');
    assert.deepEqual(viaResolver!.locations, [{ file: 'polls/views.py', line: 41, column: 0, route: null }]);
    assert.deepEqual(unresolved!.locations, []);
    assert.deepEqual(cand(unresolved!), ['GET /api/users/:id'], 'an unresolved at offers the route match as a candidate');
    assert.deepEqual(free!.locations, [{ file: 'src/chat.ts', line: 11, column: 4, route: null }]);
    assert.deepEqual(calls, ['polls/views.py#detail', 'src/nowhere.ts#ghost']);
  });

  it('free names match nothing without at, and get no candidates', () => {
    const [r] = matchBudgets([{ handler: 'chat.tool_call' }], routes);
    assert.deepEqual(r, { handler: 'chat.tool_call', locations: [], candidates: [] });
  });

  it('offers the nearest routes as candidates: same path other method first, then similar paths', () => {
    const [wrongMethod, typo, unrelated] = matchBudgets(
      [{ handler: 'DELETE /api/tracking/:id' }, { handler: 'GET /api/trackings/:id' }, { handler: 'GET /zzz/qqq/www/eee' }],
      routes,
    );
    assert.deepEqual(wrongMethod!.locations, []);
    assert.deepEqual(cand(wrongMethod!)[0], 'GET /api/tracking/:id');
    assert.ok(cand(wrongMethod!).length <= 3);
    assert.deepEqual(cand(typo!)[0], 'GET /api/tracking/:id');
    assert.deepEqual(cand(unrelated!), []);
  });

  it('keeps budget order and matches several files', () => {
    const two = [...routes, route('src/v2/tracking.ts', 'GET', '/api/tracking/{id}', 2)];
    const res = matchBudgets([{ handler: 'POST /api/tracking' }, { handler: 'GET /api/tracking/:id' }], two);
    assert.deepEqual(res.map((r) => r.handler), ['POST /api/tracking', 'GET /api/tracking/:id']);
    assert.deepEqual(at(res[1]!), ['src/tracking.ts:10', 'src/v2/tracking.ts:2']);
  });
});
