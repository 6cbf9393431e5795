import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseBaseline } from '../../../../src/core/baseline/baselineFile';
import { evaluate } from '../../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import type { MetricJudgement } from '../../../../src/core/kinds';
import { comparisonMarkdown, utc } from '../../../../src/core/report/comparisonExport';
import { buildPanelModel, type PanelInputs, worstMetric } from '../../../../src/core/report/panelModel';
import type { Series } from '../../../../src/core/series';
import { FIXTURES, readFixture } from '../../helpers';

function summary(name: string, pct: Record<string, number>, extra: Partial<Series> = {}): Series {
  return { name, format: 'locust-csv', source: 'perf/results/x.csv', count: 1000, errors: 0, durationSec: 10, throughputPerSec: 100, exact: true, histogram: null, percentiles: pct, minMs: null, maxMs: null, meanMs: null, ...extra };
}

function judgement(metric: MetricJudgement['metric'], status: MetricJudgement['status'], marginPct: number | null): MetricJudgement {
  return { metric, value: marginPct === null ? null : 1, budget: 1, status, marginPct, baseline: null, deltaPct: null, regression: null };
}

const MACHINE = { cpu: 'Test CPU', cores: 4, os: 'linux x64', fingerprint: 'abc123' };

function inputs(over: Partial<PanelInputs> & Pick<PanelInputs, 'config' | 'results'>): PanelInputs {
  return {
    folder: 'file:///w',
    run: { time: new Date('2026-12-07T06:55:11.250Z'), benchmarks: ['api'], sources: ['perf/results/x.csv'], commit: '0123456789abcdef0123456789abcdef01234567', machine: { ...MACHINE } },
    baseline: null,
    baselineFrom: null,
    history: new Map(),
    located: new Set(),
    ...over,
  };
}

describe('panel model', () => {
  describe('worstMetric: the metric the Margin column shows', () => {
    it('the worst status wins over a larger or smaller margin', () => {
      assert.deepEqual(worstMetric([judgement('p95', 'pass', 56), judgement('errorRate', 'fail', -285)]), { metric: 'errorRate', status: 'fail', marginPct: -285 });
      assert.deepEqual(worstMetric([judgement('p95', 'warn', 5), judgement('p99', 'pass', 1)]), { metric: 'p95', status: 'warn', marginPct: 5 });
      assert.deepEqual(worstMetric([judgement('p95', 'pass', 40), judgement('p99', 'missing', null)]), { metric: 'p99', status: 'missing', marginPct: null });
    });

    it('among equal statuses the smallest margin, then the budget order; an exceeded budget of 0 is the smallest', () => {
      assert.equal(worstMetric([judgement('p95', 'fail', -10), judgement('p99', 'fail', -40), judgement('errorRate', 'fail', -20)])?.metric, 'p99');
      assert.equal(worstMetric([judgement('p95', 'pass', 30), judgement('p99', 'pass', 30)])?.metric, 'p95');
      // errorRate budget 0% with errors: −∞, which the protocol carries as null (plain JSON).
      assert.deepEqual(worstMetric([judgement('p95', 'fail', -500), judgement('errorRate', 'fail', -Infinity)]), { metric: 'errorRate', status: 'fail', marginPct: null });
      assert.equal(worstMetric([]), null);
    });

    it('a handler failing on errors 3.85% of 1% with p95 at 44% of its budget: the row speaks for errors (−285%), not p95 (56%)', () => {
      const config = parseConfig(JSON.stringify({ budgets: { 'GET /api/orders': { p95: '100ms', errorRate: '1%' } } }), 'perf-budgets.json');
      const results = evaluate(config, [summary('GET /api/orders', { '50': 20, '95': 44, '99': 60 }, { count: 1000, errors: 38.5 })], []);
      const row = buildPanelModel(inputs({ config, results })).rows[0]!;
      assert.equal(row.status, 'fail');
      assert.equal(Math.round(row.metrics.find((m) => m.metric === 'p95')!.marginPct!), 56);
      assert.equal(row.worst?.metric, 'errorRate');
      assert.equal(row.worst?.status, 'fail');
      assert.equal(Math.round(row.worst!.marginPct!), -285);
    });

    it('on the panel e2e fixture\'s real Locust results: GET /api/fail (5 of 109 requests failed, 1% budget) speaks for errors, −359%', async () => {
      const dir = path.join(FIXTURES, 'workspaces/panel');
      const config = parseConfig(readFileSync(path.join(dir, 'perf-budgets.json'), 'utf8'), 'perf-budgets.json');
      const series = await readFixture(path.join(dir, 'perf/results/run_stats.csv'), 'locust-csv');
      const results = evaluate(config, series, []);
      const rows = buildPanelModel(inputs({ config, results })).rows;
      const fail = rows.find((r) => r.handler === 'GET /api/fail')!;
      assert.equal(fail.status, 'fail');
      assert.equal(fail.worst?.metric, 'errorRate');
      assert.equal(Math.round(fail.worst!.marginPct!), -359);
      assert.equal(Math.round(fail.metrics.find((m) => m.metric === 'p95')!.marginPct!), 90, 'the passing p95 the column used to show');
      // GET /api/slow fails on p95 (60 ms of 50 ms) while p99 (130 ms of 200 ms) passes.
      const slow = rows.find((r) => r.handler === 'GET /api/slow')!;
      assert.equal(slow.worst?.metric, 'p95');
      assert.equal(Math.round(slow.worst!.marginPct!), -20);
    });
  });

  it('names the baseline\'s source on its side', () => {
    const config = parseConfig(JSON.stringify({ budgets: { 'GET /a': { p95: '100ms' } } }), 'perf-budgets.json');
    const results = evaluate(config, [summary('GET /a', { '95': 50 })], []);
    const baseline = { meta: { createdAt: '2026-01-02T03:04:05.000Z', commit: 'c0ffee', tool: 't', machine: MACHINE }, series: [] };
    const m = buildPanelModel(inputs({ config, results, baseline, baselineFrom: 'HEAD:perf/baseline.json' }));
    assert.equal(m.baseline?.label, 'Baseline (HEAD:perf/baseline.json)');
    assert.equal(m.baseline?.from, 'HEAD:perf/baseline.json');
  });
});

describe('comparison export (the panel\'s "Export report")', () => {
  const dir = path.join(FIXTURES, 'workspaces/panel');
  const config = parseConfig(readFileSync(path.join(dir, 'perf-budgets.json'), 'utf8'), 'perf-budgets.json');
  const baseline = parseBaseline(readFileSync(path.join(dir, 'perf/baseline.json'), 'utf8'), 'perf/baseline.json');

  async function exported(over: Partial<PanelInputs> = {}): Promise<string> {
    const series = await readFixture(path.join(dir, 'perf/results/run_stats.csv'), 'locust-csv');
    const results = evaluate(config, series, baseline.series);
    const model = buildPanelModel(inputs({ config, results, baseline, baselineFrom: 'HEAD:perf/baseline.json', run: { time: new Date('2026-12-07T06:55:11.250Z'), benchmarks: ['locust'], sources: ['perf/results/run_stats.csv'], commit: '0123456789abcdef0123456789abcdef01234567', machine: MACHINE }, ...over }));
    return comparisonMarkdown(model, results);
  }

  it('starts with the run\'s time, commit, machine and result files, and the baseline\'s source, time, commit and machine; then the report', async () => {
    const md = await exported();
    const lines = md.split('\n');
    assert.deepEqual(lines.slice(0, 9), [
      '# Perf Budgets: comparison report',
      '',
      '- **Run:** 2026-12-07 06:55:11 UTC — benchmarks locust',
      '- **Commit:** `0123456789abcdef0123456789abcdef01234567`',
      '- **Machine:** Test CPU, 4 cores, linux x64',
      '- **Result files:** `perf/results/run_stats.csv`',
      '- **Baseline:** `HEAD:perf/baseline.json` — measured 2026-11-20 08:00:00 UTC at commit c0ffee1234567890c0ffee1234567890c0ffee12 on Fixture Baseline CPU, 16 cores, linux x64 fixture',
      '- ⚠ The run and the baseline were measured on different machines: deltas may reflect the machine, not the code.',
      '',
    ]);
    assert.equal(lines[9], '## Perf Budgets', 'the report follows the header');
    assert.ok(lines.some((l) => l.startsWith('| GET /api/fail | p95 |')), 'the table has the handlers');
  });

  it('says what is unknown rather than leaving it out, and escapes what a file or git put there', async () => {
    const md = await exported({ baseline: null, run: { time: new Date('2026-12-07T06:55:11Z'), benchmarks: [], sources: ['perf/`odd`|*.csv'], commit: null, machine: null } });
    const head = md.split('\n').slice(0, 7);
    assert.deepEqual(head, [
      '# Perf Budgets: comparison report',
      '',
      '- **Run:** 2026-12-07 06:55:11 UTC',
      '- **Commit:** unknown',
      '- **Machine:** unknown',
      '- **Result files:** ``perf/`odd`|*.csv``',
      '- **Baseline:** none: no baseline to compare with',
    ]);
  });

  it('utc: an ISO time in UTC to the second; null for what is not a time', () => {
    assert.equal(utc('2026-01-02T03:04:05.678Z'), '2026-01-02 03:04:05 UTC');
    assert.equal(utc('2026-01-02T04:04:05+01:00'), '2026-01-02 03:04:05 UTC');
    assert.equal(utc('yesterday'), null);
    assert.equal(utc(null), null);
  });
});
