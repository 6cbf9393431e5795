import { InputError, quote } from '../errors';
import type { FormatId, Series } from '../series';
import { sameBounds } from './mergeSeries';

/**
 * What to write instead, per format that holds only percentiles: the output of the same tool (or
 * setup) whose files add up. `what` names such files in the message.
 */
const EVERY_REQUEST = 'use a tool that writes every request (hey -o csv, k6 --out json) or the built-in HTTP benchmark';
const LOCUST_MASTER = "run Locust distributed (--master and --worker) and read the master's --csv stats: the master aggregates its workers";
const INSTEAD: Partial<Record<FormatId, { what: string; use: string }>> = {
  'k6-summary': { what: 'k6 summaries', use: 'write raw points with `k6 run --out json=results/host-N.json` (or --out csv=…) on each generator' },
  autocannon: {
    what: 'autocannon --json summaries',
    use: '--json has only percentiles: use the built-in HTTP benchmark ("http" in perf-budgets.json: an HdrHistogram log) or write hdr logs',
  },
  wrk: { what: 'wrk reports', use: `wrk prints only percentiles: ${EVERY_REQUEST}` },
  wrk2: { what: 'wrk2 reports', use: `wrk2 prints only percentiles: ${EVERY_REQUEST}` },
  'locust-csv': { what: 'Locust stats CSVs', use: LOCUST_MASTER },
  'locust-json': { what: 'Locust JSON stats', use: LOCUST_MASTER },
  'jmeter-dashboard': { what: 'JMeter dashboard statistics', use: "read the JTL instead: in remote (distributed) mode the controller's JTL holds every engine's samples" },
  'gatling-stats': { what: 'Gatling stats.json files', use: "read each generator's simulation.log instead" },
  'vegeta-report': { what: 'vegeta reports', use: 'read the per-request results (vegeta attack -output=results.bin, or vegeta encode --to csv) instead' },
  prometheus: { what: 'Prometheus summaries', use: 'quantiles of a summary cannot be added: expose a histogram (…_bucket series) instead' },
  'prometheus-api': { what: 'Prometheus query results', use: "read one source per benchmark: its query already sums every instance's buckets" },
};

/**
 * Why `parts` (the series one budget merges) cannot be merged, as the InputError to show, or null.
 * The files of ONE run are the series of one handler (the same name) that one benchmark (or the
 * results named on the command line) read from two or more files: generators that measured it
 * side by side. Refused, when they do not add up exactly: any of them holding only percentiles
 * (no histogram, no bucket counts), buckets with different bounds or units, or histograms beside
 * buckets. Their percentiles are never averaged, and the highest per percentile (mergeSeries'
 * bound for other merges) would hide that the number is not the run's. Not refused: different
 * handlers one budget takes (a template, a `series` glob, all requests), each file its own
 * measurement; different benchmarks; the runs of a repeat (merged before: mergeRuns).
 */
export function mergeRefusal(handler: string, parts: readonly Series[]): InputError | null {
  const runs = new Map<string, Series[]>();
  for (const p of parts) {
    const key = JSON.stringify([p.benchmark ?? null, p.name]);
    const run = runs.get(key);
    if (run) run.push(p);
    else runs.set(key, [p]);
  }
  for (const run of runs.values()) {
    const files = [...new Set(run.map((p) => p.source))];
    if (files.length < 2) continue;
    const reason = refusalReason(handler, run, files.length);
    if (reason) return new InputError(fileList(files), reason);
  }
  return null;
}

function refusalReason(handler: string, run: readonly Series[], files: number): string | null {
  if (run.every((p) => p.histogram)) return null;
  const budget = quote(handler, 60);
  const percentileOnly = run.filter((p) => !p.histogram && !p.bucketCounts);
  if (percentileOnly.length > 0) {
    const format = percentileOnly[0]!.format;
    const instead = INSTEAD[format] ?? { what: `${format} results`, use: 'they hold only percentiles: write every request (a raw-sample format) on each generator' };
    return `${instead.what} from ${files} files cannot be merged into one p95 for ${budget} (percentiles are never averaged); ${instead.use}`;
  }
  if (run.some((p) => p.histogram)) {
    return `histograms and Prometheus buckets from ${files} files cannot be added for ${budget}; read the same format from every generator`;
  }
  const first = run[0]!.bucketCounts!;
  if (run.some((p) => !sameBounds(p.bucketCounts!, first))) {
    return `Prometheus buckets of ${budget} from ${files} files have different bounds (le) and cannot be summed; give every instance the same buckets`;
  }
  return null;
}

/** The files, as a message names them: three at most, then how many more. */
function fileList(files: readonly string[]): string {
  return files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')} and ${files.length - 3} more`;
}
