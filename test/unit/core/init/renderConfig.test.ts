// The proposal as written: valid for parseConfig, exactly the expected budgets and benchmarks,
// placeholders commented out, a comment on each entry.
import * as assert from 'node:assert/strict';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import type { FileRoute } from '../../../../src/core/discovery';
import { buildPlan, type PlanInputs } from '../../../../src/core/init/buildPlan';
import { renderConfig } from '../../../../src/core/init/renderConfig';

const route = (method: string | null, path: string, line: number, file = 'app/main.py', framework = 'fastapi'): FileRoute => ({ method, path, line, column: 0, symbol: null, framework, file });

const MAIN_PY = `from fastapi import FastAPI
app = FastAPI()
@app.get("/health")
def health(): ...
@app.get("/api/orders")
def orders(): ...
@app.get("/api/orders/{order_id}")
def order(order_id: str): ...
@app.post("/api/orders")
def create(): ...
@app.get("/api/pages/{slug}")
def page(slug: str): ...
`;

function inputs(over: Partial<PlanInputs>): PlanInputs {
  return {
    routes: [route('GET', '/health', 3), route('GET', '/api/orders', 5), route('GET', '/api/orders/:order_id', 7), route('POST', '/api/orders', 9), route('GET', '/api/pages/:slug', 11)],
    routeTexts: new Map([['app/main.py', MAIN_PY]]),
    loadTests: [],
    results: [],
    start: { command: 'python3 -m uvicorn app.main:app --host 127.0.0.1 --port 8000', port: 8000, source: 'app/main.py (FastAPI app)' },
    notes: { found: [], notFound: [] },
    startSources: 'package.json',
    ...over,
  };
}

describe('renderConfig', () => {
  it('no load tool: the built-in HTTP benchmark over the GET routes, placeholders for the rest, default budgets', () => {
    const plan = buildPlan(inputs({}));
    const text = renderConfig(plan);
    const config = parseConfig(text, 'perf-budgets.json');
    assert.deepEqual(config.budgets.map((b) => [b.handler, b.latency, b.errorRate]), [
      ['GET /health', { p95: 500 }, 0.01],
      ['GET /api/orders', { p95: 500 }, 0.01],
      ['GET /api/orders/{order_id}', { p95: 500 }, 0.01],
      ['POST /api/orders', { p95: 500 }, 0.01],
      ['GET /api/pages/{slug}', { p95: 500 }, 0.01],
    ]);
    assert.equal(config.benchmarks.length, 1);
    const http = config.benchmarks[0]!.http!;
    assert.equal(config.benchmarks[0]!.name, 'http');
    assert.deepEqual(http.requests.map((r) => [r.handler, r.path, r.method]), [
      ['GET /health', '/health', 'GET'],
      ['GET /api/orders', '/api/orders', 'GET'],
      ['GET /api/orders/{order_id}', '/api/orders/1', 'GET'],
    ]);
    assert.equal(http.baseUrl, 'http://127.0.0.1:8000');
    assert.equal(http.start, 'python3 -m uvicorn app.main:app --host 127.0.0.1 --port 8000');
    assert.equal(http.ready, 'http://127.0.0.1:8000/health');
    assert.equal(http.durationMs, 20_000);
    // An id is guessed, and says so; a parameter no value was found for, and the POST, are commented-out requests.
    assert.match(text, /^ {4}\/\/ GET \/api\/orders\/\{order_id\}: <order_id> = 1: a guess: an id, and ids usually start at 1 \(app\/main\.py\); check it$/m);
    assert.match(text, /^ {10}\/\/ TODO fill <slug>, then add this request: \{ "handler": "GET \/api\/pages\/\{slug\}", "path": "\/api\/pages\/<slug>" \}$/m);
    assert.match(text, /^ {10}\/\/ a POST sends a body you choose; add "body", then add this request: \{ "handler": "POST \/api\/orders", "path": "\/api\/orders", "method": "POST" \}$/m);
    assert.match(text, /^ {4}\/\/ app\/main\.py:8: a default to edit \(no results measure it yet\)$/m);
    assert.match(text, /87 ms × 1\.5 = 130\.5 ms → "150ms"/);
  });

  it('Locust with results: the benchmark reads them, budgets from the measured p95 × 1.5 rounded up', () => {
    const plan = buildPlan(
      inputs({
        loadTests: [{ tool: 'locust', file: 'load/locustfile.py', line: 3, target: 'http://127.0.0.1:8000', requests: ['GET /api/orders/[id]'] }],
        results: [
          {
            file: 'perf/results/run_stats.csv',
            format: 'locust-csv',
            series: [
              { name: 'GET /api/orders', p50: 40, p95: 87, p99: 95, errorRate: 0, count: 100 },
              { name: 'GET /api/orders/[id]', p50: 10, p95: 20, p99: 30, errorRate: 0.02, count: 100 },
              { name: 'GET /unknown', p50: 1, p95: 1, p99: 1, errorRate: 0, count: 1 },
            ],
          },
          // Locust's history beside it: its benchmark's, not a file of its own to read.
          { file: 'perf/results/run_stats_history.csv', format: 'locust-csv', series: [{ name: 'run_stats_history', p50: 1, p95: 2, p99: 3, errorRate: 0, count: 10 }] },
        ],
      }),
    );
    const text = renderConfig(plan);
    const config = parseConfig(text, 'perf-budgets.json');
    assert.deepEqual(config.benchmarks.map((b) => [b.name, b.command, b.results, b.format]), [
      ['locust', 'locust -f load/locustfile.py --headless -u 10 -r 10 -t 20s --host http://127.0.0.1:8000 --csv perf/results/run --only-summary', ['perf/results/run_stats.csv'], 'locust-csv'],
    ]);
    assert.deepEqual(config.budgets.map((b) => [b.handler, b.latency, b.errorRate]), [
      ['GET /health', { p95: 500 }, 0.01],
      ['GET /api/orders', { p95: 150 }, 0.01],
      ['GET /api/orders/{order_id}', { p95: 30 }, 0.03],
      ['POST /api/orders', { p95: 500 }, 0.01],
      ['GET /api/pages/{slug}', { p95: 500 }, 0.01],
    ]);
    assert.match(text, /\/\/ app\/main\.py:6: p95 87 ms in perf\/results\/run_stats\.csv \(GET \/api\/orders, errors 0%\) × 1\.5 → 150 ms/);
    assert.ok(plan.notFound.includes('series no route matches (no budget proposed): GET /unknown (perf/results/run_stats.csv)'));
  });

  it('choices: benchmarks off, fewer handlers, other defaults and headroom', () => {
    const plan = buildPlan(
      inputs({ results: [{ file: 'perf/x.hlog', format: 'hdr-log', series: [{ name: 'GET /api/orders', p50: 1, p95: 87, p99: 90, errorRate: 0, count: 9 }] }] }),
    );
    const text = renderConfig(plan, { benchmarks: [], handlers: ['GET /api/orders', 'GET /health'], defaultP95Ms: 250, defaultErrorRate: 0.005, headroom: 2 });
    const config = parseConfig(text, 'perf-budgets.json');
    assert.deepEqual(config.benchmarks, []);
    assert.match(text, /^ {4}\/\/ "http": \{$/m);
    assert.deepEqual(config.budgets.map((b) => [b.handler, b.latency, b.errorRate]), [
      ['GET /health', { p95: 250 }, 0.005],
      ['GET /api/orders', { p95: 200 }, 0.005],
    ]);
  });

  it('hey invocations per route: the budget reads its file-named series', () => {
    const plan = buildPlan(
      inputs({
        routes: [route('GET', '/api/stock/:sku', 10, 'main.go', 'net/http'), route('GET', '/health', 12, 'main.go', 'net/http')],
        routeTexts: new Map([['main.go', 'mux.HandleFunc("GET /api/stock/{sku}", stock)\nmux.HandleFunc("GET /health", health)\n']]),
        loadTests: [
          { tool: 'hey', file: 'Makefile', line: 3, command: 'hey -o csv http://127.0.0.1:8080/api/stock/abc > perf/results/hey-stock.csv', target: 'http://127.0.0.1:8080/api/stock/abc', runner: 'make -s load', output: 'perf/results/hey-stock.csv', requests: ['GET /api/stock/abc'] },
          { tool: 'hey', file: 'Makefile', line: 4, command: 'hey -o csv http://127.0.0.1:8080/health > perf/results/hey-health.csv', target: 'http://127.0.0.1:8080/health', runner: 'make -s load', output: 'perf/results/hey-health.csv', requests: ['GET /health'] },
        ],
        results: [{ file: 'perf/results/hey-stock.csv', format: 'hey-csv', series: [{ name: 'hey-stock', p50: 1, p95: 2.2, p99: 3, errorRate: 0, count: 50 }] }],
      }),
    );
    const config = parseConfig(renderConfig(plan), 'perf-budgets.json');
    assert.deepEqual(config.benchmarks.map((b) => [b.name, b.command, b.results, b.format]), [['hey', 'make -s load', ['perf/results/hey-stock.csv', 'perf/results/hey-health.csv'], 'hey-csv']]);
    assert.deepEqual(config.budgets.map((b) => [b.handler, b.latency, b.series]), [
      ['GET /api/stock/{sku}', { p95: 4 }, 'hey-stock'],
      ['GET /health', { p95: 500 }, 'hey-health'],
    ]);
  });

  it('Artillery alone: its benchmark commented out, the built-in one instead', () => {
    const plan = buildPlan(inputs({ loadTests: [{ tool: 'artillery', file: 'load/a.yml', line: 1, target: 'http://127.0.0.1:8000' }] }));
    const text = renderConfig(plan);
    const config = parseConfig(text, 'perf-budgets.json');
    assert.deepEqual(config.benchmarks.map((b) => b.name), ['http']);
    assert.match(text, /^ {4}\/\/ "artillery": \{$/m);
    assert.match(text, /Perf Budgets reads no Artillery report/);
  });
});
