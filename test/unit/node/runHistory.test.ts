import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseBaseline } from '../../../src/core/baseline/baselineFile';
import type { Series } from '../../../src/core/series';
import { listRuns, recentRuns, recordRun, RUN_HISTORY_DIR, runThatWrote } from '../../../src/node/runHistory';

const META = { createdAt: '2024-05-01T08:00:00.000Z', commit: null, tool: 'test', machine: { cpu: 'cpu', cores: 2, os: 'linux', fingerprint: 'abc' } };

function series(p95: number): Series[] {
  return [
    { name: 'GET /a', format: 'wrk', source: 'a.txt', count: 100, errors: 1, durationSec: 10, throughputPerSec: 10, exact: true, histogram: null, percentiles: { '50': p95 / 2, '95': p95 }, minMs: 1, maxMs: p95 * 2, meanMs: p95 / 2 },
  ];
}

describe('run history (recordRun)', () => {
  let ws: string;
  beforeEach(() => {
    ws = mkdtempSync(path.join(tmpdir(), 'pb-runs-'));
  });
  afterEach(() => rmSync(ws, { recursive: true, force: true }));

  const at = (minute: number) => new Date(Date.UTC(2024, 4, 1, 8, minute, 0, 0)).toISOString();
  const record = (minute: number, maxRuns: number) =>
    recordRun(ws, { benchmarks: ['api'], startedAt: at(minute), finishedAt: at(minute) }, series(10 + minute), META, maxRuns);

  it('keeps at most maxRuns runs, pruning the oldest first; each run is a readable baseline with its run facts', () => {
    // Recorded out of order: the names (finish times) decide what is oldest.
    for (const minute of [3, 1, 4, 5, 9, 2, 6]) record(minute, 3);
    const runs = listRuns(ws).map((f) => path.basename(f));
    assert.deepEqual(runs, ['2024-05-01T08-05-00-000Z.json', '2024-05-01T08-06-00-000Z.json', '2024-05-01T08-09-00-000Z.json']);
    const last = readFileSync(listRuns(ws)[2]!, 'utf8');
    assert.deepEqual(JSON.parse(last).run, { benchmarks: ['api'], startedAt: at(9), finishedAt: at(9) });
    const b = parseBaseline(last, 'run.json');
    assert.deepEqual(b.series.map((x) => [x.name, x.count]), [['GET /a', 100]]);
  });

  it('runThatWrote: the run that was going on when the results were written, with the commit it recorded then', () => {
    recordRun(ws, { benchmarks: ['api'], startedAt: at(1), finishedAt: at(2) }, series(11), { ...META, commit: 'aaaa' }, 10);
    recordRun(ws, { benchmarks: ['api'], startedAt: at(5), finishedAt: at(7) }, series(12), { ...META, commit: 'bbbb' }, 10);
    const history = recentRuns(ws, 10);
    const ms = (minute: number, s = 0) => Date.UTC(2024, 4, 1, 8, minute, s);
    assert.equal(runThatWrote(history, ms(6))?.meta.commit, 'bbbb');
    assert.equal(runThatWrote(history, ms(1, 30))?.meta.commit, 'aaaa');
    // Written between runs, or after the last one: no run of ours wrote them (files from CI, say).
    assert.equal(runThatWrote(history, ms(3)), undefined);
    assert.equal(runThatWrote(history, ms(9)), undefined);
  });

  it('a lower maxRuns prunes down on the next run; files that are not runs are left alone; no temporary files remain', () => {
    for (let m = 0; m < 6; m++) record(m, 10);
    assert.equal(listRuns(ws).length, 6);
    const dir = path.join(ws, RUN_HISTORY_DIR);
    writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    writeFileSync(path.join(dir, '.hidden.json'), '{}');
    record(30, 2);
    assert.deepEqual(
      listRuns(ws).map((f) => path.basename(f)),
      ['2024-05-01T08-05-00-000Z.json', '2024-05-01T08-30-00-000Z.json'],
    );
    assert.deepEqual(readdirSync(dir).sort(), ['.hidden.json', '2024-05-01T08-05-00-000Z.json', '2024-05-01T08-30-00-000Z.json', 'notes.txt']);
    record(31, 1);
    assert.deepEqual(listRuns(ws).map((f) => path.basename(f)), ['2024-05-01T08-31-00-000Z.json']);
  });
});
