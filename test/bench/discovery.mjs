// Handler discovery at monorepo scale (issue #19 item 7): a generated 20,000-file tree in a temp
// dir, scanned the way the extension host scans a workspace folder (discoverRoutes: worker
// threads, minified files skipped), beside ripgrep searching the same files for route-shaped
// patterns, with the longest event-loop stall of the scanning thread. The tree holds:
// - real route files: every source file of test/fixtures/discovery, test/fixtures/workspaces and
//   examples/, copied under services/svc-N/ many times;
// - real JS/TS that defines no route: this repository's node_modules (up to 2 MB a file, .d.ts
//   left out, as the editor's glob does), copied under vendor-N/ with "node_modules" renamed (the
//   editor excludes node_modules; a monorepo's own packages are not excluded);
// - the real minified and bundled files that node_modules holds (*.min.js, Vite assets, UMD builds).
// Targets: scan <= 3x ripgrep, longest stall < 50 ms. The pre-filter's exactness is checked on
// every file of the tree (no file ruled out that the full analysis keeps). The tree is deleted after.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleBenchEntry } from './bundle.mjs';

const FILES = 20_000;
const ROUTE_COPIES = 20;
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const RATIO_TARGET = 3;
const STALL_TARGET_MS = 50;
const RUNS = 3;
const SOURCE = /\.(?:[cm]?[jt]sx?|py|go|java|kts?|rs|erl)$/;
/** What ripgrep looks for: calls and decorators that routes are written with. */
const RG_PATTERN = String.raw`\.(get|post|put|patch|delete|all|use|route|register|on)\s*[(<]|@(Get|Post|Put|Patch|Delete|Controller|RequestMapping|GetMapping|PostMapping)\b|@\w+\.(get|post|route)\(|HandleFunc\(`;
const RG_GLOBS = ['*.{js,jsx,mjs,cjs,ts,tsx,mts,cts,py,go,java,kt,kts,rs,erl}', '!*.d.ts', '!*.d.mts', '!*.d.cts'];

export async function discoveryBench({ root, tmp }) {
  const work = mkdtempSync(path.join(tmp ?? tmpdir(), 'pb-discovery-'));
  try {
    // The entry and the worker side by side, as dist/extension.js and dist/discoveryWorker.js are.
    const bin = path.join(work, 'bin');
    await bundleBenchEntry(root, 'test/bench/discoveryEntry.ts', path.join(bin, 'bench-discovery.js'));
    await bundleBenchEntry(root, 'src/node/discoveryWorker.ts', path.join(bin, 'discoveryWorker.js'));
    const tree = path.join(work, 'tree');
    const made = makeTree(root, tree);
    const entry = path.join(bin, 'bench-discovery.js');
    const run = (...args) => JSON.parse(execFileSync(process.execPath, [entry, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    const rg = rgRuns(tree);
    const load = loadavg().map((x) => x.toFixed(2)).join(' ');
    const scans = Array.from({ length: RUNS }, () => run('scan', tree));
    const inThread = run('scan', tree, '0');
    const exact = run('exact', tree);
    const best = scans.reduce((a, b) => (b.listMs + b.scanMs < a.listMs + a.scanMs ? b : a));
    const worstStall = Math.max(...scans.map((s) => s.maxStallMs));
    const ours = best.listMs + best.scanMs;
    const failures = [];
    if (rg && ours > RATIO_TARGET * rg.bestMs) failures.push(`scan ${(ours / rg.bestMs).toFixed(1)}x ripgrep`);
    if (worstStall >= STALL_TARGET_MS) failures.push(`longest stall ${worstStall.toFixed(0)} ms`);
    if (exact.misses.length > 0) failures.push(`pre-filter ruled out ${exact.misses.length} files with routes: ${exact.misses.slice(0, 3).join(', ')}`);
    if (best.routes < ROUTE_COPIES) failures.push(`only ${best.routes} routes found`);
    if (best.routes !== inThread.routes || best.routeFiles !== inThread.routeFiles) failures.push(`worker threads found ${best.routes} routes in ${best.routeFiles} files, the calling thread ${inThread.routes} in ${inThread.routeFiles}`);
    return { made, rg, scans, best, worstStall, inThread, exact, load, loadAfter: loadavg().map((x) => x.toFixed(2)).join(' '), failures };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Copies route files and node_modules sources into `tree` up to FILES files; returns the counts. */
function makeTree(root, tree) {
  const routeSources = ['test/fixtures/discovery', 'test/fixtures/workspaces', 'examples'].flatMap((d) => sourcesUnder(path.join(root, d), root));
  const modules = sourcesUnder(path.join(root, 'node_modules'), root).filter((f) => f.size <= MAX_FILE_BYTES);
  let files = 0;
  let bytes = 0;
  const copy = (from, to) => {
    mkdirSync(path.dirname(to), { recursive: true });
    copyFileSync(from, to);
    files++;
    bytes += statSync(to).size;
  };
  for (let k = 0; k < ROUTE_COPIES; k++) for (const f of routeSources) copy(f.abs, path.join(tree, 'services', `svc-${k}`, f.rel));
  const routeFiles = files;
  for (let k = 0; files < FILES && modules.length > 0; k++) {
    for (const f of modules) {
      if (files >= FILES) break;
      copy(f.abs, path.join(tree, `vendor-${k}`, f.rel.replace(/(^|\/)node_modules(?=\/)/g, '$1nm')));
    }
  }
  return { files, bytes, routeSources: routeSources.length, routeFiles, moduleFiles: modules.length };
}

/** Source files under `dir` (not .d.ts, not in a nested node_modules unless dir is one), relative to root. */
function sourcesUnder(dir, root) {
  const out = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !SOURCE.test(e.name) || /\.d\.[cm]?ts$/.test(e.name)) continue;
    const abs = path.join(e.parentPath, e.name);
    const rel = path.relative(root, abs).split(path.sep).join('/');
    if (!dir.endsWith('node_modules') && rel.includes('/node_modules/')) continue;
    out.push({ abs, rel, size: statSync(abs).size });
  }
  return out;
}

/** ripgrep over the same files, best of RUNS (null when rg is not installed). */
function rgRuns(tree) {
  if (spawnSync('rg', ['--version'], { stdio: 'ignore' }).error) return null;
  const args = ['--no-ignore', '--hidden', '-c', '--max-filesize', '2M', ...RG_GLOBS.flatMap((g) => ['-g', g]), '-e', RG_PATTERN, tree];
  const times = [];
  let matched = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync('rg', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
    times.push(performance.now() - t0);
    if (r.status !== 0 && r.status !== 1) throw new Error(`rg failed: ${r.stderr}`);
    matched = r.stdout.split('\n').filter(Boolean).length;
  }
  return { bestMs: Math.min(...times), times, matchedFiles: matched };
}

export function printDiscoveryBench(r) {
  const ours = r.best.listMs + r.best.scanMs;
  const skipped = Object.entries(r.best.skipped).map(([k, n]) => `${n} ${k}`).join(', ') || 'none';
  console.log('');
  console.log(`Handler discovery (issue #19 item 7): ${r.made.files} files, ${(r.made.bytes / 1e6).toFixed(0)} MB (${r.made.routeFiles} route files: ${r.made.routeSources} fixtures x ${ROUTE_COPIES}; the rest from node_modules), load average ${r.load} -> ${r.loadAfter}`);
  if (r.rg) console.log(`  ripgrep, route-shaped patterns:  best ${r.rg.bestMs.toFixed(0)} ms of ${r.rg.times.length} (${r.rg.matchedFiles} files match)`);
  else console.log('  ripgrep: not installed, column skipped (install it with: sudo apt-get install -y ripgrep)');
  const ratio = r.rg ? ours / r.rg.bestMs : null;
  console.log(`  our scan (worker threads, the extension's path): best ${ours.toFixed(0)} ms of ${r.scans.length} (listing ${r.best.listMs.toFixed(0)} + scan ${r.best.scanMs.toFixed(0)})${ratio === null ? '' : `, ${ratio.toFixed(1)}x ripgrep  target <= ${RATIO_TARGET}x  ${ratio <= RATIO_TARGET ? 'PASS' : 'MISS'}`}`);
  console.log(`    ${r.best.routes} routes in ${r.best.routeFiles} files; skipped as minified or bundled: ${skipped}`);
  console.log(`  longest event-loop stall of the scanning thread: ${r.worstStall.toFixed(1)} ms (worst of ${r.scans.length} runs; p99 ${r.best.p99StallMs.toFixed(1)} ms)  target < ${STALL_TARGET_MS} ms  ${r.worstStall < STALL_TARGET_MS ? 'PASS' : 'MISS'}`);
  console.log(`  for contrast, on the calling thread (the fallback): ${(r.inThread.listMs + r.inThread.scanMs).toFixed(0)} ms, longest stall ${r.inThread.maxStallMs.toFixed(1)} ms`);
  console.log(`  pre-filter exactness on every file: ${r.exact.ruledOut} ruled out without analysis, ${r.exact.kept} kept by the full analysis, ${r.exact.misses.length} ruled out that it keeps  ${r.exact.misses.length === 0 ? 'PASS' : 'MISS'}`);
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) {
  const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
  const r = await discoveryBench({ root });
  printDiscoveryBench(r);
  if (r.failures.length) process.exitCode = 1;
}
