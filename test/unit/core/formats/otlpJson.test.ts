import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Attributes } from '@opentelemetry/api';
import { JsonMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { AggregationTemporality, AggregationType, MeterProvider, MetricReader, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { detectFormat } from '../../../../src/core/formats/index';
import { otlpJsonReader } from '../../../../src/core/formats/otlpJson';
import { bucketOf, percentileOf, type Series } from '../../../../src/core/series';
import { FIXTURES, mulberry32, readContent } from '../../helpers';
import { fixtureSuite, rejectsInput, seriesNamed } from './formatTestUtil';

/**
 * The reader against real OTLP JSON: measurements recorded into the OpenTelemetry JS SDK
 * (@opentelemetry/sdk-metrics, explicit buckets and exponential histograms, cumulative and delta)
 * and serialized by @opentelemetry/otlp-transformer's JSON serializer, the JSON the OTLP/HTTP
 * exporter sends and the collector's file exporter writes (one request per line). Counts and
 * errors are checked exactly, quantiles against the bucket rule computed here from the values.
 */

class ManualReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const SEMCONV_BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const QS = [0.5, 0.9, 0.95, 0.99, 0.999];

interface Recorded {
  /** one OTLP JSON request per collection, as the file exporter writes them */
  lines: string[];
  /** the values (s) recorded per handler, and how many of them count as errors */
  byHandler: Map<string, { values: number[]; errors: number }>;
}

interface Request {
  method: string;
  route: string;
  status: number;
  errorType?: string;
  seconds: number;
}

/** Requests of three routes with a deterministic spread of latencies and failures. */
function requests(n: number, seed: number): Request[] {
  const rnd = mulberry32(seed);
  const out: Request[] = [];
  const routes: Array<[string, string, number]> = [
    ['GET', '/api/items/{id}', 0.004],
    ['POST', '/api/orders', 0.04],
    ['GET', '/health', 0.0005],
  ];
  for (let i = 0; i < n; i++) {
    const [method, route, scale] = routes[i % routes.length]!;
    const tail = rnd() < 0.05 ? 8 : 1;
    const seconds = scale * (0.2 + rnd() * 2) * tail;
    const status = i % 37 === 0 ? 500 : i % 41 === 0 ? 404 : method === 'POST' ? 201 : 200;
    out.push({ method, route, status, seconds, ...(i % 53 === 0 ? { errorType: 'timeout' } : {}) });
  }
  return out;
}

async function record(opts: { exponential: boolean; temporality: AggregationTemporality; batches: Request[][]; side: 'server' | 'client' }): Promise<Recorded> {
  const reader = new ManualReader({ aggregationTemporalitySelector: () => opts.temporality });
  const name = opts.side === 'server' ? 'http.server.request.duration' : 'http.client.request.duration';
  const provider = new MeterProvider({
    readers: [reader],
    views: opts.exponential ? [{ instrumentName: name, aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 40 } } }] : [],
  });
  const histogram = provider.getMeter('perf-budgets-test').createHistogram(name, { unit: 's', advice: { explicitBucketBoundaries: SEMCONV_BOUNDS } });
  const lines: string[] = [];
  const byHandler = new Map<string, { values: number[]; errors: number }>();
  for (const batch of opts.batches) {
    for (const r of batch) {
      const attrs: Attributes = { 'http.request.method': r.method, 'http.response.status_code': r.status, 'url.scheme': 'http' };
      if (opts.side === 'server') attrs['http.route'] = r.route;
      else {
        attrs['url.template'] = r.route;
        attrs['server.address'] = 'api.example.test';
      }
      if (r.errorType) attrs['error.type'] = r.errorType;
      histogram.record(r.seconds, attrs);
      const key = `${r.method} ${r.route}`;
      let h = byHandler.get(key);
      if (!h) byHandler.set(key, (h = { values: [], errors: 0 }));
      h.values.push(r.seconds);
      if (r.errorType || r.status >= (opts.side === 'server' ? 500 : 400)) h.errors++;
    }
    const { resourceMetrics, errors } = await reader.collect();
    assert.deepEqual(errors, []);
    lines.push(new TextDecoder().decode(JsonMetricsSerializer.serializeRequest(resourceMetrics as ResourceMetrics)));
  }
  await provider.shutdown();
  return { lines, byHandler };
}

/** histogram_quantile over explicit upper-inclusive buckets, from the raw values (s). */
function explicitQuantile(values: number[], bounds: number[], q: number): number {
  const counts = bounds.map((b) => values.filter((v) => v <= b).length);
  const total = values.length;
  const rank = q * total;
  const b = counts.findIndex((c) => c >= rank);
  if (b < 0) return bounds[bounds.length - 1]!;
  const lower = b === 0 ? 0 : bounds[b - 1]!;
  const below = b === 0 ? 0 : counts[b - 1]!;
  return lower + (bounds[b]! - lower) * ((rank - below) / (counts[b]! - below));
}

/** The exponential-bucket rule at `scale`, from the raw values (s): bucket (base^i, base^(i+1)], linear inside. */
function exponentialQuantile(values: number[], scale: number, q: number): { value: number; lower: number; upper: number } {
  const base = 2 ** (2 ** -scale);
  const index = (v: number) => Math.ceil(Math.log2(v) * 2 ** scale) - 1;
  const byIndex = new Map<number, number>();
  for (const v of values) byIndex.set(index(v), (byIndex.get(index(v)) ?? 0) + 1);
  const rank = q * values.length;
  let before = 0;
  for (const i of [...byIndex.keys()].sort((a, b) => a - b)) {
    const c = byIndex.get(i)!;
    if (before + c >= rank) {
      const lower = base ** i;
      const upper = base ** (i + 1);
      return { value: lower + (upper - lower) * ((rank - before) / c), lower, upper };
    }
    before += c;
  }
  throw new Error('rank beyond the buckets');
}

const ms = (s: number) => s * 1000;
const close = (a: number | null, b: number, what: string) => assert.ok(a !== null && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

function checkCommon(s: Series, want: { values: number[]; errors: number }): void {
  assert.equal(s.format, 'otlp-json');
  assert.equal(s.exact, false);
  assert.equal(s.histogram, null);
  assert.equal(s.count, want.values.length);
  assert.equal(s.errors, want.errors);
  close(s.minMs, ms(Math.min(...want.values)), `${s.name} min`);
  close(s.maxMs, ms(Math.max(...want.values)), `${s.name} max`);
  close(s.meanMs, ms(want.values.reduce((a, b) => a + b, 0) / want.values.length), `${s.name} mean`);
  assert.equal(percentileOf(s, 100), s.maxMs);
}

const clampTo = (v: number, values: number[]) => Math.min(Math.max(...values), Math.max(Math.min(...values), v));

describe('otlp-json reader', () => {
  it('SDK explicit buckets, cumulative, two exports: the last point is the total', async () => {
    const all = requests(900, 7);
    const rec = await record({ exponential: false, temporality: AggregationTemporality.CUMULATIVE, batches: [all.slice(0, 400), all.slice(400)], side: 'server' });
    const text = `${rec.lines.join('\n')}\n`;
    assert.equal(detectFormat(text, 'otel/metrics.jsonl'), 'otlp-json');
    const series = await readContent(text, 'otel/metrics.jsonl');
    assert.deepEqual(series.map((s) => s.name).sort(), [...rec.byHandler.keys()].sort());
    for (const [name, want] of rec.byHandler) {
      const s = seriesNamed(series, name);
      checkCommon(s, want);
      for (const q of QS) {
        close(percentileOf(s, q * 100), ms(clampTo(explicitQuantile(want.values, SEMCONV_BOUNDS, q), want.values)), `${name} p${q * 100}`);
        const b = bucketOf(s, q * 100);
        assert.ok(b && b.lower <= percentileOf(s, q * 100)! && percentileOf(s, q * 100)! <= b.upper, `${name} p${q * 100} inside its bucket`);
      }
      assert.ok(s.durationSec !== null && s.durationSec > 0);
      assert.ok(s.startedAt !== null && s.startedAt! > 1.6e12);
    }
  });

  it('SDK exponential histogram, delta, two exports: the points add up', async () => {
    const all = requests(700, 11);
    const rec = await record({ exponential: true, temporality: AggregationTemporality.DELTA, batches: [all.slice(0, 300), all.slice(300)], side: 'server' });
    const docs = rec.lines.map((l) => JSON.parse(l) as { resourceMetrics: Array<{ scopeMetrics: Array<{ metrics: Array<{ exponentialHistogram: { aggregationTemporality: number; dataPoints: Array<{ scale: number; attributes: Array<{ key: string; value: { stringValue?: string } }> }> } }> }> }> });
    const metric = docs.map((d) => d.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.exponentialHistogram);
    assert.equal(metric[0]!.aggregationTemporality, 1, 'delta');
    const series = await readContent(`${rec.lines.join('\n')}\n`, 'delta.jsonl');
    assert.deepEqual(series.map((s) => s.name).sort(), [...rec.byHandler.keys()].sort());
    for (const [name, want] of rec.byHandler) {
      const s = seriesNamed(series, name);
      checkCommon(s, want);
      const route = name.split(' ')[1];
      // the reader merges a handler's points at their smallest scale
      const scales = metric.flatMap((m) => m.dataPoints.filter((p) => p.attributes.some((a) => a.key === 'http.route' && a.value.stringValue === route)).map((p) => p.scale));
      const scale = Math.min(...scales);
      for (const q of QS) {
        const r = exponentialQuantile(want.values, scale, q);
        close(percentileOf(s, q * 100), ms(clampTo(r.value, want.values)), `${name} p${q * 100}`);
        const b = bucketOf(s, q * 100)!;
        close(b.lower, ms(clampTo(r.lower, want.values)), `${name} p${q * 100} bucket lower`);
        close(b.upper, ms(clampTo(r.upper, want.values)), `${name} p${q * 100} bucket upper`);
      }
    }
  });

  it('client side: method + url.template, errors from status >= 400', async () => {
    const all = requests(300, 5);
    const rec = await record({ exponential: false, temporality: AggregationTemporality.CUMULATIVE, batches: [all], side: 'client' });
    const series = await readContent(rec.lines[0]!, 'client.json');
    for (const [name, want] of rec.byHandler) checkCommon(seriesNamed(series, name), want);
  });

  it('a pretty-printed single request, ms unit, older attribute names, old metric name', async () => {
    const doc = {
      resourceMetrics: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
          scopeMetrics: [
            {
              scope: { name: 'x' },
              metrics: [
                {
                  name: 'http.server.duration',
                  unit: 'ms',
                  histogram: {
                    aggregationTemporality: 2,
                    dataPoints: [
                      {
                        attributes: [
                          { key: 'http.method', value: { stringValue: 'GET' } },
                          { key: 'http.route', value: { stringValue: '/a' } },
                          { key: 'http.status_code', value: { intValue: '503' } },
                        ],
                        startTimeUnixNano: '1700000000000000000',
                        timeUnixNano: '1700000010000000000',
                        count: '4',
                        sum: 40,
                        bucketCounts: ['1', '2', '1'],
                        explicitBounds: [5, 10],
                        min: 2,
                        max: 30,
                      },
                      {
                        attributes: [
                          { key: 'http.method', value: { stringValue: 'GET' } },
                          { key: 'http.route', value: { stringValue: '/a' } },
                          { key: 'http.status_code', value: { intValue: 200 } },
                        ],
                        startTimeUnixNano: '1700000000000000000',
                        timeUnixNano: '1700000010000000000',
                        count: 4,
                        sum: 20,
                        bucketCounts: [2, 2, 0],
                        explicitBounds: [5, 10],
                        min: 1,
                        max: 9,
                      },
                    ],
                  },
                },
                { name: 'http.server.active_requests', unit: '{request}', sum: { dataPoints: [] } },
              ],
            },
          ],
        },
      ],
    };
    const [s, ...rest] = await readContent(JSON.stringify(doc, null, 2), 'one.json');
    assert.equal(rest.length, 0);
    assert.equal(s!.name, 'GET /a');
    assert.equal(s!.count, 8);
    assert.equal(s!.errors, 4);
    assert.equal(s!.minMs, 1);
    assert.equal(s!.maxMs, 30);
    assert.equal(s!.meanMs, 7.5);
    assert.equal(s!.durationSec, 10);
    assert.equal(s!.throughputPerSec, 0.8);
    assert.equal(s!.startedAt, 1700000000000);
    // buckets [0,5]: 3, (5,10]: 4, (10,+Inf): 1; p50: rank 4 -> 5 + 5 * (1/4)
    assert.equal(percentileOf(s!, 50), 6.25);
    // p99: rank 7.92 in +Inf -> the highest bound 10, bucket [10, max 30]
    assert.equal(percentileOf(s!, 99), 10);
    assert.deepEqual(bucketOf(s!, 99), { lower: 10, upper: 30 });
  });

  it('server and client in one file: metric names tell handlers apart', async () => {
    const a = await record({ exponential: false, temporality: AggregationTemporality.CUMULATIVE, batches: [requests(30, 1)], side: 'server' });
    const b = await record({ exponential: false, temporality: AggregationTemporality.CUMULATIVE, batches: [requests(30, 2)], side: 'client' });
    const series = await readContent(`${a.lines[0]}\n${b.lines[0]}\n`, 'both.jsonl');
    const names = series.map((s) => s.name).sort();
    assert.ok(names.includes('GET /api/items/{id} [http.server.request.duration]'), names.join(', '));
    assert.ok(names.includes('GET /api/items/{id} [http.client.request.duration]'), names.join(', '));
  });

  it('detection: OTLP JSON only', () => {
    assert.ok(otlpJsonReader.detect('{"resourceMetrics":[]}', 'a.json'));
    assert.ok(otlpJsonReader.detect('{\n  "resourceMetrics": [\n', 'a.json'));
    assert.ok(!otlpJsonReader.detect('{"metrics":{"http_req_duration":{"med":1}}}', 'a.json'));
    assert.ok(!otlpJsonReader.detect('{"resourceSpans":[]}', 'traces.json'));
  });

  describe('bad input', () => {
    const line = (metric: object) => JSON.stringify({ resourceMetrics: [{ scopeMetrics: [{ metrics: [metric] }] }] });
    const hist = (dp: object, extra: object = {}) => line({ name: 'http.server.request.duration', unit: 's', histogram: { aggregationTemporality: 2, dataPoints: [dp] }, ...extra });
    const ok = { count: 1, sum: 0.1, bucketCounts: [0, 1], explicitBounds: [0.05], startTimeUnixNano: '1', timeUnixNano: '2' };
    it('a broken second line names the line', async () => {
      await rejectsInput(otlpJsonReader, `${hist(ok)}\n{"resourceMetrics": [\n`, 'bad.jsonl', /invalid JSON/, 2);
    });
    it('truncated document', async () => {
      await rejectsInput(otlpJsonReader, JSON.stringify(JSON.parse(hist(ok)), null, 2).slice(0, 120), 'trunc.json', /invalid JSON/);
    });
    it('no HTTP duration histogram names the metrics there are', async () => {
      await rejectsInput(otlpJsonReader, line({ name: 'process.cpu.time', sum: { dataPoints: [] } }), 'cpu.jsonl', /no HTTP duration histogram.*process\.cpu\.time/, undefined);
    });
    it('wrong types, negative numbers, counts that do not add up', async () => {
      await rejectsInput(otlpJsonReader, hist({ ...ok, count: 'many' }), 'a.jsonl', /count is not a number/, 1);
      await rejectsInput(otlpJsonReader, hist({ ...ok, count: -1 }), 'a.jsonl', /must be a count/, 1);
      await rejectsInput(otlpJsonReader, hist({ ...ok, bucketCounts: [0, 2] }), 'a.jsonl', /buckets hold 2 observations but count is 1/, 1);
      await rejectsInput(otlpJsonReader, hist({ ...ok, explicitBounds: [-1] }), 'a.jsonl', /negative bound/, 1);
      await rejectsInput(otlpJsonReader, hist({ ...ok, bucketCounts: [1] }), 'a.jsonl', /1 counts for 1 bounds/, 1);
      await rejectsInput(otlpJsonReader, hist({ ...ok, min: -0.5 }), 'a.jsonl', /negative/, 1);
      await rejectsInput(otlpJsonReader, hist({ ...ok, min: 0.5, max: 0.1 }), 'a.jsonl', /min 0\.5 is above its max 0\.1/, 1);
      await rejectsInput(otlpJsonReader, hist(ok, { unit: 'By' }), 'a.jsonl', /not a time unit/, 1);
      await rejectsInput(otlpJsonReader, line({ name: 'http.server.request.duration', gauge: { dataPoints: [] } }), 'a.jsonl', /not a histogram/, 1);
      await rejectsInput(otlpJsonReader, '{"resourceMetrics": 3}', 'a.jsonl', /no "resourceMetrics" array/, 1);
      const expo = line({ name: 'http.server.request.duration', exponentialHistogram: { aggregationTemporality: 1, dataPoints: [{ count: 1, scale: 2, negative: { offset: 0, bucketCounts: [1] } }] } });
      await rejectsInput(otlpJsonReader, expo, 'a.jsonl', /negative buckets/, 1);
    });
    it('empty file', async () => {
      await rejectsInput(otlpJsonReader, '\n\n', 'empty.jsonl', /empty/);
    });
  });
});

fixtureSuite('otlp', (f) => f === 'otlp-json', 1e-9);

describe('otlp fixtures are what record.mjs writes', () => {
  it('each fixture line is one ExportMetricsServiceRequest', () => {
    for (const f of ['client-explicit-cumulative.jsonl', 'client-exponential-delta.jsonl']) {
      const lines = readFileSync(path.join(FIXTURES, 'otlp', f), 'utf8').trim().split('\n');
      assert.ok(lines.length >= 2, f);
      for (const l of lines) assert.ok(Array.isArray((JSON.parse(l) as { resourceMetrics: unknown }).resourceMetrics), f);
    }
  });
});
