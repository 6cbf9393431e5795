import assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/core/formats/index';
import { k6CsvReader } from '../../../../src/core/formats/k6Csv';
import { parseTimestamp } from '../../../../src/core/formats/timestamps';
import { percentileOf } from '../../../../src/core/series';
import { mulberry32, nearestRank, readContent, within } from '../../helpers';
import { rejectsWithInputError, seriesNamed } from './formatTestUtil';

const HEADER =
  'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';

interface Gen {
  text: string;
  values: Map<string, number[]>;
  failed: Map<string, number>;
}

/** A k6 CSV with `n` requests over two handlers; timestamps in unix ms from t0, 10 ms apart. */
function generate(n: number, ts: (ms: number) => string = (ms) => String(ms)): Gen {
  const rnd = mulberry32(42);
  const lines = [HEADER];
  const values = new Map<string, number[]>();
  const failed = new Map<string, number>();
  const t0 = 1714550400000;
  for (let i = 0; i < n; i++) {
    const post = i % 3 === 0;
    const method = post ? 'POST' : 'GET';
    const name = post ? '/api/orders' : 'https://api.example.test/api/items?page=1';
    const url = post ? 'https://api.example.test/api/orders' : 'https://api.example.test/api/items?page=1';
    const key = post ? 'POST /api/orders' : 'GET /api/items';
    const v = Number((post ? 20 + rnd() * 400 : 1 + rnd() ** 3 * 90).toFixed(6));
    const fail = rnd() < 0.05;
    const status = fail ? '500' : '200';
    const t = ts(t0 + i * 10);
    // check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata
    const tags = `,${['', '', '', fail ? 'false' : 'true', '', method, `"${name}"`, 'HTTP/1.1', 'default', '', status, '', 'tls1.3', `"${url}"`, '', ''].join(',')}`;
    lines.push(`http_reqs,${t},1.000000${tags}`);
    lines.push(`http_req_duration,${t},${v.toFixed(6)}${tags}`);
    lines.push(`http_req_blocked,${t},0.010000${tags}`);
    lines.push(`http_req_failed,${t},${fail ? '1.000000' : '0.000000'}${tags}`);
    lines.push(`data_received,${t},1234.000000,,,,,,,,,default,,,,,,,`);
    values.set(key, [...(values.get(key) ?? []), v]);
    failed.set(key, (failed.get(key) ?? 0) + (fail ? 1 : 0));
  }
  lines.push(`iterations,${ts(t0 + n * 10)},1.000000,,,,,,,,,default,,,,,,,`);
  return { text: `${lines.join('\n')}\n`, values, failed };
}

const byName = seriesNamed;
const rejects = (content: string, fileName: string, match: RegExp, line?: number) => rejectsWithInputError(readContent(content, fileName, 'k6-csv'), fileName, match, line);

describe('k6-csv reader', () => {
  it('per-handler histograms match nearest-rank percentiles of the raw values; errors and counts exact', async () => {
    const g = generate(3000);
    assert.equal(detectFormat(g.text, 'out.csv'), 'k6-csv');
    const series = await readContent(g.text, 'perf/k6/out.csv');
    assert.deepEqual(series.map((s) => s.name).sort(), ['GET /api/items', 'POST /api/orders']);
    for (const [key, vals] of g.values) {
      const s = byName(series, key);
      assert.equal(s.format, 'k6-csv');
      assert.equal(s.exact, false);
      assert.equal(s.count, vals.length);
      assert.equal(s.errors, g.failed.get(key));
      for (const p of [50, 90, 95, 99]) {
        assert.ok(within(percentileOf(s, p), nearestRank(vals, p)), `${key} p${p}: ${percentileOf(s, p)} vs ${nearestRank(vals, p)}`);
      }
      assert.ok(within(s.maxMs, Math.max(...vals)));
      assert.ok(within(s.minMs, Math.min(...vals)));
      assert.ok(within(s.meanMs, vals.reduce((a, b) => a + b, 0) / vals.length, 0.002));
      // the run spans 3000 × 10 ms (last row: iterations at t0 + 30000)
      assert.equal(s.durationSec, 30);
      assert.ok(Math.abs(s.throughputPerSec! - vals.length / 30) < 1e-9);
      assert.equal(s.startedAt, 1714550400000);
    }
  });

  it('timestamps in unix seconds, µs, ns and RFC 3339 give the same span', async () => {
    const cases: Array<[string, (ms: number) => string, number]> = [
      ['unix_micro', (ms) => String(ms * 1000), 30],
      ['unix_nano', (ms) => `${ms}000000`, 30],
      ['rfc3339_nano', (ms) => new Date(ms).toISOString().replace('Z', '123456+02:00'), 30],
      ['unix (whole seconds)', (ms) => String(Math.floor(ms / 1000)), 31], // 30 s span + 1 s resolution
    ];
    for (const [label, fmt, dur] of cases) {
      const [s] = await readContent(generate(3000, fmt).text, 'x.csv', 'k6-csv');
      assert.ok(Math.abs(s!.durationSec! - dur) < 1e-6, `${label}: ${s!.durationSec}`);
    }
    const rfc = parseTimestamp('2024-05-01T10:00:00.123456789+02:00')!;
    assert.equal(rfc.ms, Date.UTC(2024, 4, 1, 8, 0, 0) + 123.456789);
  });

  it('errors fall back to expected_response=false when there are no http_req_failed rows', async () => {
    const text = [
      'metric_name,timestamp,metric_value,expected_response,method,name,status',
      'http_req_duration,1700000000000,10.5,true,GET,/a,200',
      'http_req_duration,1700000000100,12.5,false,GET,/a,503',
      'http_req_duration,1700000000200,11.5,false,GET,/a,503',
      '',
    ].join('\n');
    const [s] = await readContent(text, 'x.csv');
    assert.equal(s!.name, 'GET /a');
    assert.equal(s!.count, 3);
    assert.equal(s!.errors, 2);
    assert.ok(Math.abs(s!.durationSec! - 0.2) < 1e-9);
  });

  it('no tag columns: one series named after the file, errors unknown', async () => {
    const text = 'metric_name,timestamp,metric_value\nhttp_req_duration,1700000000,3\nhttp_req_duration,1700000001,4\n';
    const [s] = await readContent(text, 'perf/results/decide.csv');
    assert.equal(s!.name, 'decide');
    assert.equal(s!.errors, null);
    assert.equal(s!.count, 2);
  });

  it('detection is header based', () => {
    assert.ok(k6CsvReader.detect(`${HEADER}\n`, 'a.csv'));
    assert.ok(!k6CsvReader.detect('timeStamp,elapsed,label\n', 'a.csv'));
  });

  describe('bad input', () => {
    it('wrong header', async () => {
      await rejects('timeStamp,elapsed,label\n1,2,x\n', 'bad.csv', /missing column metric_name/, 1);
    });
    it('empty file', async () => {
      await rejects('', 'empty.csv', /empty/);
    });
    it('non-numeric value names the line', async () => {
      const g = generate(3).text.split('\n');
      g[2] = g[2]!.replace(/,\d+\.\d+,/, ',abc,');
      await rejects(g.join('\n'), 'nan.csv', /metric_value is not a number/, 3);
    });
    it('NaN and negative latencies name the line', async () => {
      await rejects('metric_name,timestamp,metric_value\nhttp_req_duration,1,NaN\n', 'nan2.csv', /not a number/, 2);
      await rejects('metric_name,timestamp,metric_value\nhttp_req_duration,1,2\nhttp_req_duration,1,-2\n', 'neg.csv', /negative latency/, 3);
    });
    it('truncated row', async () => {
      const g = generate(3).text;
      await rejects(g.slice(0, g.indexOf('\n', HEADER.length + 10) + 20), 'trunc.csv', /truncated row/, 3);
    });
    it('bad timestamp', async () => {
      await rejects('metric_name,timestamp,metric_value\nhttp_req_duration,yesterday,2\n', 'ts.csv', /timestamp is not a time/, 2);
    });
    it('no duration rows', async () => {
      await rejects('metric_name,timestamp,metric_value\nvus,1,2\n', 'vus.csv', /no http_req_duration/);
    });
  });
});
