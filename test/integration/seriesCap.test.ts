// perfBudgets.results.maxSeriesPerFile in the real VS Code: a result file with more series than
// the setting is read up to it, the log says what was skipped, and raising the setting reads the
// whole file again (issue #13: a 100,000-tag file must not take the extension host down).
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addWorkspaceFolder, logFromNow, removeWorkspaceFolder, waitFor } from './helpers';

/** k6 NDJSON: one http_req_duration point per request, each to a URL of its own (30 series). */
function k6Json(names: number): string {
  const lines: string[] = [];
  for (let i = 0; i < names; i++) {
    lines.push(`{"type":"Point","data":{"time":"2026-01-01T00:00:${String(i).padStart(2, '0')}Z","value":${10 + i},"tags":{"method":"GET","name":"http://127.0.0.1:3000/api/items/${i}","status":"200"}},"metric":"http_req_duration"}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('perfBudgets.results.maxSeriesPerFile', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-budgets-it-cap-'));
  const setting = () => vscode.workspace.getConfiguration('perfBudgets', vscode.Uri.file(dir));

  before(() => {
    writeFileSync(path.join(dir, 'many.json'), k6Json(30));
    writeFileSync(
      path.join(dir, 'perf-budgets.json'),
      JSON.stringify({ benchmarks: { k6: { command: 'true', results: 'many.json', format: 'k6-json' } }, budgets: { 'GET /api/items/0': { p95: '1s' } } }),
    );
  });
  after(async () => {
    await setting().update('results.maxSeriesPerFile', undefined, vscode.ConfigurationTarget.Workspace);
    await removeWorkspaceFolder(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads at most that many series of a file and says in the log what it skipped', async () => {
    const log = await logFromNow();
    await setting().update('results.maxSeriesPerFile', 5, vscode.ConfigurationTarget.Workspace);
    const folder = await addWorkspaceFolder(dir, 'cap');
    const seriesCount = () => (folder.model as { series?: unknown[] } | undefined)?.series?.length;
    await waitFor('the capped read', () => seriesCount() === 5, 30_000);
    const line = await waitFor('the warning in the log', () => log().find((l) => l.includes('more than 5 series')), 10_000);
    assert.equal(line, 'warn cap: many.json: more than 5 series; read the first 5, skipped 25 more with 25 samples (raise perfBudgets.results.maxSeriesPerFile or --max-series)');
    // The budgeted handler is among the first five: it still gets its verdict.
    assert.deepEqual(
      folder.model?.results.flatMap((r) => r.verdicts.map((v) => `${v.handler} ${v.metric} ${v.status}`)),
      ['GET /api/items/0 p95 pass'],
    );
    await setting().update('results.maxSeriesPerFile', 100, vscode.ConfigurationTarget.Workspace);
    await waitFor('the whole file after raising the setting', () => seriesCount() === 30, 30_000);
  });
});
