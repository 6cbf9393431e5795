import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/vscode/ids';
import { activeApi, fixtureFolder, runnerIdle, waitFor, workspaceRoot } from './helpers';

// Fixture: test/fixtures/workspaces/basic. src/server.js defines GET /api/slow on line 6.
describe('perf-budgets.json: a budget whose handler is not in the code', () => {
  it('gets a warning at its line, and a quick fix that sets "at" to the candidate route', async function () {
    this.timeout(60_000);
    await fixtureFolder();
    const config = vscode.Uri.joinPath(workspaceRoot(), 'perf-budgets.json');
    const good = await vscode.workspace.fs.readFile(config);
    try {
      const text = new TextDecoder().decode(good).replace(
        '"GET /api/slow": { "p50": "100ms", "p99": "100ms", "series": "slow" }',
        '"GET /api/slow": { "p50": "100ms", "p99": "100ms", "series": "slow" },\n    "POST /api/slow": { "p95": "1s", "series": "slow" }',
      );
      await vscode.workspace.fs.writeFile(config, new TextEncoder().encode(text));
      await vscode.commands.executeCommand(COMMANDS.rereadResults);
      const diag = await waitFor('the no-handler warning', () =>
        vscode.languages.getDiagnostics(config).find((d) => d.code === 'no-handler'),
      );
      assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(diag.source, 'perf-budgets');
      assert.match(diag.message, /No handler for "POST \/api\/slow" was found in code/);
      const doc = await vscode.workspace.openTextDocument(config);
      assert.equal(doc.lineAt(diag.range.start.line).text.trim().startsWith('"POST /api/slow"'), true, 'at the budget\'s line');
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', config, diag.range);
      const fix = actions.find((a) => a.title.startsWith('Set "at"'));
      assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
      assert.equal(fix.title, 'Set "at" to src/server.js:6 (GET /api/slow)');
      assert.ok(await vscode.workspace.applyEdit(fix.edit!));
      assert.match(doc.getText(), /"POST \/api\/slow": \{ "at": "src\/server\.js:6", "p95": "1s"/);
      await doc.save();
      await vscode.commands.executeCommand(COMMANDS.rereadResults);
      await waitFor('the warning to clear', () => (vscode.languages.getDiagnostics(config).some((d) => d.code === 'no-handler') ? undefined : true));
    } finally {
      await vscode.workspace.fs.writeFile(config, good);
      await vscode.commands.executeCommand(COMMANDS.rereadResults);
    }
  });
});

describe('Testing view', () => {
  it('lists each budget under its benchmark at its handler, and running it runs the benchmark and reports the verdict', async function () {
    this.timeout(90_000);
    const api = await activeApi();
    await fixtureFolder();
    await api.tests.refresh();
    const tree = await waitFor('the budget test item', () => api.tests.snapshot().find((i) => i.label === 'GET /api/slow'));
    assert.equal(tree.parent, 'wrk', 'under the benchmark whose results it reads');
    assert.match(tree.uri ?? '', /src\/server\.js$/);
    assert.equal(tree.line, 5);
    // On load, with no run: the view already shows the latest results (p99 110 ms over its 100 ms budget).
    assert.equal(await waitFor('the latest results in the Testing view', () => api.tests.lastOutcomes.get(tree.id), 30_000), 'failed');
    await runnerIdle();
    api.tests.lastOutcomes.clear();
    await vscode.commands.executeCommand('testing.runAll');
    const outcome = await waitFor('the test run to report the budget', () => api.tests.lastOutcomes.get(tree.id), 60_000);
    // The run reports it again: still failed.
    assert.equal(outcome, 'failed');
    await runnerIdle();
  });
});
