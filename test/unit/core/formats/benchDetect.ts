import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeHead, detectFormat } from '../../../../src/core/formats/index';
import type { FormatId } from '../../../../src/core/series';
import { FIXTURES } from '../../helpers';

/**
 * Detection over every committed fixture listed in a test/fixtures/<tool>/expected.json: `id`
 * is detected for exactly the files whose expected format is `id`, and for no other tool's file.
 */
export function detectionSuite(id: FormatId): void {
  describe(`${id} detection over all committed fixtures`, () => {
    const files: Array<{ file: string; format: string }> = [];
    for (const tool of readdirSync(FIXTURES).sort()) {
      const expected = path.join(FIXTURES, tool, 'expected.json');
      if (!existsSync(expected)) continue;
      const doc = JSON.parse(readFileSync(expected, 'utf8')) as { files: Record<string, { format: string }> };
      for (const [f, want] of Object.entries(doc.files)) files.push({ file: path.join(FIXTURES, tool, f), format: want.format });
    }
    it(`claims its own fixtures and no other format's (${files.length} files)`, () => {
      assert.ok(files.some((f) => f.format === id), `no fixture of ${id}`);
      for (const { file, format } of files) {
        const head = decodeHead(readFileSync(file).subarray(0, 64 * 1024));
        let got: string;
        try {
          got = detectFormat(head, path.basename(file));
        } catch {
          got = '(none)';
        }
        if (format === id) assert.equal(got, id, `${path.relative(FIXTURES, file)} detected as ${got}`);
        else assert.notEqual(got, id, `${path.relative(FIXTURES, file)} (${format}) claimed by ${id}`);
      }
    });
  });
}
