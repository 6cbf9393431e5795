import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/vscode/ids';
import { fixtureFolder, verdictLines, waitFor, workspaceRoot } from './helpers';

// Fixture: test/fixtures/workspaces/basic — wrk slow.txt has p50 25.92 ms, p99 110.09 ms against
// budgets of 100 ms each (handler "GET /api/slow", series "slow"): exactly one pass and one fail.
const EXPECTED = ['GET /api/slow p50 pass', 'GET /api/slow p99 fail'];

describe('Results', () => {
  it('reads the workspace results on activation: GET /api/slow p50 passes, p99 fails', async () => {
    const folder = await fixtureFolder();
    await waitFor('the first model', () => folder.model);
    assert.deepEqual(verdictLines(folder), EXPECTED);
    assert.equal(folder.error, undefined);
  });

  it('"Re-read Results" reads the files again', async () => {
    const folder = await fixtureFolder();
    const before = (await waitFor('the first model', () => folder.model)).readAt.getTime();
    await new Promise((r) => setTimeout(r, 5));
    await vscode.commands.executeCommand(COMMANDS.rereadResults);
    await waitFor('a newer model', () => (folder.model!.readAt.getTime() > before ? true : undefined));
    assert.deepEqual(verdictLines(folder), EXPECTED);
  });

  it('keeps the last good results when perf-budgets.json turns invalid, and recovers', async () => {
    const folder = await fixtureFolder();
    const config = vscode.Uri.joinPath(workspaceRoot(), 'perf-budgets.json');
    const good = await vscode.workspace.fs.readFile(config);
    try {
      await vscode.workspace.fs.writeFile(config, new TextEncoder().encode('{ "budgets": { "slow": { "p50": "fast" } } }'));
      await vscode.commands.executeCommand(COMMANDS.rereadResults);
      const error = await waitFor('the read error', () => folder.error);
      assert.match(error.message, /perf-budgets\.json/);
      assert.deepEqual(verdictLines(folder), EXPECTED, 'bad input must not replace good results');
    } finally {
      await vscode.workspace.fs.writeFile(config, good);
    }
    await vscode.commands.executeCommand(COMMANDS.rereadResults);
    await waitFor('the error to clear', () => folder.error === undefined);
    assert.deepEqual(verdictLines(folder), EXPECTED);
  });

  it('"Show Log" runs', async () => {
    await fixtureFolder();
    await vscode.commands.executeCommand(COMMANDS.showLog);
  });
});
