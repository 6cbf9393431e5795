import * as assert from 'node:assert/strict';
import { afterDecorationText, assertEventually, openFile, screenshot, statusBarItem, useWorkspace } from './workbench';

// test/fixtures/workspaces/multiroot: folders alpha and beta, each with its own perf-budgets.json
// over the same results; the handler is on line 6 of each src/server.js.
describe('Multi-root workspace: each folder has its own config and results', () => {
  useWorkspace('multiroot');

  it('decorates each folder\'s handler against that folder\'s budget, and the status bar counts both', async function () {
    this.timeout(90_000);
    await assertEventually(async () => (await statusBarItem().innerText()).replace(/\s+/g, ' ').trim(), (t) => t === 'Budgets: 1 of 2 failing', 'status bar over both folders', 60_000);
    const alpha = await openFile('src/server.js', { folder: 'alpha' });
    await assertEventually(() => afterDecorationText(alpha, 6), (t) => t === '✗ p99 110 ms > 100 ms', 'alpha: p99 over its 100 ms budget');
    await screenshot('multiroot-alpha');
    const beta = await openFile('src/server.js', { folder: 'beta' });
    await assertEventually(() => afterDecorationText(beta, 6), (t) => t === '✓ p99 110 ms ≤ 200 ms', 'beta: the same p99 within its 200 ms budget');
    assert.ok(!(await afterDecorationText(beta, 6)).includes('p50'), 'beta budgets no p50: alpha\'s budget does not leak into beta');
    await screenshot('multiroot-beta');
  });
});
