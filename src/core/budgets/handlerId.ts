/**
 * Handler ids: "METHOD /path", a path, a full URL ("http://127.0.0.1:8000/api/orders/42?x=1",
 * with or without a method), or a free name ("chat.tool_call"). Path parameters in every
 * framework's and load tool's notation are the same thing: ":id", "{id}", "{id:int}", "<id>",
 * "<int:id>", "[id]" (Next.js, Locust names), "${id}" / "${}" (k6 template URLs, JMeter
 * variables), "{{ id }}" (Artillery). Catch-alls ("*", "**", ":path*", "{path...}", "{*path}",
 * "[...slug]", "[[...slug]]", "<path:p>", "{p:path}", "<p..>") match the rest of a path, none or
 * more segments; an optional parameter (":id?", "{id?}", "[:id]") matches one segment or none.
 * A query string, a fragment, repeated and trailing slashes never matter.
 */

import { compileGlob } from '../glob';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT']);

export interface HandlerId {
  method: string | null;
  /**
   * Path segments, parameters as ":" (the name is irrelevant), a catch-all as "*", parameters
   * inside a segment as ":param" ("{name}.{ext}" -> ":param.:param"). Null for a free name.
   */
  segments: string[] | null;
  name: string;
}

/** One segment of a route template or of a series name's path. */
export type PathSegment =
  | { kind: 'lit'; text: string }
  /** One segment, whatever it holds; `optional`: or none. */
  | { kind: 'param'; optional: boolean }
  /** A catch-all: the rest of the path, none or more segments. */
  | { kind: 'rest' }
  /** Parameters inside a segment ("{name}.{ext}", "<slug>-<id>"): `shape` with each as "\u0000". */
  | { kind: 'pattern'; shape: string; re: RegExp };

export interface HandlerTemplate {
  /** Upper-cased; null when the id names no method. */
  method: string | null;
  /** Null for a free name. */
  segments: PathSegment[] | null;
  /** The id, trimmed. */
  name: string;
}

const URL_PREFIX = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** Method and path of an id; path null for a free name. */
function split(id: string): { method: string | null; path: string | null; name: string } {
  const name = id.trim();
  const m = /^([A-Za-z]+)\s+(\S+)$/.exec(name);
  if (m && METHODS.has(m[1]!.toUpperCase())) return { method: m[1]!.toUpperCase(), path: m[2]!, name };
  if (name.startsWith('/') || URL_PREFIX.test(name)) return { method: null, path: name, name };
  return { method: null, path: null, name };
}

/** The path part of a path or URL: no scheme and host, no query string or fragment. */
function pathPart(p: string): string {
  const url = URL_PREFIX.exec(p);
  let rest = url ? p.slice(url[0].length) : p;
  // "?" ends the path unless it marks an optional parameter (":id?").
  const end = rest.search(/#|(?<!(?:^|\/):\w+)\?/);
  if (end >= 0) rest = rest.slice(0, end);
  return rest;
}

const REST = /^(\*\*?|:\w+[*+]|\*\w+|\{\w+\.\.\.\}|\{\*\w+\}|\[\[?\.\.\.\w*\]\]?|<path:\w+>|\{\w+:path\}|<\w+\.\.>)$/;
const OPTIONAL = /^(:\w+\?|\{\w+\?\}|\[:\w+\])$/;
const PARAM = /^(:\w+(\(.*\))?|\{\{[^{}]*\}\}|\{[^{}]*\}|<[^<>]*>|\[\w+\]|\$\{[^{}]*\})$/;
const INNER_PARAM = /\$\{[^{}]*\}|\{\{[^{}]*\}\}|\{\w+(?::[^{}]*)?\}|<(?:\w+:)?\w+>/g;

function classify(seg: string): PathSegment {
  if (REST.test(seg)) return { kind: 'rest' };
  if (OPTIONAL.test(seg)) return { kind: 'param', optional: true };
  if (PARAM.test(seg)) return { kind: 'param', optional: false };
  const parts = seg.split(INNER_PARAM);
  if (parts.length > 1) {
    const re = new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+?')}$`);
    return { kind: 'pattern', shape: parts.join('\u0000'), re };
  }
  return { kind: 'lit', text: seg };
}

/** Parses a budget's handler id or a series name into method and path segments. */
export function parseTemplate(id: string): HandlerTemplate {
  const { method, path, name } = split(id);
  if (path === null) return { method: null, segments: null, name };
  const segments = pathPart(path)
    .split('/')
    .filter((s) => s !== '')
    .map(classify);
  return { method, segments, name };
}

export function parseHandlerId(id: string): HandlerId {
  const t = parseTemplate(id);
  const segments = t.segments ? t.segments.map((s) => (s.kind === 'lit' ? s.text : s.kind === 'pattern' ? s.shape.replace(/\u0000/g, ':param') : s.kind === 'rest' ? '*' : ':')) : null;
  return { method: t.method, segments, name: t.name };
}

/** The canonical spelling: method upper-cased, parameters as ":param", no trailing slash. */
export function canonicalHandlerId(id: string): string {
  const h = parseHandlerId(id);
  if (!h.segments) return h.name;
  const path = `/${h.segments.map((s) => (s === ':' ? ':param' : s)).join('/')}`;
  return h.method ? `${h.method} ${path}` : path;
}

function segmentMatches(b: PathSegment, s: PathSegment): boolean {
  if (b.kind === 'lit') return s.kind === 'lit' && s.text === b.text;
  if (b.kind === 'param') return s.kind !== 'rest';
  if (b.kind === 'pattern') return (s.kind === 'lit' && b.re.test(s.text)) || (s.kind === 'pattern' && s.shape === b.shape);
  return true;
}

/**
 * Do the template's segments (a budget's) match the path's (a series name's)? A literal matches
 * the same text only — not a parameter of the series: a series named by its template
 * ("/orders/[id]") stands for many paths, not for "/orders/search". A parameter matches any one
 * segment, a catch-all the rest (none or more), an optional parameter one segment or none.
 */
export function pathMatches(template: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  const n = template.length;
  const m = path.length;
  // memo[i * (m + 1) + j]: 0 unknown, 1 matches, 2 does not (template[i..] against path[j..]).
  const memo = new Uint8Array((n + 1) * (m + 1));
  const go = (i: number, j: number): boolean => {
    if (i === n) return j === m;
    const k = i * (m + 1) + j;
    if (memo[k]) return memo[k] === 1;
    const b = template[i]!;
    let ok: boolean;
    if (b.kind === 'rest') ok = go(i + 1, j) || (j < m && go(i, j + 1));
    else if (b.kind === 'param' && b.optional) ok = go(i + 1, j) || (j < m && path[j]!.kind !== 'rest' && go(i + 1, j + 1));
    else ok = j < m && segmentMatches(b, path[j]!) && go(i + 1, j + 1);
    memo[k] = ok ? 1 : 2;
    return ok;
  };
  return go(0, 0);
}

/** May a budget with `budget` as method take a series with `series` as method? (Null: none named.) */
export function methodsCompatible(budget: string | null, series: string | null): boolean {
  return budget === null || series === null || budget === series;
}

/** Do the parsed budget template and series name match (method compatible, path matching; free names equal)? */
export function templateMatches(budget: HandlerTemplate, series: HandlerTemplate): boolean {
  if (!budget.segments || !series.segments) return budget.name === series.name;
  return methodsCompatible(budget.method, series.method) && pathMatches(budget.segments, series.segments);
}

/**
 * Could the series name belong to the budget's handler, taken alone? Same method (a series
 * name without one matches any), each segment matching (see pathMatches); free names equal.
 * Which budget gets a series that several match is claimSeries's (claim.ts) decision.
 */
export function handlerMatches(budgetId: string, seriesName: string): boolean {
  return templateMatches(parseTemplate(budgetId), parseTemplate(seriesName));
}

/** Glob with * and ? over a whole series name (compileGlob; compile once when matching many names). */
export function globMatches(pattern: string, name: string): boolean {
  return compileGlob(pattern)(name);
}
