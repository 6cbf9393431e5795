// A user re-reads a result file that has grown to ~400 MB, watches the progress notification and
// cancels it. Fixture: test/fixtures/workspaces/bigread — perf/results/big.jtl, 200 small rows:
// GET /big within its budget, GET /other over its own ("Budgets: 1 of 2 failing").
import * as assert from 'node:assert/strict';
import { renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { writeBigJtl } from '../fixtures/bigJtl';
import { assertEventually, notificationTexts, page, runCommand, screenshot, statusBarItem, useWorkspace } from './workbench';

describe('A long read of a big result file', () => {
  const opened = useWorkspace('bigread');
  const statusText = async () => (await statusBarItem().innerText({ timeout: 2000 }).catch(() => '')).replace(/\s+/g, ' ').trim();

  it('shows "Reading … — N MB of 400 MB · R MB/s" with Cancel; cancelling keeps the previous results and says so', async function () {
    this.timeout(180_000);
    const status = await assertEventually(statusText, (t) => t === 'Budgets: 1 of 2 failing', 'the status bar verdicts of the small file', 30_000);
    const big = path.join(opened().workspace, 'perf/results/big.jtl');
    // Just under 400 MB of rows for GET /big, written aside and renamed into place.
    const size = writeBigJtl(`${big}.tmp`, 400_000_000);
    assert.equal(statSync(`${big}.tmp`).size, size);
    try {
      renameSync(`${big}.tmp`, big);
      await runCommand('Perf Budgets: Re-read Results');
      const toast = page().locator('.notifications-toasts .notification-list-item', { hasText: /Reading perf\/results\/big\.jtl — / });
      await toast.waitFor({ state: 'visible', timeout: 30_000 });
      const message = await assertEventually(
        () => toast.locator('.notification-list-item-message').innerText({ timeout: 2000 }).catch(() => ''),
        (t) => /— [1-9][\d.]* MB of 400 MB( · [\d.]+ (kB|MB|GB)\/s)?$/.test(t),
        'the progress to count megabytes read',
        30_000,
      );
      // The toast shows the title before the message.
      assert.match(message, /^Perf Budgets: Reading perf\/results\/big\.jtl — [1-9][\d.]* MB of 400 MB( · [\d.]+ (kB|MB|GB)\/s)?$/);
      await toast.hover();
      await screenshot('read-progress');
      await toast.getByRole('button', { name: 'Cancel' }).click();
      const texts = await assertEventually(notificationTexts, (t) => t.some((m) => /was cancelled/.test(m)), 'the cancellation message', 30_000);
      assert.ok(texts.includes('Perf Budgets: reading perf/results/big.jtl was cancelled. The previous results are kept.'), JSON.stringify(texts));
      await assertEventually(async () => toast.count(), (n) => n === 0, 'the progress notification to close', 10_000);
      await new Promise((r) => setTimeout(r, 1500)); // let any (wrong) re-render land
      // The previous results are still counted, and said to be stale: the read of the new file was cancelled.
      assert.equal(await statusText(), status.replace(/^Budgets:/, 'Budgets (stale):'), 'the status bar still counts the previous results, marked stale');
      await screenshot('read-cancelled');
    } finally {
      rmSync(big, { force: true });
      rmSync(`${big}.tmp`, { force: true });
    }
  });
});
