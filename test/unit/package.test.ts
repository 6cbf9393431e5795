// What the VSIX holds: `vsce ls --no-dependencies` (the file list `npm run package` packs, from
// .vscodeignore) is exactly what the extension uses at run time and the Marketplace page needs.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { builtFile, BUILD_TIMEOUT_MS, ROOT } from './helpers';

const VSCE = path.join(ROOT, 'node_modules/@vscode/vsce/vsce');
const filesIn = (dir: string) => (existsSync(path.join(ROOT, dir)) ? readdirSync(path.join(ROOT, dir)).map((f) => `${dir}/${f}`) : []);

describe('the VSIX (vsce ls)', function () {
  this.timeout(BUILD_TIMEOUT_MS + 120_000); // vsce reads the whole tree; the build runs first when dist/ is missing

  let listed: string[] = [];
  before(async function () {
    if (!existsSync(VSCE)) {
      console.log('    NOTICE: @vscode/vsce is not installed (run `npm ci`): the VSIX contents are not checked');
      this.skip();
    }
    // vsce lists only files that exist: build the bundles the manifest names when they are missing.
    for (const f of ['dist/extension.js', 'dist/cli.js', 'dist/worker.js', 'dist/panelWorker.js', 'dist/discoveryWorker.js', 'dist/httpbench.js', 'media/panel.js', 'media/perf-budgets.schema.json']) builtFile(f);
    const { stdout } = await promisify(execFile)(process.execPath, [VSCE, 'ls', '--no-dependencies'], { cwd: ROOT, maxBuffer: 16 << 20 });
    listed = stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  });

  it('lists exactly the bundles, the run-time media, the manifest and its strings, README, LICENSE and CHANGELOG', () => {
    const expected = [
      'package.json',
      'package.nls.json',
      'README.md',
      'LICENSE',
      'CHANGELOG.md',
      'dist/extension.js',
      'dist/cli.js',
      'dist/worker.js',
      'dist/panelWorker.js',
      'dist/discoveryWorker.js',
      'dist/httpbench.js',
      'media/panel.js',
      'media/panel.css',
      'media/perf-budgets.schema.json',
      'media/icon.png',
      ...filesIn('media/icons'),
      ...filesIn('media/walkthrough'),
      ...filesIn('l10n'),
    ];
    assert.deepEqual([...listed].sort(), [...expected].sort());
  });

  it('ships no tests, sources, examples, README screenshots, source maps or build output', () => {
    const unwanted = listed.filter((f) => /^(test|src|examples|out|node_modules|media\/screenshots|\.vscode-test|test-results)\//.test(f) || /\.(map|ts|mts|vsix)$/.test(f) || f === 'media/icon.svg');
    assert.deepEqual(unwanted, []);
    // The icons and walkthrough images the manifest and code name are really there.
    assert.ok(listed.includes('media/icons/pass.svg'));
    assert.equal(listed.filter((f) => f.startsWith('media/walkthrough/')).length, 5);
  });
});
