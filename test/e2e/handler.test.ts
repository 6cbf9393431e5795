// What a user sees at a handler in code: the inline verdicts, the CodeLens and the hover.
// Fixture: src/server.js line 6 is `app.get('/api/slow', …)`, budget "GET /api/slow" (p50 passes, p99 fails).
import * as assert from 'node:assert/strict';
import { afterDecorationText, assertEventually, hoverText, openFile, screenshot } from './workbench';

describe('Handler in code', () => {
  it('shows the verdicts at the end of the handler line and a CodeLens above it', async () => {
    const editor = await openFile('src/server.js');
    // The worst metric (the failing p99, not the passing p50), its mark first.
    const inline = await assertEventually(() => afterDecorationText(editor, 6), (t) => /p99/.test(t), 'the inline verdict after line 6', 30_000);
    assert.equal(inline, '✗ p99 110 ms > 100 ms');
    // The CodeLens says it in words and does not repeat the number.
    const lens = await assertEventually(() => editor.locator('.contentWidgets .codelens-decoration').allInnerTexts(), (t) => t.some((x) => /failing/.test(x)), 'the CodeLens');
    assert.ok(lens.some((x) => x.startsWith('failing: p99')), `CodeLens: ${JSON.stringify(lens)}`);
    assert.ok(!lens.some((x) => /110 ms/.test(x)), `CodeLens: ${JSON.stringify(lens)}`);
    await screenshot('handler-inline-and-codelens');
  });

  it('hovering the handler shows its budgets', async () => {
    const editor = await openFile('src/server.js');
    const text = await hoverText(editor.locator('.view-line span', { hasText: /^get$/ }).first(), 'GET /api/slow');
    assert.match(text, /p99/);
    await screenshot('handler-hover');
  });
});
