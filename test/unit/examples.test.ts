// Issue #17: every example runs from a fresh clone by "Run Benchmarks" alone. What that needs of the
// examples' own files, checked here without running anything: no environment variable a user
// would have to set (the e2e suite test/e2e/workspaces.test.ts runs each one from the palette in a
// copy laid out as a clone is: the example, examples/lib beside it, the clone's node_modules above).
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const EXAMPLES = path.resolve(__dirname, '../../examples');
/** Variables a process gets from its platform or from our own runner, never from the user. */
const GIVEN = new Set(['PORT', 'PATH', 'HOME', 'NODE_ENV', 'PYTHONDONTWRITEBYTECODE']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (['node_modules', 'perf', '.perf-budgets', 'ebin', '__pycache__'].includes(name) && statSync(full).isDirectory()) return name === 'perf' ? files(full).filter((f) => !f.includes(`${path.sep}results${path.sep}`)) : [];
    return statSync(full).isDirectory() ? files(full) : /\.(m?js|ts|py|json|erl|sh)$/.test(name) ? [full] : [];
  });
}

describe('examples run from a plain clone', () => {
  it('no example reads an environment variable a user would have to set', () => {
    const found: string[] = [];
    for (const file of files(EXAMPLES)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/process\.env\.([A-Z_][A-Z0-9_]*)|process\.env\[['"]([A-Z_][A-Z0-9_]*)['"]\]|os\.environ(?:\.get)?\(?\[?['"]([A-Z_][A-Z0-9_]*)['"]/g)) {
        const name = m[1] ?? m[2] ?? m[3]!;
        if (!GIVEN.has(name)) found.push(`${path.relative(EXAMPLES, file)}: ${name}`);
      }
    }
    assert.deepEqual(found, []);
  });
});
