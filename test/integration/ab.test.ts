// "Perf Budgets: Compare Working Tree with HEAD…" in the real VS Code: the command runs the local
// A/B check on a temp git repository added to the workspace (the suite opens a one-folder
// .code-workspace, so adding a folder does not reload the window), with the ref given as an
// argument so no quick pick is needed, and opens the report as a read-only markdown document.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/vscode/ids';
import { makeCommandRepo, worktrees } from '../unit/node/abRepo';
import { addWorkspaceFolder, logFromNow, removeWorkspaceFolder, waitFor } from './helpers';

describe('Compare Working Tree with HEAD… (local A/B check)', function () {
  this.timeout(180_000);

  it('is contributed with its title, and runs A B A B … against HEAD: the markdown report in a read-only document, progress in the log, the worktree removed', async () => {
    const cmd = (vscode.extensions.getExtension('perf-budgets.perf-budgets')!.packageJSON.contributes.commands as Array<{ command: string; title: string; category: string }>).find(
      (c) => c.command === COMMANDS.compareWithRef,
    );
    assert.deepEqual(cmd && { title: cmd.title, category: cmd.category }, { title: 'Compare Working Tree with HEAD…', category: 'Perf Budgets' });
    assert.ok((await vscode.commands.getCommands(true)).includes(COMMANDS.compareWithRef));

    // The benchmark writes 200 samples 10.0 … 10.9 ms at HEAD, 20.0 … 20.9 ms in the working tree.
    const repo = makeCommandRepo(10, 20);
    const uri = (await addWorkspaceFolder(repo.dir, 'ab')).folder.uri;
    try {
      const log = await logFromNow();
      const doc = (await vscode.commands.executeCommand(COMMANDS.compareWithRef, { ref: 'HEAD', folder: uri.toString() })) as vscode.TextDocument | undefined;
      assert.ok(doc, `no report document; log:\n${log().join('\n')}`);
      assert.equal(doc.languageId, 'markdown');
      // Read-only: a content provider's document, nothing to save.
      assert.equal(doc.uri.scheme, 'perf-budgets-ab');
      assert.equal(doc.isDirty, false);
      assert.equal(vscode.window.activeTextEditor?.document, doc);
      const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo.dir, encoding: 'utf8' }).trim();
      const lines = doc.getText().split('\n');
      assert.equal(lines[0], '### Perf Budgets A/B: working tree vs HEAD');
      assert.match(lines[2]!, new RegExp(`^A = HEAD \\(${commit.slice(0, 12)}\\), B = the working tree; work: 4 \\+ 4 runs, stopped by every handler decided after `));
      assert.deepEqual(lines.slice(4, 7), [
        '| Handler | A p95 | B p95 | B/A | 95% CI of B/A | Verdict | p | Min. detectable |',
        '|---|---:|---:|---:|---:|---|---:|---:|',
        '| work | 10.9 ms | 20.9 ms | 1.92× | 1.91×–1.92× | regressed | 0.029 | +10% |',
      ]);
      assert.equal(lines[8], '- Regressed: work.');
      const written = log().join('\n');
      for (const want of [/A: [0-9a-f]{12} checked out in /, /A, run 1: work: node bench\.mjs/, /B, run 4: work: node bench\.mjs/, /after 4 run\(s\) per side: work regressed/]) {
        assert.match(written, want);
      }
      assert.deepEqual(worktrees(repo.dir), [repo.dir]);

      // An option-like ref is refused before anything runs.
      assert.equal(await vscode.commands.executeCommand(COMMANDS.compareWithRef, { ref: '--help', folder: uri.toString() }), undefined);
      assert.match(log().slice(-3).join('\n'), /a git ref cannot start with '-'/);
    } finally {
      await removeWorkspaceFolder(repo.dir);
      repo.cleanup();
    }
  });
});
