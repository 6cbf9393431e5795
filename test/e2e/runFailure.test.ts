// A benchmark run fails and the toast says why: it quotes the last line of the benchmark's
// stderr, offers "Show Output" (the log, which holds the stderr tail) and "Run Again", and says
// that previous results are kept only when there are some. Fixture:
// test/fixtures/workspaces/run-failure — benchmark "api" (perf/bench-fails.js) appends a line to
// perf/attempts.txt, prints two stderr lines (the last one red) and exits 2.
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { assertEventually, page, runCommand, screenshot, statusBarItem, useWorkspace, visibleLines } from './workbench';

const REASON = 'bench: the service did not start: port 1 refused';
const FAILED = `Perf Budgets: benchmark "api" failed with exit code 2: ${REASON}.`;

/** The visible failure toasts of benchmark "api". */
const failureToasts = () => page().locator('.notifications-toasts .notification-list-item', { hasText: 'benchmark "api" failed with exit code 2' });

/** How many times the benchmark's process ran (it counts itself in perf/attempts.txt). */
function attempts(workspace: string): number {
  const file = path.join(workspace, 'perf/attempts.txt');
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).length : 0;
}

/** Waits for the one failure toast and returns it with its message as shown. */
async function failureToast(): Promise<{ toast: Locator; message: string }> {
  const toast = failureToasts().last();
  await toast.waitFor({ state: 'visible', timeout: 60_000 });
  const message = await toast.locator('.notification-list-item-message').innerText();
  return { toast, message };
}

/** A run from the palette, as a user starts one, with no older toast in the way. */
async function runFromPalette(): Promise<void> {
  await runCommand('Notifications: Clear All Notifications');
  await assertEventually(() => failureToasts().count(), (n) => n === 0, 'no failure toast before the run');
  await runCommand('Perf Budgets: Run Benchmarks');
}

describe('A failed benchmark run says why', () => {
  describe('in a folder that was never run', () => {
    const opened = useWorkspace('run-failure');

    it('the toast quotes the last stderr line, says no results were read, and offers Show Output and Run Again; both work', async function () {
      this.timeout(180_000);
      const ws = opened().workspace;
      await statusBarItem().waitFor({ state: 'visible', timeout: 30_000 });
      await runFromPalette();
      const first = await failureToast();
      assert.equal(first.message, `${FAILED} No results were read.`);
      assert.equal(attempts(ws), 1);
      const buttons = (await first.toast.locator('.monaco-button').allInnerTexts()).map((t) => t.trim());
      assert.deepEqual(buttons, ['Show Output', 'Run Again']);
      await first.toast.hover();
      await screenshot('run-failure-toast');

      // Run Again: the same benchmark runs again (its process counts itself), and fails the same way.
      await first.toast.getByRole('button', { name: 'Run Again' }).click();
      await assertEventually(async () => attempts(ws), (n) => n === 2, 'the benchmark to run a second time', 60_000);
      const second = await failureToast();
      assert.equal(second.message, `${FAILED} No results were read.`);

      // Show Output: the log, with the run, the stderr tail (escapes removed) and what the toast said.
      await second.toast.getByRole('button', { name: 'Show Output' }).click();
      const output = page().locator('.part.panel .output-view, .part.panel [id="workbench.panel.output"]').first();
      // The output view wraps long lines: what it shows is read with the wraps undone.
      const shown = async () => (await visibleLines(output)).join('');
      // The folder is the temp copy's "workspace"; the stderr tail, escapes removed, then the toast's text.
      const tail = '[warning] workspace: benchmark "api", the last 2 line(s) of its stderr:  bench: connecting to 127.0.0.1:1  bench: the service did not start: port 1 refused';
      const text = await assertEventually(shown, (t) => t.includes(tail) && t.includes(`[warning] ${FAILED} No results were read.`), 'the stderr tail and the failure in the Perf Budgets log', 30_000);
      assert.doesNotMatch(text, /\[31m|\x1b/, 'no escape sequences in the log');
      assert.ok(!text.includes('starting the service on port 1'), 'stdout is in the terminal, not in the stderr tail');
      await screenshot('run-failure-log');
    });

    it('the task still runs in a terminal that shows its output', async function () {
      this.timeout(60_000);
      await runCommand('Terminal: Focus Terminal');
      await page().locator('.part.panel .xterm').first().waitFor({ state: 'visible', timeout: 15_000 });
      // The fixture turns the terminal's GPU rendering off: its rows are DOM text.
      const rows = page().locator('.part.panel .xterm-rows > div');
      const text = await assertEventually(
        async () => (await rows.allInnerTexts().catch(() => [] as string[])).map((r) => r.replace(/\u00a0/g, ' ').trimEnd()).join('\n'),
        (t) => t.includes(REASON),
        'the benchmark output in its terminal',
        15_000,
      );
      assert.ok(text.includes('$ node perf/bench-fails.js\n\nbench: starting the service on port 1\nbench: connecting to 127.0.0.1:1\nbench: the service did not start: port 1 refused'), text);
      assert.match(text, /Executing task: perf-budgets: api/);
      await screenshot('run-failure-terminal');
    });
  });

  describe('in a folder with results', () => {
    useWorkspace('run-failure', (dir) => {
      mkdirSync(path.join(dir, 'perf/results'), { recursive: true });
      copyFileSync(path.join(dir, 'perf/recorded/slow.txt'), path.join(dir, 'perf/results/slow.txt'));
    });

    it('the toast says the previous results are kept', async function () {
      this.timeout(120_000);
      // The results are read: the status bar counts verdicts.
      await assertEventually(() => statusBarItem().innerText({ timeout: 2000 }).catch(() => ''), (t) => /\d/.test(t), 'the status bar to count the verdicts of perf/results/slow.txt', 30_000);
      await runFromPalette();
      const { toast, message } = await failureToast();
      assert.equal(message, `${FAILED} The previous results are kept.`);
      assert.deepEqual((await toast.locator('.monaco-button').allInnerTexts()).map((t) => t.trim()), ['Show Output', 'Run Again']);
      await toast.hover();
      await screenshot('run-failure-kept');
    });
  });
});
