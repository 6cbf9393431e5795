// Hostile names in every field the comparison panel shows (issue #8): handler and benchmark
// names, result-file paths, the baseline's ref, commit and machine fields, config errors (a
// metric name) and read errors. Each must render as literal text: textContent equals what was
// written, no element or attribute is created from it, and no alert() runs.
import * as assert from 'node:assert/strict';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { git, openPanel, panel, panelFrame, recordDialogs } from './panelView';
import { assertEventually, screenshot, useWorkspace } from './workbench';

const LONG = `${'A'.repeat(5000)}<img src=x onerror=alert(11)>${'Z'.repeat(5000)}`;
const HANDLERS = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(2)</script>',
  'javascript:alert(document.domain)',
  '</style><b id="bold">bold</b><style>',
  '\u202Eexe.txt\u200B\u200F\u2066 RTL \u2069', // right-to-left override, zero-width space, RLM, isolates
  `' onmouseover='alert(3)`,
  LONG,
];
const BENCHMARK = '<img src=x onerror=alert(4)> bench';
const RESULT_FILE = 'perf/results/<svg onload=alert(5)>.csv';
// Markup is a valid git tag name, but not a ref Perf Budgets passes to git (issue #13): the header
// shows a ref with every character the ref check allows, and the hostile one appears only in the
// refused ref's error message, as text.
const REF = 'tags/x+y@z-1_2.v';
const HOSTILE_REF = '"><svg/onload=alert(6)>';
const COMMIT = '"><script>alert(7)</script>';
const MACHINE = { cpu: '<img src=x onerror=alert(8)>', cores: 4, os: '</style><script>alert(9)</script>', fingerprint: 'javascript:alert(10)' };
const METRIC = '<script>alert(12)</script>';

/** CSV field, quoted when needed. */
const csv = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const HEADER = 'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%';
// p95 = 40 + 5i ms for handler i (baseline: 40 ms for all, so the deltas are +0%, +12%, ...).
const row = (name: string, i: number) => ['', csv(name), 100, 0, 20, 22, 5, 90, 10, 10, 0, 20, 24, 28, 30, 36, 40 + 5 * i, 50, 60, 90, 90, 90].join(',');

function config(extraBudget = ''): string {
  const budgets = HANDLERS.map((h) => `    ${JSON.stringify(h)}: { "p95": "100ms"${extraBudget} }`).join(',\n');
  return `{\n  "baseline": "perf/baseline.json",\n  "benchmarks": {\n    ${JSON.stringify(BENCHMARK)}: { "command": "node -e \\"process.exit(0)\\"", "results": ["perf/results/*.csv"], "format": "locust-csv" }\n  },\n  "budgets": {\n${budgets}\n  }\n}\n`;
}

function prepare(dir: string): void {
  mkdirSync(path.join(dir, 'perf/results'), { recursive: true });
  mkdirSync(path.join(dir, '.vscode'), { recursive: true });
  writeFileSync(path.join(dir, 'perf-budgets.json'), config());
  writeFileSync(path.join(dir, RESULT_FILE), `${[HEADER, ...HANDLERS.map(row)].join('\n')}\n`);
  const entry = { count: 100, durationSec: 10, errors: 0, exact: true, format: 'locust-csv', latencyMs: { max: 90, mean: 22, min: 5, p50: 20, p90: 36, p95: 40, p99: 60, p99_9: 90 }, throughputPerSec: 10 };
  const baseline = { version: 1, createdAt: '2026-01-02T03:04:05.000Z', commit: COMMIT, tool: 'e2e', machine: MACHINE, series: Object.fromEntries(HANDLERS.map((h) => [h, entry])) };
  writeFileSync(path.join(dir, 'perf/baseline.json'), `${JSON.stringify(baseline, null, 2)}\n`);
  writeFileSync(path.join(dir, '.vscode/settings.json'), `${JSON.stringify({ 'perfBudgets.baseline.ref': REF }, null, 2)}\n`);
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `"><img src=x onerror=alert(13)> a hostile commit message`);
  git(dir, 'tag', REF);
}

/** Everything the DOM holds that markup could have made: elements, on* attributes, links (VS Code's own default styles aside). */
async function domFacts() {
  const frame = await panelFrame();
  return frame.evaluate(() => ({
    forbidden: [...document.querySelectorAll('img, iframe, object, embed, style:not(#_defaultStyles), link:not([rel="stylesheet"]), b, a, form, input[type="image"]')].map((e) => e.outerHTML.slice(0, 80)),
    // VS Code puts one inline script of its own (the acquireVsCodeApi shim) into every webview.
    scripts: [...document.querySelectorAll('script')].map((s) => s.getAttribute('src') ?? (s.textContent?.includes('acquireVsCodeApi') && !s.textContent.includes('alert(') ? 'vscode-shim' : `inline: ${s.textContent?.slice(0, 80)}`)),
    onAttributes: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => a.name.toLowerCase().startsWith('on')).map((a) => `${e.tagName}[${a.name}]`)),
    javascriptUrls: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^(href|src|xlink:href|action)$/i.test(a.name)).map((a) => a.value)).filter((v) => !v.startsWith('https://')),
    bold: document.getElementById('bold') !== null,
    rows: [...document.querySelectorAll<HTMLElement>('tbody tr.row')].map((r) => ({ data: r.dataset.handler ?? '', text: r.querySelector('td.col-handler')?.textContent ?? '' })),
    pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  }));
}

function assertInert(facts: Awaited<ReturnType<typeof domFacts>>): void {
  assert.deepEqual(facts.forbidden, [], 'no element made from a name');
  assert.deepEqual(facts.scripts.filter((s) => !s.includes('panel.js') && s !== 'vscode-shim'), [], 'no script but the panel bundle (and VS Code\'s shim)');
  assert.equal(facts.scripts.filter((s) => s.includes('panel.js')).length, 1);
  assert.deepEqual(facts.onAttributes, [], 'no event-handler attribute');
  assert.deepEqual(facts.javascriptUrls, [], 'no URL attribute but the bundle and stylesheet');
  assert.equal(facts.bold, false);
}

describe('Comparison panel: hostile names render as text', () => {
  const workspace = useWorkspace('panel-hostile', prepare);
  const dialogs = recordDialogs();

  it('handler names in the table and the detail heading, exactly as written', async () => {
    await openPanel();
    const facts = await assertEventually(domFacts, (f) => f.rows.length === HANDLERS.length, `${HANDLERS.length} rows`, 30_000);
    assert.deepEqual(facts.rows.map((r) => r.text).sort(), [...HANDLERS].sort());
    for (const r of facts.rows) assert.equal(r.data, r.text);
    assertInert(facts);
    assert.ok(facts.pageOverflow <= 0, `a 10,000-character name widens the page by ${facts.pageOverflow} px`);
    const frame = await panelFrame();
    for (const h of HANDLERS) {
      const detail = await frame.evaluate((name) => {
        const tr = [...document.querySelectorAll<HTMLElement>('tbody tr.row')].find((r) => r.dataset.handler === name)!;
        tr.click();
        const plot = document.querySelector('#detail svg.plot');
        const h2 = document.querySelector<HTMLElement>('#detail h2');
        return { heading: h2?.textContent, headingHeight: h2?.getBoundingClientRect().height ?? 0, plotLabel: plot?.getAttribute('aria-label'), title: tr.querySelector('td.col-handler')?.getAttribute('title') };
      }, h);
      assert.equal(detail.heading, h);
      assert.ok(detail.headingHeight < 80, `the heading of a ${h.length}-character name is ${detail.headingHeight} px high`);
      assert.equal(detail.plotLabel, `Latency by percentile: ${h}`);
      assert.equal(detail.title, h);
    }
    // Deltas against the hostile-ref baseline are computed as for any other name: p95 40+5i vs 40 ms.
    const deltas = await frame.evaluate(() => [...document.querySelectorAll<HTMLElement>('tbody tr.row')].map((r) => [r.dataset.handler, r.querySelector('td.col-delta')?.textContent]));
    // 0, 12.5, 25, 37.5, 50, 62.5, 75% to two significant digits
    const want = ['= ±0%', '▲ +13%', '▲ +25%', '▲ +38%', '▲ +50%', '▲ +63%', '▲ +75%'];
    for (const [h, d] of deltas) assert.equal(d, want[HANDLERS.indexOf(h!)], `delta of handler ${HANDLERS.indexOf(h!)}`);
    assertInert(await domFacts());
    await screenshot('panel-hostile-names');
  });

  it('benchmark name, result-file path, baseline ref, commit and machine fields in the header, exactly as written', async () => {
    const frame = await panelFrame();
    const head = await frame.evaluate(() => [...document.querySelectorAll('header .side')].map((s) => [...s.querySelectorAll('.side-label, .side-meta')].map((e) => e.textContent)));
    const [run, base] = head as [string[], string[]];
    assert.equal(run[0], `This run — ${BENCHMARK}`);
    assert.equal(run[2], `from ${RESULT_FILE}`);
    assert.equal(base[0], `Baseline (${REF}:perf/baseline.json)`);
    assert.equal(base[1], `${new Date('2026-01-02T03:04:05.000Z').toLocaleString('en-US')} · commit ${COMMIT} · ${MACHINE.cpu}, 4 cores, ${MACHINE.os}`);
    assert.equal(git(workspace().workspace, 'rev-parse', `${REF}^{commit}`).trim(), git(workspace().workspace, 'rev-parse', 'HEAD').trim(), 'the tag exists');
    assertInert(await domFacts());
  });

  it('read errors naming a hostile file, and config errors naming a hostile metric, as text', async () => {
    const dir = workspace().workspace;
    const file = path.join(dir, RESULT_FILE);
    const good = readFileSync(file, 'utf8');
    const note = () => panel().locator('header .note.error').textContent({ timeout: 1000 }).catch(() => '');
    try {
      writeFileSync(file, `${HEADER}\n,x,not-a-number,0\n`);
      const text = await assertEventually(note, (t) => !!t?.includes(RESULT_FILE), 'the read error naming the file', 30_000);
      assert.ok(text!.startsWith(`✗ The last read failed: ${RESULT_FILE}`), text!);
      assertInert(await domFacts());
      assert.equal((await domFacts()).rows.length, HANDLERS.length, 'the previous rows stay');
      writeFileSync(file, good);
      await assertEventually(note, (t) => t === '', 'the error to clear', 30_000);

      const configFile = path.join(dir, 'perf-budgets.json');
      renameSync(configFile, `${configFile}.good`);
      writeFileSync(configFile, config(`, ${JSON.stringify(METRIC)}: "5ms"`));
      const configError = await assertEventually(note, (t) => !!t?.includes(METRIC), 'the config error naming the metric', 30_000);
      assert.match(configError!, /^✗ The last read failed: perf-budgets\.json:\d+/);
      assertInert(await domFacts());
      await screenshot('panel-hostile-config-error');
      renameSync(`${configFile}.good`, configFile);
      await assertEventually(note, (t) => t === '', 'the config error to clear', 30_000);

      // The folder's own settings name a hostile ref: refused before git sees it, and said as text.
      const settings = path.join(dir, '.vscode/settings.json');
      writeFileSync(settings, `${JSON.stringify({ 'perfBudgets.baseline.ref': HOSTILE_REF }, null, 2)}\n`);
      const refused = await assertEventually(note, (t) => !!t?.includes(`not a git ref: ${JSON.stringify(HOSTILE_REF)}`), 'the refused ref’s message', 30_000);
      assert.ok(refused!.startsWith(`✗ The last read failed: ${HOSTILE_REF}:perf/baseline.json: not a git ref`), refused!);
      assertInert(await domFacts());
      await screenshot('panel-hostile-refused-ref');
      writeFileSync(settings, `${JSON.stringify({ 'perfBudgets.baseline.ref': REF }, null, 2)}\n`);
      await assertEventually(note, (t) => t === '', 'the refused ref’s error to clear', 30_000);
    } finally {
      writeFileSync(file, good);
    }
    assert.deepEqual(dialogs, [], 'no alert() ran');
  });
});
