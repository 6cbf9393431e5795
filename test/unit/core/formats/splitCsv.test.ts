import assert from 'node:assert/strict';
import fc from 'fast-check';
import { splitCsv } from '../../../../src/core/formats/lines';

/** The character-by-character splitter splitCsv replaced: the reference for the property. */
function reference(line: string, sep = ','): string[] {
  if (!line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === sep) {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

describe('splitCsv', () => {
  it('splits exactly like the character-by-character reference (property, seeded)', () => {
    const line = fc.array(fc.constantFrom('a', 'bc', ',', '"', '""', '\t', ';', '|', 'é', ' ', '😀'), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(line, fc.constantFrom(',', '\t', ';', '|'), (l, sep) => assert.deepEqual(splitCsv(l, sep), reference(l, sep))),
      { numRuns: 20_000, seed: 7 },
    );
    assert.deepEqual(splitCsv('a,"b,""c""",d'), ['a', 'b,"c"', 'd']);
  });

  it('a 10 MB quoted field: one pass, not ten million string appends (the fuzzer\'s 10 MB lines took seconds and ~400 MB)', () => {
    const big = `x,"${'a'.repeat(10 << 20)}",y`;
    const t0 = performance.now();
    const f = splitCsv(big);
    const ms = performance.now() - t0;
    assert.deepEqual([f.length, f[0], f[1]!.length, f[2]], [3, 'x', 10 << 20, 'y']);
    assert.ok(ms < 500, `${ms.toFixed(0)} ms`);
  });
});
