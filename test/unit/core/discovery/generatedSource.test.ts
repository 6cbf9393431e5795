import { strict as assert } from 'node:assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GeneratedSkips, generatedKind } from '../../../../src/core/discovery/generatedSource';
import { languageOf } from '../../../../src/core/discovery/findRoutes';

const REPO = join(__dirname, '../../../..');
const VENDOR = join(REPO, 'test/fixtures/discovery-generated/vendor');
const read = (file: string): string => readFileSync(file, 'utf8');

describe('discovery: minified and bundled files (generatedKind)', () => {
  it('recognises real minified files: by name, and by their long lines under another name', () => {
    assert.equal(generatedKind('vendor/base64js.min.js', read(join(VENDOR, 'base64js.min.js'))), 'minified name');
    const underscore = read(join(VENDOR, 'underscore-min.js'));
    assert.equal(generatedKind('vendor/underscore-min.js', underscore), 'long lines');
    assert.equal(generatedKind('lib/underscore.js', underscore), 'long lines');
  });

  it('takes no fixture or example source for generated code', () => {
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((e) => {
        const full = join(dir, e);
        if (full === join(REPO, 'test/fixtures/discovery-generated') || e === 'node_modules') return [];
        return statSync(full).isDirectory() ? walk(full) : languageOf(full) ? [full] : [];
      });
    const files = [...walk(join(REPO, 'test/fixtures')), ...walk(join(REPO, 'examples'))];
    assert.ok(files.length > 40);
    for (const f of files) assert.equal(generatedKind(relative(REPO, f), read(f)), null, f);
  });

  it('bundle names and source-map comments count only from their sizes on; TypeScript never', () => {
    const route = read(join(REPO, 'test/fixtures/discovery/express-ts/src/server.ts'));
    const big = (bytes: number): string => route.repeat(Math.ceil(bytes / route.length));
    assert.equal(generatedKind('dist/main.bundle.js', big(70 * 1024)), 'bundle name');
    assert.equal(generatedKind('lib/utilsBundle.js', big(70 * 1024)), 'bundle name');
    assert.equal(generatedKind('dist/main.bundle.js', route), null);
    assert.equal(generatedKind('dist/server.js', `${big(300 * 1024)}\n//# sourceMappingURL=server.js.map\n`), 'source map');
    assert.equal(generatedKind('dist/server.js', big(300 * 1024)), null);
    assert.equal(generatedKind('dist/server.js', `${route}\n//# sourceMappingURL=server.js.map\n`), null);
    assert.equal(generatedKind('src/bundle.ts', big(300 * 1024)), null);
    assert.equal(generatedKind('src/long.ts', 'x'.repeat(20000)), null);
  });

  it('sums skips by kind into one log line', () => {
    const s = new GeneratedSkips();
    assert.equal(s.summary(), null);
    s.add('long lines');
    s.addAll({ 'long lines': 2, 'minified name': 1 });
    assert.equal(s.total, 4);
    assert.equal(s.summary(), 'skipped 4 minified or bundled files (3 long lines, 1 minified name)');
  });
});
