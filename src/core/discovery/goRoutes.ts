import type { RouteDefinition } from './routeDefinition';
import { joinPath, normalizeRoutePath } from './routePath';
import { argText, chainAfter, collectConsts, receiverBefore } from './scanHelpers';
import { type Source, type Span, evalString, evalStrings, identifierOf, matchBracket, position, scan, splitArgs } from './sourceText';

const VERBS: Record<string, string | null> = {
  GET: 'GET', POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE', HEAD: 'HEAD', OPTIONS: 'OPTIONS', Any: null,
  Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', Connect: 'CONNECT', Trace: 'TRACE', All: null,
};

/**
 * net/http (`HandleFunc("/x", h)`, Go 1.22 `"GET /x/{id}"`), gin / echo / fiber (`r.GET`,
 * `g := r.Group("/v1")`), chi (`r.Get`, `r.Route("/p", func(r chi.Router) {...})`, `r.Mount`)
 * and gorilla/mux (`HandleFunc(...).Methods("GET")`, `PathPrefix("/p").Subrouter()`).
 */
export function goRoutes(src: Source): RouteDefinition[] {
  const framework = detectFramework(src.text);
  const consts = collectConsts(src, /\b([A-Za-z_]\w*)\s*(?:string\s*)?:?=\s*(?=["`])/, (span, c) => evalString(src, span, c));
  // v1 := r.Group("/v1"); api := r.PathPrefix("/api").Subrouter()
  const groups = new Map<string, { parent: string; path: string }>();
  for (const m of scan(src, /\b([A-Za-z_]\w*)\s*:?=\s*([A-Za-z_][\w.]*)\s*\.\s*(Group|PathPrefix)\s*\(/)) {
    const arg = splitArgs(src, m.index + m[0].length - 1)?.args[0];
    const path = arg ? evalString(src, arg, consts) : null;
    if (path !== null) groups.set(m[1]!, { parent: m[2]!, path });
  }
  // chi r.Route("/p", func(r chi.Router) { ... }) and r.Mount("/p", sub) / r.Mount("/p", subRouter())
  const scopes: Array<{ param: string | null; body: Span; prefix: string; parent: string; at: number }> = [];
  for (const m of scan(src, /\.\s*(Route|Mount|Group)\s*\(/)) {
    const r = receiverBefore(src, m.index);
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!r || !parts || parts.args.length < 2) continue;
    const prefix = evalString(src, parts.args[0]!, consts);
    if (prefix === null) continue;
    const target = parts.args[1]!;
    const fn = /^func\s*\(\s*([A-Za-z_]\w*)/.exec(src.skel.slice(target.start, target.end));
    if (fn) {
      const bodyOpen = src.skel.indexOf('{', target.start);
      const close = matchBracket(src, bodyOpen);
      if (close > 0) scopes.push({ param: fn[1]!, body: { start: bodyOpen, end: close }, prefix, parent: r.root, at: m.index });
      continue;
    }
    const id = identifierOf(src, target);
    if (id) groups.set(id, { parent: r.root, path: prefix });
    const call = /^([A-Za-z_]\w*)\s*\(\s*\)$/.exec(argText(src, target));
    if (call) {
      const decl = new RegExp(`\\bfunc\\s+${call[1]}\\s*\\([^)]*\\)[^{]*\\{`).exec(src.skel);
      if (decl) {
        const open = decl.index + decl[0].length - 1;
        const close = matchBracket(src, open);
        if (close > 0) scopes.push({ param: null, body: { start: open, end: close }, prefix, parent: r.root, at: m.index });
      }
    }
  }
  const prefixOf = (root: string, at: number, depth = 0): string => {
    if (depth > 8) return '';
    const scope = scopes.filter((s) => at > s.body.start && at < s.body.end && (s.param === root || s.param === null)).sort((a, b) => b.body.start - a.body.start)[0];
    if (scope) return joinPath(prefixOf(scope.param === null ? root : scope.parent, scope.at, depth + 1), scope.prefix);
    const g = groups.get(root);
    return g ? joinPath(prefixOf(g.parent, at, depth + 1), g.path) : '';
  };

  const routes: RouteDefinition[] = [];
  const re = new RegExp(`\\.\\s*(${Object.keys(VERBS).join('|')}|Handle|HandleFunc|Method|MethodFunc|Match|Add)\\s*\\(`);
  for (const m of scan(src, re)) {
    const verb = m[1]!;
    const r = receiverBefore(src, m.index);
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!r || !parts || parts.args.length < 2) continue;
    const args = parts.args;
    let methods: Array<string | null>;
    let pathSpan: Span;
    if (verb in VERBS) {
      if (r.root === 'http' || r.root === 'client') continue;
      methods = [VERBS[verb]!];
      pathSpan = args[0]!;
    } else if (verb === 'Handle' || verb === 'HandleFunc') {
      const first = evalString(src, args[0]!, consts);
      if (first !== null && /^[A-Z]+$/.test(first) && args.length >= 3) {
        methods = [first]; // gin r.Handle("GET", "/x", h)
        pathSpan = args[1]!;
      } else {
        methods = [null];
        pathSpan = args[0]!;
        const chained = chainAfter(src, parts.end).find((c) => c.name === 'Methods');
        const ms = chained?.args.map((a) => evalString(src, a, consts)).filter((x): x is string => x !== null);
        if (ms && ms.length > 0) methods = ms.map((x) => x.toUpperCase());
      }
    } else {
      // chi r.Method("GET", "/x", h), echo e.Match([]string{"GET","POST"}, "/x", h), echo e.Add("GET", "/x", h)
      if (args.length < 3) continue;
      const list = /^\[\]string\s*\{/.exec(src.skel.slice(args[0]!.start, args[0]!.end));
      const ms = list ? evalStrings(src, { start: args[0]!.start + list[0].length - 1, end: args[0]!.end }, consts) : evalStrings(src, args[0]!, consts);
      if (!ms) continue;
      methods = ms.map((x) => x.toUpperCase());
      pathSpan = args[1]!;
    }
    let path = evalString(src, pathSpan, consts);
    if (path === null) continue;
    const pattern = /^(?:([A-Z]+)\s+)?([^/\s]*)(\/.*)$/.exec(path);
    if (!pattern) continue;
    if (pattern[1]) methods = [pattern[1]];
    path = pattern[3]!;
    const handler = args[args.length - 1]!;
    if (handler === pathSpan) continue;
    const anchor = r.steps.length > 0 ? m.index + m[0].indexOf(verb) : r.rootStart;
    const pos = position(src, anchor);
    const full = normalizeRoutePath(joinPath(prefixOf(r.root, m.index), path));
    for (const method of methods) {
      routes.push({ method, path: full, line: pos.line, column: pos.column, symbol: goSymbol(src, handler), framework: framework ?? 'net/http' });
    }
  }
  return routes;
}

function goSymbol(src: Source, span: Span): string | null {
  const t = argText(src, span);
  const wrapped = /^http\.HandlerFunc\s*\(\s*([A-Za-z_][\w.]*)\s*\)$/.exec(t);
  if (wrapped) return wrapped[1]!;
  return identifierOf(src, span);
}

function detectFramework(text: string): string | null {
  const known: Array<[RegExp, string]> = [
    [/"github\.com\/gin-gonic\/gin"/, 'gin'],
    [/"github\.com\/labstack\/echo(\/v\d+)?"/, 'echo'],
    [/"github\.com\/go-chi\/chi(\/v\d+)?"/, 'chi'],
    [/"github\.com\/gorilla\/mux"/, 'gorilla'],
    [/"github\.com\/gofiber\/fiber(\/v\d+)?"/, 'fiber'],
  ];
  for (const [re, name] of known) if (re.test(text)) return name;
  return null;
}
