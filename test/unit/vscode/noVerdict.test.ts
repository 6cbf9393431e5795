import { strict as assert } from 'node:assert';
import { describeNoVerdict } from '../../../src/core/budgets/explain';
import type { HandlerResult, Verdict } from '../../../src/core/budgets/verdict';
import type { Series } from '../../../src/core/series';
import { budgetKeyForRoute, type FolderFacts, nextSteps, reasonForBudget, reasonForRoute } from '../../../src/vscode/noVerdict';

const FACTS: FolderFacts = { error: null, read: true, stale: null, seriesNames: ['GET /api/order/42', 'GET /api/items', 'GET /api/health'], ambiguous: [], benchmarksWithoutResults: [] };

function result(handler: string, current: Partial<Series> | null, statuses: Array<Verdict['status']>): HandlerResult {
  const verdicts = statuses.map((status) => ({ handler, metric: 'p95', value: status === 'missing' ? null : 10, budget: 100, status, marginPct: null, baseline: null, deltaPct: null, regression: null, series: [], exact: null }) as Verdict);
  return { budget: { handler, latency: { p95: 100 } }, current: current as Series | null, baseline: null, verdicts };
}

const why = (...args: Parameters<typeof reasonForBudget>) => {
  const r = reasonForBudget(...args);
  return r && describeNoVerdict(r);
};

describe('"Why no p95 here?" reasons (noVerdict)', () => {
  it('a budget with a value shows it: no reason, even if another metric is missing', () => {
    assert.equal(reasonForBudget('GET /api/items', result('GET /api/items', { name: 'GET /api/items' }, ['pass', 'missing']), FACTS), null);
    assert.equal(reasonForBudget('GET /api/items', result('GET /api/items', { name: 'GET /api/items' }, ['fail']), { ...FACTS, stale: 'x', error: { file: 'f', message: 'f: bad', noResults: false } }), null);
  });

  it('a route no budget is placed on: no budget names it, with its key to add', () => {
    const r = reasonForRoute({ method: 'GET', path: '/api/orders/:order_id' }, FACTS, true);
    assert.deepEqual(r, { kind: 'no-budget', route: 'GET /api/orders/:order_id', suggestedId: 'GET /api/orders/:order_id' });
    assert.equal(describeNoVerdict(r), 'no budget names GET /api/orders/:order_id — add one');
    assert.deepEqual(nextSteps(r), [{ kind: 'add-budget', title: 'Add Budget', key: 'GET /api/orders/:order_id' }]);
    assert.equal(budgetKeyForRoute({ method: null, path: '/any' }), '/any');
    // The config itself could not be read: no budget is known, so that is the reason.
    const broken = { ...FACTS, error: { file: 'perf-budgets.json', message: 'perf-budgets.json:3:22: budgets.x.p95: expected a duration', noResults: false } };
    assert.deepEqual(reasonForRoute({ method: 'GET', path: '/x' }, broken, false), { kind: 'read-error', handler: 'GET /x', file: 'perf-budgets.json', message: broken.error.message });
    assert.deepEqual(nextSteps(reasonForRoute({ method: 'GET', path: '/x' }, broken, false)), [{ kind: 'open-file', title: 'Open perf-budgets.json', file: 'perf-budgets.json' }]);
  });

  it('no series matched: the nearest names, each a "Use Series" step', () => {
    const r = reasonForBudget('GET /api/orders/{order_id}', result('GET /api/orders/{order_id}', null, ['missing']), FACTS)!;
    assert.deepEqual(r, { kind: 'no-series', handler: 'GET /api/orders/{order_id}', nearest: ['GET /api/order/42'] });
    assert.equal(describeNoVerdict(r), 'the budget "GET /api/orders/{order_id}" matched no series; nearest: GET /api/order/42');
    assert.deepEqual(nextSteps(r), [{ kind: 'use-series', title: 'Use Series GET /api/order/42', handler: 'GET /api/orders/{order_id}', series: 'GET /api/order/42' }]);
  });

  it('no series and none near: a benchmark without results says so, else the budget matched nothing', () => {
    const empty = { ...FACTS, benchmarksWithoutResults: [{ name: 'reports', results: ['perf/reports/*.csv'] }] };
    assert.equal(why('GET /reports/daily', result('GET /reports/daily', null, ['missing']), empty), 'no results for "GET /reports/daily": benchmark "reports" has no results yet (perf/reports/*.csv)');
    assert.deepEqual(nextSteps(reasonForBudget('GET /reports/daily', result('GET /reports/daily', null, ['missing']), empty)!), [{ kind: 'run', title: 'Run Benchmarks' }]);
    // A near series is the likelier story (a name that differs), even with a benchmark still to run.
    assert.equal(why('GET /api/orders/:id', result('GET /api/orders/:id', null, ['missing']), empty), 'the budget "GET /api/orders/:id" matched no series; nearest: GET /api/order/42');
    const none = reasonForBudget('GET /reports/daily', result('GET /reports/daily', null, ['missing']), FACTS)!;
    assert.equal(describeNoVerdict(none), 'the budget "GET /reports/daily" matched no series, and none is near it');
    assert.deepEqual(nextSteps(none), [{ kind: 'open-config', title: 'Open perf-budgets.json' }]);
  });

  it('a tie between budgets is named before the near series', () => {
    const tied = { ...FACTS, ambiguous: [{ series: 'GET /orders/1', budgets: ['GET /orders/:id', 'GET /orders/{order_id}'] }] };
    const r = reasonForBudget('GET /orders/{order_id}', result('GET /orders/{order_id}', null, ['missing']), tied)!;
    assert.equal(describeNoVerdict(r), 'the series "GET /orders/1" matches "GET /orders/:id" and "GET /orders/{order_id}" equally, so it feeds none; add a "series" to one budget');
    assert.deepEqual(nextSteps(r), [{ kind: 'use-series', title: 'Use Series GET /orders/1', handler: 'GET /orders/{order_id}', series: 'GET /orders/1' }]);
  });

  it('a failed read comes first: an unreadable file (Open Result File), or no result file yet (Run Benchmarks)', () => {
    const bad = { ...FACTS, error: { file: 'perf/results/api_stats.csv', message: 'perf/results/api_stats.csv:2: not a Locust CSV', noResults: false }, stale: 'x' };
    const r = reasonForBudget('GET /api/reports', undefined, bad)!;
    assert.equal(describeNoVerdict(r), 'the results for "GET /api/reports" could not be read: perf/results/api_stats.csv:2: not a Locust CSV');
    assert.deepEqual(nextSteps(r), [{ kind: 'open-file', title: 'Open Result File', file: 'perf/results/api_stats.csv' }]);
    const none = { ...FACTS, read: false, error: { file: 'perf-budgets.json', message: 'perf-budgets.json: no result files match r/*.csv; run the benchmarks first', noResults: true } };
    assert.equal(why('GET /x', undefined, none), 'no results for "GET /x": perf-budgets.json: no result files match r/*.csv; run the benchmarks first');
  });

  it('stale results, results not read yet, and results without the budgeted metrics', () => {
    assert.equal(why('GET /x', result('GET /x', null, ['missing']), { ...FACTS, stale: 'the last run of "reports" failed with exit code 3' }), 'no results for "GET /x": the results are stale: the last run of "reports" failed with exit code 3');
    assert.equal(why('GET /x', undefined, { ...FACTS, read: false }), 'no results for "GET /x": the results have not been read yet');
    assert.equal(why('GET /x', result('GET /x', { name: 'GET /x' }, ['missing']), FACTS), 'no results for "GET /x": the results of GET /x give no p95');
  });
});
