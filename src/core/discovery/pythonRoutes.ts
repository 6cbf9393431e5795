import { declarationAfter } from './declarations';
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
  const framework = detectFramework(src.text);
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
    const list = mounts.get(child) ?? [];
    list.push({ parent: r.root, path: m[1] === 'register_blueprint' && path !== null ? `=${path}` : path });
    mounts.set(child, list);
  }
  const prefixesOf = (name: string, seen = new Set<string>()): string[] => {
    if (seen.has(name)) return [''];
    seen.add(name);
    const list = mounts.get(name);
    const mine = own.get(name) ?? '';
    if (!list) return [mine];
    return list.flatMap((m) => {
      // Flask: register_blueprint(url_prefix=...) replaces the blueprint's own url_prefix.
      const tail = m.path?.startsWith('=') ? m.path.slice(1) : joinPath(m.path ?? '', mine);
      return prefixesOf(m.parent, seen).map((p) => joinPath(p, tail));
    });
  };

  const routes: RouteDefinition[] = [];
  const push = (method: string | null, path: string, at: number, symbol: string | null, fw: string): void => {
    const pos = position(src, at);
    routes.push({ method, path: normalizeRoutePath(path), line: pos.line, column: pos.column, symbol, framework: fw });
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
    for (const prefix of prefixesOf(m[1]!)) for (const method of methods) for (const p of paths) push(method, joinPath(prefix, p), decl, def[1]!, fw);
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
    for (const prefix of prefixesOf(r.root)) for (const method of methods) push(method, joinPath(prefix, path), r.rootStart, viewSymbol(src, view), framework ?? (m[1] === 'add_url_rule' ? 'flask' : 'fastapi'));
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
      if (inc) {
        includes.push({ start: view.start, end: view.end, prefix: route });
        continue;
      }
      const prefix = includes.filter((s) => m.index > s.start && m.index < s.end).map((s) => s.prefix).join('');
      push(null, `/${prefix}${route}`, m.index, viewSymbol(src, view), 'django');
    }
  }
  return routes;
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
