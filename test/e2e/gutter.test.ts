// The optional gutter icon (perfBudgets.decorations.gutterIcons): with the setting on, the handler
// line's glyph margin shows the verdict's icon from media/icons; turning the setting off removes
// it and keeps the inline text. VS Code draws one glyph per line and the Testing view's run icon
// takes that place (see the setting's description), so the fixture turns testing.gutterEnabled off.
// Fixture: basic, whose src/server.js line 6 (`app.get('/api/slow', …)`) fails its p99 budget.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterDecorationText, assertEventually, openFile, screenshot, useWorkspace } from './workbench';

/** The background image of the glyph-margin icon drawn on a 1-based line ('' when none). */
async function gutterIcon(editor: Locator, lineNumber: number): Promise<string> {
  return editor
    .evaluate((root, n) => {
      const num = [...root.querySelectorAll('.margin-view-overlays .line-numbers')].find((el) => el.textContent?.trim() === String(n));
      const top = (num?.parentElement as HTMLElement | undefined)?.style.top;
      const glyphs = [...root.querySelectorAll<HTMLElement>('.glyph-margin-widgets .cgmr')].filter((el) => top && el.style.top === top);
      return glyphs.map((el) => getComputedStyle(el).backgroundImage).filter((b) => b && b !== 'none').join(' ');
    }, lineNumber, { timeout: 2000 })
    .catch(() => '');
}

describe('Gutter icons (setting)', () => {
  const settings = (gutterIcons: boolean, detail = 'short') =>
    JSON.stringify({ 'perfBudgets.decorations.gutterIcons': gutterIcons, 'perfBudgets.decorations.detail': detail, 'testing.gutterEnabled': false });
  const opened = useWorkspace('basic', (dir) => {
    mkdirSync(path.join(dir, '.vscode'), { recursive: true });
    writeFileSync(path.join(dir, '.vscode', 'settings.json'), settings(true));
  });

  it('shows the verdict icon at the handler line, and the setting turns it off live', async function () {
    this.timeout(90_000);
    const editor = await openFile('src/server.js');
    await assertEventually(() => afterDecorationText(editor, 6), (t) => t === '✗ p99 110 ms > 100 ms', 'the short inline verdict (the worst metric) on line 6', 30_000);
    const icon = await assertEventually(() => gutterIcon(editor, 6), (b) => b.includes('media%2Ficons%2Ffail.svg') || b.includes('media/icons/fail.svg'), 'the fail icon in line 6\'s gutter');
    assert.ok(!icon.includes('pass.svg'), icon);
    assert.equal(await gutterIcon(editor, 7), '', 'no icon on a line without a handler');
    await screenshot('gutter-icon-fail');

    // Turning the icons off and the detailed text on (perfBudgets.decorations.detail), live.
    writeFileSync(path.join(opened().workspace, '.vscode', 'settings.json'), settings(false, 'detailed'));
    await assertEventually(() => gutterIcon(editor, 6), (b) => b === '', 'the gutter icon gone after the setting is turned off');
    await assertEventually(
      () => afterDecorationText(editor, 6),
      (t) => t === '✗ p99 110 ms / 100 ms · 10% over',
      'the detailed inline text after perfBudgets.decorations.detail is set',
      30_000,
    );
    await screenshot('decoration-detailed');
  });
});
