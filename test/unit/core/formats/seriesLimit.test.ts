import assert from 'node:assert/strict';
import { decodeHead, readSeries } from '../../../../src/core/formats/index';
import { K6JsonKernel } from '../../../../src/core/formats/k6JsonKernel';
import { bytesOf } from '../../../../src/core/formats/lines';
import { type KernelResult, seriesFromKernel, seriesFromPartials, seriesToKeep, toPartial } from '../../../../src/core/formats/seriesAccumulator';
import { DEFAULT_MAX_SERIES_PER_FILE, SeriesLimit } from '../../../../src/core/formats/seriesLimit';
import type { FormatId, Series } from '../../../../src/core/series';
import { fingerprint } from './rawGen';

const hint = '(raise perfBudgets.results.maxSeriesPerFile or --max-series)';

async function readCapped(text: string, fileName: string, format: FormatId, maxSeries: number): Promise<{ series: Series[]; warnings: string[] }> {
  const bytes = Buffer.from(text);
  const warnings: string[] = [];
  const series = await readSeries(bytesOf(bytes, 13), decodeHead(bytes), { fileName, format, maxSeries, onWarning: (w) => warnings.push(w) });
  return { series, warnings };
}

/** A k6 http_req_duration point of `GET /api/items/<item>`. */
function k6Point(item: number, ms: number, n: number): string {
  const time = new Date(1_714_550_400_000 + n).toISOString();
  return `{"type":"Point","data":{"time":"${time}","value":${ms},"tags":{"method":"GET","name":"http://h/api/items/${item}","status":"200"}},"metric":"http_req_duration"}`;
}

describe('series limit per file', () => {
  it('words its warning with the counts, and a lower bound past what it remembers', () => {
    const limit = new SeriesLimit(2000);
    assert.equal(limit.warning('x.hlog'), null);
    assert.ok(limit.admits(1999, 'a'));
    assert.ok(!limit.admits(2000, 'b', 3));
    assert.ok(!limit.admits(2000, 'b', 2));
    assert.equal(limit.warning('perf/results/x.hlog'), `perf/results/x.hlog: more than 2000 series; read the first 2000, skipped 1 more with 5 samples ${hint}`);
    const many = new SeriesLimit(10);
    for (let i = 0; i < 100_001; i++) many.skip(`n${i}`, 0);
    assert.equal(many.warning('f'), `f: more than 10 series; read the first 10, skipped at least 100000 more ${hint}`);
    assert.equal(SeriesLimit.of({}).max, DEFAULT_MAX_SERIES_PER_FILE);
    assert.equal(SeriesLimit.of({ maxSeries: 0 }).max, DEFAULT_MAX_SERIES_PER_FILE);
    assert.equal(SeriesLimit.of({ maxSeries: 7.5 }).max, 7);
  });

  it('JMeter: the first labels of the file, in full; the later ones counted', async () => {
    const rows = ['timeStamp,elapsed,label,success'];
    for (let i = 0; i < 40; i++) rows.push(`${1_714_550_400_000 + i},${10 + i},label ${i % 8},${i % 5 === 0 ? 'false' : 'true'}`);
    const all = await readCapped(rows.join('\n'), 'r.jtl', 'jmeter', 8);
    const { series, warnings } = await readCapped(rows.join('\n'), 'r.jtl', 'jmeter', 3);
    assert.deepEqual(all.warnings, []);
    assert.deepEqual(fingerprint(series), fingerprint(all.series.slice(0, 3)));
    assert.deepEqual(warnings, [`r.jtl: more than 3 series; read the first 3, skipped 5 more with 25 samples ${hint}`]);
  });

  it('k6 CSV: the same, and a bad row past the limit is still an error', async () => {
    const rows = ['metric_name,timestamp,metric_value,method,name'];
    for (let i = 0; i < 30; i++) rows.push(`http_req_duration,${1_714_550_400 + i},${5 + i},GET,http://h/api/${i % 6}`);
    const all = await readCapped(rows.join('\n'), 'k.csv', 'k6-csv', 6);
    const { series, warnings } = await readCapped(rows.join('\n'), 'k.csv', 'k6-csv', 2);
    assert.deepEqual(fingerprint(series), fingerprint(all.series.slice(0, 2)));
    assert.deepEqual(warnings, [`k.csv: more than 2 series; read the first 2, skipped 4 more with 20 samples ${hint}`]);
    await assert.rejects(readCapped([...rows, 'http_req_duration,1714550500,-1,GET,http://h/api/99'].join('\n'), 'k.csv', 'k6-csv', 2), /negative latency/);
  });

  it('formats of printed summaries: the first series the reader returns', async () => {
    const text = Array.from({ length: 10 }, (_, i) => `BenchmarkB${i}-8   \t 1000\t  ${1000 + i} ns/op`).join('\n');
    const all = await readCapped(text, 'go.txt', 'go-bench', 10);
    const { series, warnings } = await readCapped(text, 'go.txt', 'go-bench', 4);
    assert.deepEqual(series, all.series.slice(0, 4));
    assert.deepEqual(warnings, [`go.txt: more than 4 series; read the first 4, skipped 6 more with 6 samples ${hint}`]);
  });

  it('parallel kernels: the file\'s first series, scanned again when a range skipped one of them', () => {
    // Items 0..2, then 3..6 and 0..2 again: the range starting at the second block fills its
    // limit of 3 with 3..5 and skips 0..2, the file's first three.
    const items = [0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 0, 1, 2];
    const text = `${items.map((item, n) => k6Point(item, 1 + n / 4, n)).join('\n')}\n`;
    const buf = Buffer.from(text);
    const cut = buf.indexOf(k6Point(3, 1 + 3 / 4, 3));
    const scan = (admit: Set<string> | null): KernelResult[] =>
      [
        [0, cut],
        [cut, buf.length],
      ].map(([start, end]) => {
        const kernel = new K6JsonKernel('k.json', new SeriesLimit(3, admit));
        kernel.beginRange(start === 0, start);
        kernel.scan(buf, start!, end!);
        return kernel.result();
      });

    const one = new K6JsonKernel('k.json', new SeriesLimit(3));
    one.beginRange(true, 0);
    one.scan(buf, 0, buf.length);
    const single = seriesFromKernel(one.result(), 'k.json');
    assert.deepEqual(
      single.map((s) => [s.name, s.count]),
      [0, 1, 2].map((i) => [`GET /api/items/${i}`, 3]),
    );

    const first = scan(null).map(toPartial);
    const kept = seriesToKeep(first, 3);
    assert.deepEqual(kept && [...kept.keep].sort(), single.map((s) => s.name));
    assert.equal(kept!.exact, false, 'the second range skipped items 0..2');
    const again = scan(kept!.keep);
    assert.equal(seriesToKeep(again, 3)!.exact, true);
    const limit = new SeriesLimit(3, kept!.keep);
    assert.deepEqual(fingerprint(seriesFromPartials(again.map(toPartial), 'k.json', 'k6-json', limit)), fingerprint(single));
    // Skipped: items 3..6, 8 points.
    assert.equal(limit.warning('k.json'), `k.json: more than 3 series; read the first 3, skipped 4 more with 8 samples ${hint}`);
  });
});
