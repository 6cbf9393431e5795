import type { RouteDefinition } from './routeDefinition';
import { normalizeRoutePath } from './routePath';
import { type Source, matchBracket, position, readLiteral, scan } from './sourceText';

/**
 * cowboy dispatch entries `{"/x/:id", x_handler, []}` (also with constraints
 * `{"/x/:id", [{id, int}], x_handler, Opts}` and binary paths): any method, the tuple's line,
 * symbol "x_handler:init/2" (findSymbol finds `init(` in x_handler.erl).
 */
export function erlangRoutes(src: Source): RouteDefinition[] {
  const routes: RouteDefinition[] = [];
  for (const m of scan(src, /\{\s*(?=<<"|")/)) {
    const lit = readLiteral(src, m.index + m[0].length);
    if (!lit || !lit.value.startsWith('/')) continue;
    let k = lit.end;
    const comma = /^\s*,\s*/.exec(src.skel.slice(k, k + 50));
    if (!comma) continue;
    k += comma[0].length;
    if (src.skel[k] === '[') {
      const close = matchBracket(src, k);
      const next = close < 0 ? null : /^\s*,\s*/.exec(src.skel.slice(close + 1, close + 50));
      if (!next) continue;
      k = close + 1 + next[0].length;
    }
    const mod = /^([a-z][\w@]*|'[^']+')\s*[,}]/.exec(src.text.slice(k, k + 200));
    if (!mod) continue;
    const name = mod[1]!.replace(/^'|'$/g, '');
    const pos = position(src, m.index);
    routes.push({ method: null, path: normalizeRoutePath(lit.value), line: pos.line, column: pos.column, symbol: `${name}:init/2`, framework: 'cowboy' });
  }
  return routes;
}
