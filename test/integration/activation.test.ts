import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/vscode/ids';
import { EXTENSION_ID, extension, waitFor } from './helpers';

describe('Activation inside VS Code', () => {
  it('runs in a real VS Code whose version satisfies engines.vscode', () => {
    console.log(`[perf-budgets-it] vscode.version = ${vscode.version}`);
    const [major, minor] = vscode.version.split('.').map(Number);
    const engine = String(extension().packageJSON.engines.vscode).replace(/^\^/, '');
    const [emaj, emin] = engine.split('.').map(Number);
    assert.ok(major! > emaj! || (major === emaj && minor! >= emin!), `VS Code ${vscode.version} is older than engines.vscode ${engine}`);
  });

  it('activates by itself on a workspace holding perf-budgets.json', async () => {
    const ext = extension();
    assert.ok(ext.packageJSON.activationEvents.includes('workspaceContains:perf-budgets.json'));
    // Not calling ext.activate(): the activation event must do it.
    await waitFor(`${EXTENSION_ID} to activate`, () => ext.isActive, 30_000);
    assert.equal(typeof ext.exports?.registry?.all, 'function', 'activate() returns { registry, runner, ready }');
  });

  it('registers every command it contributes, and contributes every command it registers', async () => {
    await waitFor('activation', () => extension().isActive);
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed: string[] = extension().packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    for (const id of contributed) assert.ok(registered.has(id), `contributed command ${id} is not registered`);
    assert.deepEqual([...contributed].sort(), Object.values(COMMANDS).sort());
  });

  it('declares every contributed setting with its default', () => {
    const props: Record<string, { default?: unknown }> = extension().packageJSON.contributes.configuration?.properties ?? {};
    for (const [key, spec] of Object.entries(props)) {
      const inspected = vscode.workspace.getConfiguration().inspect(key);
      assert.ok(inspected, `setting ${key} is unknown to VS Code`);
      if ('default' in spec) assert.deepEqual(inspected.defaultValue, spec.default, `default of ${key}`);
    }
  });

  it('contributes the JSON schema of perf-budgets.json from its own media folder', async () => {
    const [entry] = extension().packageJSON.contributes.jsonValidation;
    assert.equal(entry.fileMatch, 'perf-budgets.json');
    const schema = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extension().extensionUri, entry.url))));
    assert.ok(schema.properties?.budgets, 'schema describes "budgets"');
  });
});
