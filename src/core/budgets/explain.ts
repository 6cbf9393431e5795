import * as l10n from '@vscode/l10n';
import { type PathSegment, methodsCompatible, parseTemplate, pathMatches } from './handlerId';
import { levenshtein } from '../editDistance';

/**
 * Why a handler discovered in code shows no p95: plain data, worded by describeNoVerdict. Which
 * reason holds is for the front-end to find out (it knows the folder's read state); the words and
 * the nearest series are here, once.
 */
export type NoVerdictReason =
  /** No budget is placed on the route. `route` as shown ("GET /api/orders/:id"); `suggestedId`: the budget key to add. */
  | { kind: 'no-budget'; route: string; suggestedId: string }
  /** A budget names the handler but claims no series: up to 3 near series names, best first. */
  | { kind: 'no-series'; handler: string; nearest: string[] }
  /** The series that would feed it ties with other budgets' templates, so it feeds none. */
  | { kind: 'ambiguous'; handler: string; series: string; budgets: string[] }
  /** The results are missing, stale or lack the budgeted metrics: `detail` says which, as a clause. */
  | { kind: 'no-results'; handler: string; detail: string }
  /** A result file (or the config) could not be read. */
  | { kind: 'read-error'; handler: string; file: string; message: string };

/** Below this similarity (0..1) a series is not "near" a handler at all. */
const NEAR = 0.5;

/**
 * The series names nearest to a handler id, best first, at most `max`, none below a similarity
 * threshold (an unrelated name is never offered). First series whose path the handler's template
 * matches but that went elsewhere (another method; or claimed by another budget), then paths by
 * similarity: segment-wise edit distance, where a parameter fits any segment and a literal fits
 * a literal by its own edit distance ("order" near "orders"). A series of the same method ranks
 * a little higher. A free name is compared with names by edit distance.
 *
 *   nearestSeries('GET /api/orders/{order_id}', ['GET /api/order/42', 'POST /api/orders', 'GET /api/users'])
 *     → ['GET /api/order/42', 'POST /api/orders']
 */
export function nearestSeries(handlerId: string, seriesNames: readonly string[], max = 3): string[] {
  const want = parseTemplate(handlerId);
  const scored: Array<{ name: string; score: number }> = [];
  for (const name of new Set(seriesNames)) {
    const s = parseTemplate(name);
    let score: number;
    if (!want.segments || !s.segments) {
      score = want.segments || s.segments ? 0 : textSimilarity(want.name.toLowerCase(), s.name.toLowerCase());
    } else if (pathMatches(want.segments, s.segments)) {
      score = methodsCompatible(want.method, s.method) ? 3 : 2;
    } else {
      score = pathSimilarity(want.segments, s.segments) + (want.method !== null && s.method === want.method ? 0.01 : 0);
    }
    if (score >= NEAR) scored.push({ name, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, Math.max(0, max))
    .map((x) => x.name);
}

/**
 * 1 - (weighted segment edit distance) / (the heavier path's weight). A literal weighs 1, a
 * parameter or catch-all ½: paths are near by their words more than by their parameters.
 */
function pathSimilarity(a: readonly PathSegment[], b: readonly PathSegment[]): number {
  const total = Math.max(weightOf(a), weightOf(b));
  if (total === 0) return 1;
  let prev = [0];
  for (let j = 1; j <= b.length; j++) prev[j] = prev[j - 1]! + weight(b[j - 1]!);
  for (let i = 1; i <= a.length; i++) {
    const cur = [prev[0]! + weight(a[i - 1]!)];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + weight(a[i - 1]!), cur[j - 1]! + weight(b[j - 1]!), prev[j - 1]! + substitution(a[i - 1]!, b[j - 1]!));
    }
    prev = cur;
  }
  return 1 - prev[b.length]! / total;
}

function weight(s: PathSegment): number {
  return s.kind === 'lit' || s.kind === 'pattern' ? 1 : 0.5;
}

function weightOf(segs: readonly PathSegment[]): number {
  return segs.reduce((sum, s) => sum + weight(s), 0);
}

/** The cost of a series segment `s` where the template has `t`: 0 when it fits as it should. */
function substitution(t: PathSegment, s: PathSegment): number {
  if (t.kind === 'rest') return 0;
  if (t.kind === 'param') {
    if (s.kind !== 'lit') return s.kind === 'rest' ? 0.5 : 0;
    // A value ("42", a uuid) is what a parameter stands for; a word ("users") is likelier a route of its own.
    return /\d/.test(s.text) || s.text.length >= 16 ? 0 : 0.5;
  }
  if (s.kind !== 'lit') return 0.5;
  if (t.kind === 'pattern') return t.re.test(s.text) ? 0 : 0.5;
  if (s.text === t.text) return 0;
  const sim = textSimilarity(t.text.toLowerCase(), s.text.toLowerCase());
  // Unrelated words ("users", "orders") are simply different, not a third alike.
  return sim >= 0.6 ? 1 - sim : 1;
}

/** 1 - edit distance / longer length; 0 at once when the lengths alone keep it below NEAR (long names stay cheap). */
function textSimilarity(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  if (n === 0) return 1;
  if (1 - Math.abs(a.length - b.length) / n < NEAR) return 0;
  return 1 - levenshtein(a, b) / n;
}

/** One line of English for the reason, as a hover or a log shows it. */
export function describeNoVerdict(reason: NoVerdictReason): string {
  switch (reason.kind) {
    case 'no-budget':
      return l10n.t('no budget names {0} — add one', reason.route);
    case 'no-series':
      return reason.nearest.length > 0
        ? l10n.t('the budget "{0}" matched no series; nearest: {1}', reason.handler, reason.nearest.join(', '))
        : l10n.t('the budget "{0}" matched no series, and none is near it', reason.handler);
    case 'ambiguous':
      return l10n.t('the series "{0}" matches {1} equally, so it feeds none; add a "series" to one budget', reason.series, andList(reason.budgets.map((b) => `"${b}"`)));
    case 'no-results':
      return l10n.t('no results for "{0}": {1}', reason.handler, reason.detail);
    case 'read-error':
      // An InputError's message names its file already.
      return l10n.t('the results for "{0}" could not be read: {1}', reason.handler, reason.message.startsWith(reason.file) ? reason.message : `${reason.file}: ${reason.message}`);
  }
}

function andList(xs: readonly string[]): string {
  return xs.length <= 2 ? xs.join(l10n.t(' and ')) : `${xs.slice(0, -1).join(', ')}${l10n.t(' and ')}${xs[xs.length - 1]}`;
}
