import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { evaluate } from '../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { InputError } from '../../../src/core/errors';
import type { Series } from '../../../src/core/series';
import { FIXTURES, readContent, ROOT } from '../helpers';

/**
 * docs/distributed.md ("When one machine is not enough"): every JSON block is a complete
 * perf-budgets.json the real config parser accepts, and the refusal it shows is the message the
 * code gives for the same files.
 */

const DOC = path.join(ROOT, 'docs/distributed.md');
const blocks = (lang: string): string[] => [...readFileSync(DOC, 'utf8').matchAll(new RegExp(`^\`\`\`${lang}\\n([^]*?)^\`\`\`$`, 'gm'))].map((m) => m[1]!);

describe('docs/distributed.md', () => {
  const configs = blocks('json');

  it('has a config for each recipe: k6 hosts, Locust, JMeter remote, and the four Prometheus sources', () => {
    assert.equal(configs.length, 7);
  });

  configs.forEach((text, i) => {
    it(`JSON block ${i + 1} is a valid perf-budgets.json`, () => {
      const config = parseConfig(text, `docs/distributed.md block ${i + 1}`);
      assert.ok(config.benchmarks.length > 0 && config.budgets.length > 0);
      for (const b of config.benchmarks) assert.ok(b.results.length > 0 || b.prometheus, `${b.name} reads something`);
    });
  });

  it('the four Prometheus recipes read the benchmark\'s own run', () => {
    const sources = configs.map((t) => parseConfig(t, 'doc').benchmarks[0]!).filter((b) => b.prometheus);
    assert.equal(sources.length, 4);
    for (const b of sources) assert.equal(b.prometheus!.window, 'run');
  });

  it('the refusal it quotes is the message three k6 summaries give', async () => {
    const [quoted] = blocks('text');
    const summary = readFileSync(path.join(FIXTURES, 'k6/parabank-handle-summary.json'), 'utf8');
    const series: Series[] = [];
    for (let i = 1; i <= 3; i++) series.push(...(await readContent(summary, `results/host-${i}/summary.json`, 'k6-summary')).map((s) => ({ ...s, benchmark: 'load' })));
    const config = parseConfig('{ "budgets": { "all": { "allRequests": true, "p95": "1s" } } }', 'perf-budgets.json');
    assert.throws(
      () => evaluate(config, series, null),
      (e: unknown) => {
        assert.ok(e instanceof InputError, String(e));
        assert.equal(e.message, quoted!.trim());
        return true;
      },
    );
  });
});
