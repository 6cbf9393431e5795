import { strict as assert } from 'node:assert';
import { budgetPositions, insertAtEdit } from '../../../../src/core/config/configLocations';

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
});
