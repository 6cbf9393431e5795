/**
 * Handler discovery over a generated tree, as the extension host scans a workspace folder
 * (bundled by discovery.mjs beside a bundle of src/node/discoveryWorker.ts, as dist/ has them).
 * Prints JSON. Modes:
 * - `scan TREE [workers]`: lists the source files (the editor's findFiles), then discoverRoutes
 *   into a RouteIndex with the extension's options, its event loop watched;
 * - `exact TREE`: the pre-filter against the full analysis on every file (misses must be 0).
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeFileFully, languageOf } from '../../src/core/discovery/findRoutes';
import { mayDefineRoutes } from '../../src/core/discovery/mayDefineRoutes';
import { RouteIndex } from '../../src/core/discovery/routeIndex';
import { discoverRoutes, type SourceFile } from '../../src/node/discoverRoutes';
import { readSmallFileSync } from '../../src/node/safeFs';
import { watchEventLoop } from './eventLoopWatch';

const MAX_FILE_BYTES = 2 * 1024 * 1024;

function list(tree: string): SourceFile[] {
  const out: SourceFile[] = [];
  for (const e of readdirSync(tree, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || !languageOf(e.name)) continue;
    const abs = path.join(e.parentPath, e.name);
    out.push({ abs, rel: path.relative(tree, abs).split(path.sep).join('/') });
  }
  return out;
}

async function scan(tree: string, workers: number | undefined): Promise<unknown> {
  const t0 = performance.now();
  const files = list(tree);
  const listMs = performance.now() - t0;
  const index = new RouteIndex();
  let summary: Awaited<ReturnType<typeof discoverRoutes>> | undefined;
  const loop = await watchEventLoop(async () => {
    summary = await discoverRoutes(index, files, { root: null, maxBytes: MAX_FILE_BYTES, ...(workers === undefined ? {} : { workers }) });
  }, 5);
  return { files: files.length, listMs, scanMs: loop.ms, maxStallMs: loop.maxStallMs, p99StallMs: loop.p99StallMs, routes: index.all().length, routeFiles: index.fileCount, inWorkers: summary!.inWorkers, skipped: summary!.skipped.toJSON() };
}

function exact(tree: string): unknown {
  let ruledOut = 0;
  let kept = 0;
  const misses: string[] = [];
  for (const f of list(tree)) {
    const lang = languageOf(f.rel)!;
    let text: string;
    try {
      text = readSmallFileSync(f.abs, { root: null, maxBytes: MAX_FILE_BYTES });
    } catch {
      continue;
    }
    const facts = analyzeFileFully(f.rel, lang, text);
    const keeps = facts.routes.length > 0 || facts.mounts.length > 0 || facts.globalPrefix !== null;
    if (keeps) kept++;
    if (mayDefineRoutes(f.rel, lang, text)) continue;
    ruledOut++;
    if (keeps) misses.push(f.rel);
  }
  return { ruledOut, kept, misses };
}

const [mode, tree, workers] = process.argv.slice(2);
(async () => {
  const out = mode === 'exact' ? exact(tree!) : await scan(tree!, workers === undefined ? undefined : Number(workers));
  process.stdout.write(`${JSON.stringify(out)}\n`);
})().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
