import { declarationAfter } from './declarations';
import type { FileFacts, ModuleRef, MountFact, ScopedRoute } from './moduleFacts';
import { plainRoute } from './moduleFacts';
import { pyImports, pyMountTargets } from './pythonModules';
import type { RouteDefinition } from './routeDefinition';
import { joinPath, normalizeRoutePath, regexToPath } from './routePath';
import { receiverBefore } from './scanHelpers';
import { type Source, type Span, evalString, evalStrings, identifierOf, keywordArg, position, readLiteral, scan, splitArgs, textOf } from './sourceText';

/**
 * FastAPI, Starlette, Flask and Django routes in one Python file. Decorated routes are placed on
 * the `def` line (not the decorator's); Django `path()` entries on the `path(` call, with the
 * view as symbol ("views.detail", "views.UserView" for `as_view()`).
 */
export function pythonRoutes(src: Source): RouteDefinition[] {
  return pythonFacts(src)
    .routes.filter((r) => !r.scope?.detached)
    .map(plainRoute);
}

/** A prefix from the top of an in-file include chain (root) down to a router. */
interface Base {
  /** The whole in-file prefix, as the file alone gives it. */
  prefix: string;
  root: string;
  /** The root's own prefix (APIRouter prefix / Blueprint url_prefix). */
  own: string;
  /** Below the root's own prefix. */
  inner: string;
  detached: boolean;
}

interface ExternalMount {
  parent: string;
  kind: string;
  path: string | null;
  targets: ModuleRef[];
}

/** pythonRoutes with each route's in-file root, plus includes of routers from other modules. */
export function pythonFacts(src: Source): FileFacts {
  const framework = detectFramework(src.text);
  const imports = pyImports(src);
  const apps = new Set<string>();
  const external: ExternalMount[] = [];
  const consts = new Map<string, string>();
  for (const m of scan(src, /^([A-Za-z_]\w*)\s*(?::\s*\w+\s*)?=(?!=)[ \t]*/m)) {
    const end = src.skel.indexOf('\n', m.index);
    const v = evalString(src, { start: m.index + m[0].length, end: end < 0 ? src.text.length : end }, consts);
    if (v !== null) consts.set(m[1]!, v);
  }
  const own = new Map<string, string>();
  for (const m of scan(src, /^\s*([A-Za-z_]\w*)\s*(?::\s*[\w.]+\s*)?=\s*(?:[\w.]+\.)?(APIRouter|FastAPI|Flask|Blueprint|Starlette|Quart)\s*\(/m)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    const kw = kwargs(src, parts?.args ?? []);
    const p = kw.get('prefix') ?? kw.get('url_prefix');
    own.set(m[1]!, (p && evalString(src, p, consts)) ?? '');
    if (!/^(APIRouter|Blueprint)$/.test(m[2]!)) apps.add(m[1]!);
  }
  const mounts = new Map<string, Array<{ parent: string; path: string | null }>>();
  for (const m of scan(src, /\.\s*(include_router|register_blueprint|mount)\s*\(/)) {
    const r = receiverBefore(src, m.index);
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!r || !parts) continue;
    const kw = kwargs(src, parts.args);
    const positional = parts.args.filter((a) => !keywordArg(src, a));
    let child: string | null;
    let path: string | null;
    if (m[1] === 'mount') {
      child = positional[1] ? identifierOf(src, positional[1]) : kw.get('app') ? identifierOf(src, kw.get('app')!) : null;
      path = positional[0] ? evalString(src, positional[0], consts) : null;
    } else {
      child = positional[0] ? identifierOf(src, positional[0]) : null;
      const p = kw.get('prefix') ?? kw.get('url_prefix');
      path = p ? evalString(src, p, consts) : null;
    }
    if (!child) continue;
    const targets = pyMountTargets(child, imports);
    if (targets) {
      external.push({ parent: r.root, kind: m[1]!, path, targets });
      continue;
    }
    const list = mounts.get(child) ?? [];
    list.push({ parent: r.root, path: m[1] === 'register_blueprint' && path !== null ? `=${path}` : path });
    mounts.set(child, list);
  }
  const strip = (p: string): string => p.replace(/^\/$/, '');
  const prefixesOf = (name: string, seen = new Set<string>()): Base[] => {
    if (seen.has(name)) return [{ prefix: '', root: name, own: '', inner: '', detached: false }];
    seen.add(name);
    const list = mounts.get(name);
    const mine = own.get(name) ?? '';
    const self = { prefix: mine, root: name, own: mine, inner: '', detached: false };
    if (!list) return [self];
    const out = list.flatMap((m) => {
      // Flask: register_blueprint(url_prefix=...) replaces the blueprint's own url_prefix.
      const tail = m.path?.startsWith('=') ? m.path.slice(1) : joinPath(m.path ?? '', mine);
      return prefixesOf(m.parent, seen).map((p) => ({ ...p, prefix: joinPath(p.prefix, tail), inner: strip(joinPath(p.inner, tail)) }));
    });
    // A router included in its own file may also be included by another module.
    if (own.has(name) && !apps.has(name)) out.push({ ...self, detached: true });
    return out;
  };

  const routes: ScopedRoute[] = [];
  const push = (method: string | null, path: string, at: number, symbol: string | null, fw: string, base?: Base, rest?: string): void => {
    const pos = position(src, at);
    const route: ScopedRoute = { method, path: normalizeRoutePath(path), line: pos.line, column: pos.column, symbol, framework: fw };
    if (base) route.scope = { root: base.root, own: base.own, rest: joinPath(base.inner, rest ?? ''), ...(base.detached ? { detached: true } : {}) };
    routes.push(route);
  };
  const fw = framework ?? 'fastapi';

  for (const m of scan(src, /@\s*([A-Za-z_][\w.]*)\s*\.\s*(get|post|put|patch|delete|head|options|trace|route|api_route)\s*\(/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!parts) continue;
    const kw = kwargs(src, parts.args);
    const first = parts.args.find((a) => !keywordArg(src, a)) ?? kw.get('path') ?? kw.get('rule');
    const paths = first ? evalStrings(src, first, consts) : null;
    if (!paths || !paths.every((p) => p === '' || p.startsWith('/'))) continue;
    const decl = declarationAfter(src, parts.end);
    const def = /^(?:async\s+)?def\s+([A-Za-z_]\w*)/.exec(src.skel.slice(decl, decl + 200));
    if (!def) continue;
    const verb = m[2]!;
    let methods: Array<string | null> = [verb.toUpperCase()];
    if (verb === 'route' || verb === 'api_route') {
      const ms = kw.get('methods');
      methods = (ms && evalStrings(src, ms, consts)?.map((x) => x.toUpperCase())) ?? ['GET'];
    }
    for (const b of prefixesOf(m[1]!)) for (const method of methods) for (const p of paths) push(method, joinPath(b.prefix, p), decl, def[1]!, fw, b, p);
  }

  // Flask add_url_rule / FastAPI add_api_route
  for (const m of scan(src, /\.\s*(add_url_rule|add_api_route)\s*\(/)) {
    const r = receiverBefore(src, m.index);
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!r || !parts) continue;
    const kw = kwargs(src, parts.args);
    const positional = parts.args.filter((a) => !keywordArg(src, a));
    const path = positional[0] ? evalString(src, positional[0], consts) : null;
    if (path === null) continue;
    const view = kw.get('view_func') ?? kw.get('endpoint') ?? (m[1] === 'add_url_rule' ? positional[2] : positional[1]);
    const ms = kw.get('methods');
    const methods = (ms && evalStrings(src, ms, consts)?.map((x) => x.toUpperCase())) ?? ['GET'];
    for (const b of prefixesOf(r.root)) for (const method of methods) push(method, joinPath(b.prefix, path), r.rootStart, viewSymbol(src, view), framework ?? (m[1] === 'add_url_rule' ? 'flask' : 'fastapi'), b, path);
  }

  // Starlette Route("/x", endpoint, methods=[...]) inside Mount("/p", routes=[...])
  const mountSpans = enclosing(src, /(?<![\w.])Mount\s*\(/, consts);
  for (const m of scan(src, /(?<![\w.])Route\s*\(/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!parts) continue;
    const kw = kwargs(src, parts.args);
    const positional = parts.args.filter((a) => !keywordArg(src, a));
    const p = positional[0] ?? kw.get('path');
    const path = p ? evalString(src, p, consts) : null;
    if (path === null || !path.startsWith('/')) continue;
    const ms = kw.get('methods');
    const methods: Array<string | null> = (ms && evalStrings(src, ms, consts)?.map((x) => x.toUpperCase())) ?? [null];
    const prefix = prefixAt(mountSpans, m.index);
    for (const method of methods) push(method, joinPath(prefix, path), m.index, viewSymbol(src, positional[1] ?? kw.get('endpoint')), 'starlette');
  }

  // Django urlpatterns
  const djangoMounts: MountFact[] = [];
  if (framework === 'django' || /\burlpatterns\b/.test(src.skel)) {
    const includes: Array<Span & { prefix: string }> = [];
    for (const m of scan(src, /(?<![\w.])(path|re_path|url)\s*\(/)) {
      const parts = splitArgs(src, m.index + m[0].length - 1);
      if (!parts || parts.args.length < 2) continue;
      const lit = readLiteral(src, parts.args[0]!.start, consts);
      if (!lit) continue;
      const route = m[1] === 'path' ? lit.value : regexToPath(lit.value);
      const view = parts.args[1]!;
      const inc = /^include\s*\(/.exec(src.skel.slice(view.start, view.end));
      const prefix = includes.filter((s) => m.index > s.start && m.index < s.end).map((s) => s.prefix).join('');
      if (inc) {
        includes.push({ start: view.start, end: view.end, prefix: route });
        const target = includedModule(src, view.start + inc[0].length - 1, imports);
        if (target) djangoMounts.push({ scope: { root: 'urlpatterns', own: '', rest: `/${prefix}${route}` }, targets: target, replaceOwn: null });
        continue;
      }
      const path = `/${prefix}${route}`;
      push(null, path, m.index, viewSymbol(src, view), 'django', { prefix: '', root: 'urlpatterns', own: '', inner: '', detached: false }, path);
    }
  }
  const mountFacts: MountFact[] = [...djangoMounts];
  for (const e of external) {
    const flask = e.kind === 'register_blueprint';
    for (const b of prefixesOf(e.parent)) {
      const rest = strip(joinPath(b.inner, flask ? '' : (e.path ?? '')));
      mountFacts.push({ scope: { root: b.root, own: b.own, rest, ...(b.detached ? { detached: true } : {}) }, targets: e.targets, replaceOwn: flask ? e.path : null });
    }
  }
  return { routes, mounts: mountFacts, exports: {}, plugins: {}, served: [...apps], globalPrefix: null };
}

/** `include('shop.urls')`, `include(('shop.urls', 'shop'))`, `include(shop_urls)` -> the module(s); null for a list. */
function includedModule(src: Source, open: number, imports: Map<string, ModuleRef[]>): ModuleRef[] | null {
  const first = splitArgs(src, open)?.args[0];
  if (!first) return null;
  const inner = src.skel[first.start] === '(' ? splitArgs(src, first.start)?.args[0] : first;
  if (!inner) return null;
  const lit = readLiteral(src, inner.start);
  if (lit) return /^[\w.]+$/.test(lit.value) ? [{ spec: lit.value, name: null }] : null;
  const id = identifierOf(src, inner);
  return id ? pyMountTargets(id, imports) : null;
}

function kwargs(src: Source, args: Span[]): Map<string, Span> {
  const out = new Map<string, Span>();
  for (const a of args) {
    const kw = /^([A-Za-z_]\w*)\s*=(?!=)\s*/.exec(src.skel.slice(a.start, a.end));
    if (kw) out.set(kw[1]!, { start: a.start + kw[0].length, end: a.end });
  }
  return out;
}

/** views.detail -> "views.detail"; views.UserView.as_view() -> "views.UserView"; lambdas -> null. */
function viewSymbol(src: Source, span: Span | undefined): string | null {
  if (!span) return null;
  const t = textOf(src, span).trim();
  const cbv = /^([A-Za-z_][\w.]*)\.as_view\s*\(/.exec(t);
  if (cbv) return cbv[1]!;
  return identifierOf(src, span);
}

function enclosing(src: Source, re: RegExp, consts: Map<string, string>): Array<Span & { prefix: string }> {
  const out: Array<Span & { prefix: string }> = [];
  for (const m of scan(src, re)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    const first = parts?.args[0];
    const prefix = first ? evalString(src, first, consts) : null;
    if (parts && prefix !== null) out.push({ start: m.index, end: parts.end, prefix });
  }
  return out;
}

function prefixAt(spans: Array<Span & { prefix: string }>, at: number): string {
  return spans.filter((s) => at > s.start && at < s.end).reduce((p, s) => joinPath(p, s.prefix), '');
}

function detectFramework(text: string): string | null {
  if (/^\s*(?:from|import)\s+fastapi\b/m.test(text)) return 'fastapi';
  if (/^\s*(?:from|import)\s+(?:flask|quart)\b/m.test(text)) return /^\s*(?:from|import)\s+quart\b/m.test(text) ? 'quart' : 'flask';
  if (/^\s*(?:from|import)\s+django\b/m.test(text)) return 'django';
  if (/^\s*(?:from|import)\s+starlette\b/m.test(text)) return 'starlette';
  return null;
}
