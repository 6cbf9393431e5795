import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Series } from '../../../src/core/series';
import { abVerdicts } from '../../../src/node/abVerdicts';
import { summarizeFile } from '../../../src/node/read/summarizeFile';
import { loadConfigFile } from '../../../src/node/workspaceFiles';
import { FIXTURES } from '../helpers';

/**
 * The real A/A and A/B runs of the local A/B check (test/fixtures/local-ab, made by make.ts — see
 * COMMANDS.md): every run's HdrHistogram log, read again and re-evaluated without any network,
 * gives the verdicts report.json recorded. On the quiet machine (aa/, ab/): A/A, no handler
 * regressed; A/B (GET /api/slow sleeping 26 ms instead of 20 ms, 30% more), exactly that handler
 * regressed with its ratio interval holding 1.3. Under a load average of 13–25 (aa-loaded/,
 * ab-loaded/): no false regression, and the slowed handler inconclusive with a minimum detectable
 * change above 30% — the check does not claim what its runs could not see.
 */
type Which = 'aa' | 'ab' | 'aa-loaded' | 'ab-loaded';
interface Recorded {
  threshold: number;
  alpha: number;
  runs: { a: number; b: number };
  files: Array<{ side: 'A' | 'B'; run: number; files: string[] }>;
  handlers: Array<{ handler: string; verdict: string; ratio: number; ratioCi: [number, number]; pValue: number; aRuns: number[]; bRuns: number[] }>;
}

async function reevaluate(which: Which) {
  const dir = path.join(FIXTURES, 'local-ab', which);
  const recorded = JSON.parse(readFileSync(path.join(dir, 'report.json'), 'utf8')) as Recorded;
  const loaded = await loadConfigFile(path.join(dir, 'perf-budgets.json'), (abs) => path.relative(dir, abs));
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
  for (const which of ['aa', 'ab', 'aa-loaded', 'ab-loaded'] as const) {
    it(`${which}: the committed per-run logs give the recorded verdicts again`, async () => {
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

  it('A/A (the same build twice), quiet and loaded: no handler regressed; quiet: all unchanged after 5 + 5 runs', async () => {
    for (const which of ['aa', 'aa-loaded'] as const) {
      const { handlers } = await reevaluate(which);
      assert.deepEqual(
        handlers.filter((h) => h.verdict === 'regressed').map((h) => h.handler),
        [],
        which,
      );
    }
    const { recorded, handlers } = await reevaluate('aa');
    assert.deepEqual(recorded.runs, { a: 5, b: 5 });
    assert.deepEqual(
      handlers.map((h) => h.verdict),
      ['unchanged', 'unchanged', 'unchanged'],
    );
  });

  it('A/B (GET /api/slow sleeps 26 ms instead of 20 ms), quiet: exactly that handler regressed, its ratio interval holding 1.3, after 5 + 5 runs', async () => {
    const { recorded, handlers } = await reevaluate('ab');
    assert.deepEqual(recorded.runs, { a: 5, b: 5 });
    assert.deepEqual(
      handlers.filter((h) => h.verdict === 'regressed').map((h) => h.handler),
      ['GET /api/slow'],
    );
    const slow = handlers.find((h) => h.handler === 'GET /api/slow')!;
    assert.ok(slow.ratioCi![0] <= 1.3 && slow.ratioCi![1] >= 1.3, `CI ${slow.ratioCi}`);
    // Every B run above every A run: exact p 2/C(10, 5), times 3 handlers (Holm's first step).
    assert.ok(Math.abs(slow.pValue! - 3 * (2 / 252)) < 1e-12, String(slow.pValue));
  });

  it('A/B under load: no other handler regressed; the slowed one inconclusive, its minimum detectable change above 30%, its interval holding 1.3', async () => {
    const { handlers } = await reevaluate('ab-loaded');
    assert.deepEqual(
      handlers.filter((h) => h.verdict === 'regressed').map((h) => h.handler),
      [],
    );
    const slow = handlers.find((h) => h.handler === 'GET /api/slow')!;
    assert.equal(slow.verdict, 'inconclusive');
    assert.ok(slow.minDetectable > 0.3, `min detectable ${slow.minDetectable}`);
    assert.ok(slow.ratio! > 1 && slow.ratioCi![0] <= 1.3 && slow.ratioCi![1] >= 1.3, `ratio ${slow.ratio}, CI ${slow.ratioCi}`);
  });
});
