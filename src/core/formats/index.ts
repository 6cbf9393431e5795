import { InputError } from '../errors';
import type { FileFormatId, FormatId, Series } from '../series';
import { FILE_FORMAT_IDS } from '../series';
import type { ByteSource, ReadOptions, Reader } from './reader';
import { SeriesLimit } from './seriesLimit';
import { samplesReader } from './samples';
import { goBenchReader } from './goBench';
import { googleBenchmarkReader } from './googleBenchmark';
import { vitestBenchReader } from './vitestBench';
import { tinybenchReader } from './tinybench';
import { mitataReader } from './mitata';
import { jmhReader } from './jmh';
import { criterionReader } from './criterion';
import { benchmarkDotNetReader } from './benchmarkDotNet';
import { BINARY_GATLING_MESSAGE, gatlingLogReader, isBinaryGatlingLog } from './gatlingLog';
import { gatlingStatsReader } from './gatlingStats';
import { jmeterReader } from './jmeter';
import { jmeterXmlReader } from './jmeterXml';
import { jmeterDashboardReader } from './jmeterDashboard';
import { k6CsvReader } from './k6Csv';
import { k6SummaryReader } from './k6Summary';
import { hdrLogReader } from './hdrLog';
import { k6JsonReader } from './k6Json';
import { heyCsvReader } from './heyCsv';
import { abReader } from './ab';
import { autocannonReader } from './autocannon';
import { artilleryReader } from './artillery';
import { prometheusReader } from './prometheus';
import { otlpJsonReader } from './otlpJson';
import { locustCsvReader } from './locustCsv';
import { locustJsonReader } from './locustJson';
import { hyperfineReader } from './hyperfine';
import { pytestBenchmarkReader } from './pytestBenchmark';
import { wrk2Reader } from './wrk2';
import { wrkReader } from './wrk';
import { vegetaReportReader } from './vegetaReport';
import { vegetaResultsReader } from './vegetaResults';
import { ohaReader } from './oha';
import { bombardierReader } from './bombardier';

// Readers, in detection order: the most specific signatures first, `samples` last.
export const READERS: readonly Reader[] = [
  // (readers are added here, one import each)
  hdrLogReader,
  vegetaResultsReader, // NDJSON {"attack","seq","code","timestamp","latency"…} or header-less CSV of ns
  vegetaReportReader, // {"latencies": {"50th"…}, "status_codes"…}
  ohaReader, // {"summary": {"successRate"…}, "latencyPercentiles"…}
  bombardierReader, // {"spec", "result": {"timeTakenSeconds", "req2xx"…}}
  k6JsonReader, // NDJSON whose first line is a k6 Point/Metric record
  otlpJsonReader, // OTLP JSON: {"resourceMetrics": …}
  heyCsvReader, // exact hey CSV header
  artilleryReader, // {"aggregate": {counters/summaries…}} (2.x) or {latency, scenarioCounts…} (1.x)
  autocannonReader,
  prometheusReader,
  locustCsvReader,
  locustJsonReader, // a JSON list of Locust stats entries (--json)
  abReader,
  googleBenchmarkReader, // {"context", "benchmarks": [{"real_time", …}]}
  vitestBenchReader, // {"files": [{"groups": [{"benchmarks"}]}]}
  tinybenchReader,
  mitataReader, // before pytest-benchmark: both have "benchmarks" and "stats"
  jmhReader, // [{"benchmark", "primaryMetric"}]
  criterionReader, // sample.json {"sampling_mode", "iters", "times"} or estimates.json {"point_estimate"…}
  benchmarkDotNetReader, // {"HostEnvironmentInfo", "Benchmarks": […]}
  hyperfineReader,
  pytestBenchmarkReader,
  wrk2Reader, // before wrk: wrk2 output is wrk output plus an HdrHistogram spectrum
  wrkReader,
  k6SummaryReader,
  k6CsvReader,
  gatlingStatsReader, // Gatling report js/stats.json or js/global_stats.json: {"numberOfRequests", "percentiles1"…}
  gatlingLogReader, // Gatling 3.0-3.9 simulation.log: tab-separated RUN/USER/REQUEST/GROUP records
  jmeterDashboardReader, // JMeter HTML dashboard statistics.json: {"<label>": {"sampleCount", "pct1ResTime"…}}
  jmeterXmlReader, // before jmeter, whose detect also takes XML (to refuse it when forced)
  jmeterReader,
  goBenchReader,
  samplesReader, // last: the numeric fallback
];

export const HEAD_BYTES = 64 * 1024;

export function readerFor(id: FormatId): Reader {
  const r = READERS.find((x) => x.id === id);
  if (!r) throw new Error(`no reader registered for format ${id}`);
  return r;
}

export function isFormatId(id: string): id is FileFormatId {
  return (FILE_FORMAT_IDS as readonly string[]).includes(id);
}

/** Decodes the first bytes of a file for detection: UTF-8, BOM dropped. */
export function decodeHead(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, HEAD_BYTES));
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Which format a file is, from its first bytes and name; an InputError when none matches. */
export function detectFormat(head: string, fileName: string): FormatId {
  if (head.trim() === '') throw new InputError(fileName, 'empty file');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000e-\u001a]/.test(head.slice(0, 4096))) {
    if (isBinaryGatlingLog(head, fileName)) throw new InputError(fileName, BINARY_GATLING_MESSAGE);
    throw new InputError(fileName, 'binary file: not a result format Perf Budgets reads');
  }
  for (const r of READERS) {
    if (r.detect(head, fileName)) return r.id;
  }
  throw new InputError(
    fileName,
    `unknown result format (first line ${JSON.stringify(firstLine(head))}); set "format" to one of ${FILE_FORMAT_IDS.join(', ')}`,
  );
}

function firstLine(head: string): string {
  const l = head.split('\n', 1)[0] ?? '';
  return l.length > 60 ? `${l.slice(0, 60)}…` : l;
}

/**
 * Reads one result file. `format` "auto" (or absent) detects it from `head`. Any failure
 * is an InputError naming the file; a reader's unexpected exception is wrapped, never leaked.
 * At most `maxSeries` series: the readers of per-request data stop creating series there as
 * they read; of what the others return, the first are kept (`onWarning` is told either way).
 */
export async function readSeries(
  source: ByteSource,
  head: string,
  options: ReadOptions & { format?: FormatId | 'auto' },
): Promise<Series[]> {
  const format = !options.format || options.format === 'auto' ? detectFormat(head, options.fileName) : options.format;
  let series: Series[];
  try {
    series = await readerFor(format).read(source, options);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof Error && e.name === 'AbortError') throw e;
    throw new InputError(options.fileName, `not a valid ${format} file (${e instanceof Error ? e.message : String(e)})`);
  }
  const limit = SeriesLimit.of(options);
  series = limit.keepFirst(series);
  limit.report(options);
  return series;
}
