import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { configJsonSchema } from '../../../../src/core/config/schema';
import { InputError } from '../../../../src/core/errors';
import { BUILD_TIMEOUT_MS, builtFile, ROOT } from '../../helpers';

const EXAMPLE = `{
  "baseline": "perf/baseline.json",          // committed baseline (default shown)
  "regressionThreshold": "10%",
  "warnAt": "80%",
  "benchmarks": {
    "api": { "task": "bench: api",
             "command": "npm run bench:api",
             "results": ["perf/results/api-*.json"], "format": "auto", "timeout": "10m" }
  },
  "budgets": {
    "GET /api/iris/overview": { "p95": "150ms", "p99": "200ms", "errorRate": "1%", "throughput": ">= 100/s" },
    "POST /api/decide":       { "p95": "200ms" },
    "chat.tool_call":         { "p95": "2s", "at": "src/chat/toolCall.ts#handleToolCall", "series": "chat*" },
  }
}`;

function errorOf(text: string): InputError {
  try {
    parseConfig(text, 'perf-budgets.json');
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    assert.ok(!e.message.includes('\n'), 'one line');
    return e;
  }
  assert.fail('expected an error');
}

describe('parseConfig', () => {
  it('"repeat": an integer 1..50, default 1; anything else is an error at its line', () => {
    const withRepeat = (r: unknown) => `{ "benchmarks": { "api": { "command": "x", "results": "r.json", "repeat": ${JSON.stringify(r)} } }, "budgets": {} }`;
    assert.equal(parseConfig(withRepeat(5), 'perf-budgets.json').benchmarks[0]!.repeat, 5);
    assert.equal(parseConfig(withRepeat(50), 'perf-budgets.json').benchmarks[0]!.repeat, 50);
    for (const bad of [0, 51, 2.5, '3']) {
      const e = errorOf(withRepeat(bad));
      assert.match(e.message, /^perf-budgets\.json:1:\d+: benchmarks\.api\.repeat: /, e.message);
    }
  });

  it('reads the documented example (JSONC: comments, trailing comma) into numbers', () => {
    const c = parseConfig(EXAMPLE, 'perf-budgets.json');
    assert.equal(c.baseline, 'perf/baseline.json');
    assert.equal(c.regressionThreshold, 0.1);
    assert.equal(c.warnAt, 0.8);
    assert.deepEqual(c.benchmarks, [
      { name: 'api', task: 'bench: api', command: 'npm run bench:api', results: ['perf/results/api-*.json'], format: 'auto', timeoutMs: 600_000, repeat: 1 },
    ]);
    assert.deepEqual(c.budgets[0], {
      handler: 'GET /api/iris/overview',
      latency: { p95: 150, p99: 200 },
      errorRate: 0.01,
      throughputPerSec: 100,
    });
    assert.deepEqual(c.budgets[2], { handler: 'chat.tool_call', latency: { p95: 2000 }, at: 'src/chat/toolCall.ts#handleToolCall', series: 'chat*' });
  });

  it('applies the defaults', () => {
    const c = parseConfig('{"budgets": {"x": {"p95": "1s"}}}', 'perf-budgets.json');
    assert.equal(c.baseline, 'perf/baseline.json');
    assert.equal(c.regressionThreshold, 0.1);
    assert.equal(c.warnAt, 0.8);
    assert.deepEqual(c.benchmarks, []);
  });

  it('names the JSON path and line:column of a bad value', () => {
    const e = errorOf('{\n  "budgets": {\n    "GET /x": { "p95": "fast" }\n  }\n}');
    assert.equal(e.line, 3);
    assert.equal(e.column, 24);
    assert.match(e.message, /^perf-budgets\.json:3:24: budgets\["GET \/x"\]\.p95: expected a duration/);
  });

  it('names an unknown key where it is written', () => {
    const e = errorOf('{\n  "budgets": {\n    "GET /x": {\n      "p96": "1s"\n    }\n  }\n}');
    assert.equal(e.line, 4);
    assert.match(e.message, /budgets\["GET \/x"\]\.p96: unknown key/);
  });

  it('refuses JSON syntax errors, empty files and missing metrics, with positions', () => {
    const syntax = errorOf('{\n  "budgets": {\n    "x": { "p95": "1s" \n  }\n');
    assert.match(syntax.message, /^perf-budgets\.json:\d+:\d+: invalid JSON/);
    assert.match(errorOf('').message, /empty file/);
    assert.match(errorOf('{"budgets": {"x": {"at": "a.ts:3"}}}').message, /budgets\.x: a budget needs at least one metric/);
    assert.match(errorOf('{"budgets": {}, "benchmarks": {"b": {"results": "x.json"}}}').message, /benchmarks\.b: a benchmark needs a "task", a "command" or "http"/);
    assert.match(errorOf('{"budgets": {"x": {"p95": "1s"}}, "warnAt": "120%"}').message, /warnAt: must be above 0% and at most 100%/);
    assert.match(errorOf('[1, 2]').message, /\(root\): /);
    assert.match(errorOf('{}').message, /budgets: /);
    assert.match(errorOf('{"budgets": {"x": {"p95": "1s"}}, "benchmarks": {"b": {"command": "x", "results": "r", "format": "k7"}}}').message, /benchmarks\.b\.format/);
  });
});

describe('parseConfig: the built-in HTTP benchmark', () => {
  const HTTP = `{
  "benchmarks": {
    "api": {
      "http": {
        "baseUrl": "http://127.0.0.1:3000/",
        "requests": [
          { "handler": "GET /api/x", "path": "/api/x" },
          { "handler": "POST /api/decide", "path": "/api/decide", "body": { "a": 1 }, "weight": 2 },
          { "handler": "search", "path": "/s?q=1", "headers": { "x-k": "v" } },
        ],
        "duration": "20s", "connections": 10, "rate": 200,
        "start": "node server.js", "ready": "http://localhost:3000/health"
      }
    }
  },
  "budgets": { "GET /api/x": { "p95": "50ms" } }
}`;

  it('reads an http benchmark with its defaults (method from the handler id, JSON body, results path)', () => {
    const [b] = parseConfig(HTTP, 'perf-budgets.json').benchmarks;
    assert.deepEqual(b, {
      name: 'api',
      repeat: 1,
      results: ['perf/results/api.hlog'],
      format: 'auto',
      http: {
        baseUrl: 'http://127.0.0.1:3000',
        requests: [
          { handler: 'GET /api/x', path: '/api/x', method: 'GET', headers: {}, weight: 1 },
          { handler: 'POST /api/decide', path: '/api/decide', method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' }, weight: 2 },
          { handler: 'search', path: '/s?q=1', method: 'GET', headers: { 'x-k': 'v' }, weight: 1 },
        ],
        durationMs: 20_000,
        connections: 10,
        rate: 200,
        start: 'node server.js',
        ready: 'http://localhost:3000/health',
        readyTimeoutMs: 30_000,
        results: 'perf/results/api.hlog',
        allowRemote: false,
      },
    });
    const minimal = parseConfig('{"budgets": {}, "benchmarks": {"my bench": {"http": {"baseUrl": "http://[::1]:8080", "requests": [{"handler": "h", "path": "/"}]}}}}', 'p.json');
    assert.equal(minimal.benchmarks[0]!.http!.durationMs, 10_000);
    assert.equal(minimal.benchmarks[0]!.http!.connections, 10);
    assert.deepEqual(minimal.benchmarks[0]!.results, ['perf/results/my_bench.hlog']);
  });

  it('is loopback only unless allowRemote', () => {
    const remote = (extra: string) =>
      `{"budgets": {}, "benchmarks": {"b": {"http": {"baseUrl": "http://example.com:80", "requests": [{"handler": "h", "path": "/"}]${extra}}}}}`;
    assert.match(errorOf(remote('')).message, /benchmarks\.b\.http\.baseUrl: example\.com is not loopback .*"allowRemote": true/);
    assert.equal(parseConfig(remote(', "allowRemote": true'), 'p.json').benchmarks[0]!.http!.allowRemote, true);
    assert.match(
      errorOf('{"budgets": {}, "benchmarks": {"b": {"http": {"baseUrl": "http://127.0.0.1:1", "ready": "http://10.0.0.1/h", "requests": [{"handler": "h", "path": "/"}]}}}}').message,
      /http\.ready: 10\.0\.0\.1 is not loopback/,
    );
  });

  it('names the line:column and JSON path of a bad http key', () => {
    const bad = (from: string, to: string) => errorOf(HTTP.replace(from, to));
    const d = bad('"duration": "20s"', '"duration": "11m"');
    assert.equal(d.line, 11);
    assert.equal(d.column, 21);
    assert.match(d.message, /^perf-budgets\.json:11:21: benchmarks\.api\.http\.duration: must be above 0 and at most 10m$/);
    const c = bad('"connections": 10', '"connections": 5000');
    assert.match(c.message, /^perf-budgets\.json:11:43: benchmarks\.api\.http\.connections: /);
    const p = bad('"path": "/api/x"', '"path": "api/x"');
    assert.match(p.message, /^perf-budgets\.json:7:46: benchmarks\.api\.http\.requests\[0\]\.path: expected a path starting with "\/"$/);
    const k = bad('"weight": 2', '"wieght": 2');
    assert.match(k.message, /^perf-budgets\.json:8:87: benchmarks\.api\.http\.requests\[1\]\.wieght: unknown key/);
    assert.match(bad('"rate": 200', '"rate": 2').message, /http\.rate: must be at least the number of requests \(3\)/);
    assert.match(bad('"connections": 10', '"connections": 2').message, /http\.connections: must be at least the number of requests \(3\)/);
    assert.match(bad('"http://127.0.0.1:3000/"', '"ftp://x"').message, /http\.baseUrl: expected an http:\/\/ or https:\/\/ URL/);
    assert.match(bad('"path": "/api/x" }', '"path": "/api/x", "method": "get" }').message, /requests\[0\]\.method: expected an HTTP method/);
    assert.match(bad('"rate": 200,', '"rate": 200, "readyTimeout": "6m",').message, /http\.readyTimeout: must be above 0 and at most 5m/);
  });

  it('a benchmark without http still needs results', () => {
    assert.match(errorOf('{"budgets": {}, "benchmarks": {"b": {"command": "x"}}}').message, /benchmarks\.b: a benchmark needs "results"/);
  });
});

describe('manifest', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  it('contributes the generated JSON Schema for perf-budgets.json', function () {
    this.timeout(BUILD_TIMEOUT_MS + 10_000); // built by esbuild.mjs first when missing
    const v = pkg.contributes.jsonValidation.find((x: { fileMatch: string }) => x.fileMatch === 'perf-budgets.json');
    assert.ok(v, 'jsonValidation entry');
    const file = builtFile(v.url);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), configJsonSchema());
  });

  it('is the CLI package the issue describes', () => {
    assert.equal(pkg.name, 'perf-budgets');
    assert.equal(pkg.displayName, '%displayName%');
    assert.equal(JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8')).displayName, 'Perf Budgets');
    assert.deepEqual(pkg.bin, { 'perf-budgets': 'dist/cli.js' });
  });

  it('the JSON Schema accepts every budget key the zod schema accepts', () => {
    const schema = configJsonSchema() as { properties: { budgets: { additionalProperties: { properties: Record<string, unknown> } } } };
    assert.deepEqual(Object.keys(schema.properties.budgets.additionalProperties.properties).sort(), [
      'allRequests', 'at', 'benchmark', 'errorRate', 'max', 'p50', 'p90', 'p95', 'p99', 'p999', 'series', 'throughput',
    ]);
  });
});
