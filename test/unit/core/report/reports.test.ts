import { strict as assert } from 'node:assert';
import { evaluate, evaluateWithClaims } from '../../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../../src/core/config/parseConfig';
import { renderReport } from '../../../../src/core/report/reports';
import type { Series } from '../../../../src/core/series';

function summary(name: string, pct: Record<string, number>, extra: Partial<Series> = {}): Series {
  return { name, format: 'locust-csv', source: 'x.csv', count: 1000, errors: 0, durationSec: 10, throughputPerSec: 100, exact: true, histogram: null, percentiles: pct, minMs: null, maxMs: null, meanMs: null, ...extra };
}

const HOSTILE = '<img src=x onerror=alert(1)>|`*_&"\'';
const config = parseConfig(
  JSON.stringify({
    budgets: {
      'POST /api/chat': { p95: '2s', at: 'src/chat.ts:12' },
      'GET /track/:id': { p95: '1s' },
      [HOSTILE]: { p99: '10ms' },
    },
  }),
  'c.json',
);
const results = evaluate(config, [summary('POST /api/chat', { '50': 100, '95': 1620, '99': 1900 }), summary('GET /track/1', { '95': 1100 })], [summary('POST /api/chat', { '95': 1000 })]);

describe('reports', () => {
  it('junit: one testcase per budgeted metric; failures for fails and regressions, skipped for missing; XML-escaped', () => {
    const xml = renderReport('junit', results);
    assert.match(xml, /<testsuites name="Perf Budgets" tests="3" failures="2" skipped="1">/);
    assert.match(xml, /<testcase classname="perf-budgets" name="POST \/api\/chat p95"><failure message="p95 1\.62 s vs 2 s budget — 19% margin; \+62% vs baseline 1 s \(regressed\)" type="regression"\/>/);
    assert.match(xml, /name="GET \/track\/:id p95"><failure message="p95 1\.1 s vs 1 s budget — 10% over budget" type="budget"\/>/);
    assert.ok(xml.includes('name="&lt;img src=x onerror=alert(1)&gt;|`*_&amp;&quot;&apos; p99"><skipped'));
    assert.ok(!xml.includes('<img'));
  });

  it('github: error and warning annotations with file and line, then the markdown table', () => {
    const gh = renderReport('github', results).split('\n');
    assert.equal(gh[0], '::error file=src/chat.ts,line=12,title=Perf budget%3A POST /api/chat p95::p95 1.62 s vs 2 s budget — 19%25 margin; +62%25 vs baseline 1 s (regressed)'); // % is escaped as %25 in workflow commands
    assert.equal(gh[1], '::error title=Perf budget%3A GET /track/%3Aid p95::p95 1.1 s vs 1 s budget — 10%25 over budget');
    assert.match(gh[2]!, /^::warning title=Perf budget%3A <img src=x onerror=alert\(1\)>\|`\*_&"' p99::p99 missing from the results \(10 ms budget\)$/);
    assert.equal(gh[3], '## Perf Budgets');
  });

  it('markdown: escapes names so a table cell cannot break out', () => {
    const md = renderReport('markdown', results);
    assert.ok(md.includes('\\<img src=x onerror=alert(1)\\>\\|\\`\\*\\_&"\''));
    const rows = md.split('\n').filter((l) => l.startsWith('|'));
    const cells = (l: string) => l.split(/(?<!\\)\|/).length;
    assert.ok(rows.every((r) => cells(r) === cells(rows[0]!)), 'every row has the same number of cells');
    assert.match(md, /\| POST \/api\/chat \| p95 \| 100 ms \| 1\.62 s \| 1\.9 s \| 1000 \| 1\.62 s \| 2 s \| ⚠️ WARN \| 19% \| \+62% regressed \|/);
  });

  it('a budget inside a Prometheus bucket: INCONCLUSIVE with the bucket, no "over" margin, and the hint in the notes', () => {
    const prom = parseConfig('{"budgets": {"GET /prom": {"p95": "80ms"}}}', 'c.json');
    const r = evaluate(prom, [summary('GET /prom', { '95': 90 }, { format: 'prometheus', exact: false, buckets: { '95': { lower: 50, upper: 100 } } })], null);
    const text = renderReport('text', r);
    const row = text.split('\n').find((l) => l.startsWith('GET /prom'))!;
    assert.match(row, /INCONCLUSIVE\s+in bucket\s+no baseline$/);
    assert.doesNotMatch(row, /over/);
    assert.match(text, /add a bucket boundary at 80 ms/);
  });

  it('a percentile from too few requests: ≈ and n in text, the support in json, a notice in github', () => {
    const cfg = parseConfig('{"budgets": {"GET /few": {"p95": "500ms"}, "GET /passes": {"p95": "1s"}}}', 'c.json');
    const few = evaluate(cfg, [summary('GET /few', { '95': 726 }, { count: 12 }), summary('GET /passes', { '95': 726 }, { count: 12 })], null);
    const text = renderReport('text', few);
    assert.match(text.split('\n').find((l) => l.startsWith('GET /few'))!, /^GET \/few\s+p95\s+—\s+726 ms\s+—\s+12\s+≈726 ms\s+500 ms\s+FAIL\s+45% over budget\s+no baseline$/);
    assert.ok(text.includes('  GET /few p95 726 ms (fail): n = 12: too few for a p95 (needs 20); no interval: the results have no distribution (the tool printed only its percentiles)'), text);
    const json = JSON.parse(renderReport('json', few));
    assert.deepEqual(json.verdicts[0].support, {
      n: 12,
      needed: 20,
      ci: null,
      enough: false,
      straddles: false,
      text: 'n = 12: too few for a p95 (needs 20); no interval: the results have no distribution (the tool printed only its percentiles)',
    });
    const gh = renderReport('github', few).split('\n');
    assert.equal(gh[0], '::error title=Perf budget%3A GET /few p95::p95 726 ms vs 500 ms budget — 45%25 over budget; few samples: n = 12: too few for a p95 (needs 20); no interval: the results have no distribution (the tool printed only its percentiles)');
    assert.match(gh[1]!, /^::notice title=Perf budget%3A GET \/passes p95::p95 726 ms vs 1 s budget — 27%25 margin; few samples: n = 12/);
    // Enough requests: no note, no marker, the support object only in json.
    const plenty = renderReport('text', results);
    assert.ok(!plenty.includes('≈') && !plenty.includes('too few'));
    assert.deepEqual(JSON.parse(renderReport('json', results)).verdicts[0].support, { n: 1000, needed: 20, ci: null, enough: true, straddles: false, text: 'n = 1000; no interval: the results have no distribution (the tool printed only its percentiles)' });
  });

  describe('series no budget claims, and ties', () => {
    const tied = parseConfig('{"budgets": {"GET /orders/:id": {"p95": "1s"}, "GET /orders/{order_id}": {"p95": "1s"}, "GET /a": {"p95": "1s"}}}', 'c.json');
    const judged = evaluateWithClaims(tied, [summary('GET /a', { '95': 5 }), summary('GET /orders/7', { '95': 5 }), summary('GET /health', { '95': 1 }), summary('POST /x_y', { '95': 1 })], null);
    const left = { unclaimed: judged.unclaimed, ambiguous: judged.ambiguous };
    const AMBIGUOUS = 'Ambiguous series: GET /orders/7 matches GET /orders/:id and GET /orders/{order_id} equally; add a "series" to one budget';

    it('text ends with the unclaimed series and one line per ambiguous one', () => {
      const text = renderReport('text', judged.results, left);
      assert.ok(
        text.endsWith(`missing; 0 regressions\n\nUnclaimed series (no budget): GET /health, POST /x_y\n${AMBIGUOUS}\n`),
        text,
      );
    });

    it('markdown: the same lines, escaped, after the summary', () => {
      const md = renderReport('markdown', judged.results, left);
      const escaped = AMBIGUOUS.replace('order_id', 'order\\_id');
      assert.ok(md.endsWith(`0 regressions\n\nUnclaimed series (no budget): GET /health, POST /x\\_y\n\n${escaped}\n`), md);
      assert.ok(renderReport('github', judged.results, left).endsWith(`${escaped}\n`));
    });

    it('json: unclaimed and ambiguous arrays (empty when every series is claimed)', () => {
      const json = JSON.parse(renderReport('json', judged.results, left));
      assert.deepEqual(json.unclaimed, ['GET /health', 'POST /x_y']);
      assert.deepEqual(json.ambiguous, [{ series: 'GET /orders/7', budgets: ['GET /orders/:id', 'GET /orders/{order_id}'] }]);
      const none = JSON.parse(renderReport('json', results));
      assert.deepEqual([none.unclaimed, none.ambiguous], [[], []]);
    });

    it('nothing is added when every series is claimed, and a long list is cut at 20 names', () => {
      const text = renderReport('text', results, { unclaimed: [], ambiguous: [] });
      assert.equal(text, renderReport('text', results));
      assert.ok(!text.includes('Unclaimed'));
      const many = Array.from({ length: 23 }, (_, i) => `GET /n${i}`);
      const cut = renderReport('text', results, { unclaimed: many, ambiguous: [] });
      assert.ok(cut.endsWith(`Unclaimed series (no budget): ${many.slice(0, 20).join(', ')} and 3 more\n`));
    });

    it('junit is unchanged by them', () => {
      assert.equal(renderReport('junit', judged.results, left), renderReport('junit', judged.results));
    });
  });
});
