import { strict as assert } from 'node:assert';
import { parseBaseline, schemaValidation, serializeBaseline, validateBaseline } from '../../../../src/core/baseline/baselineFile';
import { InputError } from '../../../../src/core/errors';
import { LatencyHistogram } from '../../../../src/core/histograms/latencyHistogram';
import { percentileOf, type Series } from '../../../../src/core/series';

const meta = {
  createdAt: '2026-11-25T10:00:00.000Z',
  commit: '0123456789abcdef0123456789abcdef01234567',
  tool: 'perf-budgets 0.1.0',
  machine: { cpu: 'Test CPU', cores: 2, os: 'linux x64 6.1', fingerprint: 'abc123def456' },
};

function series(): Series[] {
  const h = LatencyHistogram.create();
  for (let i = 1; i <= 1000; i++) h.recordMs(i / 10);
  return [
    { name: 'POST /api/decide', format: 'hey-csv', source: 'a.csv', count: 1000, errors: 3, durationSec: 10, throughputPerSec: 100, exact: false, histogram: h, percentiles: null, minMs: h.minMs, maxMs: h.maxMs, meanMs: h.meanMs },
    { name: 'GET /a', format: 'wrk', source: 'a.txt', count: 50, errors: null, durationSec: 5, throughputPerSec: 10, exact: true, histogram: null, percentiles: { '50': 1.5, '90': 2.25, '99': 7.1 }, minMs: null, maxMs: 9, meanMs: 2 },
  ];
}

describe('baseline file v1', () => {
  it('is deterministic: sorted keys, same bytes for the same inputs, trailing newline', () => {
    const a = serializeBaseline(series(), meta);
    const b = serializeBaseline([...series()].reverse(), meta);
    assert.equal(a, b);
    assert.ok(a.endsWith('}\n'));
    const parsed = JSON.parse(a);
    assert.deepEqual(Object.keys(parsed), ['commit', 'createdAt', 'machine', 'series', 'tool', 'version']);
    assert.deepEqual(Object.keys(parsed.series), ['GET /a', 'POST /api/decide']);
    assert.match(parsed.series['POST /api/decide'].histogram, /^HIST/);
  });

  it('round-trips: the histogram exactly, summary percentiles as written', () => {
    const back = parseBaseline(serializeBaseline(series(), meta), 'perf/baseline.json');
    assert.deepEqual(back.meta, meta);
    const decide = back.series.find((s) => s.name === 'POST /api/decide')!;
    assert.equal(decide.histogram!.encode(), series()[0]!.histogram!.encode());
    assert.equal(percentileOf(decide, 95), percentileOf(series()[0]!, 95));
    assert.equal(decide.errors, 3);
    const wrk = back.series.find((s) => s.name === 'GET /a')!;
    assert.equal(percentileOf(wrk, 90), 2.25);
    assert.equal(percentileOf(wrk, 95), null, 'a percentile the tool did not print stays absent');
    assert.equal(percentileOf(wrk, 100), 9);
  });

  it('keeps what a series is: its benchmark, the tool\'s all-requests row, a sub-sample\'s parent, extra metrics', () => {
    const [decide, wrk] = series();
    const marked: Series[] = [
      { ...decide!, name: 'Aggregated', benchmark: 'load', allRequests: true },
      { ...wrk!, name: 'Home Page-0', parent: 'Home Page', extraMetrics: { 'B/op': 256, 'allocs/op': 3 } },
    ];
    const back = parseBaseline(serializeBaseline(marked, meta), 'perf/baseline.json');
    const total = back.series.find((s) => s.name === 'Aggregated')!;
    assert.equal(total.benchmark, 'load');
    assert.equal(total.allRequests, true);
    const sub = back.series.find((s) => s.name === 'Home Page-0')!;
    assert.equal(sub.parent, 'Home Page');
    assert.deepEqual(sub.extraMetrics, { 'B/op': 256, 'allocs/op': 3 });
    assert.equal(sub.allRequests, undefined);
    assert.equal(sub.benchmark, undefined);
  });

  it('keeps the run\'s provenance: dirty or not, and each handler\'s code (file, lines, hash)', () => {
    const withRun = { ...meta, dirty: true, handlers: { 'GET /a': { file: 'src/server.js', line: 11, lines: 4, hash: '00a1b2c3d4e5f6' } } };
    const back = parseBaseline(serializeBaseline(series(), withRun), 'perf/baseline.json');
    assert.deepEqual(back.meta, withRun);
    assert.deepEqual(parseBaseline(serializeBaseline(series(), meta), 'b.json').meta, meta, 'absent stays absent');
  });

  it('refuses malformed baselines with a one-line error naming the file', () => {
    const good = JSON.parse(serializeBaseline(series(), meta));
    const cases: Array<[string, RegExp]> = [
      ['', /perf\/baseline\.json: empty file/],
      ['{"version": 1,', /perf\/baseline\.json:1:\d+: invalid JSON/],
      [JSON.stringify({ ...good, version: 2 }), /version/],
      [JSON.stringify({ ...good, series: { x: { ...good.series['GET /a'], count: -1 } } }), /series\.x\.count/],
      [JSON.stringify({ ...good, series: { x: { ...good.series['POST /api/decide'], histogram: 'SElTVAAAAA==' } } }), /histogram does not decode/],
    ];
    for (const [text, re] of cases) {
      assert.throws(() => parseBaseline(text, 'perf/baseline.json'), (e: unknown) => e instanceof InputError && re.test(e.message) && !e.message.includes('\n'), text.slice(0, 40));
    }
  });
});

describe('baseline validation: the fast path answers what the schema answers', () => {
  /** A valid document's entries, each then changed in one way a file can be wrong (or rare but valid). */
  const MUTATIONS: Array<(e: Record<string, unknown>) => void> = [
    () => {},
    (e) => (e.count = -1),
    (e) => (e.count = '5'),
    (e) => (e.errors = null),
    (e) => (e.durationSec = 0),
    (e) => (e.throughputPerSec = -0),
    (e) => delete e.exact,
    (e) => (e.exact = 1),
    (e) => (e.format = 'no-such-format'),
    (e) => (e.format = 'wrk'),
    (e) => (e.surprise = 1),
    (e) => (e.source = 'x.json'),
    (e) => (e.source = 3),
    (e) => (e.benchmark = 'k6'),
    (e) => (e.parent = 'GET /a'),
    (e) => (e.allRequests = true),
    (e) => (e.allRequests = false),
    (e) => (e.histogram = 'not base64!'),
    (e) => (e.histogram = ''),
    (e) => (e.latencyMs = { p95: 3, min: null, mean: 1, p99_9: 4 }),
    (e) => (e.latencyMs = { P95: 3 }),
    (e) => (e.latencyMs = { p95: -3 }),
    (e) => (e.latencyMs = { p9_: 3 }),
    (e) => (e.latencyMs = []),
    (e) => (e.latencyMs = null),
    (e) => (e.runs = [{ count: 1, errors: 0, durationSec: 1, latencyMs: { p95: 2 } }]),
    (e) => (e.runs = [{ count: 1 }]),
    (e) => (e.extraMetrics = { rps: 3 }),
    (e) => (e.bucketsMs = { p95: { lower: 1, upper: null } }),
  ];

  it('on every one-field change of an entry, and on documents whose head or series are wrong', () => {
    const text = serializeBaseline(series(), meta);
    const docs: unknown[] = [];
    for (const mutate of MUTATIONS) {
      for (const which of [0, 1]) {
        const doc = JSON.parse(text) as { series: Record<string, Record<string, unknown>> };
        mutate(Object.values(doc.series)[which]!);
        docs.push(doc);
      }
    }
    const base = () => JSON.parse(text) as Record<string, unknown>;
    docs.push(
      { ...base(), version: 2 },
      { ...base(), machine: { cpu: 'x' } },
      { ...base(), series: [] },
      { ...base(), series: null },
      { ...base(), series: {} },
      { ...base(), run: { benchmarks: ['k6'], startedAt: 'a', finishedAt: 'b' } },
      { ...base(), run: { benchmarks: 'k6' } },
      { ...base(), extra: true },
      JSON.parse(text.replace('"GET /a"', '"__proto__"')),
      JSON.parse(text.replace('{\n', '{\n  "__proto__": {},\n')),
      null,
      [],
      'text',
    );
    for (const doc of docs) {
      const fast = validateBaseline(doc);
      const schema = schemaValidation(doc);
      assert.equal(fast.success, schema.success, JSON.stringify(doc));
      if (fast.success && schema.success) assert.deepEqual({ ...fast.data }, { ...schema.data }, JSON.stringify(doc));
      else assert.deepEqual(fast.error!.issues, schema.error!.issues);
    }
  });
});
