import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, TASK_TYPE } from '../../src/vscode/ids';
import { extension, fixtureFolder, verdictLines, waitFor, workspaceRoot } from './helpers';

// Fixture benchmarks: "wrk" (node perf/run-wrk.js writes the recorded wrk output) and "broken"
// (exits 3, writes nothing). The fixture's .gitignore already ignores .perf-budgets/.
const EXPECTED = ['GET /api/slow p50 pass', 'GET /api/slow p99 fail'];

describe('Benchmarks', () => {
  it('provides a perf-budgets task for each benchmark with a command', async () => {
    await fixtureFolder();
    const tasks = await vscode.tasks.fetchTasks({ type: TASK_TYPE });
    assert.deepEqual(tasks.map((t) => t.definition.benchmark).sort(), ['broken', 'wrk']);
  });

  it('"Run Benchmark" runs it as a task and reads the results it wrote', async function () {
    this.timeout(60_000);
    const folder = await fixtureFolder();
    const result = vscode.Uri.joinPath(workspaceRoot(), 'perf/results/slow.txt');
    await vscode.workspace.fs.delete(result);
    const before = (await waitFor('a model', () => folder.model)).readAt.getTime();
    const ended = new Promise<number | undefined>((resolve) => {
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.definition.type === TASK_TYPE && e.execution.task.definition.benchmark === 'wrk') {
          sub.dispose();
          resolve(e.exitCode);
        }
      });
    });
    void vscode.commands.executeCommand(COMMANDS.runBenchmark, 'wrk');
    assert.equal(await ended, 0, 'the benchmark task exit code');
    await waitFor('the new result file', async () => vscode.workspace.fs.stat(result).then(() => true, () => undefined));
    await waitFor('a model read after the run', () => (folder.model!.readAt.getTime() > before ? true : undefined), 30_000);
    assert.deepEqual(verdictLines(folder), EXPECTED);
    assert.equal(folder.error, undefined);
  });

  it('a failing benchmark keeps the previous results', async function () {
    this.timeout(60_000);
    const folder = await fixtureFolder();
    await waitFor('a model', () => folder.model);
    const ended = new Promise<number | undefined>((resolve) => {
      const sub = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.definition.benchmark === 'broken') {
          sub.dispose();
          resolve(e.exitCode);
        }
      });
    });
    void vscode.commands.executeCommand(COMMANDS.runBenchmark, 'broken');
    assert.equal(await ended, 3);
    const api = extension().exports as unknown as { runner: { running: boolean } };
    await waitFor('the run to end', () => !api.runner.running, 20_000);
    assert.deepEqual(verdictLines(folder), EXPECTED, 'a failed run must not replace results');
  });
});
