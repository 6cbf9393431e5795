import { strict as assert } from 'node:assert';
import { benchmarkResultsPositions, budgetPositions, insertAtEdit } from '../../../../src/core/config/configLocations';

const TEXT = `{
  // comment
  "budgets": {
    "GET /a": { "p95": "1s" },
    "b":      {}
  }
}`;

describe('config locations', () => {
  it('finds the line of each budget key (0-based)', () => {
    const pos = budgetPositions(TEXT);
    assert.deepEqual(pos.get('GET /a'), { line: 3, column: 4, endLine: 3, endColumn: 29 });
    assert.equal(pos.get('b')!.line, 4);
  });

  it('inserts or replaces "at" in a budget', () => {
    const apply = (text: string, e: { offset: number; length: number; text: string }) => text.slice(0, e.offset) + e.text + text.slice(e.offset + e.length);
    const once = apply(TEXT, insertAtEdit(TEXT, 'GET /a', 'src/app.ts:12')!);
    assert.match(once, /"GET \/a": \{ "at": "src\/app\.ts:12", "p95": "1s" \}/);
    assert.match(apply(TEXT, insertAtEdit(TEXT, 'b', 'x.py#f')!), /"b": {6}\{ "at": "x\.py#f"\}/);
    const twice = apply(once, insertAtEdit(once, 'GET /a', 'src/app.ts:14')!);
    assert.match(twice, /"GET \/a": \{ "at": "src\/app\.ts:14", "p95": "1s" \}/, 'an existing "at" is replaced');
    assert.equal(insertAtEdit(TEXT, 'nope', 'x'), null);
  });

  it('finds each benchmark\'s "results" line: its own, its http block\'s, or (none written) its key; objects and arrays', () => {
    const text = `{
  "benchmarks": {
    "load": { "command": "node bench.mjs",
      "results": "perf/results/load.csv" },
    "api": { "http": { "baseUrl": "http://127.0.0.1:1",
        "results": "perf/results/api.hlog" } },
    "bare": { "http": { "baseUrl": "http://127.0.0.1:1" } }
  }
}`;
    const at = benchmarkResultsPositions(text);
    assert.deepEqual(at.get('load'), { line: 3, column: 6, endLine: 3, endColumn: 40 });
    assert.equal(at.get('api')?.line, 5);
    assert.equal(at.get('api')?.column, 8);
    assert.equal(at.get('bare')?.line, 6, 'no "results": the benchmark\'s own key');
    const arr = benchmarkResultsPositions('{"benchmarks": [\n  {"name": "x",\n   "results": "r/*.csv"}]}');
    assert.deepEqual(arr.get('x'), { line: 2, column: 3, endLine: 2, endColumn: 23 });
  });
});
