/**
 * Resolves an import specifier to a workspace file by relative paths only (no node_modules, no
 * tsconfig paths beyond "@/" and "~/" as "src/"), against the files the caller knows.
 */

const JS_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'];
/** ESM TypeScript imports name the emitted file: "./m.js" is m.ts. */
const EMITTED: Record<string, string[]> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };

export function resolveModule(fromFile: string, spec: string, has: (file: string) => boolean): string | null {
  const candidates = /\.py$/.test(fromFile) ? pythonCandidates(fromFile, spec) : jsCandidates(fromFile, spec);
  return candidates.find(has) ?? null;
}

function jsCandidates(fromFile: string, spec: string): string[] {
  const clean = spec.replace(/[?#].*$/, '');
  let bases: string[];
  if (clean.startsWith('./') || clean.startsWith('../') || clean === '.' || clean === '..') bases = [joinRel(dirname(fromFile), clean)];
  else if (clean.startsWith('/')) bases = [joinRel('', clean.slice(1))];
  else if (/^[@~]\//.test(clean)) bases = [joinRel('src', clean.slice(2)), joinRel('', clean.slice(2))];
  else return [];
  const out: string[] = [];
  for (const base of bases) {
    if (base === null) continue;
    const ext = /\.[cm]?jsx?$/.exec(base)?.[0];
    if (ext) out.push(...(EMITTED[ext] ?? []).map((e) => base.slice(0, -ext.length) + e));
    out.push(base, ...JS_EXTENSIONS.map((e) => base + e), ...JS_EXTENSIONS.map((e) => `${base}/index${e}`));
  }
  return out.map((p) => p.replace(/^\//, ''));
}

function pythonCandidates(fromFile: string, spec: string): string[] {
  const dots = /^\.*/.exec(spec)![0].length;
  const rest = spec.slice(dots).split('.').filter(Boolean).join('/');
  const files = (dir: string): string[] => {
    const base = [dir, rest].filter(Boolean).join('/');
    return rest ? [`${base}.py`, `${base}/__init__.py`] : [`${base}/__init__.py`.replace(/^\//, '')];
  };
  if (dots > 0) {
    let dir = dirname(fromFile);
    for (let i = 1; i < dots; i++) dir = dirname(dir);
    return files(dir);
  }
  // Absolute: the importing file's directory and its ancestors (package roots), then src/.
  const roots: string[] = [];
  for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
    roots.push(dir);
    if (dir === '') break;
  }
  roots.push('src');
  return roots.flatMap(files);
}

function dirname(file: string): string {
  const i = file.lastIndexOf('/');
  return i < 0 ? '' : file.slice(0, i);
}

/** "a/b" + "../c/./d" -> "a/c/d"; "" when it climbs above the root. */
function joinRel(dir: string, rel: string): string {
  const parts = dir === '' ? [] : dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}
