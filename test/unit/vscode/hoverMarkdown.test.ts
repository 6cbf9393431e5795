import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { evaluate } from '../../../src/core/budgets/evaluate';
import type { Config } from '../../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../../src/core/histograms/latencyHistogram';
import { fromHistogram, type Series } from '../../../src/core/series';
import { hoverMarkdown, type HoverFacts, mdText, whatChangedMarkdown } from '../../../src/vscode/hoverMarkdown';
import { COMMANDS } from '../../../src/vscode/ids';

// Issue #13: everything in the hover but our own words comes from the workspace (perf-budgets.json,
// result files, git), and the hover is trusted for a few commands and shown in Restricted Mode.
// A budget key with a blank line ended the code span it was put in, and the Markdown after it,
// such as this link dressed like ours, was rendered and could open any URI.
const FAKE_LINK = '[Open result file](command:vscode.open?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)';
const hostile = (what: string) =>
  `${what}\n\n${FAKE_LINK}\r\n<img src=x onerror=alert(1)>\u2028https://evil.example/x www.evil.example mail@evil.example\u2029\u0085\u0000 \`code\` ]( [ref]: x &#10; <https://evil.example>`;

const PANEL = COMMANDS.openPanel;
const OUR_COMMANDS = [COMMANDS.runBenchmark, COMMANDS.openResultFile, PANEL];
/** Our links: at an unescaped "[", a title (its own escapes allowed) and a command with JSON arguments. */
const OUR_LINK = /(?<=(?:^|[^\\])(?:\\\\)*)\[((?:\\.|[^\\\]])*)\]\(command:([\w.]+)\?([^)\s]*)\)/g;

function hoverOf(s: { handler: string; file: string; baselineFrom: string; benchmark: string; series: string }) {
  const series: Series = {
    name: s.series, format: 'locust-csv', source: `${s.file}, ${s.file}2`, count: 100, errors: 1, durationSec: 10, throughputPerSec: 10,
    exact: true, histogram: null, percentiles: { '50': 10, '95': 120, '99': 200 }, minMs: 1, maxMs: 300, meanMs: 20, benchmark: s.benchmark,
  };
  // Built without parseConfig, which now refuses such keys: the hover must be safe by itself.
  const config: Config = { baseline: 'perf/baseline.json', regressionThreshold: 0.1, warnAt: 0.8, benchmarks: [], budgets: [{ handler: s.handler, latency: { p95: 100, p99: 250 }, series: '*' }] };
  const [result] = evaluate(config, [series], [{ ...series, percentiles: { '95': 90 } }]);
  const facts: HoverFacts = { folder: 'file:///work/ws', readAt: new Date(0), baselineFrom: s.baselineFrom, benchmark: s.benchmark, panelCommand: PANEL };
  return { result: result!, md: hoverMarkdown(result!, facts) };
}

const benign = { handler: 'GET /x', file: 'perf/results/a.json', baselineFrom: 'HEAD:perf/baseline.json', benchmark: 'api', series: 'GET /x' };
const attack = {
  handler: hostile('GET /x'),
  file: hostile('perf/results/a.json'),
  baselineFrom: hostile('HEAD:perf/baseline.json'),
  benchmark: hostile('api'),
  series: hostile('GET /x'),
};

/** The text outside our links, where nothing may start Markdown that links, embeds or breaks lines. */
function outsideOurLinks(value: string): string {
  return value.replace(OUR_LINK, ' ');
}

/** Characters of `text` that are not backslash-escaped. */
function unescaped(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else out += text[i];
  }
  return out;
}

describe('the handler hover (hoverMarkdown)', () => {
  it('trusts only our own commands: not vscode.open', () => {
    const { md } = hoverOf(attack);
    assert.deepEqual([...md.enabledCommands].sort(), [...OUR_COMMANDS].sort());
    // Every link destination ("](") runs one of our commands.
    const targets = [...md.value.matchAll(/\]\(([^?)]*)/g)].map((m) => m[1]);
    assert.equal(targets.length, 5);
    for (const t of targets) assert.ok(OUR_COMMANDS.some((c) => t === `command:${c}`), t);
    assert.ok(!outsideOurLinks(md.value).includes('vscode.open'), 'the workspace text has its dot escaped');
  });

  it('hostile handler, file, baseline and benchmark names add no link, HTML, code span or line', () => {
    const { md } = hoverOf(attack);
    const safe = hoverOf(benign).md;
    assert.equal(md.value.split('\n').length, safe.value.split('\n').length, 'the same lines as with ordinary names');
    assert.doesNotMatch(md.value, /[\r\u2028\u2029\u0085\u0000]/);
    const links = [...md.value.matchAll(OUR_LINK)];
    assert.deepEqual(
      links.map((m) => m[2]),
      [...safe.value.matchAll(OUR_LINK)].map((m) => m[2]),
      'the same links as with ordinary names',
    );
    for (const m of links) assert.ok(OUR_COMMANDS.includes(m[2] as never), m[0]);
    const rest = unescaped(outsideOurLinks(md.value));
    assert.doesNotMatch(rest, /[[\]<>`]/, 'no bracket, angle bracket or backtick left unescaped');
    assert.doesNotMatch(rest, /:\/\/|www\.|@evil\.example/, 'nothing an autolink would pick up');
  });

  it('the links carry the hostile names intact as their JSON arguments', () => {
    const { md } = hoverOf(attack);
    const links = [...md.value.matchAll(OUR_LINK)];
    const args = links.map((m) => ({ title: m[1], command: m[2], args: JSON.parse(decodeURIComponent(m[3]!)) as unknown }));
    // VS Code may decode the query twice (URI.parse, then the command opener): the same arguments.
    for (const [i, m] of links.entries()) assert.deepEqual(JSON.parse(decodeURIComponent(decodeURIComponent(m[3]!))), args[i]!.args);
    const folder = 'file:///work/ws';
    assert.deepEqual(
      args.map((a) => [a.command, a.args]),
      [
        [COMMANDS.openResultFile, [{ folder, file: attack.file }]],
        [COMMANDS.openResultFile, [{ folder, file: `${attack.file}2` }]],
        [PANEL, [{ folder, handler: attack.handler }]],
        [COMMANDS.openResultFile, [{ folder, file: attack.file }]],
        [COMMANDS.runBenchmark, [{ folder, benchmark: attack.benchmark }]],
      ],
    );
    assert.deepEqual(
      args.map((a) => a.title).slice(-3),
      ['Open comparison panel', 'Open result file', 'Run this benchmark'],
    );
  });

  it('the header names the handler as text', () => {
    assert.ok(hoverOf(benign).md.value.startsWith('**Perf Budgets** — GET /x\n\n'), hoverOf(benign).md.value.slice(0, 60));
  });
});

describe('mdText', () => {
  const SPECIAL = /[\\`*_{}[\]()#+\-.!|<>&~:@$]/;

  it('leaves no Markdown syntax, control character or line break (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.oneof(fc.constantFrom('[', ']', '(', ')', '<', '>', '`', '\\', '\n', '\r', '\u2028', '\u2029', '\u0085', '\u0000', ':', '/', '.', 'w', 'h', '$'), fc.constant('a'), fc.string({ unit: 'binary', maxLength: 1 })), maxLength: 40 }), (s) => {
        const out = mdText(s);
        assert.doesNotMatch(out, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
        // Every special character is escaped, and taking the escapes out gives the text back.
        const plain = [...unescaped(out)];
        for (const c of plain) assert.ok(!SPECIAL.test(c) || c === '/' || c === '$' || c === ':' || c === '@', `unescaped ${JSON.stringify(c)} in ${JSON.stringify(out)}`);
        assert.equal(out.replace(/\\(.)/gsu, '$1'), s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '\uFFFD'));
      }),
      { numRuns: 3000, seed: 13 },
    );
  });

  it('breaks every autolink: scheme://, www. and e-mail addresses', () => {
    for (const s of ['https://evil.example', 'ftp://x.y', 'www.evil.example', 'a@evil.example']) {
      const out = mdText(s);
      assert.doesNotMatch(unescaped(out), /:\/\/|www\.|@\w+\./, out);
    }
    assert.equal(mdText('HEAD:perf/baseline.json'), 'HEAD:perf/baseline\\.json', 'a colon not before // stays as it is');
  });
});

describe('the hover on a percentile from few requests', () => {
  it('says the request count, the interval and that 12 requests are too few for a p95', () => {
    const h = LatencyHistogram.create();
    for (const v of [100, 120, 140, 160, 180, 200, 300, 400, 500, 610, 700, 726]) h.recordMs(v);
    const series = fromHistogram({ name: 'GET /api/civic-grid/insights', format: 'samples', source: 'perf/results/a.txt', errors: 0, durationSec: 1, histogram: h });
    const config: Config = { baseline: 'perf/baseline.json', regressionThreshold: 0.1, warnAt: 0.8, benchmarks: [], budgets: [{ handler: 'GET /api/civic-grid/insights', latency: { p95: 500 }, errorRate: 0.01 }] };
    const [result] = evaluate(config, [series], null);
    const md = hoverMarkdown(result!, { folder: 'file:///w', readAt: new Date(0), baselineFrom: null }).value;
    // The lower bound is the 10th of 12 (610 ms); no rank bounds a p95 of 12 from above.
    assert.ok(md.includes('$(error) $(warning) p95 726 ms vs 500 ms budget — 45% over budget · **p95 726 ms \\(95% CI 610 ms–∞, n = 12: too few for a p95 \\(needs 20\\)\\)**  \n'), md);
    assert.ok(md.includes('| p95 | 726 ms \\(n \\< 20\\) | — |'), md);
    assert.ok(md.includes('| max | 726 ms | — |'), md);
    assert.ok(md.includes('| p50 | 200 ms | — |'), md);
    assert.ok(md.includes('| requests | 12 | — |'), md);
    // errorRate has no percentile to support.
    assert.ok(/\$\(pass\) errorRate 0% vs 1% budget — 100% margin {2}\n/.test(md), md);
  });
});

describe('the hover lists what is not in the totals', () => {
  const summary = (name: string, p95: number, count: number, extra: Partial<Series> = {}): Series => ({
    name, format: 'jmeter', source: 'r.jtl', count, errors: 0, durationSec: 10, throughputPerSec: count / 10,
    exact: true, histogram: null, percentiles: { '95': p95 }, minMs: null, maxMs: null, meanMs: null, ...extra,
  });
  const config: Config = { baseline: 'perf/baseline.json', regressionThreshold: 0.1, warnAt: 0.8, benchmarks: [], budgets: [{ handler: 'Home Page', latency: { p95: 500 } }] };
  const facts: HoverFacts = { folder: 'file:///work/ws', readAt: new Date(0), baselineFrom: null };

  it('sub-samples under their parent, with their own p95 and count, and not in its request count', () => {
    const parent = summary('Home Page', 300, 40);
    const subs = [summary('Home Page-0', 120, 40, { parent: 'Home Page' }), summary('Home Page-1', 80, 40, { parent: 'Home Page' })];
    const [result] = evaluate(config, [parent, ...subs], null);
    const md = hoverMarkdown(result!, { ...facts, subSamples: subs }).value;
    assert.match(md, /\| requests \| 40 \|/, 'the parent counts its own 40 requests, not 120');
    assert.match(md, /Sub-samples \(not counted in its totals\):/);
    assert.match(md, /Home Page\\-0 · p95 120 ms · 40 requests/, 'escaped as workspace text');
    assert.match(md, /Home Page\\-1 · p95 80 ms · 40 requests/);
  });

  it('extra metrics a microbenchmark measured (Go B/op, allocs/op)', () => {
    const [result] = evaluate(
      { ...config, budgets: [{ handler: 'BenchmarkParse', latency: { p95: 1 } }] },
      [summary('BenchmarkParse', 0.004, 5, { format: 'go-bench', extraMetrics: { 'B/op': 256, 'allocs/op': 3 } })],
      null,
    );
    assert.match(hoverMarkdown(result!, facts).value, /Also measured: B\/op 256 · allocs\/op 3/);
  });
});

describe('"Why it regressed" in the hover', () => {
  const commit = (short: string, subject: string, hunk: string) => ({ hash: short.padEnd(40, '0'), short, author: 'Dev One', date: '2026-12-01T10:00:00+00:00', subject, hunks: [hunk], file: 'src/server.js' });
  it('lists the handler\'s commits with their hunks, then the changes to what it calls, marked "called from here"', () => {
    const md = whatChangedMarkdown(
      { kind: 'changes', commits: [commit('abc1234', 'Search the slow index', '@@ -12 +12 @@\n-  await sleep(20);\n+  await sleep(20 * 25);')], uncommitted: [], truncated: false },
      { command: COMMANDS.openPanel, args: [{}] },
      [{ name: 'score', changed: { kind: 'changes', commits: [commit('def5678', 'Score with regexes', '@@ -4 +4 @@\n-  return q.length;\n+  return /x+/.exec(q);')], uncommitted: [], truncated: false } }],
    );
    assert.match(md, /`abc1234` Search the slow index — Dev One, 2026\\-12\\-01/);
    assert.match(md, /```diff\n@@ -12 \+12 @@\n-  await sleep\(20\);\n\+  await sleep\(20 \* 25\);\n```/);
    assert.match(md, /called from here: score\\\(\\\)/);
    assert.ok(md.indexOf('Score with regexes') > md.indexOf('called from here'));
    assert.match(md, /\[Open the diff since the baseline\]\(command:/);
  });

  it('says why when git cannot tell', () => {
    const md = whatChangedMarkdown({ kind: 'unavailable', reason: 'shallow', message: 'the baseline commit abc1234 is not in this clone (shallow): run git fetch --deepen=100 (or --unshallow)' }, null);
    // Markdown escapes aside, the message as git's answer gives it.
    assert.ok(md.replace(/\\/g, '').includes('What changed cannot be shown: the baseline commit abc1234 is not in this clone (shallow): run git fetch --deepen=100 (or --unshallow)'), md);
  });
});
