// The CLI's --max-series: a result file with more series than the cap is read up to it, and the
// rest is named on stderr (exit code unchanged); a bad value is a usage error.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { cli } from './run';

/** k6 NDJSON: one http_req_duration point per request, each request to a URL of its own. */
function k6Json(names: number): string {
  const lines: string[] = [];
  for (let i = 0; i < names; i++) {
    const time = new Date(1_714_550_400_000 + i * 1000).toISOString();
    lines.push(`{"type":"Point","data":{"time":"${time}","value":${10 + i},"tags":{"method":"GET","name":"http://127.0.0.1:3000/api/items/${i}","status":"200"}},"metric":"http_req_duration"}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('perf-budgets --max-series', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perf-budgets-maxseries-'));
    writeFileSync(path.join(dir, 'many.json'), k6Json(30));
    writeFileSync(
      path.join(dir, 'perf-budgets.json'),
      JSON.stringify({ benchmarks: { k6: { command: 'true', results: 'many.json', format: 'k6-json' } }, budgets: { 'GET /api/items/0': { p95: '1s' } } }),
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('summarize reads the first N series and says on stderr what it skipped', async () => {
    const r = await cli(['summarize', 'many.json', '--max-series', '10', '--json'], dir);
    assert.equal(r.code, 0, r.stderr);
    const names = (JSON.parse(r.stdout) as { series: Array<{ name: string }> }).series.map((s) => s.name);
    assert.equal(names.length, 10);
    assert.equal(r.stderr, 'perf-budgets: warning: many.json: more than 10 series; read the first 10, skipped 20 more with 20 samples (raise perfBudgets.results.maxSeriesPerFile or --max-series)\n');
  });

  it('check passes the cap to the pipeline; without it all 30 series are read and nothing is said', async () => {
    const capped = await cli(['check', '--max-series', '5'], dir);
    assert.equal(capped.code, 0, capped.stderr);
    assert.match(capped.stderr, /^perf-budgets: warning: many\.json: more than 5 series; read the first 5, skipped 25 more/);
    const whole = await cli(['check'], dir);
    assert.equal(whole.code, 0, whole.stderr);
    assert.doesNotMatch(whole.stderr, /warning/);
  });

  it('run reads each run of a repeat with the same cap, so the runs merge as check reads them', async () => {
    const rep = mkdtempSync(path.join(tmpdir(), 'perf-budgets-maxseries-repeat-'));
    try {
      writeFileSync(path.join(rep, 'many.json'), k6Json(5));
      writeFileSync(
        path.join(rep, 'perf-budgets.json'),
        JSON.stringify({ benchmarks: { k6: { command: 'cp many.json out.json', results: 'out.json', format: 'k6-json', repeat: 2 } }, budgets: { 'GET /api/items/0': { p95: '1s' } } }),
      );
      const run = await cli(['run', '--no-baseline', '--max-series', '3'], rep);
      assert.equal(run.code, 0, run.stderr);
      const update = await cli(['baseline', 'update', '--max-series', '3'], rep);
      assert.equal(update.code, 0, update.stderr);
      const stored = JSON.parse(readFileSync(path.join(rep, 'perf/baseline.json'), 'utf8')).series as Record<string, { count: number; runs?: unknown[] }>;
      assert.equal(Object.keys(stored).length, 3);
      // Both runs, merged: the history held the same 3 series the check read.
      for (const s of Object.values(stored)) assert.deepEqual([s.count, s.runs?.length], [2, 2]);
    } finally {
      rmSync(rep, { recursive: true, force: true });
    }
  });

  it('refuses a value that is not a whole number from 1', async () => {
    for (const bad of ['0', '-3', '2.5', 'lots']) {
      const r = await cli(['summarize', 'many.json', `--max-series=${bad}`], dir);
      assert.equal(r.code, 2, bad);
      assert.match(r.stderr, /^perf-budgets: --max-series must be a whole number from 1 to 1000000/);
    }
  });
});
