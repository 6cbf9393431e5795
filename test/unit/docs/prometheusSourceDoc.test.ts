import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { promQueries } from '../../../src/core/prometheus/promQueries';
import { ROOT } from '../helpers';

/**
 * docs/prometheus-source.md: every JSON block is a complete perf-budgets.json the real config
 * parser accepts, and the queries it lists are the ones promQueries sends.
 */

const DOC = path.join(ROOT, 'docs/prometheus-source.md');
const blocks = (lang: string): string[] => [...readFileSync(DOC, 'utf8').matchAll(new RegExp(`^\`\`\`${lang}\\n([^]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!);

describe('docs/prometheus-source.md', () => {
  const configs = blocks('json');

  it('has the duration-window and the run-window examples', () => {
    assert.deepEqual(
      configs.map((t) => parseConfig(t, 'doc').benchmarks[0]!.prometheus!.window),
      [{ ms: 3_600_000, text: '1h' }, 'run'],
    );
  });

  it('lists the queries promQueries sends, with H, L, M and w for the histogram, labels, matchers and window', () => {
    const source = parseConfig(JSON.stringify({ benchmarks: { b: { prometheus: { url: 'http://p:9090', histogram: 'H', labels: { route: 'L' }, matchers: '{M}', window: '1h' } } }, budgets: { x: { p95: '1s' } } }), 'doc').benchmarks[0]!.prometheus!;
    const sent = promQueries(source, { startMs: 0, endMs: 3_600_000 }).queries.map((q) => q.promql.replace('[1h]', '[w]'));
    const listed = blocks('text')[0]!.split('\n').map((l) => l.replace(/\s{2,}.*$/, '').trim()).filter(Boolean);
    assert.deepEqual(listed, sent);
  });
});
