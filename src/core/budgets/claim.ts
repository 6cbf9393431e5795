import type { Budget } from '../config/parseConfig';
import { compileGlob } from '../glob';
import type { Series } from '../series';
import { type HandlerTemplate, type PathSegment, parseTemplate, templateMatches } from './handlerId';

/** A series two or more budgets' templates match equally well: it feeds none of them. */
export interface AmbiguousSeries {
  series: string;
  /** The tied budgets' handler ids, in config order. */
  budgets: string[];
}

export interface Claims {
  /** Every budget's series (keyed by `budget.handler`; an empty list when it claims none), in input order. */
  byBudget: Map<string, Series[]>;
  /** Series no budget claims, in input order (ambiguous ones are not here). */
  unclaimed: Series[];
  /** One entry per ambiguous series name, in input order. */
  ambiguous: AmbiguousSeries[];
}

/** How closely a budget's template fits: compared field by field, higher first, except `flexible` (lower first). */
interface Rank {
  /** Literal segments from the start, before the first parameter or catch-all. */
  prefix: number;
  /** Literal segments in all. */
  literals: number;
  /** Catch-alls and optional parameters: the fewer, the closer. */
  flexible: number;
  /** Segments with parameters inside ("{name}.{ext}"): more literal text than a bare parameter. */
  patterns: number;
}

interface Candidate {
  budget: Budget;
  template: HandlerTemplate;
  rank: Rank;
}

type Decision = { kind: 'explicit'; budgets: string[] } | { kind: 'template'; budget: string; methodless: boolean } | { kind: 'ambiguous'; budgets: string[] } | { kind: 'none' };

/**
 * Which budget each series feeds. Every series goes to exactly one budget, or to none (then it is
 * `unclaimed`, or `ambiguous` when budgets tie) — except through explicit globs:
 *
 * - A budget with a `series` glob claims every series the glob matches, and only those. Such a
 *   series is taken from template matching altogether (explicit wins, never ambiguous with a
 *   template); two globs matching one series both get it.
 * - Every other budget matches by its handler id as a route template (handlerId.ts): concrete
 *   paths, tools' template names ("/api/orders/[id]", "/orders/:id", "${}"), full URLs and
 *   "METHOD path" names all match "{order_id}", ":id", "<int:id>" and catch-alls; trailing
 *   slashes and query strings do not matter. A free name ("chat.tool_call") matches only itself.
 * - Methods: a series with a method matches budgets with that method or none. A series without a
 *   method (hey, many JMeter labels write none) matches budgets with any method or none, but as a
 *   fallback: a budget with a method that also claims series carrying a method (its own) takes
 *   only those, and its method-less series are unclaimed — numbers that say their method are
 *   preferred to numbers of the same template that do not, rather than merged with them.
 * - When several templates match one series the closest wins: the longest literal prefix (literal
 *   segments from the start, before the first parameter); then the most literal segments; then
 *   an exact method (the series' own, or none for a method-less series) over another; then the
 *   fewest catch-alls and optional parameters; then the most in-segment patterns. Budgets still
 *   tied make the series ambiguous: it feeds none of them (never one picked at random).
 *
 * - A budget with `benchmark` takes only series read from that benchmark's results; a budget
 *   without one takes any benchmark's except a production source's (Series.production).
 * - The tool's own all-requests rows (`allRequests`) and sub-samples (`parent`) are not handlers:
 *   no template or wildcard takes them, only a budget (or `series`) naming them exactly, and
 *   they are never listed as unclaimed. A budget with `allRequests` takes what allRequestsOf
 *   gives, beside the other budgets (it takes nothing from them).
 *
 * Series with the same name (and benchmark) are decided once and go the same way.
 */
export function claimSeries(budgets: readonly Budget[], series: readonly Series[]): Claims {
  const handlers = budgets.filter((b) => !b.allRequests);
  const explicit = handlers.filter((b) => b.series !== undefined).map((b) => ({ budget: b, matches: compileGlob(b.series!), exact: b.series! }));
  const candidates: Candidate[] = handlers
    .filter((b) => b.series === undefined)
    .map((b) => {
      const template = parseTemplate(b.handler);
      return { budget: b, template, rank: rankOf(template.segments) };
    });

  const index = new CandidateIndex(candidates);
  const decisions = new Map<string, Decision>();
  for (const s of series) {
    const key = decisionKey(s);
    if (decisions.has(key)) continue;
    const inScope = (b: Budget) => holds(b, s);
    // The tool's own total and sub-samples are not handlers: only a budget naming them exactly takes them.
    const notHandler = s.allRequests === true || s.parent !== undefined;
    const globbed = explicit.filter((e) => inScope(e.budget) && (notHandler ? e.exact === s.name : e.matches(s.name))).map((e) => e.budget.handler);
    const template = parseTemplate(s.name);
    const fitting = index.mayMatch(template).filter((c) => inScope(c.budget) && (!notHandler || c.budget.handler === s.name));
    decisions.set(key, globbed.length ? { kind: 'explicit', budgets: globbed } : decide(fitting, template));
  }

  // Budgets with a method that claim series with a method leave the method-less ones.
  const withMethodData = new Set<string>();
  for (const d of decisions.values()) if (d.kind === 'template' && !d.methodless) withMethodData.add(d.budget);
  const methodOf = new Map(candidates.map((c) => [c.budget.handler, c.template.method]));

  const byBudget = new Map<string, Series[]>(budgets.map((b) => [b.handler, []]));
  const unclaimed: Series[] = [];
  const ambiguous: AmbiguousSeries[] = [];
  const listed = new Set<string>();
  for (const s of series) {
    const d = decisions.get(decisionKey(s))!;
    if (d.kind === 'explicit') for (const h of d.budgets) byBudget.get(h)!.push(s);
    else if (d.kind === 'template' && !(d.methodless && methodOf.get(d.budget) && withMethodData.has(d.budget))) byBudget.get(d.budget)!.push(s);
    else if (d.kind === 'ambiguous') {
      if (!listed.has(s.name)) ambiguous.push({ series: s.name, budgets: d.budgets });
      listed.add(s.name);
    } else if (!s.allRequests && s.parent === undefined) unclaimed.push(s);
  }
  for (const b of budgets) if (b.allRequests) byBudget.set(b.handler, allRequestsOf(series.filter((s) => holds(b, s))));
  return { byBudget, unclaimed, ambiguous };
}

/** May the budget take series of `s`'s benchmark? Its own benchmark's only; unscoped: any but production's. */
function holds(b: Budget, s: Series): boolean {
  return b.benchmark === undefined ? s.production !== true : b.benchmark === s.benchmark;
}

/** Series of one name are decided once per benchmark: a budget's `benchmark` may take one and not the other. */
function decisionKey(s: Series): string {
  return `${s.benchmark ?? ''}\u0000${s.name}`;
}

/**
 * What an all-requests budget holds, file by file (by `benchmark` and `source`; a baseline's
 * series all come from one file, so there it is benchmark by benchmark): the tool's own all-requests row
 * where the file has one (Locust `Aggregated`, Artillery `http.response_time`, the k6 summary
 * totals), else every series of the file that is neither such a row nor a sub-sample, so no
 * request is counted twice. The evaluation merges them (mergeSeries: histograms exactly).
 */
export function allRequestsOf(series: readonly Series[]): Series[] {
  const bySource = new Map<string, Series[]>();
  for (const s of series) {
    const key = `${s.benchmark ?? ''}\u0000${s.source}`;
    let list = bySource.get(key);
    if (!list) bySource.set(key, (list = []));
    list.push(s);
  }
  const out: Series[] = [];
  for (const list of bySource.values()) {
    const own = list.filter((s) => s.allRequests);
    out.push(...(own.length ? own : list.filter((s) => s.parent === undefined)));
  }
  return out;
}

/**
 * The candidates that may match a series, in config order, without trying every template: a
 * literal segment of a template matches only the same literal of a series (pathMatches), and one
 * at a fixed position (every segment before it takes exactly one: a literal, a parameter that is
 * not optional, an in-segment pattern) must be the series' segment at that position. Each
 * template is filed under its rarest such (position, text); a free name under its name; the
 * rest (a catch-all or optional parameter before any literal) is tried for every series. Exported
 * for its test.
 */
export class CandidateIndex {
  private readonly byLiteral = new Map<string, number[]>();
  private readonly byName = new Map<string, number[]>();
  private readonly always: number[] = [];

  constructor(private readonly candidates: readonly Candidate[]) {
    const keysOf = candidates.map((c) => fixedLiterals(c.template.segments));
    const uses = new Map<string, number>();
    for (const keys of keysOf) for (const k of keys ?? []) uses.set(k, (uses.get(k) ?? 0) + 1);
    keysOf.forEach((keys, i) => {
      if (keys === null) return push(this.byName, candidates[i]!.template.name, i);
      if (keys.length === 0) return this.always.push(i);
      const rarest = keys.reduce((a, b) => (uses.get(b)! < uses.get(a)! ? b : a));
      push(this.byLiteral, rarest, i);
    });
  }

  mayMatch(series: HandlerTemplate): Candidate[] {
    const found = [...this.always];
    if (!series.segments) found.push(...(this.byName.get(series.name) ?? []));
    else series.segments.forEach((seg, i) => seg.kind === 'lit' && found.push(...(this.byLiteral.get(literalKey(i, seg.text)) ?? [])));
    return found.sort((a, b) => a - b).map((i) => this.candidates[i]!);
  }
}

/** A template's literals at fixed positions, as index keys; null for a free name. */
function fixedLiterals(segments: readonly PathSegment[] | null): string[] | null {
  if (!segments) return null;
  const keys: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.kind === 'rest' || (seg.kind === 'param' && seg.optional)) break;
    if (seg.kind === 'lit') keys.push(literalKey(i, seg.text));
  }
  return keys;
}

function literalKey(position: number, text: string): string {
  return `${position}\u0000${text}`;
}

function push<K>(map: Map<K, number[]>, key: K, i: number): void {
  const list = map.get(key);
  if (list) list.push(i);
  else map.set(key, [i]);
}

function decide(candidates: readonly Candidate[], series: HandlerTemplate): Decision {
  let best: Candidate[] = [];
  for (const c of candidates) {
    if (!templateMatches(c.template, series)) continue;
    const cmp = best.length ? compare(c, best[0]!, series) : 1;
    if (cmp > 0) best = [c];
    else if (cmp === 0) best.push(c);
  }
  if (best.length === 0) return { kind: 'none' };
  if (best.length > 1) return { kind: 'ambiguous', budgets: best.map((c) => c.budget.handler) };
  return { kind: 'template', budget: best[0]!.budget.handler, methodless: series.method === null };
}

/** > 0 when `a` fits the series better than `b`, 0 when they tie. */
function compare(a: Candidate, b: Candidate, series: HandlerTemplate): number {
  const exact = (c: Candidate) => (c.template.method === series.method ? 1 : 0);
  return (
    a.rank.prefix - b.rank.prefix ||
    a.rank.literals - b.rank.literals ||
    exact(a) - exact(b) ||
    b.rank.flexible - a.rank.flexible ||
    a.rank.patterns - b.rank.patterns
  );
}

function rankOf(segments: readonly PathSegment[] | null): Rank {
  // A free name matches only its own name: no template competes with it.
  if (!segments) return { prefix: 0, literals: 0, flexible: 0, patterns: 0 };
  const first = segments.findIndex((s) => s.kind !== 'lit');
  return {
    prefix: first < 0 ? segments.length : first,
    literals: segments.filter((s) => s.kind === 'lit').length,
    flexible: segments.filter((s) => s.kind === 'rest' || (s.kind === 'param' && s.optional)).length,
    patterns: segments.filter((s) => s.kind === 'pattern').length,
  };
}
