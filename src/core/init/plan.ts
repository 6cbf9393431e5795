import type { FileRoute } from '../discovery/routeDefinition';
import type { FormatId } from '../series';

/**
 * What `perf-budgets init` (and the editor's "Set Up Budgets…") found in a folder and proposes
 * to write: plain data, built by planSetup (src/node/init/planSetup.ts) and turned into the text
 * of perf-budgets.json by renderConfig.
 */

/** Load tools set-up recognises; the first five by their script files, the others by their command lines. */
export const LOAD_TOOLS = ['k6', 'locust', 'jmeter', 'artillery', 'gatling', 'autocannon', 'hey', 'wrk', 'ab', 'oha', 'vegeta'] as const;
export type LoadTool = (typeof LOAD_TOOLS)[number];

/** A load test found in the folder: a script, or an invocation in package.json, a Makefile or a shell script. */
export interface DetectedLoadTest {
  tool: LoadTool;
  /** Workspace-relative, "/" separators. */
  file: string;
  /** 1-based line of the invocation (or of the class / import that identifies the script). */
  line?: number;
  /** Where it sends requests: a base URL or host ("http://127.0.0.1:8000"), or the full URL of a command line. */
  target?: string;
  /** The command line as written (variables expanded), for invocations. */
  command?: string;
  /** How to run what holds the invocation: "make -s load", "npm run bench", "sh scripts/load.sh". */
  runner?: string;
  /** The file the invocation writes its results to (its `> file` or output flag), workspace-relative. */
  output?: string;
  /** Requests the script or command sends, as "METHOD /path" (or the name it gives them). */
  requests?: string[];
}

/** How the service starts, and on which port. */
export interface DetectedStart {
  command: string;
  /** Workspace-relative folder to run it in; absent: the workspace. */
  cwd?: string;
  port: number | null;
  /** Where it was found: "package.json scripts.start", "Procfile:1", "app/main.py (FastAPI app)". */
  source: string;
}

export interface PlannedBenchmark {
  /** Its key in "benchmarks". */
  name: string;
  /** A LoadTool, or "http" for the built-in HTTP benchmark. */
  tool: string;
  /** One line: what it runs and where it came from. */
  description: string;
  /** The BenchmarkSchema input, as written to the file. */
  config: Record<string, unknown>;
  /** A disabled benchmark is written commented out (a placeholder to complete). */
  enabled: boolean;
  /** Written above it; may span lines. */
  comment?: string;
  /**
   * Built-in HTTP benchmark only: requests left out because a path parameter could not be filled,
   * written as commented placeholders inside "requests".
   */
  placeholders?: Array<{ handler: string; path: string; method?: string; reason: string }>;
}

export interface PlannedBudget {
  /** The budget key: the route as written in code ("GET /api/orders/{order_id}"), or a series name. */
  handler: string;
  route: FileRoute | null;
  /** The proposed latency budget (ms) of `metric` (p95 unless the results have no p95). */
  p95Ms: number;
  /** Fraction: 0.01 for 1%. */
  errorRate: number;
  from: 'results' | 'default';
  comment: string;
  /** The series to read when the results name it otherwise (hey CSV: the file's base name). */
  series?: string;
  /** The metric the latency budget is on: "p95" unless the tool prints none (wrk, autocannon: p99). */
  metric?: 'p95' | 'p99' | 'p50';
  /** from "results": what was measured (ms) and the error rate (fraction), and where. */
  measured?: { latencyMs: number; errorRate: number | null; file: string; series: string };
}

export interface SetupPlan {
  routes: FileRoute[];
  loadTests: DetectedLoadTest[];
  resultFiles: Array<{ file: string; format: FormatId; series: string[] }>;
  start: DetectedStart | null;
  /** A path, e.g. "/health". */
  health: string | null;
  benchmarks: PlannedBenchmark[];
  budgets: PlannedBudget[];
  /** One line each: "routes: 6 in app/main.py (fastapi)", "load test: locust in load/locustfile.py (host …)". */
  found: string[];
  /** One line each: what was looked for and not found, and files that could not be used. */
  notFound: string[];
}

/** What the user chose in the prompts (or the editor's QuickPick); absent fields keep the plan's proposal. */
export interface SetupChoices {
  /** Names of the benchmarks to write enabled; the others are written commented out. */
  benchmarks?: string[];
  /** Budget keys to write; the others are left out. */
  handlers?: string[];
  /** p95 (ms) of a budget no result backs. */
  defaultP95Ms?: number;
  /** Error rate (fraction) of a budget no result backs, and the least one from results. */
  defaultErrorRate?: number;
  /** Multiplier over a measured value: 1.5 = +50%. */
  headroom?: number;
}

/** Defaults of a budget no result backs, and the headroom over a measured value. */
export const SETUP_DEFAULTS = { p95Ms: 500, errorRate: 0.01, headroom: 1.5 } as const;

/** True when the plan has nothing to propose: no routes, no load test, no results. */
export function planIsEmpty(plan: Pick<SetupPlan, 'routes' | 'loadTests' | 'resultFiles'>): boolean {
  return plan.routes.length === 0 && plan.loadTests.length === 0 && plan.resultFiles.length === 0;
}
