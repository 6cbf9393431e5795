// Acceptance of the editor issue on three real services (test/fixtures/workspaces/services):
// Express (TypeScript, autocannon), FastAPI (Locust) and Go net/http (hey), each benchmark a
// tasks.json task that starts the service, loads it for a few seconds and stops it. A user runs
// "Perf Budgets: Run Benchmarks" and reads, per handler, the decoration at its line, its hover,
// the Problems entries and the status bar; then edits a result file on disk, cancels a run, and
// opens the same folder untrusted.
//
// Budgets (perf-budgets.json): GET /api/slow has a p95 of 10 ms against a handler that sleeps
// 40 ms (fails); GET /api/health names the series "go-helth" (a typo: no series matches).
import * as assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterDecorationText, assertEventually, hoverText, notificationTexts, openFile, page, runCommand, screenshot, statusBarItem, useWorkspace } from './workbench';

interface Handler {
  id: string;
  file: string;
  /** 1-based, as on screen. */
  line: number;
  /** The whole end-of-line decoration (whitespace collapsed). */
  decoration: RegExp;
  /** What the hover must say beyond the handler id. */
  hover: RegExp;
}

const MS = String.raw`[\d.]+ (?:ms|µs)`;
const HANDLERS: Handler[] = [
  {
    id: 'GET /api/orders',
    file: 'express/src/server.ts',
    line: 11,
    // The worst metric only: p50 when both pass, p99 when it is in the warn band.
    decoration: new RegExp(String.raw`^[✓⚠] (?:p50 ${MS} ≤ 50 ms|p99 ${MS} ≤ 250 ms)$`),
    hover: /p50 [\d.]+ ms vs 50 ms budget — [\d.]+% margin[^\n]*\n\s*p99 [\d.]+ ms vs 250 ms budget — [\d.]+% margin[\s\S]*Results: perf\/results\/express-orders\.json \(as printed by the tool\)/,
  },
  {
    id: 'GET /api/orders/:id',
    file: 'express/src/server.ts',
    line: 15,
    decoration: new RegExp(String.raw`^[✓⚠] p99 ${MS} ≤ 250 ms$`),
    hover: /Results: perf\/results\/express-order\.json/,
  },
  {
    id: 'GET /api/users',
    file: 'fastapi/app/main.py',
    line: 16,
    decoration: new RegExp(String.raw`^[✓⚠] p95 ${MS} ≤ 250 ms$`),
    hover: /Results: perf\/results\/fastapi_stats\.csv \(as printed by the tool\)/,
  },
  {
    id: 'GET /api/slow',
    file: 'fastapi/app/main.py',
    line: 21,
    decoration: new RegExp(String.raw`^✗ p95 ${MS} > 10 ms$`),
    hover: /p95 [\d.]+ ms vs 10 ms budget — [\d.]+% over budget[\s\S]*Budget: p95 10 ms/,
  },
  {
    id: 'GET /api/stock',
    file: 'go/main.go',
    line: 15,
    decoration: new RegExp(String.raw`^[✓⚠] p95 ${MS} ≤ 250 ms$`),
    hover: /Results: perf\/results\/go-stock\.csv \(from the full histogram\)/,
  },
  {
    id: 'GET /api/health',
    file: 'go/main.go',
    line: 16,
    decoration: /^\? p95 missing \(budget 250 ms\)$/,
    hover: /Results: no series matches this handler/,
  },
];
const FILES = [...new Set(HANDLERS.map((h) => h.file))];
const RESULT_FILES = ['express-orders.json', 'express-order.json', 'fastapi_stats.csv', 'go-stock.csv', 'go-health.csv'];
/** 6 budgeted handlers: 5 measured, GET /api/slow fails (its p95), GET /api/health has no results. */
const STATUS = /^Budgets: 1 of 5 failing$/;

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const statusText = async () => squash(await statusBarItem().innerText({ timeout: 2000 }).catch(() => ''));

/** The decoration after `line` once the handler's verdicts are there (a CodeLens may still move lines). */
async function decorationAt(editor: Locator, line: number, ok: (t: string) => boolean = (t) => t !== ''): Promise<string> {
  return squash(await assertEventually(async () => squash(await afterDecorationText(editor, line)), ok, `the decoration after line ${line}`, 30_000));
}

/** The view-line element of a 1-based line, marked so a locator can find it. */
async function viewLine(editor: Locator, line: number): Promise<Locator> {
  const found = await editor.evaluate((root, n) => {
    const num = [...root.querySelectorAll('.margin-view-overlays .line-numbers')].find((el) => el.textContent?.trim() === String(n));
    const top = (num?.parentElement as HTMLElement | undefined)?.style.top;
    const el = [...root.querySelectorAll<HTMLElement>('.view-lines .view-line')].find((l) => top && l.style.top === top);
    el?.setAttribute('data-e2e-line', String(n));
    return !!el;
  }, line);
  assert.ok(found, `line ${line} is on screen`);
  return editor.locator(`.view-lines .view-line[data-e2e-line="${line}"]`);
}

/** Every decoration of the handlers of `file`, by line (the file must be open). */
async function decorationsOf(editor: Locator, file: string): Promise<Record<number, string>> {
  const out: Record<number, string> = {};
  for (const h of HANDLERS.filter((x) => x.file === file)) out[h.line] = await decorationAt(editor, h.line);
  return out;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const REPO = path.resolve(__dirname, '../..');

describe('Services workspace: Express, FastAPI and Go benchmarks', function () {
  this.timeout(180_000);
  // As in a real project with its dependencies installed: the editor's TypeScript resolves
  // express and @types/node (the bench script itself reaches them through PERF_BUDGETS_REPO).
  const ws = useWorkspace('services', (dir) => symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'express/node_modules'), 'dir'), {
    needs: ['fastapi', 'locust', 'go', 'hey'],
  });
  const results = () => path.join(ws().workspace, 'perf/results');
  const pidFile = (svc: string) => path.join(ws().workspace, '.bench', `${svc}.pid`);

  it('before any run: "Budgets: not run", neutral, and Problems says so as information at each benchmark\'s results', async () => {
    assert.ok(!existsSync(results()), 'the fixture ships no perf/results');
    const text = await assertEventually(statusText, (t) => t === 'Budgets: not run', 'the neutral "not run" status bar item', 30_000);
    assert.equal(text, 'Budgets: not run');
    const item = statusBarItem();
    // Neutral: not the error (or warning) background a failure gets (VS Code marks those items error-kind / warning-kind).
    const cls = (await item.getAttribute('class')) ?? '';
    assert.ok(!/\b(?:error|warning)-kind\b/.test(cls), `status bar item classes: ${cls}`);
    const tip = await hoverText(item, /No\s+benchmark\s+has\s+run\s+yet/);
    assert.match(squash(tip), /No benchmark has run yet in .*\. Click to run the benchmarks\./);
    await page().mouse.move(5, 5);
    await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const problems = await assertEventually(
      () => page().locator('.markers-panel .monaco-tl-row').allInnerTexts().catch(() => [] as string[]),
      (rows) => rows.some((r) => r.includes('Not run yet: no result file matches')),
      'the "not run yet" information in Problems',
      30_000,
    );
    assert.ok(!problems.some((r) => /no result files match/.test(r)), `no error about missing results: ${JSON.stringify(problems)}`);
    await screenshot('services-not-run-yet');
  });

  it('"Perf Budgets: Run Benchmarks" runs the three tasks, which write real result files and stop their services', async () => {
    const t0 = Date.now();
    await runCommand('Perf Budgets: Run Benchmarks');
    await assertEventually(notificationTexts, (t) => t.some((m) => /running express/.test(m)), 'the progress notification "running express"', 30_000);
    await screenshot('services-run-progress');
    const text = await assertEventually(statusText, (t) => STATUS.test(t), 'the status bar to count the new verdicts', 150_000);
    const seconds = (Date.now() - t0) / 1000;
    console.log(`      (Run Benchmarks: ${seconds.toFixed(1)} s for the three services)`);
    assert.match(text, STATUS);
    for (const f of RESULT_FILES) {
      const st = statSync(path.join(results(), f));
      assert.ok(st.size > 0 && st.mtimeMs >= t0 - 1000, `${f} was written by this run`);
    }
    // The tool formats, as the tools wrote them.
    assert.match(readFileSync(path.join(results(), 'express-orders.json'), 'utf8'), /"url":"http:\/\/127\.0\.0\.1:\d+\/api\/orders"/);
    assert.match(readFileSync(path.join(results(), 'fastapi_stats.csv'), 'utf8'), /^Type,Name,Request Count,[\s\S]*\nGET,\/api\/slow,\d+,/);
    assert.match(readFileSync(path.join(results(), 'go-stock.csv'), 'utf8'), /^response-time,DNS\+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset\n/);
    for (const svc of ['express', 'fastapi', 'go']) {
      const pid = Number(readFileSync(pidFile(svc), 'utf8'));
      assert.ok(!pidAlive(pid), `the ${svc} service (pid ${pid}) was stopped by its task`);
    }
    // The tooltip is markdown text: its spaces render as no-break spaces.
    const tip = await hoverText(statusBarItem(), /Failing:\s+GET\s+\/api\/slow/);
    assert.match(squash(tip), /Failing: GET \/api\/slow/);
    assert.match(squash(tip), /Budgeted handlers without results: 1 of 6\./);
    assert.match(squash(tip), /results written \d/);
    await screenshot('services-status-bar');
    await page().mouse.move(5, 5);
  });

  for (const file of FILES) {
    it(`decorations in ${file}: each handler's verdicts at its own line`, async () => {
      const editor = await openFile(file);
      const here = HANDLERS.filter((x) => x.file === file);
      for (const h of here) assert.match(await decorationAt(editor, h.line), h.decoration, `${h.id} at ${file}:${h.line}`);
      // Exactly those lines: no other line of the file has a decoration.
      const lines = readFileSync(path.join(ws().workspace, file), 'utf8').split('\n').length;
      for (let n = 1; n <= lines; n++) {
        if (here.some((h) => h.line === n)) continue;
        assert.equal(squash(await afterDecorationText(editor, n)), '', `nothing after ${file}:${n}`);
      }
      await screenshot(`services-decorations-${file.split('/')[0]}`);
    });
  }

  for (const h of HANDLERS) {
    it(`hover at ${h.file}:${h.line} shows ${h.id}`, async () => {
      const editor = await openFile(h.file);
      await decorationAt(editor, h.line);
      const text = await hoverText(await viewLine(editor, h.line), `Perf Budgets — ${h.id}`);
      assert.match(text, h.hover);
      assert.match(text, /this run\s+baseline/);
      if (h.id === 'GET /api/slow' || h.id === 'GET /api/orders') await screenshot(`services-hover-${h.id.replace(/\W+/g, '-')}`);
      await page().mouse.move(5, 5);
    });
  }

  it('Problems: an Error at the breached handler and a Warning at the budget no series matches', async () => {
    await runCommand('Problems: Focus on Problems View');
    const rows = page().locator('.markers-panel .monaco-list-row');
    const texts = await assertEventually(
      async () => (await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? e.textContent ?? ''))).map(squash),
      (t) => t.some((x) => x.includes('GET /api/slow: p95')) && t.some((x) => x.includes('No result series matches "GET /api/health"')),
      'the two Perf Budgets problems',
      30_000,
    );
    const slow = texts.find((x) => x.includes('GET /api/slow: p95'))!;
    assert.match(slow, /Error/i, slow);
    assert.match(slow, /over budget/, slow);
    assert.match(slow, /line 21\b/i, slow);
    const typo = texts.find((x) => x.includes('No result series matches "GET /api/health"'))!;
    assert.match(typo, /Warning/i, typo);
    assert.match(typo, /\(series "go-helth"\)/, typo);
    assert.match(typo, /the results hold: .*go-health/, typo);
    assert.match(typo, /line 17\b/i, typo);
    // Nothing else from Perf Budgets: the other handlers pass (and with express resolvable, no other problems at all).
    const ours = texts.filter((x) => /generated by perf-budgets/.test(x));
    assert.equal(ours.length, 2, `Perf Budgets problems: ${JSON.stringify(ours)}`);
    assert.equal(texts.filter((x) => /^(Error|Warning|Info)/.test(x)).length, 2, `all problems: ${JSON.stringify(texts)}`);
    await screenshot('services-problems');
  });

  it('editing a result file on disk updates the decorations without a command', async () => {
    const editor = await openFile('fastapi/app/main.py');
    const before = await decorationAt(editor, 16);
    // A user (or another tool) rewrites Locust's p95 of GET /api/users to 123 ms.
    const file = path.join(results(), 'fastapi_stats.csv');
    const [header, ...rows] = readFileSync(file, 'utf8').split('\n');
    const p95 = header!.split(',').indexOf('95%');
    const max = header!.split(',').indexOf('Max Response Time');
    assert.ok(p95 > 0 && max > 0, header);
    const edited = rows.map((r) => {
      const cells = r.split(',');
      if (cells[0] === 'GET' && cells[1] === '/api/users') {
        cells[p95] = '123';
        // A p95 above the exact max is read as the max (Locust rounds): keep the edit consistent.
        cells[max] = String(Math.max(Number(cells[max]), 200));
      }
      return cells.join(',');
    });
    writeFileSync(file, [header, ...edited].join('\n'));
    const after = await decorationAt(editor, 16, (t) => t.startsWith('✓ p95 123 ms'));
    assert.match(after, /^✓ p95 123 ms ≤ 250 ms$/, `before: ${before}`);
    await screenshot('services-decoration-after-file-edit');
  });

  it('cancelling a running benchmark leaves the previous decorations and status untouched, and stops the service', async () => {
    const editor = await openFile('fastapi/app/main.py');
    const before = await decorationsOf(editor, 'fastapi/app/main.py');
    const status = await statusText();
    const oldPid = readFileSync(pidFile('express'), 'utf8');
    const kept = Object.fromEntries(RESULT_FILES.map((f) => [f, statSync(path.join(results(), f)).mtimeMs]));

    await runCommand('Perf Budgets: Run Benchmarks');
    const toast = page().locator('.notifications-toasts .notification-list-item', { hasText: 'running express' });
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    // Cancel once the express service is up (its task wrote a new pid).
    const pid = Number(await assertEventually(async () => (existsSync(pidFile('express')) ? readFileSync(pidFile('express'), 'utf8') : ''), (p) => p !== '' && p !== oldPid, 'the express task to start its service', 30_000));
    assert.ok(pidAlive(pid), 'the express service runs');
    await toast.hover();
    await screenshot('services-cancel-progress');
    await toast.getByRole('button', { name: 'Cancel' }).click();

    const texts = await assertEventually(notificationTexts, (t) => t.some((m) => /was cancelled/.test(m)), 'the cancellation message', 30_000);
    assert.ok(texts.includes('Perf Budgets: benchmark "express" was cancelled. The previous results are kept.'), JSON.stringify(texts));
    await assertEventually(async () => pidAlive(pid), (alive) => !alive, `the express service (pid ${pid}) to be stopped`, 15_000);
    // Every result file is the previous one: the cancelled task left no partial file, the others did not run.
    for (const f of RESULT_FILES) assert.equal(statSync(path.join(results(), f)).mtimeMs, kept[f], `${f} untouched`);

    await new Promise((r) => setTimeout(r, 1500)); // let any (wrong) re-render land
    assert.deepEqual(await decorationsOf(editor, 'fastapi/app/main.py'), before);
    assert.equal(await statusText(), status);
    await screenshot('services-after-cancel');
  });
});

describe('Services workspace, untrusted (restricted mode)', function () {
  this.timeout(180_000);
  // Results recorded by an earlier real run of the three benchmarks are already on disk.
  const ws = useWorkspace(
    'services',
    (dir) => {
      mkdirSync(path.join(dir, 'perf/results'), { recursive: true });
      for (const f of readdirSync(path.join(dir, 'perf/recorded'))) copyFileSync(path.join(dir, 'perf/recorded', f), path.join(dir, 'perf/results', f));
    },
    { trusted: false },
  );

  it('shows the recorded results in restricted mode', async () => {
    await assertEventually(
      () => page().locator('.statusbar-item').allInnerTexts(),
      (t) => t.some((x) => /Restricted Mode/.test(x)),
      'the Restricted Mode indicator',
      30_000,
    );
    assert.match(await assertEventually(statusText, (t) => STATUS.test(t), 'the status bar verdicts from the recorded results', 30_000), STATUS);
    const editor = await openFile('fastapi/app/main.py');
    assert.match(await decorationAt(editor, 21), HANDLERS.find((h) => h.id === 'GET /api/slow')!.decoration);
    assert.match(await decorationAt(editor, 16), HANDLERS.find((h) => h.id === 'GET /api/users')!.decoration);
  });

  it('"Run Benchmarks" refuses with a clear message and runs nothing', async () => {
    const dir = ws().workspace;
    const kept = Object.fromEntries(RESULT_FILES.map((f) => [f, statSync(path.join(dir, 'perf/results', f)).mtimeMs]));
    await runCommand('Perf Budgets: Run Benchmarks');
    const texts = await assertEventually(notificationTexts, (t) => t.some((m) => /untrusted/.test(m)), 'the refusal', 20_000);
    assert.ok(texts.includes('Perf Budgets does not run benchmarks in an untrusted workspace. Existing results are still shown.'), JSON.stringify(texts));
    await screenshot('services-untrusted-refusal');
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(!existsSync(path.join(dir, '.bench')), 'no benchmark task started a service');
    for (const f of RESULT_FILES) assert.equal(statSync(path.join(dir, 'perf/results', f)).mtimeMs, kept[f], `${f} untouched`);
    assert.match(await statusText(), STATUS);
    const editor = await openFile('fastapi/app/main.py');
    assert.match(await decorationAt(editor, 21), HANDLERS.find((h) => h.id === 'GET /api/slow')!.decoration);
  });
});
