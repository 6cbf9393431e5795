import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILD_TIMEOUT_MS, builtFile, FIXTURES, HDR_FIXTURES } from '../helpers';
import { cli } from './run';

/** wrk --latency text, as wrk 4.1 prints it, with the given distribution (ms). */
function wrkText(p50: number, p90: number, p99: number, requests = 372, non2xx = 0): string {
  return [
    'Running 3s test @ http://127.0.0.1:18787/api/slow',
    '  1 threads and 4 connections',
    '  Thread Stats   Avg      Stdev     Max   +/- Stdev',
    '    Latency    33.27ms   17.40ms 127.59ms   87.47%',
    '    Req/Sec   124.23     13.82   150.00     60.00%',
    '  Latency Distribution',
    `     50%   ${p50.toFixed(2)}ms`,
    '     75%   40.82ms',
    `     90%   ${p90.toFixed(2)}ms`,
    `     99%  ${p99.toFixed(2)}ms`,
    `  ${requests} requests in 3.01s, 66.84KB read`,
    ...(non2xx ? [`  Non-2xx or 3xx responses: ${non2xx}`] : []),
    'Requests/sec:    123.77',
    'Transfer/sec:     22.24KB',
    '',
  ].join('\n');
}

function workspace(budgets: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pb-cli-'));
  mkdirSync(path.join(dir, 'perf/results'), { recursive: true });
  writeFileSync(
    path.join(dir, 'perf-budgets.json'),
    JSON.stringify({ benchmarks: { api: { command: 'true', results: ['perf/results/*.txt'] } }, budgets, ...extra }, null, 2),
  );
  return dir;
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

describe('perf-budgets CLI', function () {
  this.timeout(60_000);
  const made: string[] = [];
  const ws = (...a: Parameters<typeof workspace>) => {
    const d = workspace(...a);
    made.push(d);
    return d;
  };
  after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('summarize --json prints exactly the documented shape, null for what the input does not give', async () => {
    const r = await cli(['summarize', path.join(FIXTURES, 'wrk/slow.txt'), '--json'], '/');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      series: [
        {
          name: 'slow',
          format: 'wrk',
          count: 372,
          errors: 0,
          errorRate: 0,
          throughputPerSec: 123.77,
          exact: true,
          latencyMs: { p50: 25.92, p90: 53.31, p95: null, p99: 110.09, max: 127.59 },
        },
      ],
    });
  });

  it('summarize prints a table of every series of several files', async () => {
    const r = await cli(['summarize', path.join(FIXTURES, 'wrk/slow.txt'), path.join(HDR_FIXTURES, 'tagged-Log.logV2.hlog')], '/');
    assert.equal(r.code, 0, r.stderr);
    const out = lines(r.stdout);
    assert.match(out[0]!, /^Series\s+Format\s+Count\s+Errors\s+Throughput\s+p50\s+p90\s+p95\s+p99\s+max$/);
    assert.match(out[1]!, /^slow\s+wrk\s+372\s+0 \(0%\)\s+124\/s\s+25\.9 ms\s+53\.3 ms\s+—\s+110 ms\s+128 ms$/);
    assert.equal(out.length, 4, 'slow, and the two series (Tag=A and untagged) of the tagged log');
  });

  it('check: exit 0 when every budget is met, with the SLO table', async () => {
    const dir = ws({ slow: { p50: '50ms', p99: '200ms', errorRate: '1%' } });
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(25.92, 53.31, 110.09));
    const r = await cli(['check'], dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^Handler\s+Metric\s+p50\s+p95\s+p99\s+n\s+Value\s+Budget\s+Status\s+Margin\s+Δ vs baseline/);
    assert.match(r.stdout, /slow\s+p50\s+25\.9 ms\s+—\s+110 ms\s+372\s+25\.9 ms\s+50 ms\s+PASS\s+48%\s+no baseline/);
    assert.match(r.stdout, /1 handler, 3 budgeted metrics: 3 pass, 0 warn, 0 fail, 0 missing; 0 regressions/);
  });

  it('check: exit 1 on a breached budget; --report json prints exactly one entry per budgeted metric', async () => {
    const dir = ws({ slow: { p95: '100ms', p99: '100ms' } });
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(25.92, 53.31, 110.09));
    const r = await cli(['check', '--report', 'json'], dir);
    assert.equal(r.code, 1);
    assert.deepEqual(JSON.parse(r.stdout), {
      verdicts: [
        { handler: 'slow', metric: 'p95', value: null, budget: 100, status: 'missing', marginPct: null, baseline: null, deltaPct: null, regression: null },
        {
          handler: 'slow',
          metric: 'p99',
          value: 110.09,
          budget: 100,
          status: 'fail',
          marginPct: (100 - 110.09) / 100 * 100,
          baseline: null,
          deltaPct: null,
          regression: null,
          // wrk prints its percentiles, not the distribution: the count rule alone (372 ≥ 100).
          support: { n: 372, needed: 100, ci: null, enough: true, straddles: false, text: 'n = 372; no interval: the results have no distribution (the tool printed only its percentiles)' },
        },
      ],
      unclaimed: [],
      ambiguous: [],
    });
  });

  it('check lists the series no budget claims after the table, and they fail no gate', async () => {
    const dir = ws({ slow: { p99: '1s' } });
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(25.92, 53.31, 110.09));
    writeFileSync(path.join(dir, 'perf/results/other.txt'), wrkText(1, 2, 3));
    const text = await cli(['check'], dir);
    assert.equal(text.code, 0, text.stderr);
    assert.ok(text.stdout.endsWith('0 regressions\n\nUnclaimed series (no budget): other\n'), text.stdout);
    const json = await cli(['check', '--report', 'json'], dir);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout).unclaimed, ['other']);
  });

  it('baseline update writes a deterministic baseline; a later slower run is a regression (exit 1)', async () => {
    const dir = ws({ slow: { p50: '100ms' } });
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(25.92, 53.31, 110.09));
    const u = await cli(['baseline', 'update'], dir);
    assert.equal(u.code, 0, u.stderr);
    assert.match(u.stdout, /Wrote perf\/baseline\.json: 1 series/);
    const baseline = JSON.parse(readFileSync(path.join(dir, 'perf/baseline.json'), 'utf8'));
    assert.equal(baseline.version, 1);
    assert.equal(baseline.series.slow.latencyMs.p50, 25.92);
    assert.equal(typeof baseline.machine.fingerprint, 'string');
    // Same results: unchanged, exit 0.
    const same = await cli(['check', '--report', 'json'], dir);
    assert.equal(same.code, 0, same.stderr);
    assert.equal(JSON.parse(same.stdout).verdicts[0].regression, 'unchanged');
    // 20% slower at p50: within budget but a regression beyond 10%.
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(31.1, 53.31, 110.09));
    const slower = await cli(['check', '--report', 'json'], dir);
    assert.equal(slower.code, 1);
    const v = JSON.parse(slower.stdout).verdicts[0];
    assert.equal(v.status, 'pass');
    assert.equal(v.regression, 'regressed');
    assert.ok(Math.abs(v.deltaPct - ((31.1 - 25.92) / 25.92) * 100) < 1e-9);
  });

  it('histogram data: regressions are decided statistically; inconclusive passes unless --strict', async () => {
    const dir = ws({ decide: { p95: '1s' } });
    const cfg = JSON.parse(readFileSync(path.join(dir, 'perf-budgets.json'), 'utf8'));
    cfg.benchmarks = { hey: { command: 'true', results: ['perf/results/*.csv'], format: 'hey-csv' } };
    writeFileSync(path.join(dir, 'perf-budgets.json'), JSON.stringify(cfg));
    const raw = readFileSync(path.join(FIXTURES, 'hey/decide.csv'), 'utf8').split('\n');
    // hey's first column is the response time in seconds: scale it to make a slower run.
    const scaled = (f: number) => [raw[0], ...raw.slice(1).filter(Boolean).map((l) => { const c = l.split(','); c[0] = (Number(c[0]) * f).toFixed(4); return c.join(','); })].join('\n') + '\n';
    writeFileSync(path.join(dir, 'perf/results/decide.csv'), scaled(1));
    assert.equal((await cli(['baseline', 'update'], dir)).code, 0);
    writeFileSync(path.join(dir, 'perf/results/decide.csv'), scaled(1.1));
    const edge = await cli(['check', '--report', 'json'], dir);
    assert.equal(JSON.parse(edge.stdout).verdicts[0].regression, 'inconclusive');
    assert.equal(edge.code, 0, 'inconclusive is not a failure');
    assert.equal((await cli(['check', '--strict'], dir)).code, 1, '--strict fails on inconclusive');
    const text = await cli(['check'], dir);
    assert.match(text.stdout, /decide p95 [\d.]+ ms \(95% CI [\d.]+ ms–[\d.]+ ms\): inconclusive — within-run, histogram CI: change ×1\.1 \(95% CI [\d.]+–[\d.]+\), p = [\d.]+ after Holm over the run; ≈ \d+ more requests per side would likely decide it; between-run noise not measured \(current 1 run, baseline 1 run; "repeat" both to measure it\)/);
    writeFileSync(path.join(dir, 'perf/results/decide.csv'), scaled(1.5));
    const slow = await cli(['check', '--report', 'json'], dir);
    assert.equal(slow.code, 1);
    assert.equal(JSON.parse(slow.stdout).verdicts[0].regression, 'regressed');
  });

  it('--baseline-ref reads the committed baseline, not the working copy', async () => {
    const dir = ws({ slow: { p50: '100ms' } });
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(25.92, 53.31, 110.09));
    assert.equal((await cli(['baseline', 'update'], dir)).code, 0);
    git('add', 'perf/baseline.json', 'perf-budgets.json');
    git('commit', '-qm', 'baseline');
    // The working copy is rewritten from a slow run; HEAD keeps the fast one.
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(40, 53.31, 110.09));
    assert.equal((await cli(['baseline', 'update'], dir)).code, 0);
    const head = await cli(['check', '--report', 'json', '--baseline-ref', 'HEAD'], dir);
    assert.equal(JSON.parse(head.stdout).verdicts[0].baseline, 25.92);
    const work = await cli(['check', '--report', 'json'], dir);
    assert.equal(JSON.parse(work.stdout).verdicts[0].baseline, 40);
    const bad = await cli(['check', '--baseline-ref', 'no-such-ref'], dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^perf-budgets: no-such-ref:perf\/baseline\.json: unknown git ref "no-such-ref"\n$/);
  });

  it('run executes the benchmark commands, then checks; a failing or timed-out command leaves results unchecked (exit 2)', async () => {
    const dir = ws({ slow: { p50: '100ms' } });
    const cfg = JSON.parse(readFileSync(path.join(dir, 'perf-budgets.json'), 'utf8'));
    writeFileSync(path.join(dir, 'template.txt'), wrkText(25.92, 53.31, 110.09));
    cfg.benchmarks = {
      api: { command: 'cp template.txt perf/results/slow.txt', results: ['perf/results/*.txt'] },
    };
    writeFileSync(path.join(dir, 'perf-budgets.json'), JSON.stringify(cfg));
    const ok = await cli(['run', '--report', 'json'], dir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /running api: cp template\.txt/);
    assert.equal(JSON.parse(ok.stdout).verdicts[0].value, 25.92);
    cfg.benchmarks = { api: { command: 'exit 3', results: ['perf/results/*.txt'] } };
    writeFileSync(path.join(dir, 'perf-budgets.json'), JSON.stringify(cfg));
    const failed = await cli(['run'], dir);
    assert.equal(failed.code, 2);
    assert.match(failed.stderr, /perf-budgets: perf-budgets\.json: benchmark "api" exited with code 3; results not checked\n$/);
    cfg.benchmarks = { api: { command: 'sleep 20', results: ['perf/results/*.txt'], timeout: '300ms' } };
    writeFileSync(path.join(dir, 'perf-budgets.json'), JSON.stringify(cfg));
    const started = Date.now();
    const slow = await cli(['run'], dir);
    assert.equal(slow.code, 2);
    assert.ok(Date.now() - started < 10_000, 'the timed-out command was stopped');
    assert.match(slow.stderr, /benchmark "api" timed out after 300 ms; results not checked/);
    assert.ok(existsSync(path.join(dir, 'perf/results/slow.txt')), 'previous results untouched');
  });

  it('run with "repeat": each run read and kept in run history; baseline update keeps per-run summaries; check compares runs by rank', async () => {
    const dir = ws({ slow: { p99: '1s' } });
    const cfg = JSON.parse(readFileSync(path.join(dir, 'perf-budgets.json'), 'utf8'));
    // Run n (a counter file) copies template n: each run writes different results to the same file.
    const p99s = [100, 102, 98, 101, 130, 128, 131, 127];
    p99s.forEach((p99, i) => writeFileSync(path.join(dir, `t${i + 1}.txt`), wrkText(25, 50, p99)));
    cfg.benchmarks = {
      api: { command: 'n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; cp t$n.txt perf/results/slow.txt', results: ['perf/results/*.txt'], repeat: 4 },
    };
    writeFileSync(path.join(dir, 'perf-budgets.json'), JSON.stringify(cfg));
    const first = await cli(['run', '--no-baseline', '--report', 'json'], dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /running api \(run 1 of 4\)[\s\S]*running api \(run 4 of 4\)/);
    assert.equal(readdirSync(path.join(dir, '.perf-budgets/runs')).length, 4);
    const update = await cli(['baseline', 'update'], dir);
    assert.equal(update.code, 0, update.stderr);
    const stored = JSON.parse(readFileSync(path.join(dir, 'perf/baseline.json'), 'utf8')).series.slow;
    assert.deepEqual(stored.runs.map((r: { latencyMs: { p99: number } }) => r.latencyMs.p99), [100, 102, 98, 101]);
    assert.equal(stored.count, 4 * 372);
    const second = await cli(['run', '--report', 'json'], dir);
    assert.equal(second.code, 1, second.stderr);
    const v = JSON.parse(second.stdout).verdicts[0];
    assert.equal(v.regression, 'regressed');
    assert.equal(v.evidence.noise, 'between-run');
    assert.deepEqual([v.evidence.runs.current, v.evidence.runs.baseline], [4, 4]);
    assert.ok(Math.abs(v.evidence.runs.p - 2 / 70) < 1e-12, String(v.evidence.runs.p)); // exact: all 4 above all 4
    assert.equal(v.evidence.runs.medianRatio, 129 / 100.5);
    assert.equal(v.evidence.runs.hodgesLehmannShift, 29);
    assert.equal(readdirSync(path.join(dir, '.perf-budgets/runs')).length, 8);
    // `check` on its own finds the same runs in the history.
    const again = await cli(['check', '--report', 'json'], dir);
    assert.equal(JSON.parse(again.stdout).verdicts[0].evidence.noise, 'between-run');
  });

  describe('bad input: exit 2 and one line naming the file', () => {
    const cases: Array<[string, string | Buffer, RegExp]> = [
      ['empty.txt', '', /^perf-budgets: perf\/results\/empty\.txt: empty file$/],
      ['binary.txt', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), /^perf-budgets: perf\/results\/binary\.txt: binary file/],
      ['unknown.txt', 'hello world\nthis is not a result\n', /^perf-budgets: perf\/results\/unknown\.txt: unknown result format \(first line "hello world"\)/],
      ['truncated.txt', wrkText(25.92, 53.31, 110.09).slice(0, 230), /^perf-budgets: perf\/results\/truncated\.txt(:\d+)?: /],
    ];
    for (const [name, content, re] of cases) {
      it(name, async () => {
        const dir = ws({ slow: { p50: '100ms' } });
        writeFileSync(path.join(dir, 'perf/results', name), content);
        const r = await cli(['check'], dir);
        assert.equal(r.code, 2, r.stdout);
        assert.equal(lines(r.stderr).length, 1, r.stderr);
        assert.match(lines(r.stderr)[0]!, re);
        assert.equal(r.stdout, '');
      });
    }

    it('a mislabelled file (wrk text forced to --format hyperfine)', async () => {
      const dir = ws({});
      writeFileSync(path.join(dir, 'slow.txt'), wrkText(25.92, 53.31, 110.09));
      const r = await cli(['summarize', 'slow.txt', '--format', 'hyperfine'], dir);
      assert.equal(r.code, 2);
      assert.equal(lines(r.stderr).length, 1, r.stderr);
      assert.match(r.stderr, /^perf-budgets: slow\.txt(:\d+(:\d+)?)?: /);
    });

    it('an invalid config names the file, line and JSON path; the baseline is untouched', async () => {
      const dir = ws({ slow: { p50: '100ms' } });
      writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(25.92, 53.31, 110.09));
      assert.equal((await cli(['baseline', 'update'], dir)).code, 0);
      const before = readFileSync(path.join(dir, 'perf/baseline.json'));
      writeFileSync(path.join(dir, 'perf-budgets.json'), '{\n  "budgets": {\n    "slow": { "p50": "100 parsecs" }\n  }\n}\n');
      for (const cmd of [['check'], ['baseline', 'update']]) {
        const r = await cli(cmd, dir);
        assert.equal(r.code, 2);
        assert.equal(r.stderr, 'perf-budgets: perf-budgets.json:3:22: budgets.slow.p50: expected a duration such as "850us", "150ms", "1.5s" or "2m"\n');
      }
      assert.deepEqual(readFileSync(path.join(dir, 'perf/baseline.json')), before);
    });

    it('a broken result file leaves the baseline untouched on update', async () => {
      const dir = ws({ slow: { p50: '100ms' } });
      writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(25.92, 53.31, 110.09));
      assert.equal((await cli(['baseline', 'update'], dir)).code, 0);
      const before = readFileSync(path.join(dir, 'perf/baseline.json'));
      writeFileSync(path.join(dir, 'perf/results/broken.txt'), 'garbage\n');
      const r = await cli(['baseline', 'update'], dir);
      assert.equal(r.code, 2);
      assert.deepEqual(readFileSync(path.join(dir, 'perf/baseline.json')), before);
    });

    it('usage errors', async () => {
      for (const args of [[], ['frobnicate'], ['summarize'], ['check', '--report', 'pdf'], ['summarize', 'x', '--format', 'k7'], ['check', '--bogus']]) {
        const r = await cli(args, '/');
        assert.equal(r.code, 2, args.join(' '));
      }
      const missing = await cli(['check', '--config', 'nope.json'], '/tmp');
      assert.equal(missing.stderr, 'perf-budgets: nope.json: config file not found\n');
      const noFile = await cli(['summarize', 'no-such-file.json'], '/tmp');
      assert.equal(noFile.stderr, 'perf-budgets: no-such-file.json: cannot read: ENOENT\n');
    });
  });

  it('check --report github: annotations on the handler\'s line as discovery finds it; the table in GITHUB_STEP_SUMMARY', async () => {
    const dir = ws({ 'GET /api/slow': { p50: '1ms', series: 'slow' }, 'GET /api/fast': { p50: '1s', series: 'slow' } });
    mkdirSync(path.join(dir, 'src'));
    // Express routes: no "at" in the config, so only discovery can give the lines.
    writeFileSync(path.join(dir, 'src/server.js'), "const express = require('express');\nconst app = express();\n\napp.get('/api/fast', (req, res) => res.send('ok'));\napp.get('/api/slow', (req, res) => setTimeout(() => res.send('ok'), 30));\n");
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(31.2, 48.5, 99.1));
    const summary = path.join(dir, 'step-summary.md');
    writeFileSync(summary, '# Earlier step\n');
    const r = await cli(['check', '--report', 'github'], dir, { ...process.env, GITHUB_STEP_SUMMARY: summary });
    assert.equal(r.code, 1, r.stderr);
    const annotations = lines(r.stdout).filter((l) => l.startsWith('::'));
    assert.equal(annotations.length, 1, JSON.stringify(annotations));
    assert.match(annotations[0]!, /^::error file=src\/server\.js,line=5,title=Perf budget%3A GET \/api\/slow p50::p50 31\.2 ms vs 1 ms budget — 3020%25 over budget$/);
    const written = readFileSync(summary, 'utf8');
    assert.ok(written.startsWith('# Earlier step\n'), 'appended, not overwritten');
    assert.match(written, /\| GET \/api\/slow \| p50 \|/);
    assert.ok(!written.includes('::error'), 'the summary holds the markdown table, not the workflow commands');
  });

  it('check --report markdown: under a regressed handler, the commits since the baseline that changed it, with their diff', async () => {
    const dir = ws({ 'GET /api/slow': { p50: '1s', series: 'slow' } });
    const g = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Dev One', '-c', 'user.email=dev@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
    mkdirSync(path.join(dir, 'src'));
    const server = (ms: number) => `const express = require('express');\nconst app = express();\n\napp.get('/api/other', (req, res) => res.send('ok'));\napp.get('/api/slow', (req, res) => {\n  setTimeout(() => res.send('ok'), ${ms});\n});\n`;
    writeFileSync(path.join(dir, 'src/server.js'), server(10));
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(10.2, 15.5, 30.1));
    g('init', '-q');
    g('add', '-A');
    g('commit', '-q', '-m', 'Serve the slow route');
    assert.equal((await cli(['baseline', 'update'], dir)).code, 0);
    // The change: the route waits three times as long, and an unrelated route is touched too.
    writeFileSync(path.join(dir, 'src/server.js'), server(30).replace("res.send('ok'));\napp.get('/api/slow'", "res.send('fine'));\napp.get('/api/slow'"));
    g('commit', '-q', '-am', 'Wait for the cache to warm');
    writeFileSync(path.join(dir, 'perf/results/slow.txt'), wrkText(31.2, 48.5, 99.1));
    const r = await cli(['check', '--report', 'markdown'], dir);
    assert.equal(r.code, 1, r.stderr);
    const section = r.stdout.slice(r.stdout.indexOf('### What changed in GET /api/slow'));
    assert.ok(section.startsWith('### What changed'), r.stdout);
    assert.match(section, /^- `[0-9a-f]{7}` Wait for the cache to warm \(Dev One, \d{4}-\d\d-\d\d\)$/m);
    assert.ok(!section.includes('Serve the slow route'), 'the baseline\'s own commit is not a change since it');
    assert.match(section, /```diff\n# [0-9a-f]{7}\n@@ [^\n]+\n app\.get\('\/api\/slow', \(req, res\) => \{\n-  setTimeout\(\(\) => res\.send\('ok'\), 10\);\n\+  setTimeout\(\(\) => res\.send\('ok'\), 30\);\n \}\);\n```/);
    assert.ok(!section.includes("res.send('fine')"), 'the other route\'s change is not in this handler\'s diff');
  });

  it('the built CLI runs as a program: dist/cli.js with a shebang', function () {
    this.timeout(BUILD_TIMEOUT_MS + 30_000); // dist/cli.js is built first when missing
    const cliJs = builtFile('dist/cli.js');
    assert.ok(readFileSync(cliJs, 'utf8').startsWith('#!/usr/bin/env node'));
    const out = execFileSync(process.execPath, [cliJs, 'summarize', path.join(FIXTURES, 'wrk/slow.txt'), '--json'], { encoding: 'utf8' });
    assert.equal(JSON.parse(out).series[0].latencyMs.p99, 110.09);
  });
});
