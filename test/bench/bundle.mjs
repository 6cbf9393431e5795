// Bundles a bench entry (test/bench/*Entry.ts) into one CommonJS file for Node 20, the way
// esbuild.mjs bundles the CLI: jsonc-parser's ESM build, import.meta.url as the bundle's own URL.
import * as path from 'node:path';
import * as esbuild from 'esbuild';

/** `entry` relative to the repo root `root`; `outfile` absolute. */
export async function bundleBenchEntry(root, entry, outfile) {
  await esbuild.build({
    entryPoints: [path.join(root, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    alias: { 'jsonc-parser': path.join(root, 'node_modules/jsonc-parser/lib/esm/main.js') },
    banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    define: { 'import.meta.url': '__importMetaUrl', __PERF_BUDGETS_VERSION__: '"bench"' },
  });
}
