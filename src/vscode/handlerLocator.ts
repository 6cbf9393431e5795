import * as path from 'node:path';
import * as vscode from 'vscode';
import { EditedRegions } from '../core/editedRegions';
import { withoutBom } from '../core/utf8';
import type { HandlerSource } from '../core/baseline/baselineFile';
import { handlerCode, nextPlacedLine } from '../core/discovery/handlerSpan';
import { findSymbol, matchBudgets, RouteIndex, ROUTE_SOURCE_EXTENSIONS, symbolModuleFile, type BudgetLocations, type RouteDefinition } from '../core/discovery';
import { discoverRoutes, indexSource } from '../node/discoverRoutes';
import { readSmallFile } from '../node/safeFs';
import type { BudgetsRegistry } from './budgetsRegistry';
import { Disposable } from './dispose';
import type { FolderBudgets } from './folderBudgets';

/** A budget placed at a line of code. */
export interface PlacedHandler {
  handler: string;
  uri: vscode.Uri;
  /** 0-based. */
  line: number;
  column: number;
}

const MAX_FILES = 20_000;
const MAX_FILE_BYTES = 2 * 1024 * 1024;
const ALWAYS_EXCLUDED = ['**/node_modules/**', '**/.git/**', '**/.perf-budgets/**'];

/**
 * Finds each budget's handler in code, statically: an index of routes per source file, built
 * once with workspace.findFiles (honouring files.exclude and search.exclude) and then updated
 * incrementally from file events and unsaved edits.
 */
export class HandlerLocator extends Disposable {
  private readonly indexes = new Map<string, RouteIndex>();
  private readonly scanning = new Map<string, Promise<void>>();
  private readonly placements = new Map<string, BudgetLocations[]>();
  private readonly symbolFiles = new Map<string, string>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private editTimer: NodeJS.Timeout | undefined;
  private readonly pendingEdits = new Map<string, vscode.TextDocument>();
  private readonly edits = new Map<string, EditedRegions>();

  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    const glob = `**/*.{${ROUTE_SOURCE_EXTENSIONS.join(',')}}`;
    const watcher = this.register(vscode.workspace.createFileSystemWatcher(glob));
    this.register(watcher.onDidChange((u) => void this.rescanFile(u)));
    this.register(watcher.onDidCreate((u) => void this.rescanFile(u)));
    this.register(watcher.onDidDelete((u) => this.forget(u)));
    this.register(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length === 0 || !this.indexFor(e.document.uri)) return;
        const key = e.document.uri.toString();
        const regions = this.edits.get(key) ?? new EditedRegions();
        const now = Date.now();
        for (const c of e.contentChanges) regions.apply(c.range.start.line, c.range.end.line, c.text.split('\n').length - 1, now);
        this.edits.set(key, regions);
        this.pendingEdits.set(e.document.uri.toString(), e.document);
        if (this.editTimer) clearTimeout(this.editTimer);
        this.editTimer = setTimeout(() => this.applyEdits(), 250);
      }),
    );
    this.register(registry.onDidChange(() => this.invalidate()));
    this.register({ dispose: () => this.editTimer && clearTimeout(this.editTimer) });
  }

  /** Budgets of a folder with their locations (and candidates when unmatched); scans on first use. */
  async locate(folder: FolderBudgets): Promise<BudgetLocations[]> {
    await this.ensureScanned(folder.folder);
    const key = folder.folder.uri.toString();
    const cached = this.placements.get(key);
    if (cached) return cached;
    const budgets = folder.config?.config.budgets ?? [];
    await this.prefetchSymbolFiles(folder, budgets);
    const index = this.indexes.get(key)!;
    const root = folder.folder.uri.fsPath;
    const result = matchBudgets(budgets, index.all(), (file, symbol) => {
      const content = this.symbolFiles.get(path.join(root, file));
      return content === undefined ? null : findSymbol(file, content, symbol);
    });
    this.placements.set(key, result);
    return result;
  }

  /**
   * The code of each placed handler of a folder (its first location) as it is now, hashed: what
   * a run records as its provenance (open documents as edited, other files as on disk).
   */
  async sources(folder: FolderBudgets): Promise<Record<string, HandlerSource>> {
    const placements = await this.locate(folder);
    const root = folder.folder.uri.fsPath;
    const byFile = new Map<string, Array<{ handler: string; line: number }>>();
    for (const p of placements) {
      const loc = p.locations[0];
      if (!loc) continue;
      const list = byFile.get(loc.file) ?? [];
      list.push({ handler: p.handler, line: loc.line });
      byFile.set(loc.file, list);
    }
    const out: Record<string, HandlerSource> = {};
    for (const [file, handlers] of byFile) {
      const uri = vscode.Uri.file(path.join(root, file));
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const text = open ? open.getText() : await readText(uri, root);
      if (text === undefined) continue;
      for (const h of handlers) {
        const code = handlerCode(file, text, h.line, nextPlacedLine(placements, file, h.line));
        out[h.handler] = { file, line: code.start + 1, lines: code.end - code.start + 1, hash: code.hash };
      }
    }
    return out;
  }

  /** True when lines `from`..`to` (0-based, inclusive) of a file were edited in this session after `since` (epoch ms). */
  editedSince(uri: vscode.Uri, from: number, to: number, since: number): boolean {
    return this.edits.get(uri.toString())?.editedSince(from, to, since) ?? false;
  }

  /** The placed handlers in one file. */
  async inFile(uri: vscode.Uri): Promise<PlacedHandler[]> {
    const folder = this.registry.forUri(uri);
    if (!folder) return [];
    const rel = relative(folder.folder, uri);
    return (await this.locate(folder)).flatMap((b) =>
      b.locations.filter((l) => l.file === rel).map((l) => ({ handler: b.handler, uri, line: l.line, column: l.column })),
    );
  }

  /**
   * The routes discovered in one file (with or without a budget), by line; scans the file's
   * workspace folder on first use, whether or not it has a perf-budgets.json.
   */
  async routesInFile(uri: vscode.Uri): Promise<RouteDefinition[]> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder || folder.uri.scheme !== 'file') return [];
    await this.ensureScanned(folder);
    return [...(this.indexes.get(folder.uri.toString())?.routesIn(relative(folder, uri)) ?? [])];
  }

  private indexFor(uri: vscode.Uri): RouteIndex | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.indexes.get(folder.uri.toString()) : undefined;
  }

  private invalidate(): void {
    this.placements.clear();
    this.symbolFiles.clear();
    this.changed.fire();
  }

  private ensureScanned(folder: vscode.WorkspaceFolder): Promise<void> {
    const key = folder.uri.toString();
    let p = this.scanning.get(key);
    if (!p) {
      p = this.scanFolder(folder);
      this.scanning.set(key, p);
    }
    return p;
  }

  private async scanFolder(folder: vscode.WorkspaceFolder): Promise<void> {
    const index = new RouteIndex();
    this.indexes.set(folder.uri.toString(), index);
    const started = Date.now();
    const include = new vscode.RelativePattern(folder, `**/*.{${ROUTE_SOURCE_EXTENSIONS.join(',')}}`);
    const files = await vscode.workspace.findFiles(include, userExcludes(folder), MAX_FILES);
    const byPath = new Map(files.map((uri) => [uri.fsPath, uri]));
    const scan = await discoverRoutes(
      index,
      files.map((uri) => ({ abs: uri.fsPath, rel: relative(folder, uri) })),
      // Worker threads read local files; other file systems are read through VS Code, here.
      { root: null, maxBytes: MAX_FILE_BYTES, ...(folder.uri.scheme === 'file' ? {} : { read: (f) => readText(byPath.get(f.abs)!, null) }) },
    );
    const where = scan.inWorkers ? 'in worker threads' : 'on the extension host';
    this.log.info(`${folder.name}: found ${index.all().length} routes in ${index.fileCount} of ${files.length} source files (${Date.now() - started} ms, ${where})`);
    const skipped = scan.skipped.summary();
    if (skipped) this.log.info(`${folder.name}: ${skipped}`);
  }

  private async rescanFile(uri: vscode.Uri): Promise<void> {
    const index = this.indexFor(uri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!index || !folder || isExcludedPath(uri)) return;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const text = open ? open.getText() : await readText(uri, null);
    if (text === undefined) return;
    if (indexSource(index, relative(folder, uri), text)) this.invalidate();
  }

  private forget(uri: vscode.Uri): void {
    const index = this.indexFor(uri);
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (index && folder && index.remove(relative(folder, uri))) this.invalidate();
  }

  private applyEdits(): void {
    let any = false;
    for (const doc of this.pendingEdits.values()) {
      const index = this.indexFor(doc.uri);
      const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
      if (index && folder && !isExcludedPath(doc.uri)) any = indexSource(index, relative(folder, doc.uri), doc.getText()) || any;
    }
    this.pendingEdits.clear();
    if (any) this.invalidate();
  }

  /** Reads the files that `at: "path#symbol"` and cowboy-style symbols name, for the resolver. */
  private async prefetchSymbolFiles(folder: FolderBudgets, budgets: ReadonlyArray<{ at?: string }>): Promise<void> {
    const root = folder.folder.uri.fsPath;
    const wanted = new Set<string>();
    for (const b of budgets) {
      const m = b.at ? /^(.*)#[^#]+$/.exec(b.at) : null;
      if (m?.[1]) wanted.add(m[1]);
    }
    const index = this.indexes.get(folder.folder.uri.toString());
    for (const r of index?.all() ?? []) {
      const mod = r.symbol ? symbolModuleFile(r.symbol) : null;
      if (!mod) continue;
      const found = await vscode.workspace.findFiles(new vscode.RelativePattern(folder.folder, `**/${mod}`), '**/node_modules/**', 1);
      if (found[0]) wanted.add(relative(folder.folder, found[0]));
    }
    for (const rel of wanted) {
      const abs = path.resolve(root, rel);
      if (!abs.startsWith(root + path.sep) || this.symbolFiles.has(abs)) continue;
      const text = await readText(vscode.Uri.file(abs), root);
      if (text !== undefined) this.symbolFiles.set(abs, text);
    }
  }
}

function relative(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  return path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
}

function isExcludedPath(uri: vscode.Uri): boolean {
  return /[\\/](node_modules|\.git|\.perf-budgets)[\\/]/.test(uri.fsPath);
}

/** files.exclude and search.exclude (the globs set to true), plus dependency folders. */
function userExcludes(folder: vscode.WorkspaceFolder): string {
  const globs = new Set(ALWAYS_EXCLUDED);
  for (const section of ['files.exclude', 'search.exclude']) {
    const map = vscode.workspace.getConfiguration(undefined, folder).get<Record<string, unknown>>(section) ?? {};
    for (const [glob, on] of Object.entries(map)) if (on === true) globs.add(glob);
  }
  // A glob with braces of its own cannot nest inside the group: those few are left out.
  return `{${[...globs].filter((g) => !/[{}]/.test(g)).join(',')}}`;
}

/**
 * A source file's text, or undefined when it cannot or must not be read: over MAX_FILE_BYTES or,
 * on disk, not a regular file (a workspace's file must not make the extension wait on a FIFO or
 * read a device). With `root`, also a file whose real path leaves that folder (the files `"at"`
 * names); the scan passes null, so sources linked in from outside the folder are still indexed.
 */
async function readText(uri: vscode.Uri, root: string | null): Promise<string | undefined> {
  try {
    // As TextDecoder below (and an open document), without a byte order mark.
    if (uri.scheme === 'file') return withoutBom(await readSmallFile(uri.fsPath, { root, maxBytes: MAX_FILE_BYTES }));
    const stat = await vscode.workspace.fs.stat(uri);
    if (stat.size > MAX_FILE_BYTES) return undefined;
    return new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}
