// A real Prometheus (Debian's `prometheus` package) for the e2e suites: started on 127.0.0.1 and a
// free port with its own temporary storage, backfilled with `promtool tsdb create-blocks-from
// openmetrics`, asked for its own answers (the oracle), and stopped by PID.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { freePort } from '../unit/node/testServers';

/** The command that installs both binaries, named by the skip notice. */
export const PROMETHEUS_INSTALL = 'apt-get install -y prometheus';

/** True when `prometheus` and `promtool` are on PATH. */
export function prometheusInstalled(): boolean {
  const here = (cmd: string) => {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  return here('prometheus') && here('promtool');
}

/** One handler's classic histogram: its labels and the requests per scrape, per bucket (not cumulative). */
export interface BackfilledRoute {
  labels: Record<string, string>;
  /** Upper bound (seconds) -> requests per scrape in that bucket alone; "+Inf" for the last. */
  perScrape: ReadonlyArray<readonly [le: number | '+Inf', requests: number]>;
}

export interface Backfill {
  histogram: string;
  routes: readonly BackfilledRoute[];
  /** Epoch seconds of the first and last scrape, and the scrape interval. */
  fromSec: number;
  toSec: number;
  stepSec: number;
}

/**
 * The OpenMetrics text a scrape-then-export would give: one histogram family, every route's
 * cumulative `_bucket`, `_count` and `_sum` at each scrape, counters starting at 0 (a process that
 * started at the first scrape), ending in `# EOF`. The sum counts each request at its bucket's
 * upper bound (the +Inf bucket at the last finite bound).
 */
export function openMetricsText(b: Backfill): string {
  const lines = [`# TYPE ${b.histogram} histogram`, `# HELP ${b.histogram} Request duration in seconds.`];
  const label = (l: Record<string, string>) => Object.entries(l).map(([k, v]) => `${k}="${v}"`).join(',');
  for (let t = b.fromSec, scrape = 0; t <= b.toSec; t += b.stepSec, scrape++) {
    for (const r of b.routes) {
      let cumulative = 0;
      let sum = 0;
      let lastFinite = 0;
      for (const [le, n] of r.perScrape) {
        cumulative += n;
        if (le !== '+Inf') lastFinite = le;
        sum += n * lastFinite;
        lines.push(`${b.histogram}_bucket{${label(r.labels)},le="${le}"} ${cumulative * scrape} ${t}`);
      }
      lines.push(`${b.histogram}_count{${label(r.labels)}} ${cumulative * scrape} ${t}`);
      lines.push(`${b.histogram}_sum{${label(r.labels)}} ${sum * scrape} ${t}`);
    }
  }
  return `${lines.join('\n')}\n# EOF\n`;
}

export interface RunningPrometheus {
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** The PromQL of every query the server evaluated so far, oldest first (its query log). */
  queries(): string[];
  /** An instant query's vector ([labels, value]) at `timeSec`: Prometheus's own answer. */
  query(expr: string, timeSec: number): Promise<Array<{ metric: Record<string, string>; value: number }>>;
  /** Stops the process (SIGTERM, then SIGKILL) and removes its storage. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Backfills a fresh storage directory from `openMetrics`, starts Prometheus on it (no scrape
 * targets, unless `scrape` names one: then scraped every second, with `scrape.flags` added to the
 * command line) and resolves once /-/ready answers 200; at most READY_TIMEOUT_MS.
 */
export async function startPrometheus(openMetrics: string, scrape?: { target: string; flags: string[] }): Promise<RunningPrometheus> {
  const root = mkdtempSync(path.join(tmpdir(), 'perf-budgets-prometheus-'));
  const data = path.join(root, 'data');
  mkdirSync(data);
  writeFileSync(path.join(root, 'backfill.om'), openMetrics);
  const queryLog = path.join(root, 'queries.log');
  const targets = scrape ? `scrape_configs:\n  - job_name: target\n    scrape_interval: 1s\n    static_configs:\n      - targets: [${JSON.stringify(scrape.target)}]\n` : '';
  writeFileSync(path.join(root, 'prometheus.yml'), `global:\n  scrape_interval: 15s\n  query_log_file: ${JSON.stringify(queryLog)}\n${targets}`);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', path.join(root, 'backfill.om'), data], { stdio: 'pipe' });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${path.join(root, 'prometheus.yml')}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...(scrape?.flags ?? [])],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, 'SIGTERM');
      const killer = setTimeout(() => child.exitCode === null && process.kill(child.pid!, 'SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(root, { recursive: true, force: true });
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`prometheus exited (${child.exitCode}) before it was ready: ${stderr.trim()}`);
    }
    const ready = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus was not ready after ${READY_TIMEOUT_MS} ms: ${stderr.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    pid: child.pid!,
    queries: () =>
      existsSync(queryLog)
        ? readFileSync(queryLog, 'utf8')
            .split('\n')
            .filter(Boolean)
            .map((l) => String((JSON.parse(l) as { params?: { query?: string } }).params?.query))
        : [],
    async query(expr, timeSec) {
      const res = await fetch(`${url}/api/v1/query?${new URLSearchParams({ query: expr, time: String(timeSec) })}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
      if (body.status !== 'success') throw new Error(`prometheus refused ${expr}: ${body.error}`);
      return body.data!.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    stop,
  };
}
