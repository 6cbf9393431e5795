/**
 * Handler ids: "METHOD /path" or a free name. Path parameters written ":id", "{id}" or "<id>"
 * (also "<int:id>", "{id:int}") are the same thing; in a budget a parameter matches any one
 * path segment of a series name, so "GET /track/:id" matches a series "GET /track/42".
 */

import { compileGlob } from '../glob';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'CONNECT']);

export interface HandlerId {
  method: string | null;
  /** Path segments, parameters as ":" (the name is irrelevant). Null for a free name. */
  segments: string[] | null;
  name: string;
}

export function parseHandlerId(id: string): HandlerId {
  const trimmed = id.trim();
  const m = /^([A-Za-z]+)\s+(\S+)$/.exec(trimmed);
  let method: string | null = null;
  let path: string | null = null;
  if (m && METHODS.has(m[1]!.toUpperCase())) {
    method = m[1]!.toUpperCase();
    path = m[2]!;
  } else if (trimmed.startsWith('/')) {
    path = trimmed;
  }
  if (path === null) return { method: null, segments: null, name: trimmed };
  return { method, segments: pathSegments(path), name: trimmed };
}

function pathSegments(path: string): string[] {
  let p = path;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(p);
  if (scheme) p = p.slice(scheme[0].length) || '/';
  p = p.replace(/[?#].*$/, '');
  return p
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (/^(:\w+\??|\{[^}]*\}|<[^>]*>|\[[^\]]*\])$/.test(s) ? ':' : s));
}

/** The canonical spelling: method upper-cased, parameters as ":param", no trailing slash. */
export function canonicalHandlerId(id: string): string {
  const h = parseHandlerId(id);
  if (!h.segments) return h.name;
  const path = `/${h.segments.map((s) => (s === ':' ? ':param' : s)).join('/')}`;
  return h.method ? `${h.method} ${path}` : path;
}

/** Does the series name belong to the budget's handler (same method, each segment equal or a parameter)? */
export function handlerMatches(budgetId: string, seriesName: string): boolean {
  const b = parseHandlerId(budgetId);
  const s = parseHandlerId(seriesName);
  if (!b.segments || !s.segments) return b.name === s.name;
  if (b.method && s.method && b.method !== s.method) return false;
  if (b.method && !s.method) return false;
  if (b.segments.length !== s.segments.length) return false;
  return b.segments.every((seg, i) => seg === ':' || seg === s.segments![i] || s.segments![i] === ':');
}

/** Glob with * and ? over a whole series name (compileGlob; compile once when matching many names). */
export function globMatches(pattern: string, name: string): boolean {
  return compileGlob(pattern)(name);
}
