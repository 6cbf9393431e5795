/**
 * Route paths as discovered: always starting with "/", parameters in every framework's
 * notation rewritten to ":name" (":name*" for a catch-all, ":name?" for an optional segment),
 * a trailing slash kept as the framework writes it.
 */

/** Joins a prefix and a path the way routers mount them: "/api" + "users" -> "/api/users". */
export function joinPath(prefix: string, path: string): string {
  if (path === '' || (path === '/' && prefix !== '')) return prefix === '' ? '/' : prefix;
  if (prefix === '' || prefix === '/') return path.startsWith('/') ? path : `/${path}`;
  return `${prefix.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

export function normalizeRoutePath(path: string): string {
  const p = path.replace(/\?<.*$/, '');
  const out = p.split('/').map(normalizeSegment).join('/');
  return out.startsWith('/') ? out : `/${out}`;
}

function normalizeSegment(seg: string): string {
  const rules: Array<[RegExp, string]> = [
    [/^\{\$\}$/, ''], // Go 1.22 end anchor
    [/^\{\*(\w+)\}$/, ':$1*'], // axum 0.8 wildcard
    [/^\{(\w+)\.\.\.\}$/, ':$1*'], // Go 1.22 wildcard
    [/^\{(\w+):path\}$/, ':$1*'], // FastAPI / Starlette path convertor
    [/^\{(\w+)(?::[^}]*)?\}$/, ':$1'], // {id}, {id:int}, {id:[0-9]+}
    [/^<path:(\w+)>$/, ':$1*'], // Flask / Django path convertor
    [/^<(?:\w+:)?(\w+)>$/, ':$1'], // <id>, <int:id>
    [/^<(\w+)\.\.>$/, ':$1*'], // Rocket segments
    [/^\[\[?\.\.\.(\w+)\]\]?$/, ':$1*'], // Next.js catch-all
    [/^\[\.\.\.\]$/, '*'], // cowboy rest
    [/^\[:(\w+)\]$/, ':$1?'], // cowboy optional
    [/^\[(\w+)\]$/, ':$1'], // Next.js dynamic
    [/^:(\w+)\(.*\)(\??)$/, ':$1$2'], // Express :id(\\d+)
    [/^\*(\w+)$/, ':$1*'], // axum 0.7 / Express 5 wildcard
    [/^\*\*$/, '*'], // Spring
  ];
  for (const [re, to] of rules) if (re.test(seg)) return seg.replace(re, to);
  // Parameters inside a segment: "file.{ext}", "<slug>-<id>".
  return seg.replace(/\{(\w+)(?::[^}]*)?\}/g, ':$1').replace(/<(?:\w+:)?(\w+)>/g, ':$1');
}

/** Django re_path / url() regex -> path: r"^users/(?P<pk>[0-9]+)/$" -> "users/:pk/". */
export function regexToPath(re: string): string {
  let p = re.replace(/^\^/, '').replace(/\$$/, '');
  p = p.replace(/\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)/g, ':$1');
  p = p.replace(/\((?:[^()]|\([^()]*\))*\)/g, ':param');
  p = p.replace(/\\\//g, '/').replace(/\\(.)/g, '$1').replace(/\?$/, '');
  return p;
}
