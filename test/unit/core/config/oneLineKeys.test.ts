import { strict as assert } from 'node:assert';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { configJsonSchema } from '../../../../src/core/config/schema';
import { InputError } from '../../../../src/core/errors';

// A budget key is a handler id shown in hovers, Problems and the Testing view; a line break in it
// once ended the hover's code span and let perf-budgets.json write Markdown links (issue #13).
const HOSTILE = ['\n', '\r', '\u2028', '\u2029', '\u0000', '\u0085', '\t', '\u001b'];

function errorOf(text: string): string {
  try {
    parseConfig(text, 'perf-budgets.json');
  } catch (e) {
    assert.ok(e instanceof InputError, String(e));
    assert.ok(!/[\n\r\u2028\u2029]/.test(e.message), `one line: ${JSON.stringify(e.message)}`);
    return e.message;
  }
  return assert.fail(`accepted ${text.slice(0, 80)}`);
}

const hex = (c: string) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

describe('perf-budgets.json: keys are one line of text', () => {
  it('refuses a budget key with a line break or control character, naming the key and the character at its line', () => {
    for (const c of HOSTILE) {
      const key = `GET /x${c}${c}[Open result file](command:vscode.open?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)`;
      const text = `{\n  "budgets": {\n    "GET /ok": { "p95": "1s" },\n    ${JSON.stringify(key)}: { "p95": "1s" }\n  }\n}`;
      const message = errorOf(text);
      assert.match(message, /^perf-budgets\.json:4:\d+: budgets\["GET \/x/, JSON.stringify(message));
      assert.ok(message.endsWith(`: a budget key (handler id) may not contain a line break or control character (${hex(c)})`), JSON.stringify(message));
    }
  });

  it('refuses a benchmark name with a line break or control character', () => {
    for (const c of HOSTILE) {
      const text = JSON.stringify({ benchmarks: { [`api${c}x`]: { command: 'x', results: 'r.json' } }, budgets: {} }, null, 2);
      const message = errorOf(text);
      assert.match(message, /^perf-budgets\.json:3:\d+: benchmarks\["api/, JSON.stringify(message));
      assert.ok(message.endsWith(`: a benchmark name may not contain a line break or control character (${hex(c)})`), JSON.stringify(message));
    }
  });

  it('refuses an empty key with a message that says so', () => {
    assert.match(errorOf('{ "budgets": { "": { "p95": "1s" } } }'), /budgets\[""\]: .*>=1 characters/);
  });

  it('still accepts ordinary keys, also with spaces and non-ASCII text', () => {
    const c = parseConfig(JSON.stringify({ benchmarks: { 'api – café': { command: 'x', results: 'r.json' } }, budgets: { 'GET /api/{id}  ': { p95: '1s' }, 'chat.tool_call ✓': { p95: '1s' } } }), 'perf-budgets.json');
    assert.deepEqual(
      c.budgets.map((b) => b.handler),
      ['GET /api/{id}  ', 'chat.tool_call ✓'],
    );
    assert.equal(c.benchmarks[0]!.name, 'api – café');
  });

  it('the JSON Schema for the editor says the same (propertyNames pattern)', () => {
    const props = configJsonSchema().properties as Record<string, { propertyNames?: { pattern?: string } }>;
    for (const key of ['budgets', 'benchmarks']) {
      const re = new RegExp(props[key]!.propertyNames!.pattern!);
      assert.ok(re.test('GET /x'), key);
      for (const c of HOSTILE) assert.ok(!re.test(`GET /x${c}`), `${key} ${hex(c)}`);
    }
  });
});
