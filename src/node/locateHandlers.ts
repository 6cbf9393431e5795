/**
 * locateHandlers(root, budgets): where each budget's handler is in code, for the CLI (GitHub
 * annotations on the handler's line), by the same discovery the editor runs (src/core/discovery:
 * route templates, mounts, `at`). It walks the folder like set-up does (walkFolder: bounded, no
 * symlink out of the folder, dependencies and build output skipped) and scans source files with
 * discoverRoutes (safe readers, generated code skipped, worker threads). It only reads: no process
 * is started.
 */
import * as path from 'node:path';
import type { Budget } from '../core/config/parseConfig';
import { findSymbol, matchBudgets, RouteIndex, ROUTE_SOURCE_EXTENSIONS, symbolModuleFile } from '../core/discovery';
import type { Location } from '../core/discovery';
import { handlerSpan, nextPlacedLine } from '../core/discovery/handlerSpan';
import { withoutBom } from '../core/utf8';
import { discoverRoutes } from './discoverRoutes';
import { MAX_SOURCE_BYTES } from './init/planSetup';
import { walkFolder, type WalkedFile } from './init/walkFolder';
import { readSmallFile } from './safeFs';

const SOURCE_EXT = new Set(ROUTE_SOURCE_EXTENSIONS);

/** Handler (budget key) -> its first location in code, and its code's lines (1-based, handlerSpan); budgets without one are absent. */
export type HandlerLocations = Map<string, Location & { start: number; end: number }>;

export async function locateHandlers(root: string, budgets: readonly Budget[], options: { signal?: AbortSignal } = {}): Promise<HandlerLocations> {
  const walk = await walkFolder(root, options.signal ? { signal: options.signal } : {});
  const read = async (f: WalkedFile): Promise<string | null> => {
    if (f.size > MAX_SOURCE_BYTES) return null;
    try {
      return withoutBom(await readSmallFile(f.abs, { root, shown: f.rel, maxBytes: MAX_SOURCE_BYTES }));
    } catch {
      return null;
    }
  };
  const index = new RouteIndex();
  const sources = walk.files.filter((f) => SOURCE_EXT.has(/\.([A-Za-z0-9]+)$/.exec(f.rel)?.[1]?.toLowerCase() ?? '') && f.size <= MAX_SOURCE_BYTES);
  await discoverRoutes(index, sources, { root, maxBytes: MAX_SOURCE_BYTES, ...(options.signal ? { signal: options.signal } : {}) });
  // The files `at: "path#symbol"` and cowboy-style symbols ("users_handler:init/2") name.
  const byRel = new Map(walk.files.map((f) => [f.rel, f]));
  const wanted = new Set<string>();
  for (const b of budgets) {
    const m = b.at ? /^(.*)#[^#]+$/.exec(b.at) : null;
    if (m?.[1]) wanted.add(path.posix.normalize(m[1]));
  }
  for (const r of index.all()) {
    const mod = r.symbol ? symbolModuleFile(r.symbol) : null;
    const file = mod ? walk.files.find((f) => f.rel === mod || f.rel.endsWith(`/${mod}`)) : undefined;
    if (file) wanted.add(file.rel);
  }
  const symbolFiles = new Map<string, string>();
  for (const rel of wanted) {
    const f = byRel.get(rel);
    const text = f ? await read(f) : null;
    if (text !== null) symbolFiles.set(rel, text);
  }
  const placed = matchBudgets(budgets, index.all(), (file, symbol) => {
    const content = symbolFiles.get(file);
    return content === undefined ? null : findSymbol(file, content, symbol);
  });
  const out: HandlerLocations = new Map();
  const texts = new Map<string, string | null>();
  for (const p of placed) {
    const loc = p.locations[0];
    if (!loc) continue;
    if (!texts.has(loc.file)) texts.set(loc.file, byRel.has(loc.file) ? await read(byRel.get(loc.file)!) : null);
    const text = texts.get(loc.file);
    const span = text ? handlerSpan(loc.file, text, loc.line, nextPlacedLine(placed, loc.file, loc.line)) : { start: loc.line, end: loc.line };
    out.set(p.handler, { ...loc, start: span.start + 1, end: span.end + 1 });
  }
  return out;
}
