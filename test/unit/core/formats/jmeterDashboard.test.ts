import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../../src/core/formats/index';
import { jmeterDashboardReader } from '../../../../src/core/formats/jmeterDashboard';
import { bytesOf } from '../../../../src/core/formats/lines';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, readFixture } from '../../helpers';
import { rejectsInput, seriesNamed } from './formatTestUtil';

interface Want {
  name: string;
  count: number;
  errors: number;
  allRequests: boolean;
  meanMs: number;
  minMs: number;
  throughputPerSec: number;
  latencyMs: Record<'p50' | 'p90' | 'p95' | 'p99' | 'max', number>;
}
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'jmeter/expected-more.json'), 'utf8')) as {
  files: Record<string, { format: string; series: Want[] }>;
};

const entry = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    'GET /a': { transaction: 'GET /a', sampleCount: 4, errorCount: 1, errorPct: 25, meanResTime: 10.5, medianResTime: 9, minResTime: 2, maxResTime: 30, pct1ResTime: 20.5, pct2ResTime: 25, pct3ResTime: 30, throughput: 2, receivedKBytesPerSec: 1.5, sentKBytesPerSec: 0.25, ...over },
  });

describe('jmeter-dashboard reader (statistics.json)', () => {
  it('the real statistics.json: every number is the dashboard\'s own; Total is the all-requests row', async () => {
    const want = expected.files['statistics.json']!;
    const file = path.join(FIXTURES, 'jmeter/statistics.json');
    assert.equal(detectFormat(readFileSync(file, 'utf8'), 'statistics.json'), 'jmeter-dashboard');
    const series = await readFixture(file);
    assert.equal(series.length, want.series.length);
    for (const w of want.series) {
      const s = seriesNamed(series, w.name);
      assert.equal(s.format, 'jmeter-dashboard');
      assert.equal(s.exact, true);
      assert.equal(s.count, w.count);
      assert.equal(s.errors, w.errors);
      assert.equal(s.allRequests === true, w.allRequests);
      assert.equal(s.meanMs, w.meanMs);
      assert.equal(s.minMs, w.minMs);
      assert.equal(s.maxMs, w.latencyMs.max);
      assert.equal(s.throughputPerSec, w.throughputPerSec);
      assert.equal(percentileOf(s, 50), w.latencyMs.p50);
      assert.equal(percentileOf(s, 90), w.latencyMs.p90);
      assert.equal(percentileOf(s, 95), w.latencyMs.p95);
      assert.equal(percentileOf(s, 99), w.latencyMs.p99);
      assert.equal(percentileOf(s, 100), w.latencyMs.max);
      assert.ok(Math.abs(s.durationSec! - w.count / w.throughputPerSec) < 1e-9);
    }
    assert.equal(seriesNamed(series, 'Total').allRequests, true);
    assert.equal(percentileOf(seriesNamed(series, 'Total'), 90), 4642.5); // JMeter interpolates: kept as given
  });

  it('an inline entry: pct1/2/3 -> 90/95/99, KB/s into extraMetrics', async () => {
    const [s] = await jmeterDashboardReader.read(bytesOf(entry(), 5), { fileName: 'statistics.json' });
    assert.deepEqual(s!.percentiles, { '50': 9, '90': 20.5, '95': 25, '99': 30 });
    assert.deepEqual(s!.extraMetrics, { 'receivedKB/s': 1.5, 'sentKB/s': 0.25 });
    assert.equal(s!.durationSec, 2);
    assert.equal(s!.allRequests, undefined);
  });

  it('detection: not the other JSON formats, and they are not it', () => {
    assert.ok(jmeterDashboardReader.detect(entry(), 'statistics.json'));
    assert.ok(!jmeterDashboardReader.detect('{"metrics": {"http_req_duration": {}}}', 'summary.json'));
    assert.ok(!jmeterDashboardReader.detect('[{"name": "x", "num_requests": 3}]', 'stats.json'));
    assert.equal(detectFormat(entry(), 'anything.json'), 'jmeter-dashboard');
  });

  describe('bad input', () => {
    it('truncated JSON, wrong types, negative numbers, errors > samples', async () => {
      const r = (c: string, m: RegExp) => rejectsInput(jmeterDashboardReader, c, 'statistics.json', m);
      await r(entry().slice(0, 40), /JSON/i);
      await r(entry({ sampleCount: 'ten' }), /sampleCount/);
      await r(entry({ pct1ResTime: -1 }), /pct1ResTime/);
      await r(entry({ errorCount: 9 }), /errorCount 9 exceeds sampleCount 4/);
      await r('{}', /no entries/);
    });
  });
});
