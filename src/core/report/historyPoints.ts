import { type Baseline, baselineOf, HISTOGRAM_BASE64, parseBaseline } from '../baseline/baselineFile';
import { claimSeries } from '../budgets/claim';
import { metricValue } from '../budgets/evaluate';
import { mergeSeries } from '../budgets/mergeSeries';
import type { Budget } from '../config/parseConfig';
import { InputError } from '../errors';
import { parseJson } from '../formats/lines';
import type { Series } from '../series';
import { allSteps } from '../steps';

/**
 * Per budget (keyed by `budget.handler`, every budget of the config present), its p95 in each run
 * of the run history, oldest first; null where the run had none of its series. Plain data: it
 * crosses a worker boundary as it is.
 */
export type HistoryPoints = ReadonlyMap<string, ReadonlyArray<number | null>>;

/**
 * A past run for historyPoints, two ways: `summaries`, its series without histograms (the
 * percentiles its run file stores), and `withHistograms()`, the same series in the same order
 * with their histograms (decoding them is most of the cost of reading a run, so only on demand).
 */
export interface HistoryRun {
  summaries: readonly Series[];
  withHistograms: () => readonly Series[];
}


/**
 * A run file's text -> its provenance (meta, run facts) and its HistoryRun. parseBaseline reads
 * the text with the histograms taken out, so it validates everything else and decodes nothing;
 * `withHistograms()` parses `text` whole on first call. Throws InputError naming the file where
 * parseBaseline would, and for a histogram that is not base64. A histogram that is base64 but does
 * not decode is found only by `withHistograms()`: then the run's merged points are null (unknown)
 * while its single-series points still show their stored p95.
 */
export function historyRunOf(text: string, fileName: string): Pick<Baseline, 'meta' | 'run'> & { history: HistoryRun } {
  const raw = parseJson(text, fileName) as { series?: Record<string, { histogram?: unknown }> } | null;
  for (const [name, entry] of Object.entries(raw?.series ?? {})) {
    if (entry === null || typeof entry !== 'object' || !('histogram' in entry)) continue;
    if (typeof entry.histogram !== 'string' || !HISTOGRAM_BASE64.test(entry.histogram)) throw new InputError(fileName, `series ${JSON.stringify(name)}: histogram is not base64`);
    delete entry.histogram;
  }
  const { meta, run, series } = baselineOf(raw, fileName);
  let full: readonly Series[] | undefined;
  const withHistograms = () => {
    full ??= decoded(text, fileName, series);
    return full;
  };
  return { meta, ...(run ? { run } : {}), history: { summaries: series, withHistograms } };
}

/** The run's series with their histograms; where they do not decode, the summaries with no percentile (so a merge gives null). */
function decoded(text: string, fileName: string, summaries: readonly Series[]): readonly Series[] {
  try {
    return parseBaseline(text, fileName).series;
  } catch {
    return summaries.map((s) => ({ ...s, percentiles: {} }));
  }
}

/**
 * The history plot's points: each run's series claimed as evaluate() claims the current ones
 * (claimSeries over all budgets), the parts of a budget merged (mergeSeries), then its p95.
 *
 * Truth rules:
 * - A budget fed by one series of a run takes that series' stored p95: serializeBaseline stores
 *   percentileOf(series, 95), which is what its histogram gives, so no histogram is decoded.
 *   Several parts are merged from their histograms (a maximum of stored percentiles would only
 *   be a bound).
 * - Runs whose series are alike are claimed once. claimSeries decides from a series' name,
 *   benchmark, `allRequests`, `parent`, and which series share a `source` (allRequestsOf groups
 *   by it), never from its numbers; two runs with the same `claimKey` sequence therefore give
 *   the same budgets the series at the same positions. (A run file's series all carry the run
 *   file as their source, so only the grouping, not the path, is in the key.)
 */
export function historyPoints(budgets: readonly Budget[], runs: readonly HistoryRun[]): Map<string, Array<number | null>> {
  return allSteps(historyPointsSteps(budgets, runs));
}

/** historyPoints as steps, one after each run (for a caller that slices its work). */
export function* historyPointsSteps(budgets: readonly Budget[], runs: readonly HistoryRun[]): Generator<void, Map<string, Array<number | null>>, void> {
  const points = new Map<string, Array<number | null>>(budgets.map((b) => [b.handler, []]));
  const claimed = new Map<string, Map<string, number[]>>();
  for (const run of runs) {
    const key = claimKey(run.summaries);
    let positions = claimed.get(key);
    if (!positions) claimed.set(key, (positions = claimPositions(budgets, run.summaries)));
    for (const [handler, at] of positions) {
      const from = at.length > 1 ? run.withHistograms() : run.summaries;
      points.get(handler)?.push(at.length ? metricValue(mergeSeries(handler, at.map((i) => from[i]!)), 'p95') : null);
    }
    yield;
  }
  return points;
}

/** claimSeries' answer as positions in `run`, per budget. */
function claimPositions(budgets: readonly Budget[], run: readonly Series[]): Map<string, number[]> {
  const position = new Map(run.map((s, i) => [s, i]));
  const out = new Map<string, number[]>();
  for (const [handler, parts] of claimSeries(budgets, run).byBudget) out.set(handler, parts.map((s) => position.get(s)!));
  return out;
}

/** What claimSeries reads of a run's series, in order (see historyPoints). */
function claimKey(run: readonly Series[]): string {
  const sources = new Map<string, number>();
  const fields = run.map((s) => {
    if (!sources.has(s.source)) sources.set(s.source, sources.size);
    return [s.name, s.benchmark ?? null, s.allRequests === true, s.parent ?? null, sources.get(s.source)!];
  });
  return JSON.stringify(fields);
}
