// Bundles the extension-host suite into out/test/integration/ (CommonJS, `vscode` external,
// mocha bundled in) so it runs in any extension host without tsx. Each test/integration/*.test.ts
// becomes one file; index.js loads them all.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUT_DIR = path.join(REPO, 'out/test/integration');

export async function buildSuite() {
  const dir = path.join(REPO, 'test/integration');
  const tests = readdirSync(dir).filter((f) => f.endsWith('.test.ts'));
  rmSync(OUT_DIR, { recursive: true, force: true });
  await esbuild.build({
    absWorkingDir: REPO,
    entryPoints: ['index.ts', ...tests].map((f) => path.join(dir, f)),
    outdir: OUT_DIR,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    // mocha's package entry is ESM re-exporting lib/mocha.cjs; bundle the CommonJS build itself.
    alias: { mocha: './node_modules/mocha/lib/mocha.cjs' },
    sourcemap: 'inline',
    logLevel: 'error',
  });
  return { index: path.join(OUT_DIR, 'index.js'), tests: tests.length };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const r = await buildSuite();
  console.log(`built ${r.tests} integration test file(s) into ${path.relative(REPO, OUT_DIR)}`);
}
