// The one read-and-judge pipeline (src/node/judge.ts): its typed baseline outcome, on real small
// folders and repositories made here — the fallback to the working tree is decided by the git
// failure's reason, never by its words.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { serializeBaseline } from '../../../src/core/baseline/baselineFile';
import { InputError } from '../../../src/core/errors';
import { readAndJudge } from '../../../src/node/judge';
import { readFixture } from '../helpers';

const MACHINE = { cpu: 'Test CPU', cores: 2, os: 'linux x64', fingerprint: 'test00000000' };

/** A k6 NDJSON result of GET /api/items with the given latencies (ms). */
function k6(values: number[]): string {
  return values.map((v, i) => `{"type":"Point","data":{"time":"2026-01-01T00:00:0${i}Z","value":${v},"tags":{"method":"GET","name":"http://127.0.0.1:3000/api/items","status":"200"}},"metric":"http_req_duration"}\n`).join('');
}

async function baselineOf(values: number[]): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-budgets-judge-b-'));
  try {
    writeFileSync(path.join(dir, 'r.json'), k6(values));
    const series = await readFixture(path.join(dir, 'r.json'), 'k6-json');
    return serializeBaseline(series, { createdAt: '2026-01-01T00:00:00.000Z', commit: null, tool: 'test', machine: MACHINE });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A folder with a config, results of 20/30/40 ms, and (optionally) a working-tree baseline. */
async function folder(withBaseline: boolean): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'perf-budgets-judge-'));
  mkdirSync(path.join(dir, 'perf'));
  writeFileSync(path.join(dir, 'perf/results.json'), k6([20, 30, 40]));
  writeFileSync(
    path.join(dir, 'perf-budgets.json'),
    JSON.stringify({ baseline: 'perf/baseline.json', benchmarks: { k6: { command: 'true', results: 'perf/results.json', format: 'k6-json' } }, budgets: { 'GET /api/items': { max: '1s' } } }),
  );
  if (withBaseline) writeFileSync(path.join(dir, 'perf/baseline.json'), await baselineOf([10, 10, 10]));
  return dir;
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
const judge = (dir: string, baseline: Parameters<typeof readAndJudge>[1]['baseline']) =>
  readAndJudge(path.join(dir, 'perf-budgets.json'), { show: (abs) => path.relative(dir, abs) || abs, baseline, results: { mainThread: true } });

describe('the read-and-judge pipeline (judge.ts)', function () {
  this.timeout(30_000);
  const made: string[] = [];
  after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const make = async (withBaseline: boolean) => {
    const d = await folder(withBaseline);
    made.push(d);
    return d;
  };

  it('judges the results against the working-tree baseline, and says which it was', async () => {
    const dir = await make(true);
    const j = await judge(dir, { kind: 'working-tree' });
    assert.equal(j.series.length, 1);
    assert.equal(j.baseline.state, 'loaded');
    assert.deepEqual(j.baseline.state === 'loaded' && { from: j.baseline.from, kind: j.baseline.kind, fellBack: j.baseline.fellBack }, { from: 'perf/baseline.json', kind: 'working-tree', fellBack: undefined });
    const v = j.results[0]!.verdicts[0]!;
    assert.deepEqual([v.metric, v.value, v.baseline, v.status, v.regression], ['max', 40, 10, 'pass', 'regressed']);
  });

  it('a missing baseline file is "absent", not an error; "none" is "not-asked"', async () => {
    const dir = await make(false);
    assert.deepEqual((await judge(dir, { kind: 'working-tree' })).baseline, { state: 'absent', where: 'perf/baseline.json' });
    const none = await judge(dir, { kind: 'none' });
    assert.deepEqual(none.baseline, { state: 'not-asked' });
    assert.equal(none.results[0]!.verdicts[0]!.regression, null);
  });

  it('a ref outside a repository: the working tree with fallback ("not-a-repository"), an InputError without', async () => {
    const dir = await make(true);
    const j = await judge(dir, { kind: 'ref', ref: 'HEAD', fallback: 'working-tree' });
    assert.equal(j.baseline.state === 'loaded' && j.baseline.fellBack, 'not-a-repository');
    await assert.rejects(judge(dir, { kind: 'ref', ref: 'HEAD' }), (e: unknown) => e instanceof InputError && /^HEAD:perf\/baseline\.json: not a git repository/.test(e.message));
  });

  it('a repository before its first commit falls back too ("unknown-ref"); a refused ref never does', async () => {
    const dir = await make(true);
    git(dir, 'init', '-q');
    const j = await judge(dir, { kind: 'ref', ref: 'HEAD', fallback: 'working-tree' });
    assert.equal(j.baseline.state === 'loaded' && j.baseline.fellBack, 'unknown-ref');
    await assert.rejects(judge(dir, { kind: 'ref', ref: ':0', fallback: 'working-tree' }), (e: unknown) => e instanceof InputError && /not a git ref: ":0"/.test(e.message));
  });

  it('HEAD of a repository: the committed baseline, not the working copy; absent at the ref is "absent"', async () => {
    const dir = await make(true);
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'baseline');
    writeFileSync(path.join(dir, 'perf/baseline.json'), await baselineOf([100, 100, 100]));
    const j = await judge(dir, { kind: 'ref', ref: 'HEAD', fallback: 'working-tree' });
    assert.equal(j.baseline.state === 'loaded' && `${j.baseline.kind} ${j.baseline.from}`, 'ref HEAD:perf/baseline.json');
    assert.equal(j.results[0]!.verdicts[0]!.baseline, 10);
    git(dir, 'rm', '-q', '--cached', 'perf/baseline.json');
    git(dir, 'commit', '-q', '-m', 'no baseline');
    const notes: string[] = [];
    const gone = await readAndJudge(path.join(dir, 'perf-budgets.json'), { show: (abs) => path.relative(dir, abs), baseline: { kind: 'ref', ref: 'HEAD' }, onNote: (n) => notes.push(n) });
    assert.deepEqual(gone.baseline, { state: 'absent', where: 'HEAD:perf/baseline.json' });
    assert.deepEqual(notes, ['no baseline at HEAD:perf/baseline.json; comparing with nothing']);
  });

  it('says which series no budget claims and which tie between budgets, from the same evaluation', async () => {
    const dir = await make(false);
    const point = (method: string, url: string, v: number) => `{"type":"Point","data":{"time":"2026-01-01T00:00:00Z","value":${v},"tags":{"method":"${method}","name":"${url}","status":"200"}},"metric":"http_req_duration"}\n`;
    writeFileSync(
      path.join(dir, 'perf/results.json'),
      [point('GET', 'http://127.0.0.1:3000/api/items', 20), point('GET', 'http://127.0.0.1:3000/api/orders/7', 30), point('POST', 'http://127.0.0.1:3000/api/orders', 40), point('GET', 'http://127.0.0.1:3000/health', 1)].join(''),
    );
    writeFileSync(
      path.join(dir, 'perf-budgets.json'),
      JSON.stringify({
        benchmarks: { k6: { command: 'true', results: 'perf/results.json', format: 'k6-json' } },
        budgets: { 'GET /api/items/': { max: '1s' }, 'GET /api/orders/:id': { max: '1s' }, 'GET /api/orders/{order_id}': { max: '1s' } },
      }),
    );
    const j = await judge(dir, { kind: 'none' });
    assert.deepEqual(j.unclaimed, ['GET /health', 'POST /api/orders']);
    assert.deepEqual(j.ambiguous, [{ series: 'GET /api/orders/7', budgets: ['GET /api/orders/:id', 'GET /api/orders/{order_id}'] }]);
    assert.deepEqual(
      j.results.map((r) => [r.budget.handler, r.verdicts[0]!.status, r.verdicts[0]!.series]),
      [
        ['GET /api/items/', 'pass', ['GET /api/items']],
        ['GET /api/orders/:id', 'missing', []],
        ['GET /api/orders/{order_id}', 'missing', []],
      ],
    );
  });
});
