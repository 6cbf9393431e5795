import { strict as assert } from 'node:assert';
import { describeNoVerdict, nearestSeries } from '../../../../src/core/budgets/explain';

describe('nearestSeries', () => {
  it('lists the order-ish series, best first, and leaves out the unrelated', () => {
    assert.deepEqual(nearestSeries('GET /api/orders/{order_id}', ['GET /api/order/42', 'POST /api/orders', 'GET /api/users']), ['GET /api/order/42', 'POST /api/orders']);
  });

  it('puts the same path with another method first, then similar paths', () => {
    const names = ['GET /api/v1/orders/7', 'DELETE /api/orders/7', 'GET /api/order/7', 'GET /metrics', 'chat.tool_call'];
    assert.deepEqual(nearestSeries('GET /api/orders/:id', names), ['DELETE /api/orders/7', 'GET /api/order/7', 'GET /api/v1/orders/7']);
    assert.deepEqual(nearestSeries('GET /api/orders/:id', names, 1), ['DELETE /api/orders/7']);
    assert.deepEqual(nearestSeries('GET /api/orders/:id', names, 0), []);
  });

  it('a series the template matches but another budget took comes before everything else', () => {
    assert.deepEqual(nearestSeries('GET /orders/:id', ['POST /orders/1', 'GET /orders/search', 'GET /order/1']), ['GET /orders/search', 'POST /orders/1', 'GET /order/1']);
  });

  it('full URLs and tool template names are compared by their paths', () => {
    // One letter off in one word is nearer than a whole segment more.
    assert.deepEqual(nearestSeries('GET /api/orders/{order_id}', ['GET /api/orders/[id]/items', 'http://127.0.0.1:8000/api/order/42?x=1', 'GET /health']), [
      'http://127.0.0.1:8000/api/order/42?x=1',
      'GET /api/orders/[id]/items',
    ]);
  });

  it('a same-method series ranks above an otherwise equal one', () => {
    assert.deepEqual(nearestSeries('POST /api/items/:id', ['GET /api/item/1', 'POST /api/item/1']), ['POST /api/item/1', 'GET /api/item/1']);
  });

  it('free names by edit distance; paths and free names are never near each other', () => {
    assert.deepEqual(nearestSeries('chat.tool_call', ['chat.tool_calls', 'chat.tools', 'GET /chat/tool_call', 'checkout']), ['chat.tool_calls', 'chat.tools']);
    assert.deepEqual(nearestSeries('GET /checkout', ['checkout']), []);
  });

  it('a very long name costs no quadratic edit distance', () => {
    const long = `chat.${'x'.repeat(200_000)}`;
    const t = Date.now();
    assert.deepEqual(nearestSeries('chat.tool_call', [long, `GET /${'a/'.repeat(5000)}`]), []);
    assert.ok(Date.now() - t < 2000, `${Date.now() - t} ms`);
  });

  it('lists each name once and nothing for no series', () => {
    assert.deepEqual(nearestSeries('GET /a/:x', ['GET /a', 'GET /a']), ['GET /a']);
    assert.deepEqual(nearestSeries('GET /a/:x', []), []);
  });
});

describe('describeNoVerdict', () => {
  it('words every reason in one line', () => {
    assert.equal(describeNoVerdict({ kind: 'no-budget', route: 'GET /api/orders/:id', suggestedId: 'GET /api/orders/:id' }), 'no budget names GET /api/orders/:id — add one');
    assert.equal(
      describeNoVerdict({ kind: 'no-series', handler: 'GET /api/orders/{order_id}', nearest: ['GET /api/order/42', 'POST /api/orders'] }),
      'the budget "GET /api/orders/{order_id}" matched no series; nearest: GET /api/order/42, POST /api/orders',
    );
    assert.equal(describeNoVerdict({ kind: 'no-series', handler: 'GET /x', nearest: [] }), 'the budget "GET /x" matched no series, and none is near it');
    assert.equal(
      describeNoVerdict({ kind: 'ambiguous', handler: 'GET /orders/:id', series: 'GET /orders/7', budgets: ['GET /orders/:id', 'GET /orders/{order_id}'] }),
      'the series "GET /orders/7" matches "GET /orders/:id" and "GET /orders/{order_id}" equally, so it feeds none; add a "series" to one budget',
    );
    assert.equal(
      describeNoVerdict({ kind: 'ambiguous', handler: 'GET /o/:a', series: 'GET /o/1', budgets: ['GET /o/:a', 'GET /o/:b', 'GET /o/:c'] }),
      'the series "GET /o/1" matches "GET /o/:a", "GET /o/:b" and "GET /o/:c" equally, so it feeds none; add a "series" to one budget',
    );
    assert.equal(describeNoVerdict({ kind: 'no-results', handler: 'GET /x', detail: 'benchmark "api" has no results yet' }), 'no results for "GET /x": benchmark "api" has no results yet');
    assert.equal(
      describeNoVerdict({ kind: 'read-error', handler: 'GET /x', file: 'perf/results/k6.json', message: 'line 3: invalid JSON' }),
      'the results for "GET /x" could not be read: perf/results/k6.json: line 3: invalid JSON',
    );
    assert.equal(
      describeNoVerdict({ kind: 'read-error', handler: 'GET /x', file: 'perf/results/k6.json', message: 'perf/results/k6.json:3: invalid JSON' }),
      'the results for "GET /x" could not be read: perf/results/k6.json:3: invalid JSON',
      'a message that names its file is not prefixed twice',
    );
  });
});
