import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
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

/** Asserts the reader throws an InputError (not a TypeError) whose message matches. */
export async function rejectsInput(reader: Reader, content: string, fileName: string, message: RegExp, line?: number): Promise<void> {
  await assert.rejects(readWith(reader, content, fileName), (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.match(e.message, message);
    assert.ok(e.message.startsWith(fileName), `message names the file: ${e.message}`);
    if (line !== undefined) assert.equal(e.line, line, `line of ${e.message}`);
    return true;
  });
}

interface Expected {
  files: Record<string, { format: string; series: Array<{ name: string; count: number | null; errors: number | null; exact: boolean; latencyMs: Record<'p50' | 'p90' | 'p95' | 'p99' | 'max', number | null> }> }>;
}

/** Checks every file of test/fixtures/<tool>/expected.json that `accept` keeps (skips when absent). */
/** `rel`: tolerance for exact=false series (HdrHistogram: 0.1%; Prometheus: float noise only). */
export function fixtureSuite(tool: string, accept: (format: string) => boolean, rel = 1e-3): void {
  const dir = path.join(FIXTURES, tool);
  const exp = path.join(dir, 'expected.json');
  if (!existsSync(exp)) return;
  const expected = JSON.parse(readFileSync(exp, 'utf8')) as Expected;
  describe(`real ${tool} fixtures (test/fixtures/${tool}/expected.json)`, () => {
    for (const [file, want] of Object.entries(expected.files)) {
      if (!accept(want.format)) continue;
      it(file, async () => {
        const got = await readFixture(path.join(dir, file));
        assert.equal(got.length, want.series.length, 'series count');
        for (const w of want.series) {
          const s = got.find((x) => x.name === w.name);
          assert.ok(s, `series ${w.name} in ${got.map((x) => x.name).join(', ')}`);
          assert.equal(s.format, want.format);
          if (w.count !== null) assert.equal(s.count, w.count, `${w.name} count`);
          assert.equal(s.errors, w.errors, `${w.name} errors`);
          assert.equal(s.exact, w.exact, `${w.name} exact`);
          const ps: Array<[keyof typeof w.latencyMs, number]> = [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99]];
          for (const [k, p] of ps) {
            const v = w.latencyMs[k];
            const actual = percentileOf(s, p);
            if (v === null) assert.equal(actual, null, `${w.name} ${k} absent`);
            else if (w.exact) assert.ok(Math.abs((actual ?? NaN) - v) <= 1e-9 * Math.max(1, v), `${w.name} ${k}: ${actual} vs ${v}`);
            else assert.ok(within(actual, v, rel), `${w.name} ${k}: ${actual} vs ${v}`);
          }
          const mx = w.latencyMs.max;
          if (mx === null) assert.equal(s.maxMs, null, `${w.name} max absent`);
          else assert.ok(Math.abs((s.maxMs ?? NaN) - mx) <= (w.exact ? 1e-9 : rel) * Math.max(1, mx), `${w.name} max: ${s.maxMs} vs ${mx}`);
        }
      });
    }
  });
}
