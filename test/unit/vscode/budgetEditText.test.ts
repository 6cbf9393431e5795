import { strict as assert } from 'node:assert';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { addBudgetText, BudgetEditError, budgetForSeries, budgetKeys, budgetsKeyRange, setBudgetSeriesText } from '../../../src/vscode/budgetEditText';

const CONFIG = `{
  // budgets for the API
  "benchmarks": { "api": { "command": "true", "results": ["r.csv"] } },
  "budgets": {
    "GET /api/items": { "p95": "100ms" }, // the list
  }
}
`;

describe('perf-budgets.json edits (budgetEditText)', () => {
  it('adds a budget at the end of "budgets", keeping comments and trailing commas, and points at its key', () => {
    const out = addBudgetText(CONFIG, 'GET /api/orders/:order_id');
    assert.equal(
      out.text,
      `{
  // budgets for the API
  "benchmarks": { "api": { "command": "true", "results": ["r.csv"] } },
  "budgets": {
    "GET /api/items": { "p95": "100ms" }, // the list
    "GET /api/orders/:order_id": { "p95": "500ms", "errorRate": "1%" },
  }
}
`,
    );
    assert.equal(out.text.slice(out.keyOffset, out.keyOffset + 28), '"GET /api/orders/:order_id":');
    assert.deepEqual(budgetKeys(out.text), ['GET /api/items', 'GET /api/orders/:order_id']);
    // Still a config perf-budgets understands, with the new budget in it.
    const parsed = parseConfig(out.text, 'perf-budgets.json');
    assert.deepEqual(parsed.budgets.at(-1), { handler: 'GET /api/orders/:order_id', latency: { p95: 500 }, errorRate: 0.01 });
  });

  it('makes "budgets" when the file has none, and fills an empty file', () => {
    assert.equal(addBudgetText('{\n  "benchmarks": {}\n}\n', 'x').text, '{\n  "benchmarks": {},\n  "budgets": {\n    "x": {\n      "p95": "500ms",\n      "errorRate": "1%"\n    }\n  }\n}\n');
    assert.equal(addBudgetText('', 'x', { p95: '25ms' }).text, '{\n  "budgets": {\n    "x": {\n      "p95": "25ms"\n    }\n  }\n}');
  });

  it('keeps the file\'s indentation and CRLF line ends', () => {
    const tabbed = '{\r\n\t"budgets": {\r\n\t\t"a": { "p95": "1s" }\r\n\t}\r\n}\r\n';
    assert.equal(addBudgetText(tabbed, 'b', { p95: '2s' }).text, '{\r\n\t"budgets": {\r\n\t\t"a": { "p95": "1s" },\r\n\t\t"b": { "p95": "2s" }\r\n\t}\r\n}\r\n');
    // No comma after the last budget, a comment after it: the comma goes before the comment.
    assert.equal(addBudgetText('{\n  "budgets": {\n    "a": {} // mine\n  }\n}', 'b', { p95: '2s' }).text, '{\n  "budgets": {\n    "a": {}, // mine\n    "b": { "p95": "2s" }\n  }\n}');
    // A one-line "budgets" stays on one line.
    assert.equal(addBudgetText('{ "budgets": { "a": {} } }', 'b', { p95: '2s' }).text, '{ "budgets": { "a": {}, "b": { "p95": "2s" } } }');
  });

  it('refuses a key already there, a broken file and a "budgets" that is no object, each in one line', () => {
    assert.throws(() => addBudgetText(CONFIG, 'GET /api/items'), new BudgetEditError('a budget "GET /api/items" is already in perf-budgets.json'));
    assert.throws(() => addBudgetText('{ "budgets": { ', 'x'), /^BudgetEditError: perf-budgets.json is not a valid JSON object at offset \d+; fix it first$/);
    assert.throws(() => addBudgetText('[1]', 'x'), /not a valid JSON object/);
    assert.throws(() => addBudgetText('{ "budgets": [] }', 'x'), new BudgetEditError('"budgets" in perf-budgets.json is not an object'));
  });

  it('sets a budget\'s "series", and refuses a budget that is not there', () => {
    const out = setBudgetSeriesText(CONFIG, 'GET /api/items', 'GET /api/item/42');
    assert.match(out.text, /\n    "GET \/api\/items": \{ "p95": "100ms", "series": "GET \/api\/item\/42" \}, \/\/ the list\n/);
    // A "series" there already is replaced.
    assert.match(setBudgetSeriesText(out.text, 'GET /api/items', 'x*').text, /"GET \/api\/items": \{ "p95": "100ms", "series": "x\*" \}, \/\/ the list/);
    assert.equal(out.text.slice(out.keyOffset).startsWith('"GET /api/items"'), true);
    assert.throws(() => setBudgetSeriesText(CONFIG, 'GET /nope', 's'), new BudgetEditError('no budget "GET /nope" in perf-budgets.json'));
  });

  it('finds the "budgets" key, where the code actions go', () => {
    const r = budgetsKeyRange(CONFIG)!;
    assert.equal(CONFIG.slice(r.start, r.end), '"budgets"');
    assert.equal(budgetsKeyRange('{ "benchmarks": {} }'), undefined);
    assert.equal(budgetsKeyRange('{ broken'), undefined);
  });

  it('proposes a budget for an unclaimed series: its name as the key, p95 × 1.5 rounded up readably, else 500ms', () => {
    assert.deepEqual(budgetForSeries('GET /api/search', 60), { key: 'GET /api/search', budget: { p95: '100ms', errorRate: '1%' } });
    assert.deepEqual(budgetForSeries('GET /api/orders/42', 16), { key: 'GET /api/orders/42', budget: { p95: '25ms', errorRate: '1%' } });
    assert.deepEqual(budgetForSeries('get /api/x/', 2000), { key: 'GET /api/x', budget: { p95: '3s', errorRate: '1%' } });
    assert.deepEqual(budgetForSeries('http://127.0.0.1:8000/api/x?y=1', null), { key: '/api/x', budget: { p95: '500ms', errorRate: '1%' } });
    assert.deepEqual(budgetForSeries('chat.tool_call', 0), { key: 'chat.tool_call', budget: { p95: '500ms', errorRate: '1%' } });
  });
});
