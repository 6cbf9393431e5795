import * as l10n from '@vscode/l10n';
import { nearestSeries, type NoVerdictReason } from '../core/budgets/explain';
import type { HandlerResult } from '../core/budgets/verdict';
import { CONFIG_FILE } from './ids';

/**
 * Why a handler in code shows no p95, from what the editor knows of its folder — plain data, no
 * `vscode` (whyNoVerdict.ts gathers the facts and shows the answer). The reasons and their words
 * are core's (src/core/budgets/explain.ts); this only picks which one holds, in this order:
 * the folder's last read failed; the results are stale (a failed or cancelled run); they have not
 * been read yet; the series tie between budgets; no series matched (nearest names listed when
 * there are near ones); a configured benchmark has no results yet; the results lack every
 * budgeted metric.
 */

/** What a folder's state says, for every handler in it. */
export interface FolderFacts {
  /** The last read failed: the file it names (relative to the folder) and the one-line message. */
  error: { file: string; message: string; /** No result file exists yet ("run the benchmarks first"), rather than a bad one. */ noResults: boolean } | null;
  /** The results were read at least once (there is a model, maybe an older one). */
  read: boolean;
  /** Why the shown results are stale (the last run failed or a read was cancelled); null when current. */
  stale: string | null;
  /** Names of the series read. */
  seriesNames: readonly string[];
  /** Series that tie between budgets (claimed by none). */
  ambiguous: ReadonlyArray<{ series: string; budgets: readonly string[] }>;
  /** Configured benchmarks none of whose result files gave a series: name and result globs. */
  benchmarksWithoutResults: ReadonlyArray<{ name: string; results: readonly string[] }>;
}

/** A discovered route, as the route index gives it. */
export interface RouteFacts {
  /** Upper case, null when the route takes any method. */
  method: string | null;
  /** Parameters as ":name". */
  path: string;
}

/** The budget key "Add Budget" writes for a route: "GET /api/orders/:order_id" (the route's path as found). */
export function budgetKeyForRoute(route: RouteFacts): string {
  return route.method ? `${route.method} ${route.path}` : route.path;
}

/** A route no budget is placed on: no budget names it, unless the config itself could not be read. */
export function reasonForRoute(route: RouteFacts, facts: FolderFacts, configRead: boolean): NoVerdictReason {
  const id = budgetKeyForRoute(route);
  if (!configRead && facts.error) return { kind: 'read-error', handler: id, file: facts.error.file, message: facts.error.message };
  return { kind: 'no-budget', route: id, suggestedId: id };
}

/** A placed budget: null when it shows a verdict (any budgeted metric has a value), else why not. */
export function reasonForBudget(handler: string, result: HandlerResult | undefined, facts: FolderFacts): NoVerdictReason | null {
  if (result && result.verdicts.some((v) => v.status !== 'missing')) return null;
  if (facts.error) {
    return facts.error.noResults
      ? { kind: 'no-results', handler, detail: facts.error.message }
      : { kind: 'read-error', handler, file: facts.error.file, message: facts.error.message };
  }
  if (facts.stale) return { kind: 'no-results', handler, detail: l10n.t('the results are stale: {0}', facts.stale) };
  if (!facts.read || !result) return { kind: 'no-results', handler, detail: l10n.t('the results have not been read yet') };
  if (result.current === null) {
    const tie = facts.ambiguous.find((a) => a.budgets.includes(handler));
    if (tie) return { kind: 'ambiguous', handler, series: tie.series, budgets: [...tie.budgets] };
    const nearest = nearestSeries(handler, facts.seriesNames);
    if (nearest.length > 0) return { kind: 'no-series', handler, nearest };
    const empty = facts.benchmarksWithoutResults[0];
    if (empty) return { kind: 'no-results', handler, detail: l10n.t('benchmark "{0}" has no results yet ({1})', empty.name, empty.results.join(', ')) };
    return { kind: 'no-series', handler, nearest: [] };
  }
  const metrics = result.verdicts.map((v) => v.metric).join(', ');
  return { kind: 'no-results', handler, detail: l10n.t('the results of {0} give no {1}', result.current.name, metrics) };
}

/** What the user can do next: the buttons of the explanation. */
export type NextStep =
  | { kind: 'add-budget'; title: string; key: string }
  | { kind: 'use-series'; title: string; handler: string; series: string }
  | { kind: 'run'; title: string }
  | { kind: 'open-file'; title: string; file: string }
  | { kind: 'open-config'; title: string };

export function nextSteps(reason: NoVerdictReason): NextStep[] {
  switch (reason.kind) {
    case 'no-budget':
      return [{ kind: 'add-budget', title: 'Add Budget', key: reason.suggestedId }];
    case 'no-series':
      return reason.nearest.length > 0
        ? reason.nearest.map((series) => ({ kind: 'use-series', title: `Use Series ${series}`, handler: reason.handler, series }))
        : [{ kind: 'open-config', title: `Open ${CONFIG_FILE}` }];
    case 'ambiguous':
      return [{ kind: 'use-series', title: `Use Series ${reason.series}`, handler: reason.handler, series: reason.series }];
    case 'no-results':
      return [{ kind: 'run', title: 'Run Benchmarks' }];
    case 'read-error':
      return [{ kind: 'open-file', title: reason.file === CONFIG_FILE ? `Open ${CONFIG_FILE}` : 'Open Result File', file: reason.file }];
  }
}
