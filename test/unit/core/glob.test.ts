import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { evaluate } from '../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { compileGlob, GLOB_LIMITS } from '../../../src/core/glob';
import { InputError } from '../../../src/core/errors';
import type { Series } from '../../../src/core/series';

const seriesNamed = (name: string): Series => ({
  name, format: 'locust-csv', source: 'x.csv', count: 10, errors: 0, durationSec: 1, throughputPerSec: 10, exact: true,
  histogram: null, percentiles: { '95': 10 }, minMs: null, maxMs: null, meanMs: null,
});

/** The meaning of a series glob, written the obvious way: a regex over code points, "*" any run, "?" any one. */
function referenceMatches(pattern: string, name: string): boolean {
  const body = Array.from(pattern, (c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'su').test(name);
}

// Backtracks exponentially as a regex (`.*a.*a…`); it did not finish in 30 s against 101 characters.
const PATHOLOGICAL = '*a*a*a*a*a*a*a*ab';

describe('series globs (compileGlob)', () => {
  it('matches exactly like the reference regex on random small patterns and names (property)', () => {
    // A small alphabet makes matches frequent; the odd characters are regex-special or astral.
    const ch = fc.constantFrom('a', 'b', '.', '/', '\n', '\u2028', '😀', '\\', '(', '[', '$');
    const patternChar = fc.oneof(ch, fc.constantFrom('*', '?', '*'));
    fc.assert(
      fc.property(fc.array(patternChar, { maxLength: 8 }), fc.array(ch, { maxLength: 10 }), (p, n) => {
        const pattern = p.join('');
        const name = n.join('');
        assert.equal(compileGlob(pattern)(name), referenceMatches(pattern, name), `${JSON.stringify(pattern)} vs ${JSON.stringify(name)}`);
      }),
      { numRuns: 20_000, seed: 13 },
    );
  });

  it('agrees with the reference when the name is built to match (property)', () => {
    // Random names rarely match random patterns; fill each wildcard of the pattern instead.
    const piece = fc.array(fc.constantFrom('a', 'b', '-', '😀'), { maxLength: 3 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('*', '?', 'a', 'b', '-'), piece), { maxLength: 8 }), fc.boolean(), (parts, mutate) => {
        const pattern = parts.map(([t]) => t).join('');
        let name = parts.map(([t, fill]) => (t === '*' ? fill : t === '?' ? (fill[0] ?? 'x') : t)).join('');
        if (mutate) name = `${name}b`;
        const expected = referenceMatches(pattern, name);
        if (!mutate) assert.ok(expected, 'the construction matches');
        assert.equal(compileGlob(pattern)(name), expected, `${JSON.stringify(pattern)} vs ${JSON.stringify(name)}`);
      }),
      { numRuns: 5000, seed: 7 },
    );
  });

  it('examples: whole name, * any run (empty too), ? exactly one character', () => {
    const m = (p: string, n: string) => compileGlob(p)(n);
    assert.ok(m('chat*', 'chat.tool_call'));
    assert.ok(!m('chat*', 'POST /chat'));
    assert.ok(m('GET /api/*', 'GET /api/'));
    assert.ok(m('GET /a?c', 'GET /abc'));
    assert.ok(!m('GET /a?c', 'GET /ac'));
    assert.ok(m('GET /?', 'GET /😀'), '? is one character, also outside the BMP');
    assert.ok(m('a.b', 'a.b'));
    assert.ok(!m('a.b', 'axb'), '. is literal');
    assert.ok(m('**', ''));
    assert.ok(!m('', 'x'));
  });

  it(`the pathological pattern ${PATHOLOGICAL} against 101 and 2000 characters is false, at once`, () => {
    const match = compileGlob(PATHOLOGICAL);
    assert.equal(match('a'.repeat(101)), false);
    assert.equal(match('a'.repeat(2000)), false);
    assert.equal(match(`${'a'.repeat(2000)}b`), true);
    // The worst case for a two-pointer matcher is many stars against a long name: still quick.
    const stars = compileGlob(`${'*a'.repeat(GLOB_LIMITS.wildcards)}b`);
    assert.equal(stars('a'.repeat(GLOB_LIMITS.nameLength)), false);
  });

  it(`through perf-budgets.json and evaluate(): the pathological glob is "missing" against a 101-character series`, () => {
    const config = parseConfig(JSON.stringify({ budgets: { slow: { p95: '1s', series: PATHOLOGICAL } } }), 'perf-budgets.json');
    const [result] = evaluate(config, [seriesNamed('a'.repeat(101)), seriesNamed('a'.repeat(2000))], null);
    assert.equal(result!.current, null);
    assert.deepEqual(
      result!.verdicts.map((v) => v.status),
      ['missing'],
    );
  });

  it(`a name longer than ${GLOB_LIMITS.nameLength} characters never matches a glob (a plain handler id still can)`, () => {
    const long = `GET /${'x'.repeat(GLOB_LIMITS.nameLength)}`;
    assert.equal(compileGlob('GET /*')(long), false);
    assert.equal(compileGlob('GET /*')(long.slice(0, GLOB_LIMITS.nameLength)), true);
    const config = parseConfig(JSON.stringify({ budgets: { [long]: { p95: '1s' } } }), 'perf-budgets.json');
    assert.notEqual(evaluate(config, [seriesNamed(long)], null)[0]!.current, null);
  });

  it('perf-budgets.json refuses a glob too long or with too many wildcards, naming the limit', () => {
    const withSeries = (series: string) => JSON.stringify({ budgets: { x: { p95: '1s', series } } });
    const error = (series: string) => {
      try {
        parseConfig(withSeries(series), 'perf-budgets.json');
      } catch (e) {
        assert.ok(e instanceof InputError, String(e));
        assert.ok(!e.message.includes('\n'), 'one line');
        return e.message;
      }
      return assert.fail(`accepted ${series.slice(0, 40)}…`);
    };
    assert.match(error('a'.repeat(GLOB_LIMITS.patternLength + 1)), new RegExp(`^perf-budgets\\.json:1:\\d+: budgets\\.x\\.series: .*at most ${GLOB_LIMITS.patternLength} characters`));
    assert.match(error('*?'.repeat(17)), new RegExp(`budgets\\.x\\.series: .*at most ${GLOB_LIMITS.wildcards} wildcards`));
    assert.equal(parseConfig(withSeries('a'.repeat(GLOB_LIMITS.patternLength)), 'perf-budgets.json').budgets[0]!.series!.length, GLOB_LIMITS.patternLength);
    assert.equal(parseConfig(withSeries('*'.repeat(GLOB_LIMITS.wildcards)), 'perf-budgets.json').budgets[0]!.series, '*'.repeat(GLOB_LIMITS.wildcards));
  });
});
