// Faults during a run and long reads (issue #8), in the real VS Code. Each test works in a temp
// folder added to the workspace (the suite opens a one-folder .code-workspace, so adding and
// removing folders does not reload the window) and asserts what the user was told through the
// extension's log, where everything shown in a notification is written too.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/vscode/ids';
import { writeBigJtl } from '../fixtures/bigJtl';
import { activeApi, addWorkspaceFolder, extension, type FolderApi, fixtureFolder, logFromNow, removeWorkspaceFolder, runnerIdle, verdictLines, waitFor } from './helpers';

/** The parts of FolderBudgets and the API these tests use (structural: no second copy of the extension). */
interface Folder extends FolderApi {
  readonly staleReason?: string;
  readonly removed: boolean;
  cancelRead(): boolean;
  schedule(reason: string): void;
  onDidShowReadProgress: vscode.Event<string>;
}
interface Api {
  registry: { all(): Folder[] };
  runner: { readonly running: boolean };
  tests: { snapshot(): Array<{ id: string; uri: string | null }> };
}

const api = async () => (await activeApi()) as unknown as Api;
const BASIC = ['GET /api/slow p50 pass', 'GET /api/slow p99 fail'];
const HEADER = 'timeStamp,elapsed,label,responseCode,success\n';

/** 100 JMeter rows for GET /NAME, latencies ms..ms+9 (p95 within 1% of ms+9). */
function jtl(name: string, ms: number): string {
  return HEADER + Array.from({ length: 100 }, (_, i) => `${1_700_000_000_000 + i * 10},${ms + (i % 10)},GET /${name},200,true\n`).join('');
}

// The benchmarks' one script: `node perf/bench.js MODE NAME [ARG]`, run by VS Code as shell tasks.
// It writes the same rows as jtl() above.
const BENCH_JS = `const fs = require('fs');
const [mode, name, arg] = process.argv.slice(2);
const file = 'perf/results/' + name + '.jtl';
const jtl = (name, ms) => ${JSON.stringify(HEADER)} + Array.from({ length: 100 }, (_, i) => (1700000000000 + i * 10) + ',' + (ms + (i % 10)) + ',GET /' + name + ',200,true\\n').join('');
if (mode === 'write') setTimeout(() => fs.writeFileSync(file, jtl(name, Number(arg))), 1500);
if (mode === 'half') { const t = jtl(name, 20); fs.writeFileSync(file, t.slice(0, t.length - 18)); }
if (mode === 'sleep') setTimeout(() => {}, Number(arg) * 1000);
if (mode === 'exit') process.exit(Number(arg));
`;

const FILES = ['a', 'b', 'c', 'd', 'e', 'f'];
const CONFIG = {
  benchmarks: {
    a: { command: 'node perf/bench.js write a 40', results: 'perf/results/a.jtl', format: 'jmeter' },
    b: { command: 'node perf/bench.js write b 40', results: 'perf/results/b.jtl', format: 'jmeter' },
    nothing: { command: 'node perf/bench.js nothing c', results: 'perf/results/c.jtl', format: 'jmeter' },
    half: { command: 'node perf/bench.js half d', results: 'perf/results/d.jtl', format: 'jmeter' },
    slowpoke: { command: 'node perf/bench.js sleep e 60', results: 'perf/results/e.jtl', format: 'jmeter', timeout: '1500ms' },
    fails: { command: 'node perf/bench.js exit f 3', results: 'perf/results/f.jtl', format: 'jmeter' },
    long: { command: 'node perf/bench.js sleep a 60', results: 'perf/results/a.jtl', format: 'jmeter' },
  },
  budgets: Object.fromEntries(FILES.map((n) => [`GET /${n}`, { p95: '100ms' }])),
};
const VERDICTS = FILES.map((n) => `GET /${n} p95 pass`);

/** A fresh fault folder: config, script, results (latencies 20..29 ms), and a baseline written by the CLI. */
function makeFaultFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-faults-'));
  mkdirSync(path.join(dir, 'perf/results'), { recursive: true });
  writeFileSync(path.join(dir, 'perf-budgets.json'), JSON.stringify(CONFIG, null, 2));
  writeFileSync(path.join(dir, 'perf/bench.js'), BENCH_JS);
  writeFileSync(path.join(dir, '.gitignore'), '.perf-budgets/\n');
  resetResults(dir);
  const cli = path.join(extension().extensionPath, 'dist/cli.js');
  const made = spawnSync(process.execPath, [cli, 'baseline', 'update'], { cwd: dir, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  assert.equal(made.status, 0, `baseline update: ${made.stderr}`);
  return dir;
}

/** Every result file as first written, dated a minute ago (older than any run of a test). */
function resetResults(dir: string): void {
  const past = new Date(Date.now() - 60_000);
  for (const n of FILES) {
    const f = path.join(dir, `perf/results/${n}.jtl`);
    writeFileSync(f, jtl(n, 20));
    utimesSync(f, past, past);
  }
}

function runFiles(dir: string): string[] {
  const runs = path.join(dir, '.perf-budgets/runs');
  return existsSync(runs) ? readdirSync(runs).filter((f) => f.endsWith('.json')).sort() : [];
}

const p95 = (folder: FolderApi, handler: string) => folder.model?.results.flatMap((r) => r.verdicts).find((v) => v.handler === handler && v.metric === 'p95')?.value;

describe('Faults during a run (each keeps results, verdicts and baseline, and says what happened)', function () {
  this.timeout(120_000);
  let dir: string;
  let folder: Folder;
  let baseline: Buffer;

  before(async function () {
    this.timeout(60_000);
    await fixtureFolder();
    dir = makeFaultFolder();
    baseline = readFileSync(path.join(dir, 'perf/baseline.json'));
    folder = (await addWorkspaceFolder(dir, 'faults')) as Folder;
    assert.equal(folder.error, undefined);
    assert.deepEqual(verdictLines(folder).sort(), VERDICTS);
  });

  afterEach(async function () {
    this.timeout(30_000);
    await runnerIdle(30_000);
    if (folder.removed) return;
    resetResults(dir);
    await vscode.commands.executeCommand(COMMANDS.rereadResults);
    assert.equal(folder.error, undefined, 'the results read again after the test');
  });

  after(async () => {
    await removeWorkspaceFolder(dir);
    rmSync(dir, { recursive: true, force: true });
  });

  /** The state a fault must leave alone: verdicts with their values, and the baseline's bytes. */
  const snapshot = () => ({ verdicts: JSON.stringify(folder.model?.results), readAt: folder.model?.readAt.getTime() });
  const assertBaselineUntouched = () => assert.deepEqual(readFileSync(path.join(dir, 'perf/baseline.json')), baseline, 'the baseline file changed');

  it('a benchmark that exits 0 but writes no result file: the previous results stay (marked stale), no run is kept, the user is told', async () => {
    const before = snapshot();
    const log = await logFromNow();
    await vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: folder.folder.uri.toString(), benchmark: 'nothing' });
    assert.ok(
      log().includes('warn Perf Budgets: benchmark "nothing" finished but wrote no result file (perf/results/c.jtl). The previous results are kept.'),
      JSON.stringify(log()),
    );
    assert.equal(JSON.stringify(folder.model?.results), before.verdicts);
    assert.equal(folder.staleReason, 'benchmark "nothing" finished but wrote no result file (perf/results/c.jtl); these are the previous results');
    assert.deepEqual(runFiles(dir), [], 'a run that wrote nothing is not kept in the run history');
    assertBaselineUntouched();
  });

  it('a half-written result file (cut mid-line): one error naming the file and line; the previous results stay', async () => {
    const before = snapshot();
    const log = await logFromNow();
    await vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: folder.folder.uri.toString(), benchmark: 'half' });
    // 100 rows after the header: the cut row is line 101, "1700000000990,2".
    const error = 'perf/results/d.jtl:101: row has 2 fields, the header has 5 (truncated row?)';
    assert.equal(folder.error?.message, error);
    assert.ok(log().includes(`error Perf Budgets: ${error}. The previous results are kept.`), JSON.stringify(log()));
    assert.equal(JSON.stringify(folder.model?.results), before.verdicts);
    assert.deepEqual(runFiles(dir), []);
    assertBaselineUntouched();
  });

  it('a benchmark that exits non-zero, and one that times out: the previous results stay, the user is told which and why', async () => {
    const before = snapshot();
    const log = await logFromNow();
    await vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: folder.folder.uri.toString(), benchmark: 'fails' });
    assert.ok(log().includes('warn Perf Budgets: benchmark "fails" failed with exit code 3. The previous results are kept.'), JSON.stringify(log()));
    await vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: folder.folder.uri.toString(), benchmark: 'slowpoke' });
    assert.ok(log().includes('warn Perf Budgets: benchmark "slowpoke" timed out after 1.5 s. The previous results are kept.'), JSON.stringify(log()));
    assert.equal(folder.staleReason, 'the last run of "slowpoke" timed out after 1.5 s; these are the previous results');
    assert.equal(JSON.stringify(folder.model?.results), before.verdicts);
    assert.deepEqual(runFiles(dir), []);
    assertBaselineUntouched();
  });

  it('two runs at once: a second run (same benchmark, another one, another folder) is refused, never interleaved; the history holds whole runs', async () => {
    const a = await api();
    const basic = await fixtureFolder();
    const log = await logFromNow();
    const uri = folder.folder.uri.toString();
    assert.ok((p95(folder, 'GET /a') ?? 0) < 30, 'GET /a starts at 20..29 ms');
    const first = vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: uri, benchmark: 'a' });
    await waitFor('the first run to start', () => a.runner.running);
    // The first run writes its results 1.5 s after it starts: these all come while it runs.
    await vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: uri, benchmark: 'a' });
    await vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: uri, benchmark: 'b' });
    await vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: basic.folder.uri.toString(), benchmark: 'wrk' });
    assert.ok(a.runner.running, 'the first run is still going');
    const refusal = 'warn Perf Budgets: a benchmark run is already in progress; wait for it or cancel it.';
    assert.equal(log().filter((l) => l === refusal).length, 3, JSON.stringify(log()));
    await first;
    assert.ok((p95(folder, 'GET /a') ?? 0) >= 40, `GET /a after the run: ${p95(folder, 'GET /a')}`);
    assert.ok((p95(folder, 'GET /b') ?? 100) < 30, 'b did not run');
    // Then b on its own: two runs kept, each a whole JSON file naming its one benchmark.
    await vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: uri, benchmark: 'b' });
    const runs = runFiles(dir);
    assert.equal(runs.length, 2, JSON.stringify(runs));
    const kept = runs.map((f) => JSON.parse(readFileSync(path.join(dir, '.perf-budgets/runs', f), 'utf8')) as { run: { benchmarks: string[] } });
    assert.deepEqual(kept.map((r) => r.run.benchmarks), [['a'], ['b']]);
    assert.deepEqual(readdirSync(path.join(dir, '.perf-budgets/runs')).filter((f) => !f.endsWith('.json')), [], 'no temp files left');
    assert.deepEqual(verdictLines(basic), BASIC, 'the other folder is untouched');
    assertBaselineUntouched();
    rmSync(path.join(dir, '.perf-budgets'), { recursive: true, force: true });
  });

  it('the workspace folder is removed while its benchmark runs: the run stops, nothing is kept, the user is told, other folders untouched', async () => {
    const a = await api();
    const basic = await fixtureFolder();
    const basicBefore = JSON.stringify(basic.model?.results);
    const aBefore = readFileSync(path.join(dir, 'perf/results/a.jtl'));
    const log = await logFromNow();
    const run = vscode.commands.executeCommand(COMMANDS.runBenchmark, { folder: folder.folder.uri.toString(), benchmark: 'long' });
    await waitFor('the run to start', () => a.runner.running);
    await waitFor('the task to start', () => vscode.tasks.taskExecutions.some((e) => e.task.name === 'long'), 10_000);
    const removedAt = Date.now();
    await removeWorkspaceFolder(dir);
    await run; // resolves: no exception escapes
    await runnerIdle(20_000);
    await waitFor('the task to be terminated', () => !vscode.tasks.taskExecutions.some((e) => e.task.name === 'long'), 15_000);
    assert.ok(Date.now() - removedAt < 15_000, `the task ran ${Date.now() - removedAt} ms after the removal (it sleeps 60 s)`);
    assert.ok(folder.removed, 'the folder was disposed');
    assert.ok(!a.registry.all().includes(folder), 'the registry no longer holds it');
    assert.ok(
      log().includes('warn Perf Budgets: benchmark "long" was stopped: its workspace folder was removed (faults); nothing was read or kept from the run.'),
      JSON.stringify(log()),
    );
    assert.deepEqual(runFiles(dir), []);
    assert.deepEqual(readFileSync(path.join(dir, 'perf/results/a.jtl')), aBefore);
    assert.equal(JSON.stringify(basic.model?.results), basicBefore, 'the other folder is untouched');
    assertBaselineUntouched();
  });
});

describe('Removing a workspace folder (no run)', function () {
  this.timeout(60_000);

  it('disposes its watchers, Problems and Testing entries; its files are no longer read', async () => {
    const a = await api();
    const dir = makeFaultFolder();
    try {
      const folder = (await addWorkspaceFolder(dir, 'removable')) as Folder;
      const config = vscode.Uri.file(path.join(dir, 'perf-budgets.json'));
      const inFolder = (uri: string | null) => !!uri && uri.startsWith(folder.folder.uri.toString());
      // Its budgets have no handler in code: each gets a warning in its perf-budgets.json, and a test item.
      await waitFor('Problems in its perf-budgets.json', () => vscode.languages.getDiagnostics(config).length > 0);
      await waitFor('its Testing items', () => a.tests.snapshot().some((t) => inFolder(t.uri)));
      const log = await logFromNow();
      await removeWorkspaceFolder(dir);
      await waitFor('the folder to leave the registry', () => !a.registry.all().includes(folder));
      assert.ok(folder.removed);
      await waitFor('its Problems cleared', () => vscode.languages.getDiagnostics(config).length === 0);
      await waitFor('its Testing items gone', () => !a.tests.snapshot().some((t) => inFolder(t.uri)));
      assert.ok(log().includes('info removable: no longer in the workspace (or its perf-budgets.json is gone); its results are no longer shown'), JSON.stringify(log()));
      // A change on disk in the removed folder is not read: no watcher is left.
      writeFileSync(path.join(dir, 'perf/results/a.jtl'), jtl('a', 90));
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual(
        log().filter((l) => l.includes('removable')),
        ['info removable: no longer in the workspace (or its perf-budgets.json is gone); its results are no longer shown'],
        'nothing read after the removal',
      );
      assert.deepEqual(verdictLines(await fixtureFolder()), BASIC);
    } finally {
      await removeWorkspaceFolder(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('A long read of a big result file', function () {
  this.timeout(180_000);

  it('shows a cancellable progress notification; cancelling stops the worker and keeps the previous results', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pb-bigread-'));
    const big = path.join(dir, 'perf/results/big.jtl');
    try {
      mkdirSync(path.dirname(big), { recursive: true });
      writeFileSync(
        path.join(dir, 'perf-budgets.json'),
        JSON.stringify({ benchmarks: { big: { command: 'true', results: 'perf/results/big.jtl', format: 'jmeter' } }, budgets: { 'GET /big': { p95: '100ms' } } }),
      );
      writeFileSync(big, jtl('big', 20));
      const folder = (await addWorkspaceFolder(dir, 'bigread')) as Folder;
      assert.deepEqual(verdictLines(folder), ['GET /big p95 pass']);
      const before = { results: JSON.stringify(folder.model?.results), readAt: folder.model?.readAt.getTime() };

      // Just under 400 MB (shown as "400 MB"), written aside.
      const size = writeBigJtl(`${big}.tmp`, 400_000_000);
      assert.equal(statSync(`${big}.tmp`).size, size);
      assert.ok(size > 399_999_900, `${size} bytes`);
      const messages: string[] = [];
      const sub = folder.onDidShowReadProgress((m) => messages.push(m));
      const log = await logFromNow();
      try {
        // In place at once (a rename), then Re-read Results, as a user would after a download.
        renameSync(`${big}.tmp`, big);
        const reread = vscode.commands.executeCommand(COMMANDS.rereadResults);
        await waitFor('a progress message with bytes read', () => messages.some((m) => /— [1-9]/.test(m)), 60_000);
        // Before the first file starts (config, globs) it says "Reading results…"; then which file, how far and how fast.
        for (const m of messages) assert.match(m, /^Reading (results…|perf\/results\/big\.jtl — \d+(\.\d+)? (B|kB|MB) of 400 MB( · \d+(\.\d+)? (B|kB|MB|GB)\/s)?)$/);
        // The rename is also seen by the file watcher, which asks for a re-read after a short delay;
        // when that request is made during the read (as here), the cancel must still stick.
        folder.schedule('a change seen during the read');
        assert.ok(folder.cancelRead(), 'a read was in progress');
        await reread;
        const shown = messages.length;
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(messages.length, shown, 'no progress after the cancel: the worker was stopped, and no read started again');
        assert.ok(
          log().includes('debug bigread: not re-reading (a change seen during the read): reading perf/results/big.jtl was cancelled; these are the previous results'),
          JSON.stringify(log()),
        );
      } finally {
        sub.dispose();
      }
      assert.ok(log().includes('warn bigread: reading perf/results/big.jtl was cancelled; the previous results are kept'), JSON.stringify(log()));
      assert.ok(log().includes('info Perf Budgets (bigread): reading perf/results/big.jtl was cancelled. The previous results are kept.'), JSON.stringify(log()));
      assert.equal(folder.error, undefined, 'a cancel is not an error');
      assert.equal(folder.model?.readAt.getTime(), before.readAt);
      assert.equal(JSON.stringify(folder.model?.results), before.results);
      assert.equal(folder.staleReason, 'reading perf/results/big.jtl was cancelled; these are the previous results');
    } finally {
      await removeWorkspaceFolder(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
