import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { percentileOf } from '../../src/core/series';
import { FIXTURES, readFixture } from './helpers';

/**
 * Every real tool output under test/fixtures/<tool>/ is read through format detection and
 * compared with that folder's expected.json: the answers computed independently from the raw
 * rows (nearest rank, in Python) or printed by the tool itself.
 * Exact series must match exactly; histogram series within 0.1%.
 */
interface Expected {
  files: Record<string, { format: string; series: Array<{ name: string; count: number; errors: number | null; exact: boolean; latencyMs: Record<string, number | null> }> }>;
}

const PCT: Record<string, number> = { p50: 50, p90: 90, p95: 95, p99: 99, max: 100 };

describe('real tool outputs (test/fixtures/*/expected.json)', () => {
  for (const tool of readdirSync(FIXTURES).sort()) {
    const dir = path.join(FIXTURES, tool);
    const expectedFile = path.join(dir, 'expected.json');
    if (!statSync(dir).isDirectory() || !safeExists(expectedFile)) continue;
    const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as Expected;
    describe(tool, () => {
      for (const [file, want] of Object.entries(expected.files)) {
        it(`${file} (${want.format})`, async () => {
          const series = await readFixture(path.join(dir, file));
          assert.equal(series[0]?.format, want.format, 'detected format');
          assert.deepEqual(series.map((s) => s.name).sort(), want.series.map((s) => s.name).sort(), 'series names');
          for (const w of want.series) {
            const s = series.find((x) => x.name === w.name)!;
            assert.equal(s.count, w.count, `${w.name} count`);
            assert.equal(s.errors, w.errors, `${w.name} errors`);
            assert.equal(s.exact, w.exact, `${w.name} exact`);
            for (const [key, value] of Object.entries(w.latencyMs)) {
              const got = percentileOf(s, PCT[key]!);
              if (value === null) {
                assert.equal(got, null, `${w.name} ${key} must be absent, not invented`);
                continue;
              }
              assert.ok(got !== null, `${w.name} ${key} missing`);
              const tol = w.exact ? 1e-9 : 0.001;
              assert.ok(Math.abs(got - value) <= tol * Math.abs(value) + 1e-12, `${w.name} ${key}: got ${got}, want ${value}`);
            }
          }
        });
      }
    });
  }
});

function safeExists(f: string): boolean {
  try {
    return statSync(f).isFile();
  } catch {
    return false;
  }
}
