// The five example workspaces (examples/<name>), each opened in the real VS Code as a user would:
// "Perf Budgets: Run Benchmarks" from the palette runs the workspace's own benchmark task (a real
// service on a free 127.0.0.1 port under its real load tool, a few seconds), then the decorations
// on the handler lines, the Problems entry of the one deliberately breached budget and the
// comparison panel's rows are read off the screen.
//
// Latencies are real measurements on a shared machine, so a passing metric is asserted by shape
// (value, budget, "margin"), the breached one by its verdict ("over"), and the budgets are set far
// enough from the simulated latencies that noise does not flip a verdict.
//
// Lydian-IQ and Chimera get their story as git history (examples/demo/story.mjs, as `npm run
// demo` does): "Record the performance baseline" (the code before demo/change.patch and the
// committed perf/baseline.json, recorded from it), then the change. The panel compares with
// HEAD:perf/baseline.json: Lydian-IQ's chat tool call regressed, its other handlers unchanged.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator } from 'playwright-core';
import { afterDecorationText, assertEventually, notificationTexts, openFile, page, revealLine, runCommand, screenshot, statusBarItem, useWorkspace } from './workbench';
import type { ToolName } from '../rig/tools.cjs';

interface Line {
  file: string;
  /** 1-based, as on screen. */
  line: number;
  decoration: RegExp;
}

interface Example {
  name: string;
  fixture: string;
  prepare?: (dir: string) => void | Promise<void>;
  /** How long its benchmark may take in the editor (default 120 s). */
  runMs?: number;
  /** Programs its benchmark runs besides Node: without one the example's tests are skipped, saying how to install it. */
  needs?: ToolName[];
  /** Every budgeted handler, as the panel lists them. */
  handlers: string[];
  breached: { handler: string; metric: string; at: Line; problemLine: number };
  passing: Line[];
  /** Result files the benchmark(s) write. */
  results: string[];
  /** Extra panel checks (column -> text) of the breached row. */
  panel?: Record<string, RegExp>;
  /** The panel's Regression column of every handler, against the committed baseline. */
  regressions?: Record<string, RegExp>;
}

const V = String.raw`[\d.]+ (?:ms|µs|s)`;
/**
 * A passing metric: "p95 40.5 ms ≤ 1 s", "errors 0% ≤ 1%". The example's load may be too small to
 * support a percentile: then "≈" and the count, "(n=12)".
 */
const FEW = String.raw`(?: \(n=\d+\))?`;
const label = (metric: string) => (metric === 'errorRate' ? 'errors' : metric);
const ok = (metric: string, budget: string) =>
  metric === 'throughput' ? String.raw`throughput [\d.]+/s ≥ ${budget}` : String.raw`${label(metric)} ≈?${metric === 'errorRate' ? '[\\d.]+%' : V} ≤ ${budget}${FEW}`;
const over = (metric: string, budget: string) => String.raw`${label(metric)} ≈?${V} > ${budget}${FEW}`;
/** Against a baseline a changed metric carries its change: "· regressed +97%", "· improved −14%". */
const DELTA = String.raw`(?: · (?:regressed \+|improved −)[\d.]+%)?`;
/**
 * The end-of-line text shows one metric, the worst, after the handler's verdict mark: ✗ when one
 * of `parts` is over its budget, else ✓ (or ⚠: a noisy machine may put a metric in the warn band).
 */
const line = (file: string, n: number, ...parts: string[]): Line => {
  const mark = parts.some((p) => p.includes(' > ')) ? '✗' : '[✓⚠]';
  return { file, line: n, decoration: new RegExp(`^${mark} (?:${parts.map((p) => `(?:${p})`).join('|')})${DELTA}$`) };
};

/** The example's git history, as the demo makes it (examples/demo/story.mjs): commits oldest first. */
async function commitStory(dir: string): Promise<string[]> {
  const module = path.resolve(__dirname, '../../examples/demo/story.mjs');
  const story = (await import(module)) as { commitStory(dir: string): string[] };
  const commits = story.commitStory(dir);
  const log = execFileSync('git', ['log', '--format=%s'], { cwd: dir, encoding: 'utf8' }).trim().split('\n');
  assert.equal(log.at(-1), 'Record the performance baseline', `${dir}: ${JSON.stringify(log)}`);
  assert.equal(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' }), '', 'the copy is the "after" commit exactly');
  return commits;
}

const EXAMPLES: Example[] = [
  {
    name: 'Lydian-IQ (Express, built-in load generator, HdrHistogram log)',
    fixture: 'examples/lydian-iq',
    prepare: async (dir) => {
      assert.equal((await commitStory(dir)).length, 2);
    },
    // "repeat": 6 runs of 5 s each, and the service starts for each.
    runMs: 300_000,
    handlers: ['POST /api/chat/tool-call', 'POST /api/products/batch', 'GET /api/logistics/track/:id', 'GET /api/civic-grid/insights'],
    breached: { handler: 'GET /api/civic-grid/insights', metric: 'p95', at: line('src/server.js', 30, over('p95', '500 ms'), ok('errorRate', '1%')), problemLine: 30 },
    passing: [
      line('src/server.js', 13, ok('p95', '2 s'), ok('errorRate', '1%')),
      line('src/server.js', 19, ok('p95', '1.2 s'), ok('errorRate', '1%')),
      line('src/server.js', 25, ok('p95', '1 s'), ok('errorRate', '1%')),
    ],
    results: ['perf/results/api.hlog'],
    // The baseline was recorded before the chat tool call made its second model call (+150-250 ms).
    regressions: {
      'POST /api/chat/tool-call': /^regressed$/,
      'POST /api/products/batch': /^unchanged$/,
      'GET /api/logistics/track/:id': /^unchanged$/,
      'GET /api/civic-grid/insights': /^unchanged$/,
    },
  },
  {
    name: 'Iris Prime (Vercel file routes, scripts/benchmark.ts, Prometheus /metrics)',
    fixture: 'examples/iris-prime',
    handlers: ['GET /api/iris/overview', 'GET /api/iris/signals', 'GET /api/iris/forecast'],
    breached: { handler: 'GET /api/iris/forecast', metric: 'p95', at: line('api/iris/forecast.ts', 5, over('p95', '150 ms'), over('p99', '250 ms'), ok('p99', '250 ms'), ok('errorRate', '1%')), problemLine: 5 },
    // p99 budgets are 250 ms: beside two CPU burners the server's timers ran late and signals' p99
    // (about 120 ms on a quiet machine) reached 212 ms, over a 200 ms budget.
    passing: [
      line('api/iris/overview.ts', 4, ok('p95', '150 ms'), ok('p99', '250 ms'), ok('errorRate', '1%')),
      line('api/iris/signals.ts', 4, ok('p95', '150 ms'), ok('p99', '250 ms'), ok('errorRate', '1%')),
    ],
    results: ['perf/results/metrics.prom', 'perf/results/benchmark-overview.json', 'perf/results/benchmark-signals.json', 'perf/results/benchmark-forecast.json'],
  },
  {
    name: 'Chimera (FastAPI, Locust --csv, pytest-benchmark, committed baseline)',
    fixture: 'examples/chimera',
    needs: ['fastapi', 'locust', 'pytest-benchmark'],
    // The committed baseline (perf/baseline.json, written by `perf-budgets baseline update`) is
    // compared as HEAD's: the temp copy becomes a git repo with it committed, then the change.
    prepare: async (dir) => {
      assert.equal((await commitStory(dir)).length, 2);
    },
    handlers: ['GET /health', 'GET /providers', 'POST /transform', 'transform_payload'],
    breached: {
      handler: 'GET /providers',
      metric: 'p50',
      at: line('app/main.py', 21, over('p50', '100 ms'), ok('p95', '200 ms'), ok('p99', '500 ms')),
      problemLine: 21,
    },
    passing: [
      line('app/main.py', 16, ok('p50', '50 ms'), ok('p95', '100 ms'), ok('p99', '200 ms')),
      line('app/main.py', 28, ok('p50', '500 ms'), ok('p95', '1 s'), ok('p99', '2 s'), ok('errorRate', '2%')),
      line('app/transform.py', 4, ok('p50', '20 µs'), ok('p99', '100 µs')),
    ],
    results: ['perf/results/locust_stats.csv', 'perf/results/pytest-benchmark.json'],
    // The baseline was recorded before /providers called the registry (40-80 ms): now a regression.
    panel: { baseline: /^[\d.]+ ms$/, delta: /^▲ \+\d+(\.\d+)?%$/, regression: /^regressed$/ },
  },
  {
    name: 'Lexecon (FastAPI, weighted Locust tasks)',
    fixture: 'examples/lexecon',
    needs: ['fastapi', 'locust'],
    // "API" holds all requests together (Locust's Aggregated row): a budget without a line of code.
    handlers: ['POST /api/decide', 'GET /api/decisions', 'GET /api/policies', 'GET /api/audit-logs', 'API'],
    breached: { handler: 'POST /api/decide', metric: 'p95', at: line('app/main.py', 18, over('p95', '200 ms'), ok('throughput', '5/s')), problemLine: 18 },
    passing: [
      line('app/main.py', 28, ok('p95', '500 ms')),
      line('app/main.py', 34, ok('p95', '500 ms')),
      line('app/main.py', 40, ok('p95', '500 ms')),
    ],
    results: ['perf/results/lexecon_stats.csv'],
  },
  {
    name: 'erlmcp (Erlang gen_tcp, cowboy-style dispatch, HdrHistogram log)',
    fixture: 'examples/erlmcp',
    needs: ['erlang'],
    handlers: ['GET /mcp/tools/list', 'POST /mcp/tools/call', 'GET /mcp/resources/read'],
    breached: {
      handler: 'POST /mcp/tools/call',
      metric: 'p95',
      // Its p99 sits near 200 ms: on a loaded machine (two CPU burners) it was 223 ms, over.
      at: line('src/erlmcp_router.erl', 11, over('p95', '100 ms'), over('p99', '200 ms'), ok('p99', '200 ms'), ok('errorRate', '0.1%')),
      problemLine: 11,
    },
    passing: [
      line('src/erlmcp_router.erl', 10, ok('p95', '100 ms'), ok('p99', '200 ms'), ok('errorRate', '0.1%')),
      line('src/erlmcp_router.erl', 12, ok('p95', '100 ms'), ok('p99', '200 ms'), ok('errorRate', '0.1%')),
    ],
    results: ['perf/results/erlmcp.hlog'],
  },
];

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const statusText = async () => squash(await statusBarItem().innerText({ timeout: 2000 }).catch(() => ''));

async function decorationAt(editor: Locator, n: number, ok: (t: string) => boolean = (t) => t !== ''): Promise<string> {
  await revealLine(n);
  return squash(await assertEventually(async () => squash(await afterDecorationText(editor, n)), ok, `the decoration after line ${n}`, 30_000));
}

function panel(): FrameLocator {
  return page().frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

async function cell(handler: string, column: string): Promise<string> {
  return (await panel().locator(`tbody tr.row[data-handler="${handler}"] td.col-${column}`).textContent({ timeout: 5000 }))?.trim() ?? '';
}

for (const ex of EXAMPLES) {
  describe(`Example workspace ${ex.name}`, function () {
    this.timeout(180_000 + (ex.runMs ?? 0));
    const ws = useWorkspace(ex.fixture, ex.prepare, { needs: ex.needs });
    const slug = path.basename(ex.fixture);

    it('"Perf Budgets: Run Benchmarks" from the palette runs its benchmark and the status bar counts the breach', async () => {
      for (const f of ex.results) assert.ok(!existsSync(path.join(ws().workspace, f)), `the example ships no ${f}`);
      await assertEventually(statusText, (t) => /^Budgets/.test(t), 'the Perf Budgets status bar item', 30_000);
      await runCommand('Perf Budgets: Run Benchmarks');
      const t0 = Date.now();
      // "Budgets: 1 of 4 failing" (handlers) once the run's results are read.
      const status = await assertEventually(statusText, (t) => /^Budgets: [1-9]\d* of \d+ failing/.test(t), 'the status bar verdicts after the run', ex.runMs ?? 120_000);
      const seconds = (Date.now() - t0) / 1000;
      console.log(`      ${slug}: benchmarks done in ${seconds.toFixed(1)} s; status bar "${status}"`);
      for (const f of ex.results) assert.ok(existsSync(path.join(ws().workspace, f)), `${f} written`);
      assert.ok(!(await notificationTexts()).some((m) => /failed|cancelled/.test(m)), JSON.stringify(await notificationTexts()));
      await screenshot(`example-${slug}-run`);
    });

    it('decorations: the breached handler is marked ✗, every other handler ✓ (or ⚠), on their exact lines', async () => {
      const editor = await openFile(ex.breached.at.file);
      const text = await decorationAt(editor, ex.breached.at.line, (t) => /^✗ /.test(t));
      assert.match(text, ex.breached.at.decoration, `${ex.breached.handler} at ${ex.breached.at.file}:${ex.breached.at.line}: ${text}`);
      await screenshot(`example-${slug}-decorations`);
      for (const l of ex.passing) {
        const ed = l.file === ex.breached.at.file ? editor : await openFile(l.file);
        const t = await decorationAt(ed, l.line);
        assert.match(t, l.decoration, `${l.file}:${l.line}: ${t}`);
      }
    });

    it('Problems: an Error at the breached budget\'s handler line', async () => {
      await runCommand('Problems: Focus on Problems View');
      const rows = page().locator('.markers-panel .monaco-list-row');
      const key = `${ex.breached.handler}: ${ex.breached.metric}`;
      const texts = await assertEventually(
        async () => (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''))).map(squash),
        (t) => t.some((x) => x.includes(key)),
        `the Problems entry "${key}"`,
        30_000,
      );
      const entry = texts.find((x) => x.includes(key))!;
      assert.match(entry, /Error/i, entry);
      assert.match(entry, /over budget/, entry);
      assert.match(entry, new RegExp(`line ${ex.breached.problemLine}\\b`, 'i'), entry);
      // No other budget is over (a noisy machine may put a passing metric in the warn band, a Warning;
      // against Chimera's committed baseline a metric may also be an Error for having regressed).
      const overs = texts.filter((x) => /generated by perf-budgets/.test(x) && /over budget/.test(x));
      assert.ok(overs.every((x) => x.includes(`${ex.breached.handler}:`)), `Perf Budgets "over budget" entries: ${JSON.stringify(overs)}`);
      await screenshot(`example-${slug}-problems`);
    });

    it('the comparison panel lists every budgeted handler with the breached one failing', async () => {
      await runCommand('Perf Budgets: Open Comparison Panel');
      await page().locator('.tabs-container .tab', { hasText: 'Perf Budgets: Comparison' }).waitFor({ state: 'visible', timeout: 15_000 });
      const rows = await assertEventually(
        () => panel().locator('tbody tr.row td.col-handler').allTextContents().catch(() => [] as string[]),
        (h) => h.length === ex.handlers.length,
        `the panel to show ${ex.handlers.length} rows`,
        30_000,
      );
      assert.deepEqual([...rows].map((r) => r.trim()).sort(), [...ex.handlers].sort());
      assert.match(await cell(ex.breached.handler, 'status'), /^FAIL/);
      for (const h of ex.handlers.filter((x) => x !== ex.breached.handler)) assert.match(await cell(h, 'status'), /^(PASS|WARN)/, h);
      for (const [column, re] of Object.entries(ex.panel ?? {})) assert.match(await cell(ex.breached.handler, column), re, `${ex.breached.handler} ${column}`);
      for (const [handler, re] of Object.entries(ex.regressions ?? {})) assert.match(await cell(handler, 'regression'), re, `${handler}: Regression column`);
      assert.equal(await panel().locator('.count').textContent(), `${ex.handlers.length} of ${ex.handlers.length} handlers`);
      await screenshot(`example-${slug}-panel`);
    });
  });
}
