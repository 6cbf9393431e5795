#!/usr/bin/env node
// The import rules of src/, checked by `npm run typecheck` (and so by `npm test`):
// - no import circles between the files of src/ (type-only imports count too: a circle of types
//   is the same knot, and the next value import closes it);
// - src/core imports no Node module, no `vscode` and nothing outside src/core (its own tsconfig,
//   src/core/tsconfig.json, has no Node or DOM types; this catches what types cannot, such as
//   `require('node:zlib')`);
// - src/webview imports only itself and the pure src/core.
// Prints each violation on its own line and exits 1 when there is any.
//
//   node test/checkImports.mjs [SRC_DIR]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SRC = path.resolve(process.argv[2] ?? path.join(REPO, 'src'));

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    return statSync(abs).isDirectory() ? files(abs) : /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [abs] : [];
  });
}

/** Module specifiers a file imports: static imports and exports, require(), import(). */
export function specifiers(text) {
  const out = [];
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const re of [/^\s*(?:import|export)\s[^'"`;]*?\sfrom\s*['"]([^'"]+)['"]/gm, /^\s*import\s*['"]([^'"]+)['"]/gm, /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g]) {
    for (const m of noComments.matchAll(re)) out.push(m[1]);
  }
  return out;
}

function resolveLocal(from, spec) {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      /* next */
    }
  }
  return null;
}

const rel = (abs) => path.relative(SRC, abs).split(path.sep).join('/');
const all = files(SRC);
const graph = new Map();
const problems = [];
for (const file of all) {
  const edges = [];
  const where = rel(file);
  for (const spec of specifiers(readFileSync(file, 'utf8'))) {
    const target = resolveLocal(file, spec);
    if (where.startsWith('core/')) {
      if (!target) problems.push(`${where}: src/core imports ${JSON.stringify(spec)} (no Node, vscode or package modules in the core but these: zod, hdr-histogram-js, pako, jsonc-parser, @vscode/l10n)`);
      else if (!rel(target).startsWith('core/')) problems.push(`${where}: src/core imports ${rel(target)} from outside src/core`);
    }
    if (where.startsWith('webview/') && target && !/^(webview|core)\//.test(rel(target))) {
      problems.push(`${where}: the webview imports ${rel(target)} (only src/webview and src/core)`);
    }
    if (target) edges.push(target);
  }
  graph.set(file, edges);
}
// The packages the core may use: pure JavaScript, no I/O.
const CORE_PACKAGES = new Set(['zod', 'hdr-histogram-js', 'pako', 'jsonc-parser', '@vscode/l10n']);
const packageOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
for (let i = problems.length - 1; i >= 0; i--) {
  const m = /src\/core imports "([^"]+)" \(no Node/.exec(problems[i]);
  if (m && CORE_PACKAGES.has(packageOf(m[1]))) problems.splice(i, 1);
}

// Tarjan's strongly connected components: every component of more than one file is a circle.
let index = 0;
const stack = [];
const meta = new Map();
const circles = [];
function strongConnect(v) {
  meta.set(v, { index, low: index, onStack: true });
  index++;
  stack.push(v);
  for (const w of graph.get(v) ?? []) {
    if (!meta.has(w)) {
      strongConnect(w);
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).low);
    } else if (meta.get(w).onStack) {
      meta.get(v).low = Math.min(meta.get(v).low, meta.get(w).index);
    }
  }
  if (meta.get(v).low === meta.get(v).index) {
    const component = [];
    let w;
    do {
      w = stack.pop();
      meta.get(w).onStack = false;
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) circles.push(component.map(rel).sort());
  }
}
for (const v of graph.keys()) if (!meta.has(v)) strongConnect(v);
for (const c of circles) problems.push(`import circle: ${c.join(' <-> ')}`);

if (problems.length) {
  for (const p of problems) console.error(`checkImports: ${p}`);
  console.error(`checkImports: ${problems.length} problem(s) in ${all.length} files of ${path.relative(REPO, SRC) || SRC}`);
  process.exit(1);
}
console.log(`checkImports: ${all.length} files of ${path.relative(REPO, SRC) || SRC}: no import circles; src/core imports no Node module`);
