import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, OUTPUT_CHANNEL } from '../../src/vscode/ids';
import { activeApi, EXTENSION_ID, fixtureFolder, verdictLines, waitFor, workspaceRoot } from './helpers';

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

  it('"Show Log" shows the Perf Budgets log in the Output view, with what the extension logged', async () => {
    await fixtureFolder();
    const logged = (await activeApi()).recentLog();
    assert.ok(logged.length > 0, 'the extension logged while it read the fixture');
    const last = logged[logged.length - 1]!;
    const message = last.slice(last.indexOf(' ') + 1); // "info Read …" -> "Read …"
    // The Output view's document of a LogOutputChannel: output:<extension id>.<channel name>.
    const channel = `${EXTENSION_ID}.${OUTPUT_CHANNEL}`;
    const shown = () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'output' && d.uri.path.endsWith(channel));
    assert.equal(shown(), undefined, 'the log is not shown before the command');
    await vscode.commands.executeCommand(COMMANDS.showLog);
    const outputDocuments = () => vscode.workspace.textDocuments.filter((d) => d.uri.scheme === 'output').map((d) => d.uri.toString());
    const doc = await waitFor(`the Output view to show ${channel}`, shown).catch((e: Error) => assert.fail(`${e.message}; output documents: ${JSON.stringify(outputDocuments())}`));
    await waitFor(`the shown log to hold the latest line "${message}"`, () => doc.getText().includes(message));
  });
});
