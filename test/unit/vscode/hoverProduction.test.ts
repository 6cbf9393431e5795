import { strict as assert } from 'node:assert';
import { evaluate } from '../../../src/core/budgets/evaluate';
import type { Config } from '../../../src/core/config/parseConfig';
import type { Series } from '../../../src/core/series';
import { hoverMarkdown, mdText } from '../../../src/vscode/hoverMarkdown';

// The production line comes from the network (a server's error message) and the workspace (the
// benchmark's name, the host): in the hover it is text, never Markdown.
const series: Series = {
  name: 'GET /x', format: 'locust-csv', source: 'perf/results/a.csv', count: 100, errors: 0, durationSec: 10, throughputPerSec: 10,
  exact: true, histogram: null, percentiles: { '95': 60 }, minMs: 1, maxMs: 90, meanMs: 20,
};
const config: Config = { baseline: 'perf/baseline.json', regressionThreshold: 0.1, warnAt: 0.8, benchmarks: [], budgets: [{ handler: 'GET /x', latency: { p95: 100 } }] };
const [result] = evaluate(config, [series], null);
const hover = (production: { text: string; muted: boolean }) => hoverMarkdown(result!, { folder: 'file:///ws', readAt: new Date(0), baselineFrom: null, production }).value;

describe('hoverMarkdown: the production line', () => {
  it('comes right after the verdicts, before the table', () => {
    const v = hover({ text: 'prod p95 (1h): 231 ms (bucket 200–250 ms)', muted: false });
    const line = `$(cloud) ${mdText('prod p95 (1h): 231 ms (bucket 200–250 ms)')}  \n`;
    assert.ok(v.indexOf(line) > v.indexOf('p95 60 ms vs 100 ms budget'), v);
    assert.ok(v.indexOf(line) < v.indexOf('| | this run |'), v);
  });

  it('a reason is in italics, and a hostile server message stays text (no link, no emphasis of its own)', () => {
    const evil = 'prod (prometheus http://x): query failed (HTTP 400): *bold* [Open](command:vscode.open?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)\n\n# heading';
    const v = hover({ text: evil, muted: true });
    assert.ok(v.includes(`$(cloud) *${mdText(evil)}*  \n`), v);
    assert.ok(!v.includes('](command:vscode.open'), 'the fake link is escaped');
    assert.ok(!/\n# heading/.test(v), 'the line break does not start a heading');
  });
});
