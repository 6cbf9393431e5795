import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bucketOf, percentileOf, type PeriodSummary } from '../../../../src/core/series';
import { FIXTURES, readFixture } from '../../helpers';
import { seriesNamed } from './formatTestUtil';

/** test/fixtures/locust/expected-more.json, written by expected_more.py beside it. */
interface ExpectedMore {
  files: Record<
    string,
    {
      format: string;
      series: Array<{
        name: string;
        count: number;
        errors: number;
        exact: boolean;
        allRequests: boolean;
        percentiles: Record<string, number>;
        buckets: Record<string, [number, number]>;
        minMs: number | null;
        meanMs: number | null;
        durationSec: number | null;
        throughputPerSec: number | null;
        startedAt?: number;
        periods?: PeriodSummary[];
      }>;
    }
  >;
}

const DIR = path.join(FIXTURES, 'locust');

function near(actual: number | null | undefined, expected: number | null, what: string): void {
  if (expected === null) return assert.equal(actual ?? null, null, what);
  assert.ok(typeof actual === 'number' && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} vs ${expected}`);
}

/** Checks every file of expected-more.json of `format`, read through detection. */
export function expectedMoreSuite(format: string): void {
  const expected = JSON.parse(readFileSync(path.join(DIR, 'expected-more.json'), 'utf8')) as ExpectedMore;
  const files = Object.entries(expected.files).filter(([, f]) => f.format === format);
  describe(`real Locust fixtures (test/fixtures/locust/expected-more.json, ${format})`, () => {
    it('lists files of this format', () => assert.ok(files.length > 0));
    for (const [file, want] of files) {
      it(file, async () => {
        const got = await readFixture(path.join(DIR, file));
        assert.deepEqual(got.map((s) => s.name).sort(), want.series.map((w) => w.name).sort(), 'series names');
        for (const w of want.series) {
          const s = seriesNamed(got, w.name);
          const what = `${file} ${w.name}`;
          assert.equal(s.format, want.format);
          assert.equal(s.count, w.count, `${what} count`);
          assert.equal(s.errors, w.errors, `${what} errors`);
          assert.equal(s.exact, w.exact, `${what} exact`);
          assert.equal(s.allRequests === true, w.allRequests, `${what} allRequests`);
          assert.deepEqual(Object.keys(s.percentiles ?? {}).sort(), Object.keys(w.percentiles).sort(), `${what} percentile keys`);
          for (const [k, v] of Object.entries(w.percentiles)) near(percentileOf(s, Number(k)), v, `${what} p${k}`);
          assert.deepEqual(Object.keys(s.buckets ?? {}).sort(), Object.keys(w.buckets).sort(), `${what} bucket keys`);
          for (const [k, [lo, hi]] of Object.entries(w.buckets)) {
            const b = bucketOf(s, Number(k));
            near(b?.lower, lo, `${what} p${k} lower`);
            near(b?.upper, hi, `${what} p${k} upper`);
            assert.ok(b!.lower <= percentileOf(s, Number(k))! && percentileOf(s, Number(k))! <= b!.upper, `${what} p${k} inside its interval`);
          }
          near(s.minMs, w.minMs, `${what} min`);
          near(s.meanMs, w.meanMs, `${what} mean`);
          near(s.durationSec, w.durationSec, `${what} durationSec`);
          near(s.throughputPerSec, w.throughputPerSec, `${what} throughput`);
          if (w.startedAt !== undefined) near(s.startedAt, w.startedAt, `${what} startedAt`);
          if (w.periods !== undefined) {
            const periods = s.periods ?? [];
            assert.equal(periods.length, w.periods.length, `${what} periods`);
            w.periods.forEach((p, i) => {
              const g = periods[i]!;
              assert.deepEqual([g.startedAt, g.durationSec, g.count, g.errors], [p.startedAt, p.durationSec, p.count, p.errors], `${what} period ${i}`);
              assert.deepEqual(Object.keys(g.percentiles).sort(), Object.keys(p.percentiles).sort(), `${what} period ${i} keys`);
              for (const [k, v] of Object.entries(p.percentiles)) near(g.percentiles[k], v, `${what} period ${i} p${k}`);
            });
          } else assert.equal(s.periods, undefined, `${what} has no periods`);
        }
      });
    }
  });
}
