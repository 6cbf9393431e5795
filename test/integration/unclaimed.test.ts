import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/vscode/ids';
import { type FolderApi, fixtureFolder, logFromNow, waitFor, workspaceRoot } from './helpers';

// Fixture: test/fixtures/workspaces/basic, with for this test a k6 benchmark whose results hold
// GET /orders/7 (two budgets tie for it) and GET /health (no budget), and a wrk file "other"
// that no budget claims either. Everything is put back afterwards.
type ClaimsModel = { unclaimed: string[]; ambiguous: Array<{ series: string; budgets: string[] }> };
const claimsOf = (folder: FolderApi) => folder.model as unknown as (ClaimsModel & NonNullable<FolderApi['model']>) | undefined;

const point = (url: string, v: number) => `{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":${v},"tags":{"method":"GET","name":"http://127.0.0.1:3000${url}","status":"200"}},"metric":"http_req_duration"}\n`;

describe('Unclaimed and ambiguous series', () => {
  it('are on the folder model and in the log: one info line naming the unclaimed, one warning per tie', async () => {
    const folder = await fixtureFolder();
    await waitFor('the first model', () => folder.model);
    const root = workspaceRoot();
    const config = vscode.Uri.joinPath(root, 'perf-budgets.json');
    const k6Dir = vscode.Uri.joinPath(root, 'perf/k6');
    const other = vscode.Uri.joinPath(root, 'perf/results/other.txt');
    const good = await vscode.workspace.fs.readFile(config);
    const enc = (s: string) => new TextEncoder().encode(s);
    const log = await logFromNow();
    try {
      const parsed = JSON.parse(new TextDecoder().decode(good));
      parsed.benchmarks.k6 = { command: 'true', results: 'perf/k6/*.json', format: 'k6-json' };
      parsed.budgets['GET /orders/:id'] = { p95: '1s' };
      parsed.budgets['GET /orders/{order_id}'] = { p95: '1s' };
      await vscode.workspace.fs.createDirectory(k6Dir);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(k6Dir, 'r.json'), enc(point('/orders/7', 12) + point('/health', 3)));
      await vscode.workspace.fs.copy(vscode.Uri.joinPath(root, 'perf/results/slow.txt'), other, { overwrite: true });
      await vscode.workspace.fs.writeFile(config, enc(JSON.stringify(parsed, null, 2)));
      await vscode.commands.executeCommand(COMMANDS.rereadResults);
      const model = await waitFor('a model with the ambiguous series', () => (claimsOf(folder)?.ambiguous?.length ? claimsOf(folder) : undefined));
      assert.deepEqual([...model.unclaimed].sort(), ['GET /health', 'other']);
      assert.deepEqual(model.ambiguous, [{ series: 'GET /orders/7', budgets: ['GET /orders/:id', 'GET /orders/{order_id}'] }]);
      const name = folder.folder.name;
      const lines = await waitFor('the claims in the log', () => {
        const l = log();
        return l.some((x) => x.includes('Ambiguous series')) && l.some((x) => x.includes('series no budget claims')) ? l : undefined;
      });
      const info = lines.filter((l) => l.includes('series no budget claims'));
      assert.equal(info.length, 1, lines.join('\n'));
      assert.match(info[0]!, new RegExp(`^info ${name}: 2 series no budget claims: (GET /health, other|other, GET /health)$`));
      assert.deepEqual(
        lines.filter((l) => l.includes('Ambiguous series')),
        [`warn ${name}: Ambiguous series: GET /orders/7 matches GET /orders/:id and GET /orders/{order_id} equally; add a "series" to one budget`],
      );
    } finally {
      await vscode.workspace.fs.writeFile(config, good);
      await vscode.workspace.fs.delete(k6Dir, { recursive: true, useTrash: false });
      await vscode.workspace.fs.delete(other, { useTrash: false });
    }
    await vscode.commands.executeCommand(COMMANDS.rereadResults);
    await waitFor('every series claimed again', () => (claimsOf(folder)?.unclaimed.length === 0 && claimsOf(folder)?.ambiguous.length === 0 ? true : undefined));
  });
});
