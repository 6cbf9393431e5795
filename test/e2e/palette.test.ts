// A user runs Perf Budgets commands from the command palette and reads what appears.
// Fixture: test/fixtures/workspaces/basic — budget "slow": p50 passes, p99 fails.
import * as assert from 'node:assert/strict';
import { assertEventually, notificationTexts, page, runCommand, screenshot, statusBarItem, visibleLines } from './workbench';

describe('Command palette', () => {
  it('the status bar shows the budgets of the workspace after activation', async () => {
    const item = statusBarItem();
    const text = await assertEventually(() => item.innerText({ timeout: 2000 }).catch(() => ''), (t) => /Budgets: \d/.test(t), 'the Perf Budgets status bar item to count handlers', 30_000);
    // "$(dashboard) Budgets: 1 of 1 failing": the icon renders as a glyph; handlers are counted, not metrics.
    assert.match(text.replace(/\s+/g, ' ').trim(), /^Budgets: 1 of 1 failing$/);
    await screenshot('status-bar');
  });

  it('"Perf Budgets: Re-read Results" notifies the counts', async () => {
    await runCommand('Perf Budgets: Re-read Results');
    const texts = await assertEventually(notificationTexts, (t) => t.some((m) => m.startsWith('Perf Budgets:')), 'the Re-read Results notification');
    assert.ok(texts.includes('Perf Budgets: 1 pass, 0 warn, 1 fail, 0 missing'), `notifications: ${JSON.stringify(texts)}`);
    assert.match((await statusBarItem().innerText()).replace(/\s+/g, ' ').trim(), /^Budgets: 1 of 1 failing$/);
    await screenshot('reread-results-notification');
  });

  it('"Perf Budgets: Show Log" opens the output channel with the activation line', async () => {
    await runCommand('Perf Budgets: Show Log');
    const output = page().locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
    const lines = await assertEventually(() => visibleLines(output), (l) => l.some((x) => /Perf Budgets .* activated in VS Code 1\.100\./.test(x)), 'the activation line in the Perf Budgets output');
    assert.ok(lines.some((x) => /read 1 series: 1 handler/.test(x)), `log lines: ${JSON.stringify(lines)}`);
    await screenshot('show-log');
  });
});
