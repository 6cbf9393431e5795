// The comparison panel as a user meets it, on its own fixture (test/fixtures/workspaces/panel):
// five budgets over real Locust and hey results, one handler literally named
// `<img src=x onerror=alert(1)>`. Before the workbench opens, the temp copy becomes a git repo whose
// HEAD holds perf/baseline.json (the fixture's, 0.8x the results' latencies, measured on another
// machine); then the working copy's perf/baseline.json is overwritten with other numbers
// (perf/baseline.working.json, 0.5x). The panel must compare with HEAD's (+25%), never the file
// on disk (+100%).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { assertEventually, hoverText, openFile, page, runCommand, screenshot, statusBarItem, useWorkspace, visibleLines } from './workbench';

const MARKUP = '<img src=x onerror=alert(1)>';
const HANDLERS = ['POST /api/decide', 'GET /api/slow', 'GET /api/fail', 'decide', MARKUP];
const FIXTURE = path.resolve(__dirname, '../fixtures/workspaces/panel');
const COMMITTED = readFileSync(path.join(FIXTURE, 'perf/baseline.json'), 'utf8');

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Perf Budgets e2e', '-c', 'user.email=e2e@perf-budgets.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
}

/** git init; commit the fixture with its baseline; then a different baseline in the working copy. */
function prepare(dir: string): void {
  const working = readFileSync(path.join(dir, 'perf/baseline.working.json'), 'utf8');
  rmSync(path.join(dir, 'perf/baseline.working.json'));
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'panel fixture with its committed baseline');
  writeFileSync(path.join(dir, 'perf/baseline.json'), working);
}

/** The panel's content: the webview's outer iframe, then its inner `active-frame` document. */
function panel(): FrameLocator {
  return page().frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** The inner document as a Frame (for evaluate). */
async function panelFrame(): Promise<Frame> {
  const handle = await page().frameLocator('iframe.webview.ready').locator('iframe#active-frame').elementHandle({ timeout: 15_000 });
  const frame = await handle?.contentFrame();
  assert.ok(frame, 'the webview inner frame');
  return frame;
}

const panelTab = () => page().locator('.tabs-container .tab', { hasText: 'Perf Budgets: Comparison' });

async function waitForRows(n = HANDLERS.length): Promise<string[]> {
  return assertEventually(() => handlerCells(), (h) => h.length === n, `the panel to show ${n} rows`, 30_000);
}

async function handlerCells(): Promise<string[]> {
  return panel().locator('tbody tr.row td.col-handler').allTextContents().catch(() => []);
}

async function cell(handler: string, column: string): Promise<string> {
  return (await panel().locator(`tbody tr.row[data-handler="${handler.replace(/"/g, '\\"')}"] td.col-${column}`).textContent({ timeout: 5000 }))?.trim() ?? '';
}

async function closeAllEditors(): Promise<void> {
  await runCommand('View: Close All Editors');
  await assertEventually(() => panelTab().count(), (n) => n === 0, 'the panel tab to close');
}

async function setTheme(name: string, bodyClass: string): Promise<void> {
  await runCommand('Preferences: Color Theme', { closesPalette: false });
  await page().keyboard.type(name, { delay: 5 });
  await assertEventually(
    async () => {
      const label = (await page().locator('.quick-input-list .monaco-list-row.focused').getAttribute('aria-label', { timeout: 1000 }).catch(() => '')) ?? '';
      // "Browse Additional Color Themes..." stays on top of the filtered list: arrow down to the theme.
      if (!label.split(', ').includes(name)) await page().keyboard.press('ArrowDown');
      return label;
    },
    // aria-label "Light Modern, Default Light Modern": the label, then the theme's name
    (l) => l.split(', ').includes(name),
    `the theme picker to select ${name}`,
  );
  await page().keyboard.press('Enter');
  await assertEventually(() => panel().locator('body').getAttribute('class', { timeout: 2000 }).catch(() => ''), (c) => !!c?.split(/\s+/).includes(bodyClass), `the webview body to get ${bodyClass}`);
}

describe('Comparison panel', () => {
  // Inside the describe: the hooks belong to this suite only.
  const workspace = useWorkspace('panel', prepare);
  const dialogs: string[] = [];
  before(() => {
    page().on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
  });

  it('opens from the command palette with a row per budget and deltas against the committed baseline', async () => {
    await runCommand('Perf Budgets: Open Comparison Panel');
    await panelTab().waitFor({ state: 'visible', timeout: 15_000 });
    const rows = await waitForRows();
    assert.deepEqual([...rows].sort(), [...HANDLERS].sort());
    // GET /api/slow: p95 60 ms now, 48 ms in HEAD's baseline (+25%); the working copy says 30 ms (+100%).
    assert.equal(await cell('GET /api/slow', 'p95'), '60 ms');
    assert.equal(await cell('GET /api/slow', 'baseline'), '48 ms');
    assert.equal(await cell('GET /api/slow', 'delta'), '▲ +25%');
    assert.equal(await cell('GET /api/slow', 'status'), 'FAIL ▲');
    assert.equal(await cell('GET /api/fail', 'status'), 'FAIL ▲');
    assert.equal(await cell('POST /api/decide', 'delta'), '▲ +25%');
    assert.equal(await cell('decide', 'p50'), '9.81 ms');
    assert.equal(await cell('GET /api/fail', 'errors'), '4.59% (= ±0%)');
    // The baseline stores throughput rounded (9.90878551/s): the remainder is no change, not "+2.2e-9%".
    assert.equal(await cell('GET /api/fail', 'throughput'), '9.91/s (= ±0%)');
    assert.equal(await cell('GET /api/slow', 'regression'), 'regressed');
    const count = await panel().locator('.count').textContent();
    assert.equal(count, '5 of 5 handlers');
    await screenshot('panel-from-palette');
  });

  it('the header shows the run and the committed baseline (time, commit, machine) and warns that the machines differ', async () => {
    const head = git(workspace().workspace, 'rev-parse', 'HEAD').trim();
    const sides = await panel().locator('header .side').allInnerTexts();
    assert.equal(sides.length, 2, JSON.stringify(sides));
    const [run, base] = sides as [string, string];
    assert.match(run, /^This run/);
    assert.ok(run.includes(`commit ${head.slice(0, 10)}`), `run side: ${run}`);
    assert.match(run, /\d{1,2}:\d{2}/, 'a time');
    assert.match(base, /^Baseline \(HEAD:perf\/baseline\.json\)/);
    assert.ok(base.includes('commit c0ffee1234'), `baseline side: ${base}`);
    assert.ok(base.includes('Fixture Baseline CPU, 16 cores, linux x64 fixture'), `baseline side: ${base}`);
    assert.ok(!run.includes('Fixture Baseline CPU'), `run side names this machine: ${run}`);
    const warning = await panel().locator('header .note.warning').allInnerTexts();
    assert.ok(warning.some((w) => /different machines/.test(w)), `warnings: ${JSON.stringify(warning)}`);
  });

  it('renders the markup-named handler as text, under a nonce CSP', async () => {
    assert.equal(await cell(MARKUP, 'handler'), MARKUP);
    const frame = await panelFrame();
    const facts = await frame.evaluate(() => ({
      imgs: document.querySelectorAll('img').length,
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]')?.getAttribute('content') ?? null,
      scripts: [...document.querySelectorAll('script')].map((s) => ({ nonce: s.nonce || s.getAttribute('nonce') || '', src: s.getAttribute('src') ?? '' })),
    }));
    assert.equal(facts.imgs, 0, 'no <img> element: the name was not parsed as HTML');
    assert.ok(facts.csp, 'a Content-Security-Policy meta in the webview HTML');
    assert.match(facts.csp, /default-src 'none'/);
    assert.match(facts.csp, /script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
    assert.doesNotMatch(facts.csp, /unsafe-inline|unsafe-eval/);
    const nonce = /'nonce-([^']+)'/.exec(facts.csp)![1];
    const ours = facts.scripts.filter((s) => s.src.includes('panel.js'));
    assert.equal(ours.length, 1, JSON.stringify(facts.scripts));
    // Chromium hides a nonce attribute from getAttribute after parsing; the property keeps it.
    assert.equal(ours[0]!.nonce, nonce);
    // Select the row: its name becomes the detail heading, still as text.
    await panel().locator(`tbody tr.row[data-handler="${MARKUP}"]`).click();
    assert.equal(await panel().locator('#detail h2').textContent(), MARKUP);
    assert.equal(await frame.evaluate(() => document.querySelectorAll('img').length), 0);
    assert.deepEqual(dialogs, [], 'no alert() ran');
  });

  it('sorts by a column and filters by text and status', async () => {
    const sortBy = (column: string) => panel().locator(`th button.sort[data-column="${column}"]`).click();
    await sortBy('handler');
    assert.deepEqual(await handlerCells(), [MARKUP, 'GET /api/fail', 'GET /api/slow', 'POST /api/decide', 'decide']);
    assert.equal(await panel().locator('th:has(button[data-column="handler"])').getAttribute('aria-sort'), 'ascending');
    await sortBy('handler');
    assert.deepEqual(await handlerCells(), ['decide', 'POST /api/decide', 'GET /api/slow', 'GET /api/fail', MARKUP]);
    await sortBy('p95'); // numeric columns sort descending first
    assert.deepEqual(await handlerCells(), ['GET /api/slow', MARKUP, 'POST /api/decide', 'decide', 'GET /api/fail']);
    assert.equal(await panel().locator('th:has(button[data-column="p95"])').getAttribute('aria-sort'), 'descending');
    await sortBy('p95');
    assert.deepEqual(await handlerCells(), ['GET /api/fail', 'decide', 'POST /api/decide', 'GET /api/slow', MARKUP]);

    await panel().locator('input.filter').fill('api');
    assert.deepEqual(await handlerCells(), ['GET /api/fail', 'POST /api/decide', 'GET /api/slow']);
    assert.equal(await panel().locator('.count').textContent(), '3 of 5 handlers');
    await panel().locator('select.status-filter').selectOption('fail');
    assert.deepEqual(await handlerCells(), ['GET /api/fail', 'GET /api/slow']);
    await panel().locator('select.status-filter').selectOption('all');
    await panel().locator('input.filter').fill('');
    assert.equal((await handlerCells()).length, 5);
    await panel().locator('select.status-filter').selectOption('regressed');
    assert.equal((await handlerCells()).length, 5, 'every handler regressed against HEAD (+25%)');
    await panel().locator('select.status-filter').selectOption('all');
    await screenshot('panel-sorted');
  });

  it('a row click selects the handler and the percentile plot shows it with its budget lines', async () => {
    await panel().locator('tbody tr.row[data-handler="GET /api/slow"]').click();
    assert.equal(await panel().locator('tbody tr.row.selected').getAttribute('data-handler'), 'GET /api/slow');
    assert.equal(await panel().locator('#detail h2').textContent(), 'GET /api/slow');
    const plot = panel().locator('#detail svg.plot');
    assert.equal(await plot.getAttribute('aria-label'), 'Latency by percentile: GET /api/slow');
    const budgetLabels = await plot.locator('text.budget-label').allTextContents();
    assert.deepEqual(budgetLabels, ['p95 budget 50 ms', 'p99 budget 200 ms']);
    assert.ok((await plot.locator('path.current-line').count()) === 1 && (await plot.locator('path.baseline-line').count()) === 1, 'this run and the baseline curves');
    const dots = await plot.locator('circle.current-line-dot title').allTextContents();
    assert.ok(dots.includes('p95: 60 ms'), JSON.stringify(dots));
    const metrics = await panel().locator('#detail ul.metrics li').allTextContents();
    assert.ok(metrics.some((m) => m.startsWith('p95: 60 ms vs 50 ms budget — fail; baseline 48 ms ▲ +25% (regressed)')), JSON.stringify(metrics));

    await panel().locator('tbody tr.row[data-handler="GET /api/fail"]').click();
    assert.equal(await plot.getAttribute('aria-label'), 'Latency by percentile: GET /api/fail');
    assert.deepEqual(await plot.locator('text.budget-label').allTextContents(), ['p95 budget 100 ms']);
    await screenshot('panel-row-selected');
  });

  it('double-click on a row opens the handler in code', async () => {
    await panel().locator('tbody tr.row[data-handler="GET /api/fail"]').dblclick();
    const editor = page().locator('.editor-group-container .editor-instance .monaco-editor').first();
    await assertEventually(() => page().locator('.tabs-container .tab.active').allInnerTexts(), (t) => t.some((x) => x.includes('server.js')), 'server.js to open');
    await assertEventually(() => cursorLine(), (l) => l === 14, 'the cursor on app.get(\'/api/fail\') (line 14)');
    assert.ok((await visibleLines(editor)).some((l) => l.includes("app.get('/api/fail'")));
  });

  it('keyboard: Tab reaches the rows, Enter opens the handler', async () => {
    await panelTab().click(); // server.js stays open beside the panel
    await panel().locator('input.filter').click();
    const frame = await panelFrame();
    let focused = '';
    for (let i = 0; i < 40 && !focused; i++) {
      await page().keyboard.press('Tab');
      focused = await frame.evaluate(() => (document.activeElement as HTMLElement | null)?.closest('tr.row')?.getAttribute('data-handler') ?? '');
    }
    assert.ok(focused, 'Tab reached a row');
    const order = await handlerCells();
    assert.equal(focused, order[0], 'Tab reaches the first row');
    // ArrowDown moves between rows; go to GET /api/slow.
    for (let i = 0; i < order.indexOf('GET /api/slow'); i++) await page().keyboard.press('ArrowDown');
    const target = await frame.evaluate(() => document.activeElement?.getAttribute('data-handler') ?? '');
    assert.equal(target, 'GET /api/slow', `focus after ArrowDown (rows: ${JSON.stringify(order)})`);
    await page().keyboard.press('Enter');
    assert.equal(await panel().locator('tbody tr.row.selected').getAttribute('data-handler'), 'GET /api/slow');
    await assertEventually(() => cursorLine(), (l) => l === 6, "the cursor on app.get('/api/slow') (line 6)");
    await screenshot('panel-keyboard-enter-opened-code');
  });

  it('opens from the status bar item and from the hover link, selecting the hovered handler', async () => {
    await closeAllEditors();
    await statusBarItem().click();
    await panelTab().waitFor({ state: 'visible', timeout: 15_000 });
    await waitForRows();
    await screenshot('panel-from-status-bar');

    await closeAllEditors();
    const editor = await openFile('src/server.js');
    await hoverText(editor.locator('.view-line span', { hasText: /^get$/ }).first(), 'Open comparison panel');
    await page().locator('.monaco-hover:not(.hidden) a', { hasText: 'Open comparison panel' }).first().click();
    await panelTab().waitFor({ state: 'visible', timeout: 15_000 });
    await waitForRows();
    await assertEventually(() => panel().locator('#detail h2').textContent({ timeout: 2000 }).catch(() => ''), (t) => t === 'GET /api/slow', 'the hovered handler to be selected');
    assert.equal(await panel().locator('tbody tr.row.selected').getAttribute('data-handler'), 'GET /api/slow');
  });

  it('survives a window reload with the same sort, filter and selection', async () => {
    await panel().locator('th button.sort[data-column="p99"]').click(); // descending
    await panel().locator('input.filter').fill('/api');
    await panel().locator('tbody tr.row[data-handler="POST /api/decide"]').click();
    const before = await handlerCells();
    assert.deepEqual(before, ['GET /api/slow', 'POST /api/decide', 'GET /api/fail']);
    // As a user reloads: VS Code saves the editors (and the webview's state) before the page reloads.
    await page().evaluate(() => Object.assign(window, { pbBeforeReload: true }));
    await runCommand('Developer: Reload Window');
    await assertEventually(() => page().evaluate(() => 'pbBeforeReload' in window).catch(() => true), (old) => !old, 'the page to reload', 60_000);
    await page().locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: 60_000 });
    await panelTab().waitFor({ state: 'visible', timeout: 30_000 });
    await assertEventually(() => handlerCells(), (h) => h.length === 3, 'the restored panel to show its filtered rows', 30_000);
    assert.deepEqual(await handlerCells(), before);
    assert.equal(await panel().locator('input.filter').inputValue(), '/api');
    assert.equal(await panel().locator('th:has(button[data-column="p99"])').getAttribute('aria-sort'), 'descending');
    assert.equal(await panel().locator('tbody tr.row.selected').getAttribute('data-handler'), 'POST /api/decide');
    await panel().locator('input.filter').fill('');
    await screenshot('panel-after-reload');
  });

  it('updates live when a result file changes', async () => {
    const file = path.join(workspace().workspace, 'perf/results/run_stats.csv');
    const text = readFileSync(file, 'utf8');
    // GET /api/slow's 95% column 60 -> 90 (and the later ones stay ≥): p95 90 ms, +87.5% on HEAD's 48 ms.
    const changed = text.replace(/^(GET,\/api\/slow,(?:[^,]*,){14})60,/m, '$190,').replace(/^(GET,\/api\/slow,(?:[^,]*,){15})88,120,/m, '$190,120,');
    assert.notEqual(changed, text);
    try {
      await liveUpdate(file, text, changed);
    } finally {
      writeFileSync(file, text); // the later tests read the recorded results
    }
  });

  it('"Update baseline" writes the working-copy file; the committed one and the deltas stay', async () => {
    const dir = workspace().workspace;
    const file = path.join(dir, 'perf/baseline.json');
    const beforeText = readFileSync(file, 'utf8');
    await panelTab().click();
    await panel().locator('#update-baseline').click();
    const written = await assertEventually(() => Promise.resolve(readFileSync(file, 'utf8')), (t) => t !== beforeText, 'perf/baseline.json to be rewritten', 20_000);
    const doc = JSON.parse(written) as { createdAt: string; commit: string; machine: { cpu: string }; series: Record<string, { latencyMs: Record<string, number> }> };
    assert.equal(doc.commit, git(dir, 'rev-parse', 'HEAD').trim(), 'the baseline names the commit it was measured at');
    assert.notEqual(doc.machine.cpu, 'Fixture Baseline CPU', 'this machine');
    assert.ok(Date.now() - Date.parse(doc.createdAt) < 120_000, `createdAt ${doc.createdAt} is now`);
    assert.equal(doc.series['GET /api/slow']?.latencyMs.p95, 60);
    assert.equal(doc.series[MARKUP]?.latencyMs.p95, 60);
    assert.equal(Object.keys(doc.series).length, 5);
    // The committed baseline is untouched: HEAD still holds the fixture's file, and the panel still compares with it.
    assert.equal(git(dir, 'show', 'HEAD:perf/baseline.json'), COMMITTED);
    assert.equal(git(dir, 'log', '--oneline').trim().split('\n').length, 1, 'no commit was made');
    assert.match(git(dir, 'status', '--porcelain'), /^ M perf\/baseline\.json$/m);
    await assertEventually(() => page().locator('.notifications-toasts .notification-list-item-message').allInnerTexts(), (t) => t.some((m) => m.includes('baseline updated')), 'the baseline-updated notification');
    await panelTab().click();
    await waitForRows();
    assert.equal(await cell('GET /api/slow', 'delta'), '▲ +25%');
    assert.equal(await cell('GET /api/slow', 'baseline'), '48 ms');
  });

  it('"Export report" opens the report as markdown', async () => {
    await panelTab().click();
    await panel().locator('#export-report').click();
    await assertEventually(() => page().locator('.tabs-container .tab.active').allInnerTexts(), (t) => t.some((x) => /Untitled/.test(x)), 'an untitled editor with the report');
    const editor = page().locator('.editor-group-container.active .editor-instance .monaco-editor').first();
    const lines = await assertEventually(() => visibleLines(editor), (l) => l.some((x) => x.startsWith('## Perf Budgets')), 'the markdown report');
    assert.ok(lines.some((l) => l.includes('GET /api/slow')), JSON.stringify(lines));
    const mode = await page().locator('.statusbar-item[id="status.editor.mode"]').innerText();
    assert.equal(mode.trim(), 'Markdown');
    await runCommand('View: Revert and Close Editor'); // the untitled report, without a save prompt
  });

  it('screenshots in the light and dark themes', async () => {
    await closeAllEditors();
    await runCommand('Perf Budgets: Open Comparison Panel');
    await waitForRows();
    await panel().locator('tbody tr.row[data-handler="GET /api/slow"]').click();
    await setTheme('Default Light Modern', 'vscode-light');
    await page().waitForTimeout(500);
    await screenshot('panel-light');
    await setTheme('Default Dark Modern', 'vscode-dark');
    await page().waitForTimeout(500);
    await screenshot('panel-dark');
  });
});

/** The 1-based line of the cursor in the active editor, from the status bar ("Ln 6, Col 1"). */
async function cursorLine(p: Page = page()): Promise<number> {
  const t = await p.locator('.statusbar-item[id="status.editor.selection"]').innerText({ timeout: 2000 }).catch(() => '');
  const m = /Ln (\d+)/.exec(t);
  return m ? Number(m[1]) : -1;
}

/** The live-update steps: new results while the user types in the filter, then on a focused row. */
async function liveUpdate(file: string, text: string, changed: string): Promise<void> {
  // The user is typing in the filter when the new results arrive: the update keeps the focus and the caret.
  await panel().locator('input.filter').click();
  await page().keyboard.type('GET', { delay: 10 });
  writeFileSync(file, changed);
  await assertEventually(() => cell('GET /api/slow', 'p95').catch(() => ''), (t) => t === '90 ms', 'the panel to show the new p95', 30_000);
  assert.equal(await cell('GET /api/slow', 'delta'), '▲ +88%');
  await page().keyboard.type(' /api/s', { delay: 10 });
  assert.equal(await panel().locator('input.filter').inputValue(), 'GET /api/s', 'typing went on in the filter after the update');
  assert.deepEqual(await handlerCells(), ['GET /api/slow']);
  // A keyboard user on a row keeps it across an update too.
  await panel().locator('tbody tr.row[data-handler="GET /api/slow"]').focus();
  writeFileSync(file, text);
  await assertEventually(() => cell('GET /api/slow', 'p95').catch(() => ''), (t) => t === '60 ms', 'the panel to show the restored p95', 30_000);
  const frame = await panelFrame();
  assert.equal(await frame.evaluate(() => document.activeElement?.getAttribute('data-handler') ?? document.activeElement?.tagName), 'GET /api/slow', 'the focused row keeps the focus');
  await panel().locator('input.filter').fill('');
}
