import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { serializeBaseline } from '../../../src/core/baseline/baselineFile';
import type { Series } from '../../../src/core/series';
import { expandResults } from '../../../src/node/resultFiles';
import { RUN_HISTORY_DIR, withRepeatedRuns } from '../../../src/node/runHistory';
import { summarizeFile } from '../../../src/node/read/summarizeFile';
import { type LoadedConfig, loadBaseline, loadConfigFile } from '../../../src/node/workspaceFiles';
import { oneLineInputError, strangerWorkspace } from './strangerWorkspace';

/**
 * Issue #13, B: the config, the working-tree baseline, run-history files and result files are
 * read in Restricted Mode too. A stranger's repository must not make those reads hang (a FIFO)
 * or eat memory (a symlink to /dev/zero), nor read files outside the workspace through a link.
 */

const META = { createdAt: '2024-05-01T08:00:00.000Z', commit: null, tool: 'test', machine: { cpu: 'cpu', cores: 2, os: 'linux', fingerprint: 'abc' } };
const SERIES: Series[] = [
  { name: 'GET /a', format: 'wrk', source: 'a.txt', count: 100, errors: 0, durationSec: 10, throughputPerSec: 10, exact: true, histogram: null, percentiles: { '50': 5, '95': 10 }, minMs: 1, maxMs: 20, meanMs: 5 },
];
const HEY = 'response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n0.0100,0,0,0,0.0098,0,200,0.0001\n';
/** How long a refusal may take: no read of gigabytes, no wait on a FIFO. */
const QUICK_MS = 2000;
const HAS_MKFIFO = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).error === undefined;

describe('whole-file reads refuse devices, FIFOs, links out and huge files (#13)', function () {
  this.timeout(60_000);
  const dirs = strangerWorkspace('pb-devr-');
  const stops: Array<() => void> = [];
  beforeEach(() => {
    mkdirSync(path.join(dirs.ws, 'perf'));
    writeFileSync(path.join(dirs.ws, 'perf-budgets.json'), JSON.stringify({ budgets: {}, benchmarks: { api: { command: 'true', results: ['perf/*.csv'] } } }));
  });
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
  });

  const show = (abs: string) => path.relative(dirs.ws, abs).split(path.sep).join('/') || abs;
  const load = async (): Promise<LoadedConfig> => loadConfigFile(path.join(dirs.ws, 'perf-budgets.json'), show);
  const fifo = (rel: string) => {
    const file = path.join(dirs.ws, rel);
    spawnSync('mkfifo', [file], { stdio: 'inherit' });
    // A reader blocked on the FIFO is let go after a while (EOF), so code that waits on it fails
    // the time limit instead of hanging the test run.
    const p = spawn('sh', ['-c', 'sleep 5; : > "$1"', 'sh', file], { stdio: 'ignore' });
    stops.push(() => p.kill('SIGKILL'));
    return file;
  };
  /** Rejects within QUICK_MS with a one-line InputError naming `file` whose message matches. */
  const refusesQuickly = async (work: () => Promise<unknown>, file: string, message: RegExp) => {
    const t0 = Date.now();
    await assert.rejects(work(), oneLineInputError(message, file));
    assert.ok(Date.now() - t0 < QUICK_MS, `took ${Date.now() - t0} ms`);
  };

  it('a baseline or config linked to /dev/zero: a one-line error at once (no gigabytes read)', async () => {
    const { ws } = dirs;
    symlinkSync('/dev/zero', path.join(ws, 'perf/baseline.json'));
    const loaded = await load();
    await refusesQuickly(() => loadBaseline(loaded, { kind: 'working-tree' }), 'perf/baseline.json', /^perf\/baseline\.json: leads outside the workspace folder .*; not read$/);
    rmSync(path.join(ws, 'perf-budgets.json'));
    symlinkSync('/dev/zero', path.join(ws, 'perf-budgets.json'));
    await refusesQuickly(load, 'perf-budgets.json', /^perf-budgets\.json: leads outside the workspace folder .*; not read$/);
  });

  it('a FIFO as baseline, config, result file or run-history file: refused, never waited on', async function () {
    const { ws } = dirs;
    if (!HAS_MKFIFO) {
      console.log('    (skipped: mkfifo is not installed; install it with: apt-get install -y coreutils)');
      this.skip();
    }
    fifo('perf/baseline.json');
    const loaded = await load();
    await refusesQuickly(() => loadBaseline(loaded, { kind: 'working-tree' }), 'perf/baseline.json', /^perf\/baseline\.json: not a regular file \(a FIFO\); not read$/);

    // Result files: the glob does not return one, and a FIFO swapped in after the glob is not waited on.
    writeFileSync(path.join(ws, 'perf/ok.csv'), HEY);
    const results = fifo('perf/later.csv');
    symlinkSync('later.csv', path.join(ws, 'perf/link.csv'));
    assert.deepEqual((await expandResults(['perf/*.csv'], ws)).map(show), ['perf/ok.csv']);
    await refusesQuickly(() => summarizeFile(results, { displayName: 'perf/later.csv' }), 'perf/later.csv', /^perf\/later\.csv: not a regular file \(a FIFO\)/);
    await refusesQuickly(() => summarizeFile(results, { displayName: 'perf/later.csv', mainThread: true }), 'perf/later.csv', /not a regular file \(a FIFO\)/);

    // Run history: a FIFO named like a run is skipped at once.
    mkdirSync(path.join(ws, RUN_HISTORY_DIR), { recursive: true });
    fifo(path.join(RUN_HISTORY_DIR, '2024-05-01T08-00-00-000Z.json'));
    const t0 = Date.now();
    assert.deepEqual(withRepeatedRuns(ws, SERIES), SERIES);
    assert.ok(Date.now() - t0 < QUICK_MS, `run history took ${Date.now() - t0} ms`);

    rmSync(path.join(ws, 'perf-budgets.json'));
    fifo('perf-budgets.json');
    await refusesQuickly(load, 'perf-budgets.json', /^perf-budgets\.json: not a regular file \(a FIFO\); not read$/);
  });

  it('a baseline or config linked to a file outside the workspace is refused; a link inside is followed', async () => {
    const { ws, victim } = dirs;
    writeFileSync(path.join(victim, 'secret.json'), serializeBaseline(SERIES, META));
    symlinkSync(path.join(victim, 'secret.json'), path.join(ws, 'perf/baseline.json'));
    const loaded = await load();
    await refusesQuickly(() => loadBaseline(loaded, { kind: 'working-tree' }), 'perf/baseline.json', /^perf\/baseline\.json: leads outside the workspace folder.*; not read$/);
    // A folder on the way linked out: the same.
    rmSync(path.join(ws, 'perf'), { recursive: true });
    symlinkSync(victim, path.join(ws, 'perf'));
    writeFileSync(path.join(victim, 'baseline.json'), serializeBaseline(SERIES, META));
    await refusesQuickly(() => loadBaseline(loaded, { kind: 'working-tree' }), 'perf-budgets.json', /baseline path "perf\/baseline\.json" leads outside the workspace folder/);
    rmSync(path.join(ws, 'perf'));
    mkdirSync(path.join(ws, 'perf'));
    writeFileSync(path.join(ws, 'perf/real.json'), serializeBaseline(SERIES, META));
    symlinkSync('real.json', path.join(ws, 'perf/baseline.json'));
    assert.deepEqual((await loadBaseline(loaded, { kind: 'working-tree' }))!.series.map((s) => s.name), ['GET /a']);

    const config = path.join(ws, 'perf-budgets.json');
    writeFileSync(path.join(victim, 'perf-budgets.json'), JSON.stringify({ budgets: {} }));
    rmSync(config);
    symlinkSync(path.join(victim, 'perf-budgets.json'), config);
    await refusesQuickly(load, 'perf-budgets.json', /^perf-budgets\.json: leads outside the workspace folder.*; not read$/);
  });

  it('a baseline over 16 MiB is refused without being read; a normal one is read exactly', async () => {
    const { ws } = dirs;
    const file = path.join(ws, 'perf/baseline.json');
    writeFileSync(file, '');
    truncateSync(file, 16 * 1024 * 1024 + 1); // sparse: no disk used
    const loaded = await load();
    await refusesQuickly(() => loadBaseline(loaded, { kind: 'working-tree' }), 'perf/baseline.json', /^perf\/baseline\.json: larger than 16 MiB \(16777217 bytes\); not read$/);
    writeFileSync(file, serializeBaseline(SERIES, META));
    const b = await loadBaseline(loaded, { kind: 'working-tree' });
    assert.deepEqual(b!.series.map((s) => [s.name, s.count]), [['GET /a', 100]]);
  });
});
