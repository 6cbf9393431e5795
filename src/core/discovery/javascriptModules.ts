import type { ModuleRef } from './moduleFacts';
import { type Source, readLiteral, scan, splitArgs, textOf } from './sourceText';

/**
 * Import bindings of a JS/TS file: local name -> module and exported name.
 * `import x from './m'` -> default; `import { a as b }` -> a; `import * as m` -> "*";
 * `const x = require('./m')` -> default; `const { a } = require('./m')`, `require('./m').a` -> a;
 * `import x = require('./m')` -> default.
 */
export function jsImports(src: Source): Map<string, ModuleRef> {
  const out = new Map<string, ModuleRef>();
  for (const m of scan(src, /\bimport\s+(?!type\s+[\w{*])([^;'"()]*?)\s*\bfrom\s*(?=['"])/)) {
    const spec = readLiteral(src, m.index + m[0].length)?.value;
    if (spec === undefined) continue;
    importClause(m[1]!, spec, out);
  }
  for (const m of scan(src, /\b(?:(?:const|let|var)\s+([A-Za-z_$][\w$]*|\{[^}]*\})\s*(?::[^=;]+)?=|import\s+([A-Za-z_$][\w$]*)\s*=)\s*require\s*\(\s*(?=['"])/)) {
    const lit = readLiteral(src, m.index + m[0].length);
    if (!lit) continue;
    const close = /^\s*\)/.exec(src.skel.slice(lit.end, lit.end + 20));
    if (!close) continue;
    const member = /^\s*\.\s*([A-Za-z_$][\w$]*)/.exec(src.skel.slice(lit.end + close[0].length, lit.end + close[0].length + 80))?.[1];
    const binding = m[1] ?? m[2]!;
    if (binding.startsWith('{')) {
      for (const part of binding.slice(1, -1).split(',')) {
        const p = /^\s*([A-Za-z_$][\w$]*)\s*(?::\s*([A-Za-z_$][\w$]*))?\s*$/.exec(part);
        if (p) out.set(p[2] ?? p[1]!, { spec: lit.value, name: member ? null : p[1]! });
      }
    } else out.set(binding, { spec: lit.value, name: member ?? 'default' });
  }
  return out;
}

function importClause(clause: string, spec: string, out: Map<string, ModuleRef>): void {
  let rest = clause.trim();
  const def = /^([A-Za-z_$][\w$]*)\s*(?:,\s*|$)/.exec(rest);
  if (def) {
    out.set(def[1]!, { spec, name: 'default' });
    rest = rest.slice(def[0].length);
  }
  const ns = /^\*\s*as\s+([A-Za-z_$][\w$]*)/.exec(rest);
  if (ns) out.set(ns[1]!, { spec, name: '*' });
  const named = /^\{([^}]*)\}/.exec(rest);
  if (named) {
    for (const part of named[1]!.split(',')) {
      const p = /^\s*(?:type\s+)?([A-Za-z_$][\w$]*)\s*(?:as\s+([A-Za-z_$][\w$]*))?\s*$/.exec(part);
      if (p && !/^\s*type\s+\w/.test(part)) out.set(p[2] ?? p[1]!, { spec, name: p[1]! });
    }
  }
}

/**
 * Exported name -> local binding: `export const x`, `export function x`, `export default x`,
 * `export { a as b }`, `module.exports = x`, `module.exports = { a, b: c }`, `exports.a = x`.
 */
export function jsExports(src: Source): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of scan(src, /\bexport\s+(?:declare\s+)?(?:const|let|var|class|(?:async\s+)?function\s*\*?)\s*([A-Za-z_$][\w$]*)/)) out[m[1]!] = m[1]!;
  for (const m of scan(src, /\bexport\s+default\s+([A-Za-z_$][\w$]*)\s*(?:;|$)/m)) out.default = m[1]!;
  for (const m of scan(src, /\bexport\s+default\s+(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)/)) out.default = m[1]!;
  for (const m of scan(src, /\bexport\s*\{([^}]*)\}(?!\s*from\b)/)) {
    for (const part of m[1]!.split(',')) {
      const p = /^\s*(?:type\s+)?([A-Za-z_$][\w$]*)\s*(?:as\s+([A-Za-z_$][\w$]*))?\s*$/.exec(part);
      if (p) out[p[2] ?? p[1]!] = p[1]!;
    }
  }
  for (const m of scan(src, /\bmodule\s*\.\s*exports\s*=\s*([A-Za-z_$][\w$]*)\s*(?:;|$)/m)) out.default = m[1]!;
  for (const m of scan(src, /\bmodule\s*\.\s*exports\s*=\s*\{/)) {
    const parts = splitArgs(src, m.index + m[0].length - 1);
    for (const a of parts?.args ?? []) {
      const p = /^([A-Za-z_$][\w$]*)\s*(?::\s*([A-Za-z_$][\w$]*))?$/.exec(textOf(src, a).trim());
      if (p) out[p[1]!] = p[2] ?? p[1]!;
    }
  }
  for (const m of scan(src, /(?<![\w$.])(?:module\s*\.\s*)?exports\s*\.\s*([A-Za-z_$][\w$]*)\s*=\s*([A-Za-z_$][\w$]*)\s*(?:;|$)/m)) out[m[1]!] = m[2]!;
  return out;
}

/**
 * The module a mounted expression comes from: `ordersRouter` (imported), `orders.router`
 * (namespace import), `require('./m')`, `require('./m').router`; null when it is local.
 */
export function jsMountTarget(src: Source, text: string, imports: Map<string, ModuleRef>): ModuleRef | null {
  const t = text.trim().replace(/\s*\.\s*(routes|middleware)\s*\(\s*\)$/, '');
  const req = /^require\s*\(\s*(['"])([^'"]+)\1\s*\)(?:\s*\.\s*([A-Za-z_$][\w$]*))?$/.exec(t);
  if (req) return { spec: req[2]!, name: req[3] ?? 'default' };
  const id = /^([A-Za-z_$][\w$]*)(?:\s*\.\s*([A-Za-z_$][\w$]*))?$/.exec(t);
  if (!id) return null;
  const imp = imports.get(id[1]!);
  if (!imp) return null;
  if (!id[2]) return imp.name === '*' ? { spec: imp.spec, name: null } : imp;
  return { spec: imp.spec, name: imp.name === '*' ? id[2] : null };
}

/**
 * Functions that register routes on their first parameter (Fastify plugins, `(router) => {…}`):
 * local name ("default" for an anonymous default export) -> that parameter.
 */
export function jsPlugins(src: Source): Record<string, string> {
  const out: Record<string, string> = {};
  const P = '\\(\\s*([A-Za-z_$][\\w$]*)';
  const patterns: Array<[RegExp, (m: RegExpExecArray) => [string, string]]> = [
    [new RegExp(`\\b(export\\s+default\\s+)?(?:async\\s+)?function\\s*\\*?\\s*([A-Za-z_$][\\w$]*)?\\s*${P}`), (m) => [m[2] ?? (m[1] ? 'default' : ''), m[3]!]],
    [new RegExp(`\\b(?:const|let|var)\\s+([A-Za-z_$][\\w$]*)\\s*(?::[^=;]+)?=\\s*(?:async\\s+)?(?:function\\s*\\w*\\s*)?(?:${P}|([A-Za-z_$][\\w$]*)\\s*=>)`), (m) => [m[1]!, m[2] ?? m[3]!]],
    [new RegExp(`(?:\\bmodule\\s*\\.\\s*exports|\\bexport\\s+default)\\s*=?\\s*(?:async\\s+)?(?:function\\s*\\w*\\s*)?(?:${P}|([A-Za-z_$][\\w$]*)\\s*=>)`), (m) => ['default', m[1] ?? m[2]!]],
  ];
  for (const [re, pick] of patterns) {
    for (const m of scan(src, re)) {
      const [name, param] = pick(m);
      if (name && param && !(name in out)) out[name] = param;
    }
  }
  return out;
}
