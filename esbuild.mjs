// Bundles the extension host entry, the CLI and (later) the webview.
import * as esbuild from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// Some dependencies ship ESM that calls createRequire(import.meta.url); in a CommonJS bundle
// import.meta is empty, so give it the bundle's own URL.
const IMPORT_META_URL = "const __importMetaUrl = require('url').pathToFileURL(__filename).href;";
const NODE_DEFINE = { 'import.meta.url': '__importMetaUrl', __PERF_BUDGETS_VERSION__: JSON.stringify(version) };

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: `#!/usr/bin/env node\n${IMPORT_META_URL}` },
    define: NODE_DEFINE,
  },
];
/** A Node-side entry bundled beside cli.js/extension.js, where the code that starts it finds it. */
const nodeEntry = (entry, outfile) => ({ entryPoints: [entry], outfile, platform: 'node', target: 'node20', format: 'cjs', banner: { js: IMPORT_META_URL }, define: NODE_DEFINE });
// Worker-thread entries: the parallel k6-json/hey-csv scan (src/node/read/scanPool.ts), the
// comparison panel's run history (src/node/panelHistoryReader.ts), handler discovery (src/node/discoverRoutes.ts).
builds.push(nodeEntry('src/node/read/scanWorker.ts', 'dist/worker.js'));
builds.push(nodeEntry('src/node/panelWorker.ts', 'dist/panelWorker.js'));
builds.push(nodeEntry('src/node/discoveryWorker.ts', 'dist/discoveryWorker.js'));
// Child process of the built-in HTTP benchmark (src/node/httpBenchProcess.ts starts it beside
// cli.js/extension.js). autocannon bundles: its CLI-only requires resolve statically, and the
// worker-thread path (lib/manager.js, only with the `workers` option) is never taken.
builds.push({
  ...nodeEntry('src/node/httpBenchMain.ts', 'dist/httpbench.js'),
  // autocannon itself calls hdr-histogram-js's initWebAssemblySync() and builds WebAssembly
  // histograms, so this bundle keeps the real modules (no hdr-histogram-js-only stubs).
  fullHdrHistogramJs: true,
});
if (existsSync('src/vscode/extension.ts')) {
  builds.push({
    entryPoints: ['src/vscode/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode'],
    banner: { js: IMPORT_META_URL },
    define: NODE_DEFINE,
  });
}
if (existsSync('src/webview/main.ts')) {
  builds.push({
    entryPoints: ['src/webview/main.ts'],
    outfile: 'media/panel.js',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  });
}

// hdr-histogram-js: Perf Budgets uses only its JS histograms (LatencyHistogram builds and decodes
// with useWebAssembly: false), and in Node its V2 encoding deflates/inflates with zlib; pako is the
// browser fallback. So its WebAssembly module (with @assemblyscript/loader and the base64 WASM
// binary) and pako are replaced by small stubs in the bundles: ~90 KB less per bundle. A stub that is
// reached anyway throws instead of failing silently. (Unit tests run the real modules.)
const HDR_WASM_STUB = `
const unavailable = () => { throw new Error('hdr-histogram-js WebAssembly is not bundled (Perf Budgets uses JS histograms)'); };
export const webAssemblyAvailable = false;
export const webAssemblyReady = () => false;
export const initWebAssembly = async () => unavailable();
export const initWebAssemblySync = unavailable;
export class WasmHistogram { static build() { unavailable(); } static decode() { unavailable(); } }`;
const PAKO_STUB = `
const unavailable = () => { throw new Error('pako is not bundled: hdr-histogram-js uses node:zlib'); };
export const inflate = unavailable;
export const deflate = unavailable;`;
/** @type {esbuild.Plugin} */
const hdrHistogramJsOnly = {
  name: 'hdr-histogram-js-only',
  setup(build) {
    const fromHdr = (args) => /[\\/]hdr-histogram-js[\\/]dist[\\/]/.test(args.importer);
    build.onResolve({ filter: /^\.\/wasm$/ }, (args) => (fromHdr(args) ? { path: 'wasm', namespace: 'hdr-stub' } : undefined));
    build.onResolve({ filter: /^pako$/ }, (args) => (fromHdr(args) ? { path: 'pako', namespace: 'hdr-stub' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'hdr-stub' }, (args) => ({ contents: args.path === 'wasm' ? HDR_WASM_STUB : PAKO_STUB, loader: 'js' }));
  },
};

const common = {
  // jsonc-parser's UMD build requires files dynamically; its ESM build bundles cleanly.
  alias: { 'jsonc-parser': './node_modules/jsonc-parser/lib/esm/main.js' },
  plugins: [hdrHistogramJsOnly],
  bundle: true, sourcemap: !production, minify: production, logLevel: 'warning' };
/** A build's options: `fullHdrHistogramJs` (ours, not esbuild's) drops the stub plugin. */
function options({ fullHdrHistogramJs, ...b }) {
  return { ...common, ...(fullHdrHistogramJs ? { plugins: [] } : {}), ...b };
}
if (watch) {
  for (const b of builds) await (await esbuild.context(options(b))).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(options(b))));
}

// The JSON Schema of perf-budgets.json, generated from the zod schema (the one source of truth)
// into media/, where package.json's contributes.jsonValidation points.
{
  const out = await esbuild.build({
    entryPoints: ['src/core/config/schema.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, (await import('node:module')).createRequire(import.meta.url));
  const { writeFileSync, mkdirSync } = await import('node:fs');
  mkdirSync('media', { recursive: true });
  writeFileSync('media/perf-budgets.schema.json', `${JSON.stringify(mod.exports.configJsonSchema(), null, 2)}\n`);
}
