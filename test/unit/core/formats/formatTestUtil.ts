import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { bytesOf } from '../../../../src/core/formats/lines';
import type { Reader } from '../../../../src/core/formats/reader';
import { percentileOf, type Series } from '../../../../src/core/series';
import { FIXTURES, readFixture, within } from '../../helpers';

/** Reads text with the reader itself (no wrapping by readSeries), in 7-byte chunks. */
export function readWith(reader: Reader, content: string, fileName = 'run.txt'): Promise<Series[]> {
  return reader.read(bytesOf(content, 7), { fileName });
}

/** Asserts the reader throws an InputError (not a TypeError) whose message starts with the file name and matches. */
export async function rejectsInput(reader: Reader, content: string, fileName: string, message: RegExp, line?: number): Promise<void> {
  await assert.rejects(readWith(reader, content, fileName), (e: unknown) => {
    assertInputError(e, fileName, message, line);
    assert.ok((e as InputError).message.startsWith(fileName), `message names the file: ${(e as InputError).message}`);
    return true;
  });
}

/** Asserts `p` rejects with an InputError (not a TypeError) whose message names the file, matches and, given `line`, is at that line. */
export async function rejectsWithInputError(p: Promise<unknown>, fileName: string, message: RegExp, line?: number): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assertInputError(e, fileName, message, line);
    return true;
  });
}

function assertInputError(e: unknown, fileName: string, message: RegExp, line: number | undefined): asserts e is InputError {
  assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
  assert.ok(e.message.includes(fileName), e.message);
  if (line !== undefined) assert.equal(e.line, line, `line of ${e.message}`);
  assert.match(e.message, message);
}

/** The series called `name`, failing with the names there are. */
export function seriesNamed(series: Series[], name: string): Series {
  const s = series.find((x) => x.name === name);
  assert.ok(s, `no series ${name} in ${series.map((x) => x.name).join(', ')}`);
  return s;
}

interface Expected {
  files: Record<string, { format: string; series: Array<{ name: string; count: number | null; errors: number | null; exact: boolean; latencyMs: Record<'p50' | 'p90' | 'p95' | 'p99' | 'max', number | null> }> }>;
}

/**
 * Checks every file of test/fixtures/<tool>/expected.json (committed, so never skipped) that
 * `accept` keeps: the series' names, format, count, errors, exact, p50–p99 and max. Values of
 * exact series within 1e-9 of the expected, of the others within `rel` (HdrHistogram: 0.1%;
 * Prometheus: float noise only); max both as maxMs and as percentileOf(s, 100).
 */
export function fixtureSuite(tool: string, accept: (format: string) => boolean, rel = 1e-3): void {
  const dir = path.join(FIXTURES, tool);
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;
  const files = Object.entries(expected.files).filter(([, want]) => accept(want.format));
  describe(`real ${tool} fixtures (test/fixtures/${tool}/expected.json)`, () => {
    it('expected.json lists files of this format', () => assert.ok(files.length > 0, `no file of test/fixtures/${tool}/expected.json is accepted`));
    for (const [file, want] of files) {
      it(file, async () => {
        const got = await readFixture(path.join(dir, file));
        assert.deepEqual(
          got.map((s) => s.name).sort(),
          want.series.map((w) => w.name).sort(),
          'series names',
        );
        for (const w of want.series) {
          const s = seriesNamed(got, w.name);
          assert.equal(s.format, want.format);
          if (w.count !== null) assert.equal(s.count, w.count, `${w.name} count`);
          assert.equal(s.errors, w.errors, `${w.name} errors`);
          assert.equal(s.exact, w.exact, `${w.name} exact`);
          const tolerance = w.exact ? 1e-9 : rel;
          const ps: Array<[keyof typeof w.latencyMs, number]> = [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99]];
          for (const [k, p] of ps) {
            const v = w.latencyMs[k];
            const actual = percentileOf(s, p);
            if (v === null) assert.equal(actual, null, `${w.name} ${k} absent`);
            else assert.ok(within(actual, v, tolerance), `${w.name} ${k}: ${actual} vs ${v}`);
          }
          const mx = w.latencyMs.max;
          if (mx === null) assert.equal(s.maxMs, null, `${w.name} max absent`);
          else {
            assert.ok(within(s.maxMs, mx, tolerance), `${w.name} max: ${s.maxMs} vs ${mx}`);
            assert.ok(within(percentileOf(s, 100), mx, tolerance), `${w.name} p100: ${percentileOf(s, 100)} vs ${mx}`);
          }
        }
      });
    }
  });
}
