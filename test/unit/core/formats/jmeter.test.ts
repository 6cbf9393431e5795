import assert from 'node:assert/strict';
import { detectFormat } from '../../../../src/core/formats/index';
import { jmeterReader } from '../../../../src/core/formats/jmeter';
import { percentileOf, type Series } from '../../../../src/core/series';
import { mulberry32, nearestRank, readContent, within } from '../../helpers';
import { fixtureSuite, rejectsWithInputError, seriesNamed } from './formatTestUtil';

const HEADER =
  'timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect';

interface Gen {
  text: string;
  values: Map<string, number[]>;
  errors: Map<string, number>;
  span: Map<string, [number, number]>;
}

function generate(n: number, sep = ','): Gen {
  const rnd = mulberry32(7);
  const labels = ['GET /api/items', 'POST /api/orders, bulk', 'Checkout "flow"'];
  const q = (s: string) => (s.includes(sep) || s.includes('"') ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [HEADER.replaceAll(',', sep)];
  const values = new Map<string, number[]>();
  const errors = new Map<string, number>();
  const span = new Map<string, [number, number]>();
  const t0 = 1714550400123;
  for (let i = 0; i < n; i++) {
    const label = labels[i % 3]!;
    const elapsed = Math.floor(1 + rnd() ** 2 * (i % 3 === 1 ? 1500 : 300));
    const ok = rnd() >= 0.07;
    const ts = t0 + i * 7;
    const msg = ok ? 'OK' : 'Internal Server Error, try again';
    const fm = ok ? '' : 'Assertion failed: expected "200", got 500';
    lines.push(
      [String(ts), String(elapsed), q(label), ok ? '200' : '500', q(msg), 'Users 1-1', 'text', ok ? 'true' : 'false', q(fm), '2311', '142', '5', '5', 'https://api.example.test/x', String(Math.max(0, elapsed - 3)), '0', '12'].join(sep),
    );
    values.set(label, [...(values.get(label) ?? []), elapsed]);
    errors.set(label, (errors.get(label) ?? 0) + (ok ? 0 : 1));
    const [a, b] = span.get(label) ?? [Infinity, -Infinity];
    span.set(label, [Math.min(a, ts), Math.max(b, ts + elapsed)]);
  }
  return { text: `${lines.join('\n')}\n`, values, errors, span };
}

const byName = seriesNamed;
const rejects = (content: string, fileName: string, match: RegExp, line?: number) => rejectsWithInputError(readContent(content, fileName, 'jmeter'), fileName, match, line);

function check(series: Series[], g: Gen): void {
  assert.equal(series.length, g.values.size);
  for (const [label, vals] of g.values) {
    const s = byName(series, label);
    assert.equal(s.format, 'jmeter');
    assert.equal(s.exact, false);
    assert.equal(s.count, vals.length);
    assert.equal(s.errors, g.errors.get(label));
    for (const p of [50, 90, 95, 99]) {
      assert.ok(within(percentileOf(s, p), nearestRank(vals, p)), `${label} p${p}: ${percentileOf(s, p)} vs ${nearestRank(vals, p)}`);
    }
    assert.equal(s.maxMs, Math.max(...vals));
    assert.equal(s.minMs, Math.min(...vals));
    const [a, b] = g.span.get(label)!;
    assert.equal(s.durationSec, (b - a) / 1000);
    assert.equal(s.startedAt, a);
    assert.ok(Math.abs(s.throughputPerSec! - vals.length / ((b - a) / 1000)) < 1e-9);
  }
}

describe('jmeter reader', () => {
  it('default JTL CSV with quoted commas and quotes: per-label histograms, errors, durations', async () => {
    const g = generate(1500);
    assert.equal(detectFormat(g.text, 'results.jtl'), 'jmeter');
    assert.equal(detectFormat(g.text, 'results.csv'), 'jmeter');
    check(await readContent(g.text, 'perf/results.jtl'), g);
  });

  it('tab-delimited JTL', async () => {
    const g = generate(300, '\t');
    check(await readContent(g.text, 'r.tsv', 'jmeter'), g);
  });

  it('header-less JTL uses the default column order', async () => {
    const g = generate(60);
    const body = g.text.split('\n').slice(1).join('\n');
    assert.equal(detectFormat(body, 'r.jtl'), 'jmeter');
    check(await readContent(body, 'r.jtl'), g);
  });

  it('reordered/minimal columns, a quoted field with a line break, date timeStamps, no success column', async () => {
    const text = [
      'label,elapsed,timeStamp,failureMessage',
      'a,10,2024/05/01 10:00:00.000,',
      'a,30,2024/05/01 10:00:01.500,"line one',
      'line two, still the same field"',
      'b,5,2024/05/01 10:00:02.000,',
      '',
    ].join('\n');
    const series = await readContent(text, 'x.csv', 'jmeter');
    const a = byName(series, 'a');
    assert.equal(a.count, 2);
    assert.equal(a.errors, null);
    assert.equal(a.durationSec, 1.53);
    assert.equal(byName(series, 'b').count, 1);
  });

  it('sub-results `Home Page-0`, `Home Page-1` point at `Home Page`; the parent counts its own rows only', async () => {
    const text = [
      'timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success',
      '1714550400000,40,Home Page-0,302,Found,T 1-1,text,true',
      '1714550400040,60,Home Page-1,200,OK,T 1-1,text,true',
      '1714550400000,100,Home Page,200,OK,T 1-1,text,true',
      '1714550401000,30,Home Page-0,302,Found,T 1-1,text,true',
      '1714550401030,90,Home Page-1,500,Error,T 1-1,text,false',
      '1714550401000,120,Home Page,500,Error,T 1-1,text,false',
      '1714550402000,7,Login,200,OK,T 1-1,text,true',
      '1714550402007,8,Login-x,200,OK,T 1-1,text,true',
      '',
    ].join('\n');
    const series = await readContent(text, 'sub.jtl', 'jmeter');
    const home = byName(series, 'Home Page');
    assert.equal(home.count, 2);
    assert.equal(home.errors, 1);
    assert.equal(home.maxMs, 120);
    assert.ok(within(percentileOf(home, 50), nearestRank([100, 120], 50)));
    assert.equal(home.parent, undefined);
    const s0 = byName(series, 'Home Page-0');
    const s1 = byName(series, 'Home Page-1');
    assert.deepEqual([s0.parent, s0.count, s0.errors, s0.maxMs], ['Home Page', 2, 0, 40]);
    assert.deepEqual([s1.parent, s1.count, s1.errors, s1.maxMs], ['Home Page', 2, 1, 90]);
    assert.equal(byName(series, 'Login-x').parent, undefined); // not `-<digits>`
    // the rows not marked as sub-samples are exactly the parents' rows: no traffic counted twice
    assert.equal(series.filter((s) => !s.parent).reduce((n, s) => n + s.count!, 0), 4);
  });

  it('a lone `X-1` label without an `X` stays a series of its own', async () => {
    const text = 'timeStamp,elapsed,label,success\n1714550400000,5,Step-1,true\n';
    assert.equal(byName(await readContent(text, 'lone.jtl', 'jmeter'), 'Step-1').parent, undefined);
  });

  describe('bad input', () => {
    it('XML JTL is refused clearly', async () => {
      await rejects('<?xml version="1.0" encoding="UTF-8"?>\n<testResults version="1.2">\n', 'x.jtl', /XML JTL is not supported/, 1);
    });
    it('wrong header', async () => {
      await rejects('time,latency\n1,2\n', 'bad.csv', /missing column elapsed/, 1);
    });
    it('empty file / header only', async () => {
      await rejects('', 'empty.jtl', /empty/);
      await rejects(`${HEADER}\n`, 'header.jtl', /no samples/);
    });
    it('non-numeric, NaN and negative elapsed name the line', async () => {
      const g = generate(5).text.split('\n');
      g[3] = g[3]!.replace(/^(\d+),\d+,/, '$1,abc,');
      await rejects(g.join('\n'), 'nan.jtl', /elapsed is not a number/, 4);
      await rejects(`${HEADER}\n1714550400123,NaN,a,200,OK,t,text,true,,1,1,1,1,u,1,0,1\n`, 'nan2.jtl', /elapsed is not a number/, 2);
      await rejects(`${HEADER}\n1714550400123,-5,a,200,OK,t,text,true,,1,1,1,1,u,1,0,1\n`, 'neg.jtl', /negative elapsed/, 2);
    });
    it('truncated row and unterminated quote', async () => {
      await rejects(`${HEADER}\n1714550400123,5,a,200,OK,t,text,true,,1\n1714550400123,5\n`, 'trunc.jtl', /truncated row/, 3);
      await rejects(`${HEADER}\n1714550400123,5,"a,200\n`, 'quote.jtl', /unterminated quoted field/, 2);
    });
    it('bad success and timeStamp values', async () => {
      await rejects(`${HEADER}\n1714550400123,5,a,200,OK,t,text,maybe,,1,1,1,1,u,1,0,1\n`, 's.jtl', /success is not true\/false/, 2);
      await rejects(`${HEADER}\nnoon,5,a,200,OK,t,text,true,,1,1,1,1,u,1,0,1\n`, 't.jtl', /timeStamp is not a time/, 2);
    });
  });

  it('detection', () => {
    assert.ok(jmeterReader.detect(`${HEADER}\n`, 'x.csv'));
    assert.ok(!jmeterReader.detect('metric_name,timestamp,metric_value\n', 'x.csv'));
    assert.ok(!jmeterReader.detect('12\n13\n', 'x.jtl'));
  });
});

fixtureSuite('jmeter', (f) => f === 'jmeter');
