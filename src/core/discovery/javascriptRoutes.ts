import { jsExports, jsImports, jsMountTarget, jsPlugins } from './javascriptModules';
import type { FileFacts, ModuleRef, MountFact, ScopedRoute } from './moduleFacts';
import { plainRoute } from './moduleFacts';
import type { RouteDefinition } from './routeDefinition';
import { joinPath, normalizeRoutePath } from './routePath';
import { type Receiver, argText, chainAfter, collectConsts, receiverBefore } from './scanHelpers';
import { type Source, type Span, evalString, evalStrings, identifierOf, keywordArg, position, scan, splitArgs } from './sourceText';

/**
 * Express, Koa (koa-router), Hono and Fastify route registrations in one JS/TS file:
 * `app.get('/x', h)`, `router.post(...)`, `app.route('/x').get(h).post(h2)`,
 * `fastify.route({ method, url, handler })`, `app.on('GET', '/x', h)`, with the prefixes that
 * the same file gives: `app.use('/api', router)`, `new Router({ prefix })`, Hono `basePath`
 * and `app.route('/p', sub)`, Fastify `register(plugin, { prefix })`.
 */
export function javascriptRoutes(src: Source): RouteDefinition[] {
  return javascriptFacts(src)
    .routes.filter((r) => !r.scope?.detached)
    .map(plainRoute);
}

/** A prefix from the top of an in-file mount chain (root) down to a router. */
interface Base {
  prefix: string;
  root: string;
  detached: boolean;
}

/** javascriptRoutes with each route's in-file root, plus mounts of routers imported from other modules. */
export function javascriptFacts(src: Source): FileFacts {
  const framework = detectFramework(src.text);
  const consts = collectConsts(src, /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::\s*string\s*)?=\s*/, (span, c) => evalString(src, span, c));
  const imports = jsImports(src);
  const exports = jsExports(src);
  const exported = new Set(Object.values(exports));
  const routers = collectRouters(src, consts);
  const { mounts, external } = collectMounts(src, consts, routers, imports);
  const scopes = collectPluginScopes(src, consts);
  const hasServerImport = framework !== null;
  const routes: ScopedRoute[] = [];

  const prefixesOf = (root: string, at: number, seen: Set<string> = new Set()): Base[] => {
    if (seen.has(root)) return [{ prefix: '', root, detached: false }];
    seen.add(root);
    const own = routers.get(root) ?? '';
    const scoped = scopes.filter((s) => s.param === root && at >= s.body.start && at < s.body.end);
    const parents: Base[] = [
      ...(mounts.get(root) ?? []).flatMap((m) => prefixesOf(m.parent, m.at, seen).map((p) => ({ ...p, prefix: joinPath(p.prefix, m.path) }))),
      ...scoped.flatMap((s) => (s.parent ? prefixesOf(s.parent, s.at, seen) : [{ prefix: '', root, detached: false }]).map((p) => ({ ...p, prefix: joinPath(p.prefix, s.prefix) }))),
    ];
    // An exported router mounted in its own file may also be mounted by another module.
    if (parents.length > 0 && exported.has(root)) parents.push({ prefix: '', root, detached: true });
    const out = (parents.length > 0 ? parents : [{ prefix: '', root, detached: false }]).map((p) => ({ ...p, prefix: joinPath(p.prefix, own).replace(/^\/$/, '') }));
    return out.filter((b, i) => out.findIndex((o) => o.prefix === b.prefix && o.root === b.root && o.detached === b.detached) === i);
  };

  const accept = (r: Receiver): boolean => {
    if (r.root.endsWith('()')) return ROUTER_FACTORIES.test(r.root.slice(0, -2));
    if (routers.has(r.root) || scopes.some((s) => s.param === r.root)) return true;
    const name = r.root.replace(/^.*\./, '');
    if (CLIENTS.test(name)) return false;
    return hasServerImport ? ROUTERISH.test(name) : STRICT_ROUTERISH.test(name);
  };

  const add = (r: Receiver, method: string | null, paths: string[], handler: Span | undefined, anchor: number): void => {
    const steps = r.steps.filter((s) => s.name === 'basePath');
    let base = prefixesOf(r.root, r.rootStart);
    for (const s of steps) {
      const arg = splitArgs(src, s.open)?.args[0];
      const p = arg ? evalString(src, arg, consts) : null;
      if (p !== null) base = base.map((b) => ({ ...b, prefix: joinPath(b.prefix, p) }));
    }
    const pos = position(src, anchor);
    for (const b of base) {
      for (const p of paths) {
        const path = normalizeRoutePath(joinPath(b.prefix, p));
        const scope = { root: b.root, own: '', rest: path, ...(b.detached ? { detached: true } : {}) };
        routes.push({ method, path, line: pos.line, column: pos.column, symbol: handlerSymbol(src, handler), framework: framework ?? 'express', scope });
      }
    }
  };

  for (const m of scan(src, ROUTE_CALL)) {
    const verb = m[1]!;
    const open = m.index + m[0].length - 1;
    const r = receiverBefore(src, m.index);
    if (!r || !accept(r)) continue;
    const parts = splitArgs(src, open);
    if (!parts) continue;
    const { args } = parts;
    const nameStart = m.index + m[0].indexOf(verb);
    const anchor = r.steps.length > 0 || isChainedAfterCall(src, m.index) ? nameStart : r.rootStart;
    if (verb === 'route') {
      if (args.length === 1 && src.skel[args[0]!.start] === '{') {
        const obj = objectProps(src, args[0]!);
        const url = obj.get('url') ?? obj.get('path');
        const paths = url ? evalStrings(src, url, consts) : null;
        if (!paths) continue;
        const methodSpan = obj.get('method');
        const methods = methodSpan ? evalStrings(src, methodSpan, consts) : null;
        for (const method of methods ?? [null]) add(r, method ? method.toUpperCase() : null, paths, obj.get('handler'), anchor);
      } else if (args.length === 1) {
        // Express app.route('/x').get(h).post(h2)
        const paths = evalStrings(src, args[0]!, consts);
        if (!paths || !paths.every(isPathLike)) continue;
        for (const c of chainAfter(src, parts.end)) {
          const method = methodOf(c.name);
          if (method === undefined) break;
          add(r, method, paths, c.args[c.args.length - 1], c.nameStart);
        }
      }
      continue;
    }
    if (r.steps.some((s) => s.name === 'route')) continue; // handled with its app.route('/x') chain
    if (verb === 'on') {
      const methods = args[0] ? evalStrings(src, args[0], consts) : null;
      const paths = args[1] ? evalStrings(src, args[1], consts) : null;
      if (!methods || !paths || !paths.every(isPathLike) || args.length < 3) continue;
      for (const method of methods) add(r, method.toUpperCase(), paths, args[args.length - 1], anchor);
      continue;
    }
    if (args.length < 2) continue;
    let pathArg = 0;
    let paths = evalStrings(src, args[0]!, consts);
    if (paths && !paths.every(isPathLike) && args.length >= 3) {
      // koa-router named route: router.get('user', '/users/:id', handler)
      pathArg = 1;
      paths = evalStrings(src, args[1]!, consts);
    }
    if (!paths || paths.length === 0 || !paths.every(isPathLike)) continue;
    const handler = args[args.length - 1]!;
    if (handler === args[pathArg] || !isHandlerLike(src, handler)) continue;
    add(r, methodOf(verb) ?? null, paths, handler, anchor);
  }
  const mountFacts: MountFact[] = [];
  for (const e of external) {
    for (const b of prefixesOf(e.parent, e.at)) {
      const scope = { root: b.root, own: '', rest: joinPath(b.prefix, e.path).replace(/^\/$/, ''), ...(b.detached ? { detached: true } : {}) };
      mountFacts.push({ scope, targets: [e.target], replaceOwn: null });
    }
  }
  const served = listeners(src).filter(unique);
  let globalPrefix: string | null = null;
  for (const m of scan(src, GLOBAL_PREFIX_CALL)) {
    const arg = splitArgs(src, m.index + m[0].length - 1)?.args[0];
    const p = arg ? evalString(src, arg, consts) : null;
    if (p !== null) globalPrefix = p;
  }
  return { routes: dedupe(routes), mounts: mountFacts, exports, plugins: jsPlugins(src), served, globalPrefix };
}

/**
 * The method calls a JS/TS file's routes, mounts and Nest global prefix are found from (on the
 * skeleton): a file without any of these names called after a "." has none (mayDefineRoutes.ts).
 */
export const JS_ROUTE_METHODS = ['get', 'post', 'put', 'patch', 'delete', 'del', 'head', 'options', 'all', 'route', 'on'];
export const JS_MOUNT_METHODS = ['use', 'route', 'register'];
export const JS_GLOBAL_PREFIX_METHOD = 'setGlobalPrefix';
/** `.get(`, `.get<Env>(` (nested generics to three levels). */
const ROUTE_CALL = new RegExp(String.raw`\.\s*(${JS_ROUTE_METHODS.join('|')})\s*(?:<(?:[^<>()]|<(?:[^<>()]|<[^<>()]*>)*>)*>\s*)?\(`);
const MOUNT_CALL = new RegExp(String.raw`\.\s*(${JS_MOUNT_METHODS.join('|')})\s*\(`);
const GLOBAL_PREFIX_CALL = new RegExp(String.raw`\.\s*${JS_GLOBAL_PREFIX_METHOD}\s*\(`);

const ROUTER_FACTORIES = /^(express|Router|express\.Router|Hono|Fastify|fastify|Elysia|polka|restify\.createServer|createRouter)$/;
const ROUTERISH = /^(app|application|router|server|api|fastify|instance|routes?|hono|web|v\d+|[A-Za-z_$][\w$]*(Router|App|Routes|Api|Server|Routes))$/;
const STRICT_ROUTERISH = /^(app|router|server|fastify|[A-Za-z_$][\w$]*Router)$/;
const CLIENTS = /^(axios|http|https|fetch|got|ky|superagent|request|agent|client|\$http|cy|fetcher|ajax|\$|jQuery|supertest|httpClient|HttpClient|map|cache|headers|params|searchParams|store|storage|localStorage|sessionStorage|redis|db|knex|prisma|env|config|settings|nconf)$/;

function methodOf(verb: string): string | null | undefined {
  if (verb === 'all') return null;
  if (verb === 'del') return 'DELETE';
  if (/^(get|post|put|patch|delete|head|options)$/.test(verb)) return verb.toUpperCase();
  return undefined;
}

function isPathLike(p: string): boolean {
  return p.startsWith('/') || p === '*' || p === '';
}

function isChainedAfterCall(src: Source, dot: number): boolean {
  let k = dot - 1;
  while (k >= 0 && /\s/.test(src.skel[k]!)) k--;
  return src.skel[k] === ')';
}

/** A function, a reference to one, or a wrapper call; not a string, number or plain data. */
function isHandlerLike(src: Source, span: Span): boolean {
  const s = src.skel.slice(span.start, span.end);
  if (/^['"`\d[]/.test(s) || /^(true|false|null|undefined)$/.test(s)) return false;
  if (s.startsWith('{')) return objectProps(src, span).has('handler');
  return true;
}

function handlerSymbol(src: Source, span: Span | undefined): string | null {
  if (!span) return null;
  const s = src.skel.slice(span.start, span.end);
  if (s.startsWith('{')) {
    const h = objectProps(src, span).get('handler');
    return h ? handlerSymbol(src, h) : null;
  }
  const named = /^(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/.exec(s);
  if (named) return named[1]!;
  const id = identifierOf(src, span);
  if (id) return id;
  // Wrappers: asyncHandler(getUser), wrap(ctrl.list), getUser.bind(this)
  const bind = /^([A-Za-z_$][\w$.]*)\.bind\s*\(/.exec(s);
  if (bind) return bind[1]!;
  const call = /^[A-Za-z_$][\w$.]*\s*\(/.exec(s);
  if (call) {
    const parts = splitArgs(src, span.start + call[0].length - 1);
    if (parts && parts.args.length === 1 && parts.end === span.end) return handlerSymbol(src, parts.args[0]);
  }
  return null;
}

/** Properties of an object literal: `{ method: 'GET', url, handler: h }` (shorthand maps to itself). */
export function objectProps(src: Source, span: Span): Map<string, Span> {
  const out = new Map<string, Span>();
  const parts = splitArgs(src, span.start);
  if (!parts) return out;
  for (const a of parts.args) {
    const kw = keywordArg(src, a);
    if (kw) out.set(kw.name, kw.value);
    else {
      const id = identifierOf(src, a);
      if (id && !id.includes('.')) out.set(id, a);
    }
  }
  return out;
}

/** `const router = express.Router()`, `new Router({ prefix: '/api' })`, `new Hono().basePath('/api')` -> own prefix. */
function collectRouters(src: Source, consts: Map<string, string>): Map<string, string> {
  const routers = new Map<string, string>();
  const re = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;\n]+)?=\s*(?:await\s+)?(?:new\s+)?([A-Za-z_$][\w$.]*)\s*(?:<[^>()]*>)?\s*\(/;
  for (const m of scan(src, re)) {
    if (!ROUTER_FACTORIES.test(m[2]!) && !/^(KoaRouter|Router)$/.test(m[2]!.replace(/^.*\./, ''))) continue;
    const open = m.index + m[0].length - 1;
    const parts = splitArgs(src, open);
    if (!parts) continue;
    let prefix = '';
    const opts = parts.args[0];
    if (opts && src.skel[opts.start] === '{') {
      const p = objectProps(src, opts).get('prefix');
      prefix = (p && evalString(src, p, consts)) ?? '';
    }
    for (const c of chainAfter(src, parts.end)) {
      if (c.name === 'basePath' && c.args[0]) prefix = joinPath(prefix, evalString(src, c.args[0], consts) ?? '');
    }
    routers.set(m[1]!, prefix);
  }
  return routers;
}

interface Mount {
  parent: string;
  path: string;
  at: number;
}

interface ExternalMount {
  parent: string;
  path: string;
  at: number;
  target: ModuleRef;
}

/**
 * `parent.use('/p', child)`, `parent.use('/p', child.routes())`, Hono `parent.route('/p', child)`,
 * Fastify `parent.register(child, { prefix })`. A child imported from another module (or
 * `require('./m')` inline) is an external mount, also without a path (`app.use(router)`).
 */
function collectMounts(src: Source, consts: Map<string, string>, routers: Map<string, string>, imports: Map<string, ModuleRef>): { mounts: Map<string, Mount[]>; external: ExternalMount[] } {
  const mounts = new Map<string, Mount[]>();
  const external: ExternalMount[] = [];
  for (const m of scan(src, MOUNT_CALL)) {
    const r = receiverBefore(src, m.index);
    if (!r || r.root.endsWith('()')) continue;
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!parts || parts.args.length === 0) continue;
    let child: string | null;
    let path: string | null;
    let childText: string;
    if (m[1] === 'register') {
      childText = argText(src, parts.args[0]);
      child = identifierOf(src, parts.args[0]!);
      const opts = parts.args[1];
      const p = opts && src.skel[opts.start] === '{' ? objectProps(src, opts).get('prefix') : undefined;
      path = p ? evalString(src, p, consts) : opts ? null : '';
    } else {
      path = parts.args.length >= 2 ? evalString(src, parts.args[0]!, consts) : '';
      // koa-router: router.use('/p', sub.routes(), sub.allowedMethods())
      const mounted = parts.args.filter((a, i) => i === 0 || !/\.\s*allowedMethods\s*\(\s*\)$/.test(argText(src, a)));
      childText = argText(src, mounted[mounted.length - 1]);
      child = childText.replace(/\.(routes|middleware)\(\s*\)$/, '');
      if (!/^[A-Za-z_$][\w$]*$/.test(child)) child = null;
    }
    if (path === null || !isPathLike(path)) continue;
    const target = r.root.endsWith('()') ? null : jsMountTarget(src, childText, imports);
    if (target && (target.spec.startsWith('.') || target.spec.startsWith('/') || /^[@~]\//.test(target.spec))) {
      external.push({ parent: r.root, path, at: m.index, target });
      continue;
    }
    if (child === null || parts.args.length < 2) continue;
    if (m[1] !== 'register' && !routers.has(child) && !/router|routes|app|api/i.test(child)) continue;
    const list = mounts.get(child) ?? [];
    list.push({ parent: r.root, path, at: m.index });
    mounts.set(child, list);
  }
  return { mounts, external };
}

interface PluginScope {
  /** The plugin's first parameter: routes on it inside the body get the prefix. */
  param: string;
  body: Span;
  prefix: string;
  parent: string | null;
  at: number;
}

/** Fastify `app.register(async (f) => { f.get(...) }, { prefix: '/v1' })` and named plugins declared in the file. */
function collectPluginScopes(src: Source, consts: Map<string, string>): PluginScope[] {
  const scopes: PluginScope[] = [];
  for (const m of scan(src, /\.\s*register\s*\(/)) {
    const r = receiverBefore(src, m.index);
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!parts || parts.args.length < 2) continue;
    const opts = parts.args[1]!;
    const p = src.skel[opts.start] === '{' ? objectProps(src, opts).get('prefix') : undefined;
    const prefix = p ? evalString(src, p, consts) : null;
    if (prefix === null) continue;
    const plugin = parts.args[0]!;
    const name = identifierOf(src, plugin);
    let fn: { param: string; body: Span } | null = null;
    if (name) {
      const decl = new RegExp(`\\b(?:function\\s*\\*?\\s*${name}\\s*|(?:const|let|var)\\s+${name}\\s*(?::[^=]+)?=\\s*(?:async\\s+)?(?:function\\s*\\w*\\s*)?)\\(`).exec(src.skel);
      if (decl) fn = functionAt(src, decl.index + decl[0].length - 1);
    } else {
      const head = /^(?:async\s+)?(?:function\s*\w*\s*)?\(/.exec(src.skel.slice(plugin.start, plugin.end));
      if (head) fn = functionAt(src, plugin.start + head[0].length - 1);
    }
    if (fn) scopes.push({ ...fn, prefix, parent: r && !r.root.endsWith('()') ? r.root : null, at: m.index });
  }
  return scopes;
}

/** Given the "(" of a parameter list, the first parameter and the body that follows. */
function functionAt(src: Source, open: number): { param: string; body: Span } | null {
  const params = splitArgs(src, open);
  if (!params || params.args.length === 0) return null;
  const param = /^[A-Za-z_$][\w$]*/.exec(src.skel.slice(params.args[0]!.start, params.args[0]!.end))?.[0];
  if (!param) return null;
  const rest = /^(?:\s*:\s*[^{=]+)?\s*(?:=>\s*)?\{/.exec(src.skel.slice(params.end, params.end + 200));
  if (!rest) return null;
  const bodyOpen = params.end + rest[0].length - 1;
  const body = splitArgs(src, bodyOpen);
  return body ? { param, body: { start: bodyOpen, end: body.end } } : null;
}

export function detectFramework(text: string): string | null {
  const imports = [...text.matchAll(/(?:from\s*|require\s*\(\s*|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  const has = (re: RegExp): boolean => imports.some((i) => re.test(i));
  if (has(/^hono(\/|$)/)) return 'hono';
  if (has(/^fastify(\/|$)/)) return 'fastify';
  if (has(/^(koa|@koa\/router|koa-router)(\/|$)/)) return 'koa';
  if (has(/^express(\/|$)/)) return 'express';
  if (has(/^(elysia|polka|restify)(\/|$)/)) return imports.find((i) => /^(elysia|polka|restify)/.test(i))!.replace(/\/.*$/, '');
  return null;
}

/**
 * The receivers of `.listen(` calls, in order: `app`, `this.server`. Found from each `.listen(`
 * backwards (a regex that tried every identifier as the start of a receiver chain was the slowest
 * part of analysing large files): the longest `a.b.c` chain ending just before it.
 */
function listeners(src: Source): string[] {
  const out: string[] = [];
  const s = src.skel;
  for (const m of scan(src, /\.\s*listen\s*\(/)) {
    let end = m.index;
    while (end > 0 && /\s/.test(s[end - 1]!)) end--;
    let start = end;
    while (start > 0 && /[\w$.]/.test(s[start - 1]!)) start--;
    const chain = /[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*$/.exec(s.slice(start, end));
    if (chain) out.push(chain[0]);
  }
  return out;
}

function unique<T>(v: T, i: number, a: T[]): boolean {
  return a.indexOf(v) === i;
}

function dedupe(routes: RouteDefinition[]): RouteDefinition[] {
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path} ${r.line}:${r.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

