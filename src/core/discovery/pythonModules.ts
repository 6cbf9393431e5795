import type { ModuleRef } from './moduleFacts';
import { type Source, scan, splitArgs, textOf } from './sourceText';

/**
 * Import bindings of a Python file: local name -> candidate modules, first resolvable wins.
 * `from .routers import users` -> [module ".routers.users", attribute users of ".routers"];
 * `from app.api import router as api_router` -> [module "app.api.router", attribute router of "app.api"];
 * `import users`, `import app.users as users` -> [module].
 */
export function pyImports(src: Source): Map<string, ModuleRef[]> {
  const out = new Map<string, ModuleRef[]>();
  for (const m of scan(src, /^[ \t]*from[ \t]+([.\w]+)[ \t]+import[ \t]+/m)) {
    const from = m[1]!;
    const at = m.index + m[0].length;
    let list: string;
    if (src.skel[at] === '(') {
      const parts = splitArgs(src, at);
      if (!parts) continue;
      list = parts.args.map((a) => textOf(src, a)).join(',');
    } else {
      const end = src.skel.indexOf('\n', at);
      list = src.skel.slice(at, end < 0 ? src.skel.length : end);
    }
    for (const item of list.split(',')) {
      const p = /^\s*([A-Za-z_]\w*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/.exec(item);
      if (!p) continue;
      const sub = /^\.+$/.test(from) ? `${from}${p[1]}` : `${from}.${p[1]}`;
      out.set(p[2] ?? p[1]!, [{ spec: sub, name: null }, { spec: from, name: p[1]! }]);
    }
  }
  for (const m of scan(src, /^[ \t]*import[ \t]+([^\n]+)/m)) {
    for (const item of m[1]!.split(',')) {
      const p = /^\s*([A-Za-z_][\w.]*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/.exec(item);
      if (p) out.set(p[2] ?? p[1]!, [{ spec: p[1]!, name: null }]);
    }
  }
  return out;
}

/** The modules an included expression comes from: `users.router`, `users_router`, `admin.bp`; null when local. */
export function pyMountTargets(expr: string, imports: Map<string, ModuleRef[]>): ModuleRef[] | null {
  const parts = expr.trim().split('.');
  for (let n = parts.length; n > 0; n--) {
    const refs = imports.get(parts.slice(0, n).join('.'));
    if (!refs) continue;
    const member = parts[n];
    if (member === undefined) return refs;
    // module.member: the member of a module import; an attribute of an attribute is unknown.
    return refs.map((r) => (r.name === null ? { spec: r.spec, name: member } : { spec: r.spec, name: null }));
  }
  return null;
}
