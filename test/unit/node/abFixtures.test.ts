import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Series } from '../../../src/core/series';
import { abVerdicts } from '../../../src/node/abVerdicts';
import { summarizeFile } from '../../../src/node/summarizeFile';
import { loadConfigFile } from '../../../src/node/workspaceFiles';
import { FIXTURES } from '../helpers';

/**
 * The real A/A and A/B runs of the local A/B check (test/fixtures/local-ab/{aa,ab}, made by
 * make.ts — see COMMANDS.md): every run's HdrHistogram log, read again and re-evaluated without
 * any network, gives the verdicts report.json recorded; A/A: no handler regressed; A/B (GET
 * /api/slow sleeping 26 ms instead of 20 ms, 30% more): no other handler regressed, and the slow
 * one is flagged — or, when the runs' spread hid 30% (the committed runs were made on a 2-CPU VM
 * at a load average of 14–22), reported inconclusive with a minimum detectable change above 30%.
 */
interface Recorded {
  threshold: number;
  alpha: number;
  runs: { a: number; b: number };
  files: Array<{ side: 'A' | 'B'; run: number; files: string[] }>;
  handlers: Array<{ handler: string; verdict: string; ratio: number; ratioCi: [number, number]; pValue: number; aRuns: number[]; bRuns: number[] }>;
}

async function reevaluate(which: 'aa' | 'ab') {
  const dir = path.join(FIXTURES, 'local-ab', which);
  const recorded = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Recorded;
  const loaded = loadConfigFile(path.join(dir, 'perf-budgets.json'), (abs) => path.relative(dir, abs));
  const side = async (s: 'A' | 'B'): Promise<Series[][]> => {
    const runs: Series[][] = [];
    for (const f of recorded.files.filter((x) => x.side === s).sort((x, y) => x.run - y.run)) {
      const series: Series[] = [];
      for (const file of f.files) series.push(...(await summarizeFile(path.join(dir, file), { displayName: file })));
      runs.push(series);
    }
    return runs;
  };
  const handlers = abVerdicts(loaded.config.budgets, await side('A'), await side('B'), { threshold: loaded.config.regressionThreshold, alpha: recorded.alpha });
  return { recorded, handlers };
}

describe('real local A/B runs (test/fixtures/local-ab)', () => {
  for (const which of ['aa', 'ab'] as const) {
    it(`${which}: the committed per-run logs give the recorded verdicts again`, async function () {
      if (!existsSync(path.join(FIXTURES, 'local-ab', which, 'report.json'))) this.skip();
      const { recorded, handlers } = await reevaluate(which);
      assert.equal(handlers.length, 3);
      for (const h of handlers) {
        const r = recorded.handlers.find((x) => x.handler === h.handler)!;
        assert.equal(h.verdict, r.verdict, h.handler);
        assert.deepEqual(h.aRuns, r.aRuns, h.handler);
        assert.deepEqual(h.bRuns, r.bRuns, h.handler);
        assert.equal(h.pValue, r.pValue, h.handler);
        assert.equal(h.aRuns.length, recorded.runs.a);
      }
    });
  }

  it('A/A (the same build twice): no handler regressed', async () => {
    const { handlers } = await reevaluate('aa');
    assert.deepEqual(
      handlers.filter((h) => h.verdict === 'regressed').map((h) => h.handler),
      [],
    );
  });

  it('A/B (GET /api/slow sleeps 26 ms instead of 20 ms): no other handler regressed; the slow one regressed, or is inconclusive with a minimum detectable change above 30%', async () => {
    const { handlers } = await reevaluate('ab');
    assert.deepEqual(
      handlers.filter((h) => h.verdict === 'regressed' && h.handler !== 'GET /api/slow').map((h) => h.handler),
      [],
    );
    const slow = handlers.find((h) => h.handler === 'GET /api/slow')!;
    // The sleep is 30% longer; the p95 carries the same added delays on both sides, so its ratio
    // is at most 1.3 and above 1; the interval holds 1.3.
    assert.ok(slow.ratio! > 1 && slow.ratio! <= 1.3, `ratio ${slow.ratio}`);
    assert.ok(slow.ratioCi![0] <= 1.3 && slow.ratioCi![1] >= 1.3, `CI ${slow.ratioCi}`);
    // The check never claims what it could not see: not decided means the runs could not detect 30%.
    if (slow.verdict !== 'regressed') {
      assert.equal(slow.verdict, 'inconclusive');
      assert.ok(slow.minDetectable > 0.3, `min detectable ${slow.minDetectable}`);
    }
  });
});
