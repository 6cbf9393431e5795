// The packaged JSON schema (contributes.jsonValidation -> media/perf-budgets.schema.json inside the
// VSIX) as a user meets it: a problem in the Problems panel and a hover in the editor.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertEventually, hoverText, openFile, page, runCommand, screenshot, session, visibleLines } from './workbench';

describe('perf-budgets.json schema', () => {
  before(() => {
    // A second config in a subfolder: fileMatch "perf-budgets.json" covers it, while the
    // workspace's own config (and so the other tests' verdicts) stays valid.
    const dir = path.join(session().workspace, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'perf-budgets.json'), '{\n  "budgets": {\n    "GET /api/slow": { "p95": "fast" }\n  }\n}\n');
  });

  it('opening a config with a bad duration shows it in the Problems panel', async () => {
    const editor = await openFile('broken/perf-budgets.json');
    const lines = await assertEventually(() => visibleLines(editor), (l) => l.some((x) => x.includes('"p95": "fast"')), 'the editor to show the file');
    assert.equal(lines[2]?.trim(), '"GET /api/slow": { "p95": "fast" }', 'line 3 as the user reads it');

    await runCommand('Problems: Focus on Problems View');
    const markers = page().locator('.markers-panel .monaco-list-row');
    const rows = await assertEventually(() => markers.allInnerTexts(), (r) => r.some((x) => /pattern/i.test(x)), 'the schema problem in the Problems panel', 30_000);
    assert.ok(rows.some((x) => x.includes('perf-budgets.json')), `rows: ${JSON.stringify(rows)}`);
    await screenshot('problems-panel');
  });

  it('hovering a metric key shows its description from the schema', async () => {
    const editor = await openFile('broken/perf-budgets.json');
    const key = editor.locator('.view-line span', { hasText: /^"p95"$/ }).first();
    const text = await hoverText(key, '95th percentile');
    assert.match(text, /95th percentile latency may not exceed this/);
    await screenshot('schema-hover');
  });
});
