import { analyzeFile } from './findRoutes';
import { type FileFacts, type MountFact, emptyFacts, keptByIndex, plainRoute } from './moduleFacts';
import { resolveModule } from './moduleResolution';
import type { FileRoute, RouteDefinition } from './routeDefinition';
import { joinPath, normalizeRoutePath } from './routePath';

/** Mount chains longer than this (or cyclic) stop composing; the rest of the chain is ignored. */
const MAX_DEPTH = 16;
/** At most this many prefixes per router (a router mounted twice at each of many levels). */
const MAX_BASES = 64;

interface Incoming {
  /** The mounting file. */
  file: string;
  mount: MountFact;
  /** Exported name the mount takes from the target, null for every router there. */
  name: string | null;
}

interface Bases {
  /** Prefixes from other files, each with the own prefix it replaces (Flask url_prefix). */
  list: Array<{ ext: string; replaceOwn: string | null }> | null;
  /** A cycle cut the walk: depends on the path taken, not memoized. */
  cut: boolean;
}

/**
 * Routes per file, so an editor re-scans only the files that change, with prefixes applied
 * across files: a router mounted by another module (`app.use('/api', ordersRouter)`,
 * `app.include_router(users.router, prefix='/v1')`, `path('api/', include('shop.urls'))`,
 * Nest `setGlobalPrefix`) is reported under its full mounted paths. Files without routes or
 * mounts are not kept. Paths are workspace-relative with "/" separators (backslashes are
 * converted).
 */
export class RouteIndex {
  /** What each file gives on its own. */
  private readonly facts = new Map<string, FileFacts>();
  /** Routes with their full paths, per file with routes. */
  private readonly resolved = new Map<string, RouteDefinition[]>();
  private readonly mountFiles = new Set<string>();
  private readonly analyze: (relPath: string, content: string) => FileFacts;
  private incomingCache: Map<string, Incoming[]> | null = null;
  private rootsCache = new Map<string, { top: Set<string>; detached: Set<string> }>();
  private globalsCache: string[] | null = null;

  /** A scanner given here only finds routes: no cross-file composition. */
  constructor(scan?: (relPath: string, content: string) => RouteDefinition[]) {
    this.analyze = scan ? (file, content) => emptyFacts(scan(file, content)) : analyzeFile;
  }

  /** Re-scans one file; true when any route's full path changed, in this file or in files it mounts. */
  update(relPath: string, content: string): boolean {
    const file = normalize(relPath);
    return this.apply(file, this.analyze(file, content));
  }

  /** Forgets a deleted file; true when routes changed (its own, or those of files it mounted). */
  remove(relPath: string): boolean {
    return this.apply(normalize(relPath), null);
  }

  routesIn(relPath: string): readonly RouteDefinition[] {
    return this.resolved.get(normalize(relPath)) ?? [];
  }

  /** Every route with its full path, by file then line. */
  all(): FileRoute[] {
    return [...this.resolved.keys()].sort().flatMap((file) => this.resolved.get(file)!.map((r) => ({ ...r, file })));
  }

  /** Files with routes. */
  get fileCount(): number {
    return this.resolved.size;
  }

  clear(): void {
    this.facts.clear();
    this.resolved.clear();
    this.mountFiles.clear();
    this.invalidate();
  }

  private apply(file: string, given: FileFacts | null): boolean {
    const next = given && keptByIndex(given) ? given : null;
    const prev = this.facts.get(file) ?? null;
    if (JSON.stringify(prev) === JSON.stringify(next)) return false;
    const affected = new Set<string>([file]);
    this.addDescendants(file, affected);
    const membership = (prev === null) !== (next === null);
    const before = membership ? this.mountTargets() : null;
    const nest = prev?.globalPrefix != null || next?.globalPrefix != null;

    if (next) this.facts.set(file, next);
    else this.facts.delete(file);
    if (next && next.mounts.length > 0) this.mountFiles.add(file);
    else this.mountFiles.delete(file);
    this.invalidate();

    this.addDescendants(file, affected);
    if (before) {
      // A file appearing or going away can change what other files' imports resolve to.
      const after = this.mountTargets();
      for (const key of new Set([...before.keys(), ...after.keys()])) {
        const a = before.get(key) ?? null;
        const b = after.get(key) ?? null;
        if (a === b) continue;
        for (const t of [a, b]) {
          if (t === null) continue;
          affected.add(t);
          this.addDescendants(t, affected);
        }
      }
    }
    if (nest) for (const [f, facts] of this.facts) if (facts.routes.some((r) => r.framework === 'nestjs')) affected.add(f);
    return this.refresh(affected);
  }

  private invalidate(): void {
    this.incomingCache = null;
    this.rootsCache = new Map();
    this.globalsCache = null;
  }

  private refresh(files: Set<string>): boolean {
    let changed = false;
    const memo = new Map<string, Bases>();
    for (const file of files) {
      const next = this.compose(file, memo);
      const prev = this.resolved.get(file) ?? [];
      if (JSON.stringify(prev) !== JSON.stringify(next)) changed = true;
      if (next.length > 0) this.resolved.set(file, next);
      else this.resolved.delete(file);
    }
    return changed;
  }

  private has = (file: string): boolean => this.facts.has(file);

  private targetOf(file: string, mount: MountFact): { file: string; name: string | null } | null {
    for (const t of mount.targets) {
      const target = resolveModule(file, t.spec, this.has);
      if (target !== null) return { file: target, name: t.name };
    }
    return null;
  }

  /** Every mount's resolved target file, keyed by mounting file and index. */
  private mountTargets(): Map<string, string | null> {
    const out = new Map<string, string | null>();
    for (const file of this.mountFiles) {
      this.facts.get(file)!.mounts.forEach((m, i) => out.set(`${file}\0${i}`, this.targetOf(file, m)?.file ?? null));
    }
    return out;
  }

  /** Files whose routes depend on `file` through mounts, transitively. */
  private addDescendants(file: string, into: Set<string>): void {
    const queue = [file];
    const seen = new Set<string>(queue);
    while (queue.length > 0) {
      const f = queue.pop()!;
      for (const m of this.facts.get(f)?.mounts ?? []) {
        const t = this.targetOf(f, m)?.file;
        if (t === undefined || seen.has(t)) continue;
        seen.add(t);
        into.add(t);
        queue.push(t);
      }
    }
  }

  private incoming(): Map<string, Incoming[]> {
    if (this.incomingCache) return this.incomingCache;
    const map = new Map<string, Incoming[]>();
    for (const file of [...this.mountFiles].sort()) {
      for (const mount of this.facts.get(file)!.mounts) {
        const t = this.targetOf(file, mount);
        if (!t) continue; // an unknown module: left as is
        const list = map.get(t.file) ?? [];
        list.push({ file, mount, name: t.name });
        map.set(t.file, list);
      }
    }
    this.incomingCache = map;
    return map;
  }

  private rootsOf(file: string): { top: Set<string>; detached: Set<string> } {
    let roots = this.rootsCache.get(file);
    if (!roots) {
      roots = { top: new Set(), detached: new Set() };
      const facts = this.facts.get(file);
      for (const scope of [...(facts?.routes ?? []).map((r) => r.scope), ...(facts?.mounts ?? []).map((m) => m.scope)]) {
        if (scope) (scope.detached ? roots.detached : roots.top).add(scope.root);
      }
      this.rootsCache.set(file, roots);
    }
    return roots;
  }

  /**
   * Whether a mount of `file` taking `name` applies to the router `root` there: the router
   * exported under that name (or the parameter of the plugin function exported so) when there is
   * one; nothing when the name is some other export (a middleware); otherwise every router the
   * file defines (but not an app serving by itself, unless there is nothing else).
   */
  private selects(file: string, name: string | null, root: string): boolean {
    const facts = this.facts.get(file);
    if (!facts) return false;
    const { top, detached } = this.rootsOf(file);
    if (name !== null && name !== '*') {
      const local = facts.exports[name] ?? (name === 'default' ? undefined : name);
      if (local !== undefined && (top.has(local) || detached.has(local))) return local === root;
      const param = facts.plugins[local ?? name];
      if (param !== undefined && top.has(param)) return param === root;
      if (local !== undefined && name in facts.exports) return false;
    }
    if (!top.has(root)) return false;
    const routers = [...top].filter((r) => !facts.served.includes(r));
    return routers.length === 0 || routers.includes(root);
  }

  private bases(file: string, root: string, depth: number, stack: Set<string>, memo: Map<string, Bases>): Bases | 'cut' {
    const key = `${file}\0${root}`;
    const memoKey = `${key}\0${depth}`;
    const known = memo.get(memoKey);
    if (known) return known;
    const incoming = (this.incoming().get(file) ?? []).filter((i) => this.selects(file, i.name, root));
    if (incoming.length === 0) return { list: null, cut: false };
    if (stack.has(key)) return 'cut';
    if (depth >= MAX_DEPTH) return { list: null, cut: false };
    stack.add(key);
    const list: Array<{ ext: string; replaceOwn: string | null }> = [];
    let cut = false;
    for (const i of incoming) {
      const parent = this.bases(i.file, i.mount.scope.root, depth + 1, stack, memo);
      if (parent === 'cut' || parent.cut) cut = true;
      if (parent === 'cut') continue;
      if (parent.list === null && i.mount.scope.detached) continue;
      for (const p of parent.list ?? [{ ext: '', replaceOwn: null }]) {
        const ext = joinPath(joinPath(p.ext, p.replaceOwn ?? i.mount.scope.own), i.mount.scope.rest).replace(/^\/$/, '');
        if (!list.some((b) => b.ext === ext && b.replaceOwn === i.mount.replaceOwn) && list.length < MAX_BASES) list.push({ ext, replaceOwn: i.mount.replaceOwn });
      }
    }
    stack.delete(key);
    const out = { list: list.length > 0 ? list : null, cut };
    if (!cut) memo.set(memoKey, out);
    return out;
  }

  private globalPrefixes(): string[] {
    if (!this.globalsCache) {
      this.globalsCache = [...new Set([...this.facts.values()].map((f) => f.globalPrefix).filter((p): p is string => p !== null))].sort();
    }
    return this.globalsCache;
  }

  /** One file's routes with every prefix applied. */
  private compose(file: string, memo: Map<string, Bases>): RouteDefinition[] {
    const facts = this.facts.get(file);
    if (!facts) return [];
    const out: RouteDefinition[] = [];
    const seen = new Set<string>();
    const push = (r: RouteDefinition): void => {
      const key = `${r.method} ${r.path} ${r.line}:${r.column}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push(r);
    };
    for (const r of facts.routes) {
      const plain = plainRoute(r);
      if (r.framework === 'nestjs' && this.globalPrefixes().length > 0) {
        for (const g of this.globalPrefixes()) push({ ...plain, path: normalizeRoutePath(joinPath(joinPath('', g), r.path)) });
        continue;
      }
      if (!r.scope) {
        push(plain);
        continue;
      }
      const b = this.bases(file, r.scope.root, 0, new Set(), memo);
      const list = b === 'cut' ? null : b.list;
      if (list === null) {
        if (!r.scope.detached) push(plain);
        continue;
      }
      for (const p of list) push({ ...plain, path: normalizeRoutePath(joinPath(joinPath(p.ext, p.replaceOwn ?? r.scope.own), r.scope.rest)) });
    }
    return out;
  }
}

function normalize(relPath: string): string {
  return relPath.replace(/\\/g, '/').replace(/^\.\//, '');
}
