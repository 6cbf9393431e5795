import { parseHandlerId } from '../budgets/handlerId';
import type { Budget } from '../config/parseConfig';
import type { FileRoute } from './routeDefinition';
import { levenshtein } from '../editDistance';

export interface Location {
  file: string;
  /** 0-based. */
  line: number;
  /** 0-based. */
  column: number;
  /** The route at this place; null for an `at` resolved to a symbol or a line without a route. */
  route: FileRoute | null;
}

export interface BudgetLocations {
  handler: string;
  /** Where the budget's handler is defined: the `at` when it resolves, else the matching routes. */
  locations: Location[];
  /** When nothing matched: the nearest routes (best first, at most 3), for a quick fix. */
  candidates: Location[];
}

/** Resolves "path#symbol" when no discovered route carries that symbol (the caller reads the file). */
export type SymbolResolver = (file: string, symbol: string) => { line: number; column: number } | null;

/**
 * Places budgets on discovered routes. An explicit `at` ("path#symbol", "path:line" 1-based,
 * "path:line:column") always wins. Otherwise "METHOD /path" matches routes with that method (or
 * any-method routes) whose path matches segment by segment, parameters in any notation
 * (":id", "{id}", "<int:id>", "[id]") matching each other and concrete segments; when several
 * match, the closest ones are kept (parameter against parameter before parameter against a
 * literal, an exact method before "any"). A free name ("chat.tool_call") is placed only by `at`.
 */
export function matchBudgets(budgets: ReadonlyArray<Pick<Budget, 'handler' | 'at' | 'allRequests'>>, routes: readonly FileRoute[], resolveSymbol?: SymbolResolver): BudgetLocations[] {
  return budgets.map((b) => {
    // All requests together are no route: only "at" places such a budget in code.
    if (b.allRequests && b.at === undefined) return { handler: b.handler, locations: [], candidates: [] };
    const target = parseTarget(b.handler);
    const matched = target ? bestMatches(target, routes) : [];
    if (b.at !== undefined) {
      const at = resolveAt(b.at, target, routes, resolveSymbol);
      if (at.length > 0) return { handler: b.handler, locations: at, candidates: [] };
      const candidates = matched.length > 0 ? matched.slice(0, 3) : target ? nearest(target, routes) : [];
      return { handler: b.handler, locations: [], candidates };
    }
    if (matched.length > 0) return { handler: b.handler, locations: matched, candidates: [] };
    return { handler: b.handler, locations: [], candidates: target ? nearest(target, routes) : [] };
  });
}

type Seg = { kind: 'lit'; text: string } | { kind: 'param' } | { kind: 'rest' };

interface Target {
  method: string | null;
  segs: Seg[];
}

function parseTarget(handler: string): Target | null {
  const h = parseHandlerId(handler);
  if (!h.segments) return null;
  const path = h.method ? h.name.replace(/^\S+\s+/, '') : h.name;
  return { method: h.method, segs: segments(path) };
}

export function segments(path: string): Seg[] {
  return path
    .replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '')
    .replace(/[?#].*$/, '')
    .split('/')
    .filter((s) => s !== '')
    .map((s): Seg => {
      if (/^(\*\*?|:\w+\*|\{\w+\.\.\.\}|\{\*\w+\}|\[\[?\.\.\.\w+\]\]?|<path:\w+>|\{\w+:path\}|<\w+\.\.>)$/.test(s)) return { kind: 'rest' };
      if (/^(:\w+\??|\{[^}]*\}|<[^>]*>|\[[^\]]*\])$/.test(s)) return { kind: 'param' };
      return { kind: 'lit', text: s };
    });
}

/** Penalty of matching budget segments against route segments; null when they do not match. */
function pathPenalty(a: Seg[], b: Seg[]): number | null {
  let penalty = 0;
  for (let i = 0; ; i++) {
    const x = a[i];
    const y = b[i];
    if (x?.kind === 'rest' || y?.kind === 'rest') return penalty + 10;
    if (!x || !y) return !x && !y ? penalty : null;
    if (x.kind === 'lit' && y.kind === 'lit') {
      if (x.text !== y.text) return null;
    } else if (x.kind !== y.kind) penalty++;
  }
}

function bestMatches(t: Target, routes: readonly FileRoute[]): Location[] {
  let best = Infinity;
  let out: Location[] = [];
  for (const r of routes) {
    if (t.method && r.method && t.method !== r.method) continue;
    const p = pathPenalty(t.segs, segments(r.path));
    if (p === null) continue;
    const score = p * 2 + (t.method && !r.method ? 1 : 0);
    if (score < best) {
      best = score;
      out = [];
    }
    if (score === best) out.push(locationOf(r));
  }
  return out;
}

function locationOf(r: FileRoute): Location {
  return { file: r.file, line: r.line, column: r.column, route: r };
}

function resolveAt(at: string, target: Target | null, routes: readonly FileRoute[], resolveSymbol?: SymbolResolver): Location[] {
  const hash = at.lastIndexOf('#');
  if (hash > 0) {
    const file = normalizeFile(at.slice(0, hash));
    const symbol = at.slice(hash + 1).trim();
    const bySymbol = routes.filter((r) => r.file === file && r.symbol !== null && symbolMatches(r.symbol, symbol));
    if (bySymbol.length > 0) {
      const narrowed = target ? bySymbol.filter((r) => (!target.method || !r.method || r.method === target.method) && pathPenalty(target.segs, segments(r.path)) !== null) : [];
      return (narrowed.length > 0 ? narrowed : bySymbol).map(locationOf);
    }
    const pos = resolveSymbol?.(file, symbol);
    return pos ? [{ file, line: pos.line, column: pos.column, route: null }] : [];
  }
  const lc = /^(.*?):(\d+)(?::(\d+))?$/.exec(at.trim());
  if (lc && Number(lc[2]) >= 1) {
    const file = normalizeFile(lc[1]!);
    const line = Number(lc[2]) - 1;
    const route = routes.find((r) => r.file === file && r.line === line) ?? null;
    return [{ file, line, column: lc[3] ? Math.max(0, Number(lc[3]) - 1) : route?.column ?? 0, route }];
  }
  return [];
}

function symbolMatches(routeSymbol: string, wanted: string): boolean {
  if (routeSymbol === wanted) return true;
  const last = (s: string): string => s.replace(/:\w+\/\d+$/, '').split(/\.|::/).pop() ?? s;
  return last(routeSymbol) === last(wanted) || routeSymbol.replace(/:.*$/, '') === wanted;
}

function normalizeFile(f: string): string {
  return f.trim().replace(/\\/g, '/').replace(/^\.\//, '');
}

/** Up to 3 routes nearest to the budget: same path with another method first, then by similarity. */
function nearest(t: Target, routes: readonly FileRoute[]): Location[] {
  const key = (segs: Seg[]): string => `/${segs.map((s) => (s.kind === 'lit' ? s.text : s.kind === 'param' ? ':' : '*')).join('/')}`;
  const want = key(t.segs);
  const scored = routes.map((r) => {
    const segs = segments(r.path);
    let sim: number;
    if (pathPenalty(t.segs, segs) !== null) sim = 2;
    else {
      const n = Math.max(t.segs.length, segs.length, 1);
      let same = 0;
      for (let i = 0; i < Math.min(t.segs.length, segs.length); i++) {
        const a = t.segs[i]!;
        const b = segs[i]!;
        if (a.kind !== 'lit' || b.kind !== 'lit' ? a.kind === b.kind : a.text === b.text) same++;
      }
      const k = key(segs);
      sim = Math.max(same / n, 1 - levenshtein(want, k) / Math.max(want.length, k.length, 1));
    }
    const methodBonus = t.method && r.method === t.method ? 0.01 : 0;
    return { r, score: sim + methodBonus };
  });
  return scored
    .filter((s) => s.score >= 0.5)
    .sort((a, b) => b.score - a.score || a.r.file.localeCompare(b.r.file) || a.r.line - b.r.line)
    .slice(0, 3)
    .map((s) => locationOf(s.r));
}
