// A user compares the working tree with HEAD from the command palette: picks the ref in the quick
// pick, watches the progress notification, reads the report. Workspace: a temp git repo whose
// command benchmark writes 10.0 … 10.9 ms at HEAD and 20.0 … 20.9 ms in the working tree.
import * as assert from 'node:assert/strict';
import { writeCommandRepo } from '../unit/node/abRepo';
import { assertEventually, notificationTexts, page, runCommand, screenshot, useWorkspace, visibleLines } from './workbench';

describe('Compare Working Tree with HEAD… (palette)', function () {
  this.timeout(180_000);
  useWorkspace('test/fixtures/local-ab/workspace', (dir) => writeCommandRepo(dir, 10, 20, { sleepMs: 1500 }));

  it('offers HEAD, HEAD~1 and the branch, shows "run N/10 · A|B" while it runs, then the report with work regressed', async () => {
    const p = page();
    await runCommand('Perf Budgets: Compare Working Tree with HEAD…', { closesPalette: false });
    const rows = p.locator('.quick-input-list .monaco-list-row');
    const labels = await assertEventually(
      () => rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')),
      (l) => l.length >= 3,
      'the ref quick pick',
    );
    assert.deepEqual(labels.map((l) => l.split(',')[0]!.trim()).slice(0, 3), ['HEAD', 'HEAD~1', 'main']);
    await screenshot('ab-ref-pick');
    await p.keyboard.press('Enter');
    const progress = await assertEventually(notificationTexts, (t) => t.some((m) => /run \d+\/10 · [AB]/.test(m)), 'the progress notification', 30_000);
    assert.ok(progress.some((m) => m.includes('Perf Budgets: working tree vs HEAD')), JSON.stringify(progress));
    await screenshot('ab-progress');
    const editor = p.locator('.editor-instance .monaco-editor').first();
    const lines = await assertEventually(() => visibleLines(editor), (l) => l.some((x) => x.startsWith('| work |')), 'the report document', 90_000);
    assert.ok(lines.includes('### Perf Budgets A/B: working tree vs HEAD'), JSON.stringify(lines));
    assert.ok(lines.includes('| work | 10.9 ms | 20.9 ms | 1.92× | 1.91×–1.92× | regressed | 0.029 | +10% |'), JSON.stringify(lines));
    await screenshot('ab-report');
  });
});
