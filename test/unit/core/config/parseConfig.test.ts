import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { configJsonSchema } from '../../../../src/core/config/schema';
import { InputError } from '../../../../src/core/errors';
import { ROOT } from '../../helpers';

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
  it('reads the documented example (JSONC: comments, trailing comma) into numbers', () => {
    const c = parseConfig(EXAMPLE, 'perf-budgets.json');
    assert.equal(c.baseline, 'perf/baseline.json');
    assert.equal(c.regressionThreshold, 0.1);
    assert.equal(c.warnAt, 0.8);
    assert.deepEqual(c.benchmarks, [
      { name: 'api', task: 'bench: api', command: 'npm run bench:api', results: ['perf/results/api-*.json'], format: 'auto', timeoutMs: 600_000 },
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
    assert.match(errorOf('{"budgets": {}, "benchmarks": {"b": {"results": "x.json"}}}').message, /benchmarks\.b: a benchmark needs a "task" or a "command"/);
    assert.match(errorOf('{"budgets": {"x": {"p95": "1s"}}, "warnAt": "120%"}').message, /warnAt: must be above 0% and at most 100%/);
    assert.match(errorOf('[1, 2]').message, /\(root\): /);
    assert.match(errorOf('{}').message, /budgets: /);
    assert.match(errorOf('{"budgets": {"x": {"p95": "1s"}}, "benchmarks": {"b": {"command": "x", "results": "r", "format": "k7"}}}').message, /benchmarks\.b\.format/);
  });
});

describe('manifest', () => {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  it('contributes the generated JSON Schema for perf-budgets.json', () => {
    const v = pkg.contributes.jsonValidation.find((x: { fileMatch: string }) => x.fileMatch === 'perf-budgets.json');
    assert.ok(v, 'jsonValidation entry');
    const file = path.join(ROOT, v.url);
    assert.ok(existsSync(file), `${v.url} exists (built by esbuild.mjs)`);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), configJsonSchema());
  });

  it('is the CLI package the issue describes', () => {
    assert.equal(pkg.name, 'perf-budgets');
    assert.equal(pkg.displayName, 'Perf Budgets');
    assert.deepEqual(pkg.bin, { 'perf-budgets': 'dist/cli.js' });
  });

  it('the JSON Schema accepts every budget key the zod schema accepts', () => {
    const schema = configJsonSchema() as { properties: { budgets: { additionalProperties: { properties: Record<string, unknown> } } } };
    assert.deepEqual(Object.keys(schema.properties.budgets.additionalProperties.properties).sort(), [
      'at', 'errorRate', 'max', 'p50', 'p90', 'p95', 'p99', 'p999', 'series', 'throughput',
    ]);
  });
});
