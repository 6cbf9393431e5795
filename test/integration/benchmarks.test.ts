import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { COMMANDS, TASK_TYPE } from '../../src/vscode/ids';
import { fixtureFolder, nextTaskExit, runnerIdle, verdictLines, waitFor, workspaceRoot } from './helpers';

// Fixture benchmarks: "wrk" (node perf/run-wrk.js writes the recorded wrk output) and "broken"
// (exits 3, writes nothing). The fixture's .gitignore already ignores .perf-budgets/.
const EXPECTED = ['GET /api/slow p50 pass', 'GET /api/slow p99 fail'];
const benchmarkTask = (name: string) => (t: vscode.Task) => t.definition.type === TASK_TYPE && t.definition.benchmark === name;

describe('Benchmarks', () => {
  it('provides a perf-budgets task for each benchmark with a command', async () => {
    await fixtureFolder();
    const tasks = await vscode.tasks.fetchTasks({ type: TASK_TYPE });
    assert.deepEqual(tasks.map((t) => t.definition.benchmark).sort(), ['broken', 'wrk']);
  });

  it('"Run Benchmark" runs it as a task and reads the results it wrote', async function () {
    this.timeout(90_000);
    const folder = await fixtureFolder();
    await runnerIdle();
    const result = vscode.Uri.joinPath(workspaceRoot(), 'perf/results/slow.txt');
    const before = (await waitFor('a model', () => folder.model)).readAt.getTime();
    // Deleted results are no results: the folder may show "not run" until the run writes new ones.
    await vscode.workspace.fs.delete(result);
    const ended = nextTaskExit(benchmarkTask('wrk'));
    void vscode.commands.executeCommand(COMMANDS.runBenchmark, 'wrk');
    assert.equal(await ended, 0, 'the benchmark task exit code');
    await waitFor('the new result file', async () => vscode.workspace.fs.stat(result).then(() => true, () => undefined));
    await waitFor('a model read after the run', () => ((folder.model?.readAt.getTime() ?? 0) > before ? true : undefined), 30_000);
    await runnerIdle();
    assert.deepEqual(verdictLines(folder), EXPECTED);
    assert.equal(folder.error, undefined);
  });

  it('a failing benchmark keeps the previous results', async function () {
    this.timeout(90_000);
    const folder = await fixtureFolder();
    await waitFor('a model', () => folder.model);
    await runnerIdle();
    const ended = nextTaskExit(benchmarkTask('broken'));
    void vscode.commands.executeCommand(COMMANDS.runBenchmark, 'broken');
    assert.equal(await ended, 3);
    await runnerIdle();
    assert.deepEqual(verdictLines(folder), EXPECTED, 'a failed run must not replace results');
    // The kept results are marked stale until the user re-reads (what later tests start from).
    assert.match((folder as unknown as { staleReason?: string }).staleReason ?? '', /the last run of "broken" failed with exit code 3/);
    await vscode.commands.executeCommand(COMMANDS.rereadResults);
    assert.equal((folder as unknown as { staleReason?: string }).staleReason, undefined, 'Re-read Results clears the stale mark');
  });
});
