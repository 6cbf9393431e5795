// Production beside the load test (issue #20 item 2), in the real VS Code against a REAL
// Prometheus: Debian's `prometheus`, started on 127.0.0.1 and a free port with its own temporary
// storage, backfilled with `promtool tsdb create-blocks-from openmetrics` (30 minutes of two
// routes' classic histograms, ending 5 minutes ago), stopped by PID. The fixture
// (test/fixtures/workspaces/production) has a Locust run and a `"role": "production"` source over
// the last hour. Expected numbers are Prometheus's own histogram_quantile over the same hour,
// asked by the test itself: every window ending now (or up to 25 minutes from now) holds the
// whole backfill, so its answer does not depend on when the extension polls.
//
// - trusted: the hover and the panel show "prod p95 (1h): <oracle> (bucket <le>–<le>)" beside this
//   run's p95;
// - Restricted Mode (a code-server of its own): not one query reaches Prometheus, and the hover
//   and the panel say "production: not queried in Restricted Mode (trust the workspace to poll
//   127.0.0.1:PORT)"; after "Trust" the numbers come.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bucketText } from '../../src/core/stats/regressionVerdicts';
import { formatDuration } from '../../src/core/units';
import { skipNotice } from '../rig/tools.cjs';
import { cell, openPanel, panel, panelTab } from './panelView';
import { type Backfill, openMetricsText, PROMETHEUS_INSTALL, prometheusInstalled, type RunningPrometheus, startPrometheus } from './prometheusServer';
import { afterDecorationText, assertEventually, hoverText, openFile, page, runCommand, screenshot, useWorkspace } from './workbench';

const STEP_SEC = 15;
const NOW_SEC = Math.floor(Date.now() / 1000 / STEP_SEC) * STEP_SEC;
/** Requests per scrape interval in each bucket (seconds), not cumulative. */
const BACKFILL: Backfill = {
  histogram: 'http_request_duration_seconds',
  fromSec: NOW_SEC - 35 * 60,
  toSec: NOW_SEC - 5 * 60,
  stepSec: STEP_SEC,
  routes: [
    { labels: { method: 'GET', route: '/api/slow' }, perScrape: [[0.05, 10], [0.1, 30], [0.2, 50], [0.25, 8], [0.5, 2], [1, 0], ['+Inf', 0]] },
    { labels: { method: 'POST', route: '/api/decide' }, perScrape: [[0.005, 20], [0.01, 50], [0.025, 20], [0.05, 10], ['+Inf', 0]] },
  ],
};
const ORACLE = 'histogram_quantile(0.95, sum by (le, method, route) (increase(http_request_duration_seconds_bucket[1h])))';

/** What the extension must show for a route: Prometheus's p95 as formatted, in the bucket of the backfill's bounds that holds it. */
interface Expected {
  p95Ms: number;
  line: string;
  value: string;
}

async function expectedFor(prom: RunningPrometheus, method: string, route: string): Promise<Expected> {
  const answer = (await prom.query(ORACLE, Date.now() / 1000)).find((r) => r.metric.method === method && r.metric.route === route);
  assert.ok(answer, `Prometheus answers a p95 for ${method} ${route}`);
  const p95Ms = answer.value * 1000;
  const bounds = BACKFILL.routes.find((r) => r.labels.route === route)!.perScrape.map(([le]) => (le === '+Inf' ? Infinity : le * 1000));
  const upper = bounds.find((b) => b >= p95Ms)!;
  const lower = [0, ...bounds].filter((b) => b < upper).pop()!;
  const value = `${formatDuration(p95Ms)} (bucket ${bucketText({ lower, upper })})`;
  return { p95Ms, value, line: `prod p95 (1h): ${value}` };
}

/** server.js lines (1-based) of the handlers' route calls. */
const LINE = { get: 6, post: 10 } as const;

/**
 * The hover on the route call `word` of server.js, once it says `expected`; first the line's
 * decoration, so the verdicts are there and the editor has drawn the line.
 */
async function hoverAt(word: 'get' | 'post', expected: string | RegExp): Promise<string> {
  // A tab behind another one gets no hover: the suite's own tab in front.
  await page().bringToFront();
  const editor = await openFile('src/server.js');
  await assertEventually(() => afterDecorationText(editor, LINE[word]), (t) => t !== '', `the decoration at line ${LINE[word]}`, 30_000);
  const text = await hoverText(editor.locator('.view-line span', { hasText: new RegExp(`^${word}$`) }).first(), expected, 45_000);
  // The hover fades in: its screenshot once no animation of it (or of its widget) still runs.
  const hover = page().locator('.monaco-hover:not(.hidden)').first();
  const fading = () => hover.evaluate((el) => document.getAnimations().filter((a) => a.playState === 'running' && (a.effect as KeyframeEffect | null)?.target?.contains(el)).length).catch(() => 0);
  await assertEventually(fading, (n) => n === 0, 'the hover to finish fading in', 5000);
  return text.replace(/\s+/g, ' ');
}

/** Queries the extension sent (F1's reader writes `{}` after the metric; the oracle's do not). */
const polls = (prom: RunningPrometheus) => prom.queries().filter((q) => q.includes('{}[1h]'));

/** Points the fixture's production url at the running Prometheus. */
function pointAt(prom: () => RunningPrometheus) {
  return (dir: string) => {
    const file = path.join(dir, 'perf-budgets.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('http://127.0.0.1:9090', prom().url));
  };
}

describe('Production source: prod p95 from a real Prometheus beside the load test', function () {
  this.timeout(240_000);
  let prom: RunningPrometheus | undefined;
  // Registered before useWorkspace's hook: the workspace's config needs Prometheus's port.
  before(async function () {
    this.timeout(90_000);
    if (!prometheusInstalled()) {
      console.log(`      ${skipNotice([{ tool: 'prometheus (and promtool)', install: PROMETHEUS_INSTALL }])}`);
      this.skip();
    }
    prom = await startPrometheus(openMetricsText(BACKFILL));
  });
  after(async () => prom?.stop());
  const running = () => {
    assert.ok(prom, 'Prometheus is running');
    return prom;
  };

  describe('in a trusted workspace', () => {
    useWorkspace('production', pointAt(running));

    it('the hover shows this run\'s p95 and "prod p95 (1h)" beside it, equal to Prometheus\'s histogram_quantile, with its bucket', async () => {
      const slow = await expectedFor(running(), 'GET', '/api/slow');
      // The oracle agrees with the backfill worked by hand: rank 95 of 100 per scrape lies in the
      // 0.2–0.25 s bucket, 5 of its 8 requests in: 0.2 + 0.05 × 5/8 = 0.23125 s.
      assert.ok(Math.abs(slow.p95Ms - 231.25) < 1e-9, `histogram_quantile says ${slow.p95Ms} ms`);
      assert.equal(slow.line, 'prod p95 (1h): 231 ms (bucket 200–250 ms)');
      const text = await hoverAt('get', slow.line);
      assert.ok(text.includes('Perf Budgets — GET /api/slow'), text);
      // This run (Locust's p95 of GET /api/slow is 60 ms) beside production.
      assert.match(text, /p95 60 ms vs 100 ms budget/);
      assert.ok(text.includes(slow.line), text);
      await screenshot('production-hover-get');
      const decide = await expectedFor(running(), 'POST', '/api/decide');
      // 90 of 100 below 25 ms, 10 in 25–50 ms: 25 + 25 × 5/10 = 37.5 ms.
      assert.ok(Math.abs(decide.p95Ms - 37.5) < 1e-9, `histogram_quantile says ${decide.p95Ms} ms`);
      assert.equal(decide.line, 'prod p95 (1h): 37.5 ms (bucket 25–50 ms)');
      await page().mouse.move(5, 5);
      const post = await hoverAt('post', decide.line);
      assert.match(post, /p95 16 ms vs 200 ms budget/);
      await screenshot('production-hover-post');
      assert.ok(polls(running()).length > 0, 'the extension queried Prometheus');
    });

    it('the panel has a "prod p95 (1h)" column beside p95 and the production line in the detail', async () => {
      const slow = await expectedFor(running(), 'GET', '/api/slow');
      const decide = await expectedFor(running(), 'POST', '/api/decide');
      await page().mouse.move(5, 5);
      await page().keyboard.press('Escape');
      await openPanel();
      await assertEventually(() => cell('GET /api/slow', 'production').catch(() => ''), (t) => t === slow.value, 'the production cell of GET /api/slow', 30_000);
      assert.equal(await cell('GET /api/slow', 'p95'), '60 ms');
      assert.equal(await cell('POST /api/decide', 'production'), decide.value);
      assert.equal(await cell('POST /api/decide', 'p95'), '16 ms');
      assert.equal((await panel().locator('th.col-production').innerText()).trim(), 'prod p95 (1h)');
      await panel().locator('tbody tr.row[data-handler="GET /api/slow"]').click();
      assert.equal((await panel().locator('#detail p.production').innerText()).trim(), slow.line);
      await screenshot('production-panel');
      await runCommand('View: Close Editor');
      await panelTab().waitFor({ state: 'hidden', timeout: 10_000 });
    });
  });

  describe('in Restricted Mode', () => {
    let pollsBefore = 0;
    useWorkspace('production', (dir) => {
      pollsBefore = polls(running()).length;
      pointAt(running)(dir);
    }, { trusted: false });

    it('queries nothing and says so in the hover and the panel; after "Trust" the numbers come', async () => {
      const host = new URL(running().url).host;
      const note = `production: not queried in Restricted Mode (trust the workspace to poll ${host})`;
      const text = await hoverAt('get', note);
      assert.match(text, /p95 60 ms vs 100 ms budget/, 'the load test still shows');
      await screenshot('production-restricted-hover');
      await page().mouse.move(5, 5);
      await page().keyboard.press('Escape');
      await openPanel();
      await assertEventually(() => cell('GET /api/slow', 'production').catch(() => ''), (t) => t === 'not queried (Restricted Mode)', 'the production cell to say why it is empty', 30_000);
      const td = panel().locator('tbody tr.row[data-handler="GET /api/slow"] td.col-production');
      assert.match((await td.getAttribute('class')) ?? '', /\bmuted\b/);
      assert.equal(await td.getAttribute('title'), note);
      await panel().locator('tbody tr.row[data-handler="GET /api/slow"]').click();
      assert.equal((await panel().locator('#detail p.production').innerText()).trim(), note);
      await screenshot('production-restricted-panel');
      assert.equal(polls(running()).length, pollsBefore, 'not one query reached Prometheus while the workspace is untrusted');

      await runCommand('Workspaces: Manage Workspace Trust');
      const trust = page().locator('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button', { hasText: /^Trust/ }).first();
      await trust.waitFor({ state: 'visible', timeout: 20_000 });
      await trust.click();
      await runCommand('View: Close Editor');
      await panelTab().click();
      const slow = await expectedFor(running(), 'GET', '/api/slow');
      await assertEventually(() => cell('GET /api/slow', 'production').catch(() => ''), (t) => t === slow.value, 'the production numbers once trusted', 45_000);
      assert.ok(polls(running()).length > pollsBefore, 'trusted: the extension polls');
      await screenshot('production-trusted-after-restricted');
    });
  });
});
