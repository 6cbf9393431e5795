import { strict as assert } from 'node:assert';
import { CandidateIndex, claimSeries } from '../../../../src/core/budgets/claim';
import { evaluate, evaluateWithClaims, seriesFor } from '../../../../src/core/budgets/evaluate';
import { canonicalHandlerId, handlerMatches, parseTemplate, templateMatches } from '../../../../src/core/budgets/handlerId';
import { type Budget, parseConfig } from '../../../../src/core/config/parseConfig';
import type { Series } from '../../../../src/core/series';
import { mulberry32 } from '../../helpers';

/** A summary-only series with exact percentiles. */
function summary(name: string, pct: Record<string, number>, extra: Partial<Series> = {}): Series {
  return { name, format: 'locust-csv', source: 'x.csv', count: 1000, errors: 0, durationSec: 10, throughputPerSec: 100, exact: true, histogram: null, percentiles: pct, minMs: null, maxMs: null, meanMs: null, ...extra };
}

const budget = (handler: string, series?: string): Budget => ({ handler, latency: { p95: 100 }, ...(series !== undefined ? { series } : {}) });

/** Where each series name went: the budget's handler, "unclaimed", or "ambiguous: A | B". */
function placement(handlers: Array<string | Budget>, names: string[]): Record<string, string> {
  const budgets = handlers.map((h) => (typeof h === 'string' ? budget(h) : h));
  const claims = claimSeries(
    budgets,
    names.map((n) => summary(n, { '95': 1 })),
  );
  const out: Record<string, string> = {};
  for (const [handler, series] of claims.byBudget) for (const s of series) out[s.name] = out[s.name] ? `${out[s.name]} + ${handler}` : handler;
  for (const s of claims.unclaimed) out[s.name] = 'unclaimed';
  for (const a of claims.ambiguous) out[a.series] = `ambiguous: ${a.budgets.join(' | ')}`;
  return out;
}

describe('claimSeries', () => {
  it('the longest literal prefix wins: a literal route over a parameter', () => {
    assert.deepEqual(placement(['GET /api/orders/{id}', 'GET /api/orders/search'], ['GET /api/orders/search', 'GET /api/orders/42']), {
      'GET /api/orders/search': 'GET /api/orders/search',
      'GET /api/orders/42': 'GET /api/orders/{id}',
    });
  });

  it('the literal prefix counts before the total: /a/b/:y takes /a/b/c from /a/:x/c', () => {
    assert.deepEqual(placement(['GET /a/:x/c', 'GET /a/b/:y'], ['GET /a/b/c', 'GET /a/z/c', 'GET /a/b/z']), {
      'GET /a/b/c': 'GET /a/b/:y',
      'GET /a/z/c': 'GET /a/:x/c',
      'GET /a/b/z': 'GET /a/b/:y',
    });
  });

  it('then the total of literal segments: /a/:x/c over /a/:x/:y', () => {
    assert.deepEqual(placement(['/a/:x/:y', '/a/:x/c'], ['/a/1/c', '/a/1/d']), { '/a/1/c': '/a/:x/c', '/a/1/d': '/a/:x/:y' });
  });

  it('the same template twice, in two notations, is ambiguous: the series feeds neither', () => {
    const claims = claimSeries([budget('GET /orders/:id'), budget('GET /orders/{order_id}')], [summary('GET /orders/7', {}), summary('GET /orders/7', {}), summary('GET /orders', {})]);
    assert.deepEqual(claims.ambiguous, [{ series: 'GET /orders/7', budgets: ['GET /orders/:id', 'GET /orders/{order_id}'] }]);
    assert.deepEqual(claims.byBudget.get('GET /orders/:id'), []);
    assert.deepEqual(claims.byBudget.get('GET /orders/{order_id}'), []);
    assert.deepEqual(
      claims.unclaimed.map((s) => s.name),
      ['GET /orders'],
      'ambiguous series are not also unclaimed; a name listed once however many files have it',
    );
  });

  it('matches concrete paths, tool template names, full URLs and METHOD forms to every parameter notation', () => {
    const names = [
      'GET /api/orders/42',
      'GET /api/orders/[id]', // Locust: Type + Name
      'GET /api/orders/:id',
      'GET /api/orders/{orderId}',
      'GET /api/orders/<int:pk>',
      'GET /api/orders/${}', // k6 template-literal URL
      'GET http://127.0.0.1:8000/api/orders/42?x=1',
      'get /api/orders/42/',
      'GET //api//orders/42',
    ];
    for (const handler of ['GET /api/orders/{order_id}', 'GET /api/orders/:id', 'GET /api/orders/<int:order_id>', 'GET /api/orders/[id]', 'GET /api/orders/{id:int}']) {
      const claims = claimSeries([budget(handler)], names.map((n) => summary(n, {})));
      assert.deepEqual(
        claims.byBudget.get(handler)!.map((s) => s.name),
        names,
        handler,
      );
      assert.deepEqual(claims.unclaimed, []);
    }
  });

  it('a literal budget never claims a series named by its template', () => {
    assert.deepEqual(placement(['GET /api/orders/search'], ['GET /api/orders/[id]', 'GET /api/orders/search?q=x']), {
      'GET /api/orders/[id]': 'unclaimed',
      'GET /api/orders/search?q=x': 'GET /api/orders/search',
    });
  });

  it('trailing slashes differ without mattering, on either side', () => {
    assert.deepEqual(placement(['GET /api/users/', 'GET /api/items'], ['GET /api/users', 'GET /api/items/', 'GET /']), {
      'GET /api/users': 'GET /api/users/',
      'GET /api/items/': 'GET /api/items',
      'GET /': 'unclaimed',
    });
    assert.deepEqual(placement(['GET /'], ['GET /', 'GET http://127.0.0.1:8000', 'GET /x']), {
      'GET /': 'GET /',
      'GET http://127.0.0.1:8000': 'GET /',
      'GET /x': 'unclaimed',
    });
  });

  it('methods: another method never matches; a budget without one takes every method', () => {
    assert.deepEqual(placement(['GET /orders/:id', '/users/:id'], ['POST /orders/1', 'DELETE /users/1', 'GET /users/1']), {
      'POST /orders/1': 'unclaimed',
      'DELETE /users/1': '/users/:id',
      'GET /users/1': '/users/:id',
    });
  });

  it('an exact method wins over any-method; a method-less series prefers the method-less budget', () => {
    assert.deepEqual(placement(['/orders/:id', 'GET /orders/:id'], ['GET /orders/1', 'POST /orders/1', '/orders/1']), {
      'GET /orders/1': 'GET /orders/:id',
      'POST /orders/1': '/orders/:id',
      '/orders/1': '/orders/:id',
    });
  });

  it('a method-less series (hey, JMeter labels) feeds a budget with a method that has no series of its own method', () => {
    assert.deepEqual(placement(['GET /api/orders/{id}', 'POST /api/orders'], ['/api/orders/42', 'http://127.0.0.1:8000/api/orders/43?x=1', '/api/orders']), {
      '/api/orders/42': 'GET /api/orders/{id}',
      'http://127.0.0.1:8000/api/orders/43?x=1': 'GET /api/orders/{id}',
      '/api/orders': 'POST /api/orders',
    });
  });

  it('but a series with the method is preferred: the method-less ones of that budget are unclaimed', () => {
    const claims = claimSeries([budget('GET /api/orders/{id}')], [summary('/api/orders/42', {}), summary('GET /api/orders/42', {}), summary('/api/orders/43', {})]);
    assert.deepEqual(
      claims.byBudget.get('GET /api/orders/{id}')!.map((s) => s.name),
      ['GET /api/orders/42'],
    );
    assert.deepEqual(
      claims.unclaimed.map((s) => s.name),
      ['/api/orders/42', '/api/orders/43'],
    );
  });

  it('a method-less series two budgets of different methods match equally is ambiguous', () => {
    assert.deepEqual(placement(['GET /api/orders/:id', 'DELETE /api/orders/:id'], ['/api/orders/42', 'DELETE /api/orders/42']), {
      '/api/orders/42': 'ambiguous: GET /api/orders/:id | DELETE /api/orders/:id',
      'DELETE /api/orders/42': 'DELETE /api/orders/:id',
    });
  });

  it('catch-alls take the rest of the path (none or more segments) and lose to any closer template', () => {
    const budgets = ['GET /files/*', 'GET /files/:name', 'GET /files/readme', 'GET /static/{path...}', 'GET /docs/[[...slug]]', 'GET /a/**/z'];
    assert.deepEqual(
      placement(budgets, ['GET /files/a/b/c', 'GET /files/x', 'GET /files/readme', 'GET /files', 'GET /static/css/site.css', 'GET /docs', 'GET /docs/a/b', 'GET /a/z', 'GET /a/b/c/z', 'GET /a/b']),
      {
        'GET /files/a/b/c': 'GET /files/*',
        'GET /files/x': 'GET /files/:name',
        'GET /files/readme': 'GET /files/readme',
        'GET /files': 'GET /files/*',
        'GET /static/css/site.css': 'GET /static/{path...}',
        'GET /docs': 'GET /docs/[[...slug]]',
        'GET /docs/a/b': 'GET /docs/[[...slug]]',
        'GET /a/z': 'GET /a/**/z',
        'GET /a/b/c/z': 'GET /a/**/z',
        'GET /a/b': 'unclaimed',
      },
    );
  });

  it('optional parameters match one segment or none, and lose to an exact fit', () => {
    assert.deepEqual(placement(['GET /users/:id?', 'GET /users'], ['GET /users', 'GET /users/1', 'GET /users/1/2']), {
      'GET /users': 'GET /users',
      'GET /users/1': 'GET /users/:id?',
      'GET /users/1/2': 'unclaimed',
    });
  });

  it('parameters inside a segment match their literal text around them', () => {
    assert.deepEqual(placement(['GET /files/{name}.{ext}', 'GET /files/:file'], ['GET /files/report.pdf', 'GET /files/report']), {
      'GET /files/report.pdf': 'GET /files/{name}.{ext}',
      'GET /files/report': 'GET /files/:file',
    });
  });

  it('free names match only themselves', () => {
    assert.deepEqual(placement(['chat.tool_call', 'GET /chat'], ['chat.tool_call', 'chat.tool_call2', 'orders', 'GET /chat']), {
      'chat.tool_call': 'chat.tool_call',
      'chat.tool_call2': 'unclaimed',
      orders: 'unclaimed',
      'GET /chat': 'GET /chat',
    });
  });

  it('an explicit series glob claims what it matches, ahead of every template, and two globs share', () => {
    const budgets = [budget('GET /orders/:id'), budget('orders (all)', 'GET /orders/*'), budget('slow ones', '*/slow'), budget('GET /orders/slow')];
    assert.deepEqual(placement(budgets, ['GET /orders/1', 'GET /orders/slow', 'GET /users/slow', 'GET /users/1']), {
      'GET /orders/1': 'orders (all)',
      'GET /orders/slow': 'orders (all) + slow ones',
      'GET /users/slow': 'slow ones',
      'GET /users/1': 'unclaimed',
    });
  });

  it('an explicit glob is never ambiguous with templates that tie', () => {
    const claims = claimSeries([budget('GET /o/:id'), budget('GET /o/{x}'), budget('pinned', 'GET /o/1')], [summary('GET /o/1', {}), summary('GET /o/2', {})]);
    assert.deepEqual(
      claims.byBudget.get('pinned')!.map((s) => s.name),
      ['GET /o/1'],
    );
    assert.deepEqual(claims.ambiguous, [{ series: 'GET /o/2', budgets: ['GET /o/:id', 'GET /o/{x}'] }]);
  });

  it('every series ends in exactly one place: one budget (by template), unclaimed or ambiguous (property)', () => {
    const rnd = mulberry32(15);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const methods = ['GET ', 'POST ', ''];
    const budgetSegs = ['a', 'b', 'c', ':id', '{x}', '<int:y>', '[z]', '*', ':p?', 'f.{ext}'];
    const seriesSegs = ['a', 'b', 'c', '1', '2', '[id]', ':id', 'f.pdf', ''];
    for (let round = 0; round < 300; round++) {
      const handlers = new Set<string>();
      const nb = 1 + Math.floor(rnd() * 6);
      for (let i = 0; i < nb; i++) handlers.add(`${pick(methods)}/${Array.from({ length: Math.floor(rnd() * 4) }, () => pick(budgetSegs)).join('/')}`);
      const budgets = [...handlers].map((h) => budget(h));
      const names = Array.from({ length: 1 + Math.floor(rnd() * 12) }, () => {
        const path = `/${Array.from({ length: Math.floor(rnd() * 4) }, () => pick(seriesSegs)).join('/')}`;
        return rnd() < 0.1 ? `http://127.0.0.1:8000${path}?q=1` : `${pick(methods)}${path}`;
      });
      const series = names.map((n) => summary(n, {}));
      const claims = claimSeries(budgets, series);
      const ambiguous = new Set(claims.ambiguous.map((a) => a.series));
      for (const s of series) {
        const holders = [...claims.byBudget].filter(([, xs]) => xs.includes(s)).map(([h]) => h);
        const places = holders.length + (claims.unclaimed.includes(s) ? 1 : 0) + (ambiguous.has(s.name) ? 1 : 0);
        assert.equal(places, 1, `${s.name} among ${[...handlers].join(', ')}: ${holders.join(', ')}`);
        // A claimed series is one its budget matches; an unclaimed one that some budget matches was left
        // because that budget has series of its own method, and an ambiguous one ties 2+ matching budgets.
        for (const h of holders) assert.ok(handlerMatches(h, s.name), `${h} claimed ${s.name}`);
        const tie = claims.ambiguous.find((a) => a.series === s.name);
        if (tie) {
          assert.ok(tie.budgets.length >= 2);
          for (const h of tie.budgets) assert.ok(handlerMatches(h, s.name), `${h} tied for ${s.name}`);
        }
        const matching = budgets.filter((b) => handlerMatches(b.handler, s.name));
        if (claims.unclaimed.includes(s) && matching.length > 0) {
          assert.ok(!/^[A-Z]+ /.test(s.name), `${s.name} has a method, yet is unclaimed although ${matching[0]!.handler} matches`);
          const leaver = matching.filter((b) => /^[A-Z]+ /.test(b.handler) && claims.byBudget.get(b.handler)!.some((x) => /^[A-Z]+ /.test(x.name)));
          assert.ok(leaver.length > 0, `${s.name} unclaimed: no matching budget with a method has series of its method`);
        }
      }
    }
  });

  it('seriesFor: a budget alone, or among the config budgets as evaluate() claims', () => {
    const all = [summary('GET /api/orders/search', {}), summary('GET /api/orders/42', {})];
    const tmpl = budget('GET /api/orders/{id}');
    assert.deepEqual(
      seriesFor(tmpl, all).map((s) => s.name),
      ['GET /api/orders/search', 'GET /api/orders/42'],
    );
    assert.deepEqual(
      seriesFor(tmpl, all, [tmpl, budget('GET /api/orders/search')]).map((s) => s.name),
      ['GET /api/orders/42'],
    );
  });
});

describe('handler ids as templates', () => {
  it('canonical ids: a URL loses scheme, host and query; catch-alls print as *, in-segment parameters as :param', () => {
    assert.equal(canonicalHandlerId('http://127.0.0.1:8000/api/orders/42?x=1'), '/api/orders/42');
    assert.equal(canonicalHandlerId('get https://example.test/api/orders/[id]/#top'), 'GET /api/orders/:param');
    assert.equal(canonicalHandlerId('GET /static/{path...}'), 'GET /static/*');
    assert.equal(canonicalHandlerId('GET /files/{name}.{ext}'), 'GET /files/:param.:param');
    assert.equal(canonicalHandlerId('GET /users/:id?'), 'GET /users/:param', '"?" after a parameter marks it optional, not a query');
    assert.equal(canonicalHandlerId('GET /users?page=2'), 'GET /users');
    assert.equal(canonicalHandlerId('chat.tool_call'), 'chat.tool_call');
  });

  it('handlerMatches: one budget alone against one name', () => {
    assert.ok(handlerMatches('GET /api/orders/{order_id}', '/api/orders/42'), 'a name without a method may belong to a budget with one');
    assert.ok(handlerMatches('GET /api/orders/{order_id}', 'http://127.0.0.1:8000/api/orders/42?x=1'));
    assert.ok(!handlerMatches('GET /api/orders/search', 'GET /api/orders/[id]'));
    assert.ok(handlerMatches('GET /api/orders/[id]', 'GET /api/orders/search'));
    assert.ok(!handlerMatches('GET /a/*', 'GET /b/c'));
    assert.ok(!handlerMatches('GET /a/:x', 'GET /a/**'), 'a parameter is one segment, not a catch-all');
  });
});

describe('evaluate with claims', () => {
  const config = parseConfig(
    JSON.stringify({
      budgets: {
        'GET /api/orders/{order_id}': { p95: '500ms' },
        'GET /api/orders/search': { p95: '300ms' },
        'GET /orders/:id': { p95: '1s' },
        'GET /orders/{order_id}': { p95: '1s' },
      },
    }),
    'perf-budgets.json',
  );
  const current: Series[] = [
    summary('GET /api/orders/search', { '95': 200 }),
    summary('GET /api/orders/42', { '95': 400 }),
    summary('GET /api/orders/43', { '95': 450 }),
    summary('GET /orders/7', { '95': 10 }),
    summary('POST /api/orders', { '95': 50 }),
    summary('GET /health', { '95': 1 }),
    summary('GET /health', { '95': 2 }, { source: 'y.csv' }),
  ];

  it('gives each budget only its claimed series, for current and baseline alike', () => {
    const baseline = [summary('GET /api/orders/search', { '95': 100 }), summary('GET /api/orders/1', { '95': 400 })];
    const { results, unclaimed, ambiguous } = evaluateWithClaims(config, current, baseline);
    const by = (h: string) => results.find((r) => r.budget.handler === h)!;
    assert.deepEqual(by('GET /api/orders/{order_id}').verdicts[0]!.series, ['GET /api/orders/42', 'GET /api/orders/43']);
    assert.equal(by('GET /api/orders/{order_id}').verdicts[0]!.value, 450);
    assert.equal(by('GET /api/orders/{order_id}').verdicts[0]!.baseline, 400);
    assert.deepEqual(by('GET /api/orders/search').verdicts[0]!.series, ['GET /api/orders/search']);
    assert.equal(by('GET /api/orders/search').verdicts[0]!.baseline, 100, 'the template budget did not take the search baseline');
    assert.equal(by('GET /orders/:id').verdicts[0]!.status, 'missing', 'an ambiguous series feeds neither budget');
    assert.equal(by('GET /orders/{order_id}').verdicts[0]!.status, 'missing');
    assert.deepEqual(unclaimed, ['POST /api/orders', 'GET /health']);
    assert.deepEqual(ambiguous, [{ series: 'GET /orders/7', budgets: ['GET /orders/:id', 'GET /orders/{order_id}'] }]);
    assert.deepEqual(evaluate(config, current, baseline), results);
  });
});

describe('claimSeries: the candidate index', () => {
  // Every notation the templates use, so the index meets literals after parameters, optional
  // parameters and catch-alls at every position, free names, and methods.
  const LITERALS = ['api', 'v1', 'orders', 'items', 'search'];
  const OTHERS = [':id', '{id}', '[id]', ':id?', '*', '{name}.{ext}', '<int:id>'];
  const METHODS = ['', 'GET ', 'POST '];

  it('offers, in config order, every template that matches a series (random templates and names)', () => {
    const rand = mulberry32(20261207);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const name = (params: number): string => {
      if (rand() < 0.05) return pick(['chat.tool_call', 'login flow', 'api']);
      const segs = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => (rand() < params ? pick(OTHERS) : pick(LITERALS)));
      return `${pick(METHODS)}/${segs.join('/')}`;
    };
    for (let round = 0; round < 200; round++) {
      const candidates = Array.from({ length: 1 + Math.floor(rand() * 12) }, () => {
        const template = parseTemplate(name(0.35));
        return { budget: budget(template.name), template, rank: { prefix: 0, literals: 0, flexible: 0, patterns: 0 } };
      });
      const index = new CandidateIndex(candidates);
      for (let k = 0; k < 20; k++) {
        const series = parseTemplate(name(0.15));
        const offered = index.mayMatch(series);
        const positions = offered.map((c) => candidates.indexOf(c));
        assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'config order');
        for (const c of candidates) if (templateMatches(c.template, series)) assert.ok(offered.includes(c), `${c.template.name} matches ${series.name} but was not offered`);
      }
    }
  });
});
