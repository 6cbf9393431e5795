import { declarationAfter } from './declarations';
import type { RouteDefinition } from './routeDefinition';
import { joinPath, normalizeRoutePath } from './routePath';
import { chainAfter } from './scanHelpers';
import { type Source, type Span, evalString, identifierOf, keywordArg, matchBracket, position, scan, splitArgs } from './sourceText';

const METHOD_FNS = /^(?:[\w]+::)*(get|post|put|patch|delete|head|options|trace|any)(?:_service)?$/;

/**
 * axum `.route("/x", get(h).post(h2))` (one route per method, `.nest("/p", …)` prefixes when the
 * nested router is a fn or a `let` in the file), actix-web `#[get("/x")]` attributes,
 * `.route("/x", web::get().to(h))` and `web::scope("/p").service(h)`, Rocket `#[get("/x/<id>")]`
 * with `.mount("/p", routes![…])`.
 */
export function rustRoutes(src: Source): RouteDefinition[] {
  const framework = /\buse\s+rocket\b|extern\s+crate\s+rocket\b/.test(src.skel) ? 'rocket' : /\buse\s+actix_web\b/.test(src.skel) ? 'actix' : /\buse\s+axum\b/.test(src.skel) ? 'axum' : null;
  const consts = new Map<string, string>();
  for (const m of scan(src, /\bconst\s+([A-Z_][A-Z0-9_]*)\s*:\s*&(?:'static\s+)?str\s*=\s*/)) {
    const end = src.skel.indexOf(';', m.index);
    const v = end < 0 ? null : evalString(src, { start: m.index + m[0].length, end }, consts);
    if (v !== null) consts.set(m[1]!, v);
  }
  // Prefix regions: axum .nest("/p", api()) / .nest("/p", api) -> the fn body / let statement.
  const regions: Array<Span & { prefix: string; at: number }> = [];
  for (const m of scan(src, /\.\s*nest\s*\(/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!parts || parts.args.length < 2) continue;
    const prefix = evalString(src, parts.args[0]!, consts);
    if (prefix === null) continue;
    const target = src.skel.slice(parts.args[1]!.start, parts.args[1]!.end);
    const call = /^(?:[\w]+::)*([A-Za-z_]\w*)\s*\([^()]*\)$/.exec(target);
    const id = /^[A-Za-z_]\w*$/.exec(target);
    if (call) {
      const decl = new RegExp(`\\bfn\\s+${call[1]}\\b[^{;]*\\{`).exec(src.skel);
      if (decl) {
        const open = decl.index + decl[0].length - 1;
        const close = matchBracket(src, open);
        if (close > 0) regions.push({ start: open, end: close, prefix, at: m.index });
      }
    } else if (id) {
      const decl = new RegExp(`\\blet\\s+(?:mut\\s+)?${id[0]}\\b[^=;]*=`).exec(src.skel.slice(0, m.index));
      if (decl) {
        const end = statementEnd(src, decl.index);
        regions.push({ start: decl.index, end, prefix, at: m.index });
      }
    } else {
      // inline: .nest("/p", Router::new().route(...))
      regions.push({ start: parts.args[1]!.start, end: parts.args[1]!.end, prefix, at: m.index });
    }
  }
  const prefixAt = (at: number, depth = 0): string => {
    if (depth > 8) return '';
    const r = regions.filter((x) => at > x.start && at < x.end).sort((a, b) => b.start - a.start)[0];
    return r ? joinPath(prefixAt(r.at, depth + 1), r.prefix) : '';
  };
  // Attribute-route prefixes by fn name: Rocket .mount("/p", routes![a, b]), actix web::scope("/p").service(a)
  const fnPrefixes = new Map<string, string[]>();
  const addFn = (fn: string, prefix: string): void => {
    fnPrefixes.set(fn, [...(fnPrefixes.get(fn) ?? []), prefix]);
  };
  for (const m of scan(src, /\.\s*mount\s*\(/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    const prefix = parts?.args[0] ? evalString(src, parts.args[0], consts) : null;
    const list = parts?.args[1] ? /^routes!\s*\[([^\]]*)\]/.exec(src.skel.slice(parts.args[1].start, parts.args[1].end)) : null;
    if (prefix === null || !list) continue;
    for (const fn of list[1]!.split(',')) if (fn.trim()) addFn(fn.trim().replace(/^.*::/, ''), prefix);
  }
  for (const m of scan(src, /\bweb\s*::\s*scope\s*\(/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    const prefix = parts?.args[0] ? evalString(src, parts.args[0], consts) : null;
    if (!parts || prefix === null) continue;
    const base = prefixAt(m.index);
    for (const c of chainAfter(src, parts.end)) {
      const id = c.name === 'service' && c.args[0] ? identifierOf(src, c.args[0]) : null;
      if (id) addFn(id.replace(/^.*::/, ''), joinPath(base, prefix));
      else if (c.name === 'route' && c.args.length >= 2) regions.push({ start: c.open, end: c.end, prefix, at: m.index });
    }
  }

  const routes: RouteDefinition[] = [];
  for (const m of scan(src, /\.\s*route\s*\(/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    if (!parts || parts.args.length < 2) continue;
    const path = evalString(src, parts.args[0]!, consts);
    if (path === null || !path.startsWith('/')) continue;
    // `app.route(` is placed on `app`, a chained `Router::new()\n.route(` on its own `.route` line.
    const ident = /([A-Za-z_][\w.]*)\s*$/.exec(src.skel.slice(Math.max(0, m.index - 100), m.index));
    const anchor = ident ? m.index - ident[0].length : m.index + m[0].indexOf('route');
    const pos = position(src, anchor);
    const full = normalizeRoutePath(joinPath(prefixAt(m.index), path));
    for (const { method, handler, actix } of methodRouter(src, parts.args[1]!)) {
      routes.push({ method, path: full, line: pos.line, column: pos.column, symbol: handler, framework: actix ? 'actix' : framework === 'actix' ? 'actix' : 'axum' });
    }
  }
  for (const m of scan(src, /#\s*\[\s*(?:[\w]+::)?(get|post|put|patch|delete|head|options|trace|route)\s*\(/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    const attrEnd = parts ? src.skel.indexOf(']', parts.end - 1) : -1;
    if (!parts || attrEnd < 0 || !parts.args[0]) continue;
    const path = evalString(src, parts.args[0], consts);
    if (path === null || !path.startsWith('/')) continue;
    let methods: Array<string | null> = [m[1]!.toUpperCase()];
    if (m[1] === 'route') {
      methods = parts.args.map((a) => keywordArg(src, a)).filter((k) => k?.name === 'method').map((k) => evalString(src, k!.value, consts)?.toUpperCase() ?? null);
      if (methods.length === 0) methods = [null];
    }
    const decl = declarationAfter(src, attrEnd + 1);
    const fn = /^(?:pub(?:\s*\([^)]*\))?\s+)?(?:async\s+)?(?:unsafe\s+)?fn\s+([A-Za-z_]\w*)/.exec(src.skel.slice(decl, decl + 200));
    if (!fn) continue;
    const pos = position(src, decl);
    const fw = framework === 'rocket' ? 'rocket' : 'actix';
    for (const prefix of fnPrefixes.get(fn[1]!) ?? ['']) {
      for (const method of methods) routes.push({ method, path: normalizeRoutePath(joinPath(prefix, path)), line: pos.line, column: pos.column, symbol: fn[1]!, framework: fw });
    }
  }
  return routes.sort((a, b) => a.line - b.line || a.column - b.column);
}

/** `get(h).post(h2)`, `axum::routing::get(h)`, `get(|| async {})`, actix `web::get().to(h)`. */
function methodRouter(src: Source, span: Span): Array<{ method: string | null; handler: string | null; actix: boolean }> {
  const head = /^((?:[\w]+::)*[\w]+)\s*\(/.exec(src.skel.slice(span.start, span.end));
  if (!head) return [];
  const open = span.start + head[0].length - 1;
  const first = splitArgs(src, open);
  if (!first) return [];
  const calls = [{ name: head[1]!, args: first.args }, ...chainAfter(src, first.end).filter((c) => c.end <= span.end)];
  const out: Array<{ method: string | null; handler: string | null; actix: boolean }> = [];
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i]!;
    const verb = METHOD_FNS.exec(c.name.replace(/\s+/g, ''));
    if (!verb) continue;
    const method = verb[1] === 'any' ? null : verb[1]!.toUpperCase();
    if (c.args.length === 0) {
      // actix web::get().to(handler)
      const to = calls[i + 1];
      if (to?.name === 'to') out.push({ method, handler: to.args[0] ? identifierOf(src, to.args[0]) : null, actix: true });
      continue;
    }
    out.push({ method, handler: identifierOf(src, c.args[0]!), actix: false });
  }
  return out;
}

function statementEnd(src: Source, from: number): number {
  let depth = 0;
  for (let k = from; k < src.skel.length; k++) {
    const c = src.skel[k]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === ';' && depth === 0) return k;
  }
  return src.skel.length;
}
