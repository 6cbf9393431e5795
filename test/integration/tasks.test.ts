import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor, workspaceRoot } from './helpers';

// The rig itself: workspace tasks run (terminal + pty host work in this VS Code), which the
// extension's "run benchmark" features will rely on.
describe('Tasks in this VS Code', () => {
  it('runs a shell task of the workspace to exit code 0', async () => {
    const tasks = await vscode.tasks.fetchTasks();
    const task = tasks.find((t) => t.name === 'fixture: write marker');
    assert.ok(task, `fixture task not found among: ${tasks.map((t) => t.name).join(', ')}`);
    const ended = new Promise<number | undefined>((resolve) => {
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.name === task.name) {
          sub.dispose();
          resolve(e.exitCode);
        }
      });
    });
    await vscode.tasks.executeTask(task);
    const code = await Promise.race([ended, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
    assert.equal(code, 0);
    const marker = vscode.Uri.joinPath(workspaceRoot(), 'task-ran.txt');
    const text = await waitFor('task-ran.txt', async () => new TextDecoder().decode(await vscode.workspace.fs.readFile(marker).then((b) => b, () => new Uint8Array())));
    assert.equal(text, 'ok');
  });
});
