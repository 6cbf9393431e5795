import { handlerMatches, parseHandlerId } from '../budgets/handlerId';
import type { FileRoute } from '../discovery/routeDefinition';
import type { FormatId } from '../series';
import { bestHandler, healthPath, routeHandlerId } from './handlers';
import type { DetectedLoadTest, DetectedStart, LoadTool, PlannedBenchmark, PlannedBudget, SetupPlan } from './plan';
import { SETUP_DEFAULTS } from './plan';
import { measuredText, proposedBudget, readableCeil } from './readable';

/**
 * The pure half of set-up: what was found in a folder (routes, load tests, result files with
 * their series' numbers, the start command) -> the proposed benchmarks and budgets, and the
 * lines saying what was and was not found. src/node/init/planSetup.ts gathers the inputs.
 */

/** The numbers of one series of an existing result file. */
export interface SeriesFacts {
  name: string;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  errorRate: number | null;
  count: number | null;
}

export interface ResultFacts {
  file: string;
  format: FormatId;
  series: SeriesFacts[];
}

export interface PlanInputs {
  routes: FileRoute[];
  /** Texts of the files the routes are in (to write parameters as the code does, and fill them). */
  routeTexts: ReadonlyMap<string, string>;
  loadTests: DetectedLoadTest[];
  results: ResultFacts[];
  start: DetectedStart | null;
  /** Lines found while walking (files skipped, scripts that could not be parsed). */
  notes: { found: string[]; notFound: string[] };
  /** What the start command looked in, for the "not found" line. */
  startSources: string;
}

/** Results written per file by these tools name their series after the file (hey: "hey-stock"). */
const FILE_NAMED: ReadonlySet<FormatId> = new Set(['hey-csv', 'ab', 'wrk', 'wrk2']);

/** The tool whose benchmark reads a result format. */
function toolOfFormat(format: FormatId): string {
  switch (format) {
    case 'locust-csv':
      return 'locust';
    case 'k6-json':
    case 'k6-csv':
    case 'k6-summary':
      return 'k6';
    case 'jmeter':
      return 'jmeter';
    case 'hey-csv':
      return 'hey';
    case 'ab':
      return 'ab';
    case 'wrk':
    case 'wrk2':
      return 'wrk';
    case 'autocannon':
      return 'autocannon';
    case 'hdr-log':
      return 'http';
    default:
      return format;
  }
}

/** Tools Perf Budgets reads the results of, and the format each writes. */
const TOOL_FORMAT: Partial<Record<LoadTool, FormatId>> = {
  k6: 'k6-json',
  locust: 'locust-csv',
  jmeter: 'jmeter',
  hey: 'hey-csv',
  ab: 'ab',
  wrk: 'wrk',
  autocannon: 'autocannon',
};

/** Tools that print no p95: their budgets are on p99. */
const NO_P95: ReadonlySet<string> = new Set(['wrk', 'autocannon']);

const FRAMEWORK_PORTS: Record<string, number> = {
  fastapi: 8000, starlette: 8000, django: 8000, flask: 5000, 'net/http': 8080, gin: 8080, echo: 1323, chi: 8080, gorilla: 8080,
  fiber: 3000, spring: 8080, micronaut: 8080, 'jax-rs': 8080, axum: 3000, actix: 8080, rocket: 8000, cowboy: 8080,
};

const LOOPBACK = /^https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?$/i;

function originOf(url: string | undefined): string | null {
  return url ? (/^(https?:\/\/[^/?#\s]+)/i.exec(url)?.[1] ?? null) : null;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function slug(path: string): string {
  return path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'root';
}

/** A unique name: "locust", then "locust-2", … */
function uniqueName(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

interface Handler {
  id: string;
  route: FileRoute;
}

interface Filled {
  path: string;
  /** Why each parameter got its value, for the comment; empty when there was none. */
  notes: string[];
  /** Parameters no value was found for (the path holds "<name>" for each). */
  missing: string[];
}

/** Concrete values of the route's parameters: from requests seen, from types (int → 1), from literals in its file. */
function fillPath(h: Handler, seen: readonly string[], text: string | undefined): Filled {
  const segs = h.route.path.split('/');
  const idSegs = parseHandlerId(h.id).segments ?? [];
  // A concrete request that matches this template, e.g. "GET /api/orders/42" from a load script.
  const sample = seen.find((s) => handlerMatches(h.id, s) && (parseHandlerId(s).segments ?? []).every((x) => x !== ':'));
  const sampleSegs = sample ? parseHandlerId(sample).segments! : null;
  const notes: string[] = [];
  const missing: string[] = [];
  let k = 0;
  const out = segs.map((seg) => {
    if (seg === '') return seg;
    const idx = k++;
    const m = /^:(\w+)([*?]?)$/.exec(seg);
    if (!m) return seg;
    const name = m[1]!;
    if (sampleSegs && sampleSegs[idx] !== undefined && idSegs.length === sampleSegs.length) {
      notes.push(`<${name}> = ${sampleSegs[idx]} as ${sample} requests it`);
      return sampleSegs[idx]!;
    }
    const v = text === undefined ? null : valueFromCode(name, text);
    if (v) {
      notes.push(`<${name}> = ${v.value}: ${v.why} (${h.route.file}); check it`);
      return v.value;
    }
    missing.push(name);
    return `<${name}>`;
  });
  return { path: out.join('/') || '/', notes, missing };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A plausible value for a path parameter, read from the code around it. */
function valueFromCode(name: string, text: string): { value: string; why: string } | null {
  const n = escapeRe(name);
  const intTyped = [
    new RegExp(`<int:${n}>|\\{${n}:int\\}`),
    new RegExp(`\\b${n}\\s*:\\s*int\\b`),
    new RegExp(`(?:Number|parseInt|parseFloat)\\(\\s*(?:req|request|ctx|c)\\.(?:params|param\\(\\s*['"]${n}['"]\\s*\\))\\s*(?:\\.${n})?`),
    new RegExp(`(?:Number|parseInt)\\(\\s*(?:req|ctx|c)\\.params\\.${n}\\b`),
    new RegExp(`\\+\\s*(?:req|ctx)\\.params\\.${n}\\b`),
    new RegExp(`\\bAtoi\\([^)]*["']${n}["']`),
    new RegExp(`@PathVariable(?:\\([^)]*\\))?\\s+(?:final\\s+)?(?:Long|long|Integer|int)\\s+${n}\\b`),
    new RegExp(`Path<\\s*(?:u|i)(?:8|16|32|64|size)\\s*>`),
  ];
  for (const re of intTyped) if (re.test(text)) return { value: '1', why: 'a number' };
  // A literal of the same key in the file's data: { id: 1 }, {"sku": "ABC-1"}, id=7.
  const keys = [name, ...(/(?:^|_)id$|Id$/.test(name) ? ['id'] : [])];
  for (const key of keys) {
    const lit = new RegExp(`["']?\\b${escapeRe(key)}\\b["']?\\s*[:=]\\s*(?:"([\\w.~-]{1,40})"|'([\\w.~-]{1,40})'|(\\d{1,12})\\b)`).exec(text);
    if (lit) {
      const value = lit[1] ?? lit[2] ?? lit[3]!;
      return { value, why: `the first ${key} literal` };
    }
  }
  // A numeric id is a fair guess when the code says nothing else: ids usually start at 1.
  if (/^(?:id|pk|.*_id|.*Id|.*ID)$/.test(name)) return { value: '1', why: 'a guess: an id, and ids usually start at 1' };
  return null;
}

/** Sorts "perf/results/locust_stats.csv" before "perf/results/locust_stats_history.csv". */
function preferStats(a: string, b: string): number {
  return Number(/_history\.csv$/.test(a)) - Number(/_history\.csv$/.test(b)) || a.localeCompare(b);
}

export function buildPlan(inputs: PlanInputs): SetupPlan {
  const found: string[] = [];
  const notFound: string[] = [];
  const { routes, loadTests, results, start } = inputs;

  // ---------- routes
  const handlers: Handler[] = [];
  const byId = new Map<string, Handler>();
  for (const route of routes) {
    const id = routeHandlerId(route, inputs.routeTexts.get(route.file));
    if (byId.has(id)) continue;
    const h = { id, route };
    byId.set(id, h);
    handlers.push(h);
  }
  const perFile = new Map<string, { n: number; frameworks: Set<string> }>();
  for (const r of routes) {
    const e = perFile.get(r.file) ?? { n: 0, frameworks: new Set<string>() };
    e.n++;
    e.frameworks.add(r.framework);
    perFile.set(r.file, e);
  }
  for (const [file, e] of perFile) found.push(`routes: ${e.n} in ${file} (${[...e.frameworks].join(', ')})`);
  if (routes.length === 0) notFound.push('no routes found in the source files (Express, Koa, Fastify, NestJS, Next.js, FastAPI, Flask, Django, Go, Spring, Rust …)');
  const health = healthPath(routes);
  if (health) found.push(`health route: GET ${health}`);
  else if (routes.length > 0) notFound.push(`no health route among the routes (looked for ${['/health', '/healthz', '/ready', '/api/health', '/status'].join(', ')} …)`);

  // ---------- load tests
  for (const t of loadTests) {
    const where = `${t.file}${t.line && t.command ? `:${t.line}` : ''}`;
    const target = t.target ? ` (${t.command ? 'target' : 'host'} ${t.target})` : '';
    found.push(`load test: ${t.tool} in ${where}${target}`);
  }
  if (loadTests.length === 0) notFound.push('no load test found (looked for k6, Locust, JMeter, Artillery and Gatling scripts, and autocannon/hey/wrk/ab/oha/vegeta in package.json scripts, Makefiles and shell scripts)');

  // ---------- start
  if (start) found.push(`start: ${start.command}${start.cwd ? ` (in ${start.cwd})` : ''} from ${start.source}${start.port !== null ? `, port ${start.port}` : ', port unknown'}`);
  else notFound.push(`no start command found (looked in ${inputs.startSources})`);

  // ---------- result files
  for (const r of results) found.push(`results: ${r.file} (${r.format}, ${plural(r.series.length, 'series', 'series')})`);
  if (results.length === 0) notFound.push('no result files found (looked in perf/, results/, reports/, load/, bench*/ and the top two folder levels)');
  found.push(...inputs.notes.found);
  notFound.push(...inputs.notes.notFound);

  const baseUrl = (): { url: string; guessed: boolean } => {
    if (start?.port != null) return { url: `http://127.0.0.1:${start.port}`, guessed: false };
    const target = loadTests.map((t) => originOf(t.target)).find((o) => o !== null && LOOPBACK.test(o));
    if (target) return { url: target, guessed: false };
    const port = routes.map((r) => FRAMEWORK_PORTS[r.framework]).find((p) => p !== undefined) ?? 3000;
    return { url: `http://127.0.0.1:${port}`, guessed: true };
  };

  // ---------- benchmarks
  const ids = handlers.map((h) => h.id);
  /** The tool a handler's results will come from, when a command-line tool measures it. */
  const plannedTool = new Map<string, string>();
  const taken = new Set<string>();
  const benchmarks: PlannedBenchmark[] = [];
  /** Result files a benchmark reads, so each is read by one. */
  const claimed = new Set<string>();
  /** Result files of a benchmark that the budgets do not read (Locust's _stats_history.csv). */
  const covered = new Set<string>();
  /** Series name -> the request it measures, for tools that name series after files. */
  const seriesRequest = new Map<string, string>();
  /** Series a generated per-route command will write, by handler. */
  const plannedSeries = new Map<string, string>();
  const resultsOf = (tool: string) => results.filter((r) => toolOfFormat(r.format) === tool && !claimed.has(r.file) && !covered.has(r.file));
  const needsHttpFallback: string[] = [];
  const startNote = start ? `start the service first (${start.command}${start.cwd ? ` in ${start.cwd}` : ''})` : 'start the service first (no start command was found)';

  const scripts = loadTests.filter((t) => !t.command);
  for (const t of scripts) {
    const existing = resultsOf(t.tool);
    const name = uniqueName(t.tool, taken);
    const description = `${t.tool} in ${t.file}`;
    if (t.tool === 'locust') {
      const file = existing.filter((r) => r.format === 'locust-csv').map((r) => r.file).sort(preferStats)[0];
      const prefix = file ? file.replace(/_stats(?:_history)?\.csv$/, '') : 'perf/results/locust';
      const host = t.target ?? baseUrl().url;
      const results = `${prefix}_stats.csv`;
      // The history file beside it is Locust's too: the budgets read the summary.
      for (const r of existing) if (r.file === results) claimed.add(r.file);
      else if (r.file === `${prefix}_stats_history.csv`) covered.add(r.file);
      benchmarks.push({
        name, tool: t.tool, description, enabled: true,
        comment: `Locust, headless, from ${t.file}: 10 users for 20 s against ${host}, its CSV summary into ${results}; ${startNote}.`,
        config: { command: `locust -f ${t.file} --headless -u 10 -r 10 -t 20s --host ${host} --csv ${prefix} --only-summary`, results, format: 'locust-csv', timeout: '2m' },
      });
    } else if (t.tool === 'k6') {
      const r = existing.find((x) => x.format.startsWith('k6-'));
      const file = r?.file ?? 'perf/results/k6.json';
      const format = r?.format ?? 'k6-json';
      if (r) claimed.add(r.file);
      const flag = format === 'k6-summary' ? `--summary-export ${file}` : format === 'k6-csv' ? `--out csv=${file}` : `--out json=${file}`;
      benchmarks.push({
        name, tool: t.tool, description, enabled: true,
        comment: `k6 from ${t.file}${t.target ? ` (${t.target})` : ''}, every request into ${file}; ${startNote}.`,
        config: { command: `k6 run ${flag} ${t.file}`, results: file, format, timeout: '5m' },
      });
    } else if (t.tool === 'jmeter') {
      const r = existing.find((x) => x.format === 'jmeter');
      const file = r?.file ?? 'perf/results/jmeter.jtl';
      if (r) claimed.add(r.file);
      benchmarks.push({
        name, tool: t.tool, description, enabled: true,
        comment: `JMeter in non-GUI mode from ${t.file}${t.target ? ` (${t.target})` : ''}, samples into ${file} (removed first: JMeter appends); ${startNote}.`,
        config: { command: `rm -f ${file} && jmeter -n -t ${t.file} -l ${file}`, results: file, format: 'jmeter', timeout: '5m' },
      });
    } else {
      // Artillery and Gatling: Perf Budgets reads neither's report.
      const command = t.tool === 'artillery' ? `artillery run ${t.file}` : `gatling.sh -s ${t.file.replace(/^.*\//, '').replace(/\.\w+$/, '')}`;
      benchmarks.push({
        name, tool: t.tool, description, enabled: false,
        comment: `${t.tool} in ${t.file}: Perf Budgets reads no ${t.tool === 'artillery' ? 'Artillery' : 'Gatling'} report, so this stays off; the built-in HTTP benchmark sends the same routes instead.`,
        config: { command, results: `perf/results/${t.tool}.json` },
      });
      needsHttpFallback.push(t.tool);
    }
  }

  // Command-line tools: one benchmark per tool, over all of its invocations.
  const cliTools = [...new Set(loadTests.filter((t) => t.command).map((t) => t.tool))];
  const getHandlers = handlers.filter((h) => h.route.method === null || h.route.method === 'GET');
  const seenRequests = [...loadTests.flatMap((t) => t.requests ?? []), ...results.flatMap((r) => r.series.map((s) => s.name))];
  for (const tool of cliTools) {
    const calls = loadTests.filter((t) => t.tool === tool && t.command);
    const format = TOOL_FORMAT[tool];
    const name = uniqueName(tool, taken);
    const files = calls.map((c) => c.file).filter((f, i, a) => a.indexOf(f) === i);
    const description = `${tool} in ${files.join(', ')}`;
    if (!format) {
      benchmarks.push({
        name, tool, description, enabled: false,
        comment: `${tool} in ${files.join(', ')}: Perf Budgets reads no ${tool} output, so this stays off; the built-in HTTP benchmark sends the same routes instead.`,
        config: { command: calls[0]!.runner ?? calls[0]!.command!, results: `perf/results/${tool}.txt` },
      });
      needsHttpFallback.push(tool);
      continue;
    }
    const withOutput = calls.filter((c) => c.output);
    if (withOutput.length > 0 && withOutput.every((c) => c.runner)) {
      const runners = [...new Set(withOutput.map((c) => c.runner!))];
      const outputs = [...new Set(withOutput.map((c) => c.output!))];
      for (const c of withOutput) {
        claimed.add(c.output!);
        const request = c.requests?.[0];
        if (!request) continue;
        const h = bestHandler(request, ids);
        if (h) plannedTool.set(h, tool);
        if (FILE_NAMED.has(format)) {
          seriesRequest.set(baseName(c.output!), request);
          if (h && !plannedSeries.has(h)) plannedSeries.set(h, baseName(c.output!));
        }
      }
      benchmarks.push({
        name, tool, description, enabled: true,
        comment: `${tool} as ${files.join(', ')} run${files.length === 1 ? 's' : ''} it (${plural(withOutput.length, 'invocation')}), results into ${outputs.length === 1 ? outputs[0] : `${outputs.length} files`}; ${startNote}.`,
        config: { command: runners.join(' && '), results: outputs.length === 1 ? outputs[0] : outputs, format, timeout: '5m' },
      });
      continue;
    }
    // No output file to read: one command per GET route, each writing its own file.
    const base = baseUrl().url;
    const lines: string[] = [];
    const ext = format === 'hey-csv' ? 'csv' : format === 'autocannon' ? 'json' : 'txt';
    for (const h of getHandlers) {
      const filled = fillPath(h, seenRequests, inputs.routeTexts.get(h.route.file));
      if (filled.missing.length > 0) continue;
      const file = `perf/results/${tool}-${slug(filled.path)}.${ext}`;
      const url = `${base}${filled.path}`;
      lines.push(
        tool === 'hey' ? `hey -z 10s -c 10 -o csv ${url} > ${file}`
        : tool === 'ab' ? `ab -n 2000 -c 10 ${url} > ${file}`
        : tool === 'wrk' ? `wrk -t2 -c10 -d10s --latency ${url} > ${file}`
        : `autocannon --json -d 10 ${url} > ${file}`,
      );
      if (FILE_NAMED.has(format)) plannedSeries.set(h.id, baseName(file));
      plannedTool.set(h.id, tool);
    }
    for (const r of resultsOf(tool)) claimed.add(r.file);
    benchmarks.push({
      name, tool, description, enabled: lines.length > 0,
      comment: `${tool} (seen in ${files.join(', ')}) once per GET route, each into its own file; ${startNote}.`,
      config: { command: ['mkdir -p perf/results', ...lines].join(' && '), results: `perf/results/${tool}-*.${ext}`, format, timeout: '5m' },
    });
  }

  const wantHttp = handlers.length > 0 && (!benchmarks.some((b) => b.enabled) || needsHttpFallback.length > 0);

  // Results whose tool no load test here runs: read them; the command is the user's to fill in.
  for (const tool of [...new Set(results.filter((r) => !claimed.has(r.file) && !covered.has(r.file)).map((r) => toolOfFormat(r.format)))]) {
    if (tool === 'http' && wantHttp) continue; // the built-in benchmark below reads its HDR log
    const files = results.filter((r) => toolOfFormat(r.format) === tool && !claimed.has(r.file) && !covered.has(r.file));
    for (const f of files) claimed.add(f.file);
    const name = uniqueName(tool === 'http' ? 'results' : tool, taken);
    benchmarks.push({
      name, tool, description: `results only: ${files.map((f) => f.file).join(', ')}`, enabled: true,
      comment: `No load test here writes ${files.length === 1 ? 'this file' : 'these files'}: set "command" to what does (as it is, run fails and says so; check reads the files).`,
      config: {
        command: `echo 'perf-budgets: set the command of benchmark ${name} in perf-budgets.json' >&2 && exit 1`,
        results: files.length === 1 ? files[0]!.file : files.map((f) => f.file),
        format: files[0]!.format,
      },
    });
  }

  // The built-in HTTP benchmark: when no load tool whose results Perf Budgets reads was found.
  if (wantHttp) {
    const { url, guessed } = baseUrl();
    const requests: Array<Record<string, unknown>> = [];
    const placeholders: NonNullable<PlannedBenchmark['placeholders']> = [];
    const notes: string[] = [];
    for (const h of handlers) {
      const filled = fillPath(h, seenRequests, inputs.routeTexts.get(h.route.file));
      const method = h.route.method ?? 'GET';
      if (method !== 'GET') {
        placeholders.push({ handler: h.id, path: filled.path, method, reason: `a ${method} sends a body you choose; add "body", then add this request` });
        continue;
      }
      if (filled.missing.length > 0) {
        placeholders.push({ handler: h.id, path: filled.path, reason: `TODO fill ${filled.missing.map((m) => `<${m}>`).join(', ')}, then add this request` });
        continue;
      }
      const req: Record<string, unknown> = { handler: h.id, path: filled.path };
      if (h.route.method === null) req.method = 'GET';
      requests.push(req);
      notes.push(...filled.notes.map((n) => `${h.id}: ${n}`));
    }
    const hdr = results.find((r) => r.format === 'hdr-log' && !claimed.has(r.file));
    if (hdr) claimed.add(hdr.file);
    const http: Record<string, unknown> = { baseUrl: url, requests, duration: '20s', connections: Math.max(10, requests.length) };
    if (start) http.start = start.command;
    http.ready = health ? `${url}${health}` : url;
    if (hdr) http.results = hdr.file;
    const config: Record<string, unknown> = { http };
    if (start?.cwd) config.cwd = start.cwd;
    const why = needsHttpFallback.length > 0 ? `instead of ${[...new Set(needsHttpFallback)].join(', ')}, whose results Perf Budgets does not read` : 'no load tool was found';
    const lines = [
      `The built-in HTTP benchmark (${why}): ${plural(requests.length, 'GET route')} for 20 s against ${url}${guessed ? ' (TODO: the port is a guess: no start command says it)' : ''}.`,
      start ? `It starts the service with "${start.command}" (${start.source}), waits for ${http.ready as string}, and stops it afterwards.` : 'TODO: no start command was found; add "start", or start the service yourself first.',
      ...notes,
    ];
    benchmarks.push({ name: uniqueName('http', taken), tool: 'http', description: `built-in HTTP benchmark of ${url}`, enabled: requests.length > 0, comment: lines.join('\n'), config, placeholders });
    for (const r of requests) if (typeof r.handler === 'string') plannedSeries.delete(r.handler);
  }

  // ---------- budgets: every handler; from results when a series matches it
  const measuredBy = new Map<string, { file: string; series: string; latencyMs: number; metric: 'p95' | 'p99' | 'p50'; errorRate: number | null; fileNamed: boolean }>();
  const unmatched: string[] = [];
  for (const r of results) {
    if (!claimed.has(r.file)) continue;
    for (const s of r.series) {
      const fileNamed = FILE_NAMED.has(r.format);
      const request = fileNamed ? seriesRequest.get(s.name) : s.name;
      const id = request === undefined ? null : handlers.length > 0 ? bestHandler(request, ids) : s.name;
      if (id === null) {
        unmatched.push(`${s.name} (${r.file})`);
        continue;
      }
      const metric = s.p95 !== null ? 'p95' : s.p99 !== null ? 'p99' : s.p50 !== null ? 'p50' : null;
      if (metric === null) continue;
      const latencyMs = s[metric]!;
      const prev = measuredBy.get(id);
      // Several series for one handler (/orders/1, /orders/2): the slowest sets the budget.
      if (!prev || latencyMs > prev.latencyMs) measuredBy.set(id, { file: r.file, series: s.name, latencyMs, metric, errorRate: s.errorRate, fileNamed });
    }
  }
  if (unmatched.length > 0) notFound.push(`series no route matches (no budget proposed): ${unmatched.slice(0, 10).join(', ')}${unmatched.length > 10 ? ` and ${unmatched.length - 10} more` : ''}`);

  const keys: Array<{ id: string; route: FileRoute | null }> = handlers.length > 0 ? handlers.map((h) => ({ id: h.id, route: h.route })) : [...measuredBy.keys()].map((id) => ({ id, route: null }));
  const budgets: PlannedBudget[] = keys.map(({ id, route }) => {
    const m = measuredBy.get(id);
    const where = route ? `${route.file}:${route.line + 1}` : 'results';
    if (m) {
      const p = proposedBudget(m.latencyMs, SETUP_DEFAULTS.headroom);
      const b: PlannedBudget = {
        handler: id, route, p95Ms: p, errorRate: errorBudget(m.errorRate, SETUP_DEFAULTS.errorRate, SETUP_DEFAULTS.headroom), from: 'results',
        comment: budgetComment(where, m, SETUP_DEFAULTS.headroom, p),
        measured: { latencyMs: m.latencyMs, errorRate: m.errorRate, file: m.file, series: m.series },
      };
      if (m.metric !== 'p95') b.metric = m.metric;
      if (m.fileNamed) b.series = m.series;
      return b;
    }
    const b: PlannedBudget = { handler: id, route, p95Ms: SETUP_DEFAULTS.p95Ms, errorRate: SETUP_DEFAULTS.errorRate, from: 'default', comment: `${where}: a default to edit (no results measure it yet)` };
    const planned = plannedSeries.get(id);
    if (planned) b.series = planned;
    if (NO_P95.has(plannedTool.get(id) ?? '')) b.metric = 'p99';
    return b;
  });

  return {
    routes,
    loadTests,
    resultFiles: results.map((r) => ({ file: r.file, format: r.format, series: r.series.map((s) => s.name) })),
    start,
    health,
    benchmarks,
    budgets,
    found,
    notFound,
  };
}

/** The error-rate budget: the default, or the measured rate × headroom rounded up when that is higher. */
export function errorBudget(measured: number | null, fallback: number, headroom: number): number {
  if (measured === null || measured * headroom <= fallback) return fallback;
  return Math.min(1, readableCeil(measured * headroom * 100) / 100);
}

export function budgetComment(where: string, m: { file: string; series: string; latencyMs: number; metric?: string; errorRate: number | null }, headroom: number, budgetMs: number): string {
  const metric = m.metric ?? 'p95';
  const errors = m.errorRate === null ? '' : `, errors ${Number((m.errorRate * 100).toPrecision(3))}%`;
  return `${where}: ${metric} ${measuredText(m.latencyMs)} in ${m.file} (${m.series}${errors}) × ${headroom} → ${measuredText(budgetMs)}`;
}

function baseName(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
