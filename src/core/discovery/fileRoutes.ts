import type { RouteDefinition } from './routeDefinition';
import { normalizeRoutePath } from './routePath';
import { type Source, position, scan } from './sourceText';

const JS_FILE = /\.(?:[cm]?[jt]sx?)$/;
const METHODS = 'GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS';
const PAGES = /(?:^|\/)pages\/(api(?:\/.*)?)$/;
const APP_ROUTE = /(?:^|\/)app\/((?:.*\/)?)route\.[cm]?[jt]sx?$/;
const VERCEL = /^(api\/.*)$/;

/** The path as fileRoutes reads it ("/" separators) when its place in the tree may give routes; null otherwise. */
function routedPath(relPath: string): string | null {
  const path = relPath.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!JS_FILE.test(path) || /\.d\.[cm]?ts$/.test(path)) return null;
  return PAGES.test(path) || APP_ROUTE.test(path) || VERCEL.test(path) ? path : null;
}

/** Whether fileRoutes looks at the file's contents at all: only files whose place in the tree gives routes. */
export function routedByPlace(relPath: string): boolean {
  return routedPath(relPath) !== null;
}

/**
 * Routes given by a file's place in the tree:
 * - Next.js pages router: `pages/api/users/[id].ts` (default export) -> any method `/api/users/:id`;
 * - Next.js app router: `app/api/users/route.ts` exporting GET/POST… -> one route per export;
 * - Vercel functions: `api/hello.ts` at the root (default export, or method exports).
 */
export function fileRoutes(relPath: string, src: Source): RouteDefinition[] {
  const path = routedPath(relPath);
  if (path === null) return [];
  const pages = PAGES.exec(path);
  if (pages) return defaultExportRoutes(src, urlOf(pages[1]!), 'nextjs');
  const app = APP_ROUTE.exec(path);
  if (app) {
    const dirs = app[1]!.split('/').filter((d) => d !== '');
    if (dirs.some((d) => d.startsWith('_'))) return [];
    const url = normalizeRoutePath(`/${dirs.filter((d) => !/^\(.*\)$/.test(d) && !d.startsWith('@')).join('/')}`);
    return methodExportRoutes(src, url, 'nextjs');
  }
  const vercel = VERCEL.exec(path);
  if (vercel) {
    const url = urlOf(vercel[1]!);
    if (url === null) return [];
    const byMethod = methodExportRoutes(src, url, 'vercel');
    return byMethod.length > 0 ? byMethod : defaultExportRoutes(src, url, 'vercel');
  }
  return [];
}

/** "api/users/[id].ts" -> "/api/users/:id"; null for files the router ignores (_helpers). */
function urlOf(file: string): string | null {
  const parts = file.replace(JS_FILE, '').split('/');
  if (parts.some((p) => p.startsWith('_') || p.startsWith('.'))) return null;
  if (parts[parts.length - 1] === 'index') parts.pop();
  return normalizeRoutePath(`/${parts.join('/')}`);
}

function defaultExportRoutes(src: Source, url: string | null, framework: string): RouteDefinition[] {
  if (url === null) return [];
  const m = /\bexport\s+default\s+(?:async\s+)?(?:function\s*\*?\s*([A-Za-z_$][\w$]*)?|([A-Za-z_$][\w$]*)\s*;?\s*$)?|\bmodule\.exports\s*=\s*(?:async\s+)?(?:function\s*([A-Za-z_$][\w$]*)?|([A-Za-z_$][\w$]*)\s*;?\s*$)?/m.exec(src.skel);
  if (!m) return [];
  const symbol = m[1] ?? m[2] ?? m[3] ?? m[4] ?? null;
  const pos = position(src, m.index);
  return [{ method: null, path: url, line: pos.line, column: pos.column, symbol: symbol === 'async' ? null : symbol, framework }];
}

function methodExportRoutes(src: Source, url: string | null, framework: string): RouteDefinition[] {
  if (url === null) return [];
  const routes: RouteDefinition[] = [];
  const re = new RegExp(`\\bexport\\s+(?:async\\s+)?(?:function\\s*\\*?\\s*|(?:const|let|var)\\s+)(${METHODS})\\b`);
  for (const m of scan(src, re)) {
    const pos = position(src, m.index);
    routes.push({ method: m[1]!, path: url, line: pos.line, column: pos.column, symbol: m[1]!, framework });
  }
  for (const m of scan(src, /\bexport\s*\{([^}]*)\}/)) {
    const pos = position(src, m.index);
    for (const spec of m[1]!.split(',')) {
      const s = new RegExp(`^\\s*([A-Za-z_$][\\w$]*)\\s+as\\s+(${METHODS})\\s*$`).exec(spec) ?? new RegExp(`^\\s*()(${METHODS})\\s*$`).exec(spec);
      if (s) routes.push({ method: s[2]!, path: url, line: pos.line, column: pos.column, symbol: s[1] || s[2]!, framework });
    }
  }
  return routes.sort((a, b) => a.line - b.line);
}
