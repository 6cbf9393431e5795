import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fixtureFolder, waitFor, workspaceRoot } from './helpers';

// The handler of budget "GET /api/slow" is `app.get('/api/slow', …)` on line 6 of src/server.js
// in the fixture workspace; its p99 is over budget.
const HANDLER_LINE = 5; // 0-based

async function openServer(): Promise<vscode.TextEditor> {
  await fixtureFolder();
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceRoot(), 'src/server.js'));
  const editor = await vscode.window.showTextDocument(doc);
  assert.match(doc.lineAt(HANDLER_LINE).text, /app\.get\('\/api\/slow'/);
  return editor;
}

const hoverText = (h: vscode.Hover) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : '')).join('\n');

describe('Editor: the handler in code', () => {
  it('puts an error diagnostic for the failing p99 on the handler line', async () => {
    const editor = await openServer();
    const diags = await waitFor('a Perf Budgets diagnostic in src/server.js', () => {
      const d = vscode.languages.getDiagnostics(editor.document.uri).filter((x) => x.message.includes('GET /api/slow'));
      return d.length ? d : undefined;
    });
    assert.equal(diags.length, 1, JSON.stringify(diags.map((d) => d.message)));
    assert.equal(diags[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diags[0]!.range.start.line, HANDLER_LINE);
    assert.match(diags[0]!.message, /p99/);
  });

  it('shows the budgets in a hover on the handler line', async () => {
    const editor = await openServer();
    const pos = new vscode.Position(HANDLER_LINE, editor.document.lineAt(HANDLER_LINE).text.indexOf('get') + 1);
    const text = await waitFor('a Perf Budgets hover', async () => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', editor.document.uri, pos)) ?? [];
      return hovers.map(hoverText).find((t) => t.includes('GET /api/slow'));
    });
    assert.match(text, /p99/);
  });

  it('puts a CodeLens above the handler', async () => {
    const editor = await openServer();
    const lenses = await waitFor('a CodeLens on the handler line', async () => {
      const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10)) ?? [];
      const here = all.filter((l) => l.range.start.line === HANDLER_LINE && l.command?.title);
      return here.length ? here : undefined;
    });
    // The verdict in words, naming the failing metric; no number (the end-of-line text has it).
    assert.deepEqual(
      lenses.map((l) => l.command!.title),
      ['failing: p99', 'Run benchmark'],
    );
  });

  it('the setting perfBudgets.codeLens.enabled turns the CodeLens off and on again', async () => {
    const editor = await openServer();
    const lensesHere = async () =>
      ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 10)) ?? []).filter((l) => l.range.start.line === HANDLER_LINE).length;
    const config = vscode.workspace.getConfiguration('perfBudgets');
    await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Workspace);
    try {
      await waitFor('no CodeLens with the setting off', async () => ((await lensesHere()) === 0 ? true : undefined));
    } finally {
      await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await waitFor('the CodeLens back with the setting reset', async () => ((await lensesHere()) > 0 ? true : undefined));
  });
});
