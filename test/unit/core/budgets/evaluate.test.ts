import { strict as assert } from 'node:assert';
import { evaluate, gateFails } from '../../../../src/core/budgets/evaluate';
import { canonicalHandlerId, globMatches, handlerMatches } from '../../../../src/core/budgets/handlerId';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { describeVerdict } from '../../../../src/core/report/describe';
import type { Series } from '../../../../src/core/series';

/** A summary-only series with exact percentiles. */
export function summary(name: string, pct: Record<string, number>, extra: Partial<Series> = {}): Series {
  return {
    name,
    format: 'locust-csv',
    source: 'x.csv',
    count: 1000,
    errors: 0,
    durationSec: 10,
    throughputPerSec: 100,
    exact: true,
    histogram: null,
    percentiles: pct,
    minMs: null,
    maxMs: pct['100'] ?? null,
    meanMs: null,
    ...extra,
  };
}

function withHistogram(name: string, values: number[]): Series {
  const h = LatencyHistogram.create();
  for (const v of values) h.recordMs(v);
  return { ...summary(name, {}), format: 'hey-csv', exact: false, histogram: h, percentiles: null, count: values.length, maxMs: h.maxMs };
}

const config = parseConfig(
  JSON.stringify({
    budgets: {
      'POST /api/chat/tool-call': { p95: '2s', errorRate: '1%' },
      'GET /api/logistics/track/:id': { p95: '1s' },
      'GET /api/civic-grid/insights': { p95: '500ms', throughput: '>= 50/s' },
      'chat.tool_call': { p95: '2s', series: 'chat*' },
      'GET /absent': { p99: '100ms' },
    },
  }),
  'perf-budgets.json',
);

describe('handler ids', () => {
  it('treats :id, {id} and <id> as the same parameter', () => {
    assert.equal(canonicalHandlerId('get /track/{id}'), 'GET /track/:param');
    assert.equal(canonicalHandlerId('GET /track/<int:id>/'), 'GET /track/:param');
    assert.ok(handlerMatches('GET /track/:id', 'GET /track/{trackingId}'));
    assert.ok(handlerMatches('GET /track/:id', 'GET /track/42'));
    assert.ok(handlerMatches('GET /track/:id', 'GET http://127.0.0.1:3000/track/42?x=1'));
    assert.ok(!handlerMatches('GET /track/:id', 'POST /track/42'));
    assert.ok(!handlerMatches('GET /track/:id', 'GET /track/42/events'));
    assert.ok(handlerMatches('/track/:id', 'GET /track/1'), 'a budget without a method matches every method');
    assert.ok(handlerMatches('decide', 'decide'));
    assert.ok(!handlerMatches('decide', 'decide2'));
    assert.ok(globMatches('chat*', 'chat.tool_call'));
    assert.ok(!globMatches('chat*', 'POST /chat'));
  });
});

describe('evaluate', () => {
  const current = [
    summary('POST /api/chat/tool-call', { '50': 900, '95': 1620, '99': 1900 }, { errors: 5 }),
    summary('GET /api/logistics/track/{id}', { '95': 1100 }),
    summary('GET /api/civic-grid/insights', { '95': 410 }, { throughputPerSec: 55 }),
    withHistogram('chat.tool_call', [100, 200, 300]),
    withHistogram('chat.tool_result', [400]),
  ];
  const results = evaluate(config, current, null);
  const v = (h: string, m: string) => results.flatMap((r) => r.verdicts).find((x) => x.handler === h && x.metric === m)!;

  it('passes, warns and fails by the budget and warnAt, with the margin as SLO tables write it', () => {
    const chat = v('POST /api/chat/tool-call', 'p95');
    assert.equal(chat.status, 'warn'); // 1620 >= 0.8 * 2000
    assert.equal(chat.marginPct, 19);
    assert.equal(describeVerdict(chat), 'p95 1.62 s vs 2 s budget — 19% margin');
    assert.equal(v('POST /api/chat/tool-call', 'errorRate').status, 'pass'); // 0.5% of 1%: below the warn band
    assert.equal(v('POST /api/chat/tool-call', 'errorRate').value, 0.005);
    const track = v('GET /api/logistics/track/:id', 'p95');
    assert.equal(track.status, 'fail');
    assert.ok(Math.abs(track.marginPct! + 10) < 1e-9);
    assert.equal(describeVerdict(track), 'p95 1.1 s vs 1 s budget — 10% over budget');
    assert.equal(v('GET /api/civic-grid/insights', 'p95').status, 'warn'); // 410 >= 400
    const tp = v('GET /api/civic-grid/insights', 'throughput');
    assert.equal(tp.status, 'warn'); // 55/s is above 50/s but within the band (55 * 0.8 < 50)
    assert.equal(tp.marginPct, 10);
  });

  it('reports a budgeted metric absent from the results as missing, never as a pass', () => {
    const absent = v('GET /absent', 'p99');
    assert.equal(absent.status, 'missing');
    assert.equal(absent.value, null);
    assert.equal(absent.marginPct, null);
  });

  it('merges every series a glob names (histograms exactly)', () => {
    const chat = v('chat.tool_call', 'p95');
    assert.deepEqual(chat.series, ['chat.tool_call', 'chat.tool_result']);
    assert.ok(Math.abs(chat.value! - 400) / 400 < 0.001);
  });

  it('compares with the baseline: regressed beyond the threshold, improved, unchanged', () => {
    const baseline = [
      summary('POST /api/chat/tool-call', { '95': 1400 }, { errors: 5 }),
      summary('GET /api/logistics/track/:id', { '95': 1050 }),
      summary('GET /api/civic-grid/insights', { '95': 600 }, { throughputPerSec: 55 }),
    ];
    const withBase = evaluate(config, current, baseline).flatMap((r) => r.verdicts);
    const get = (h: string, m: string) => withBase.find((x) => x.handler === h && x.metric === m)!;
    const chat = get('POST /api/chat/tool-call', 'p95');
    assert.equal(chat.baseline, 1400);
    assert.ok(Math.abs(chat.deltaPct! - (220 / 1400) * 100) < 1e-9);
    assert.equal(chat.regression, 'regressed');
    assert.equal(get('GET /api/logistics/track/:id', 'p95').regression, 'unchanged'); // +4.8%
    assert.equal(get('GET /api/civic-grid/insights', 'p95').regression, 'improved');
    assert.equal(get('GET /api/civic-grid/insights', 'throughput').regression, 'unchanged');
    assert.equal(get('GET /absent', 'p99').regression, null);
    assert.ok(gateFails(withBase));
  });

  it('passes the gate only when nothing fails or regresses', () => {
    const ok = evaluate(parseConfig('{"budgets": {"decide": {"p95": "200ms"}}}', 'c.json'), [summary('decide', { '95': 100 })], null);
    assert.equal(gateFails(ok.flatMap((r) => r.verdicts)), false);
    const missingOnly = evaluate(parseConfig('{"budgets": {"decide": {"p95": "200ms"}}}', 'c.json'), [], null);
    assert.equal(missingOnly[0]!.verdicts[0]!.status, 'missing');
    assert.equal(gateFails(missingOnly.flatMap((r) => r.verdicts)), false, 'missing warns, it does not fail the gate');
  });
});
