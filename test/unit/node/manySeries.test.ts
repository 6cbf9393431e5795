/**
 * Issue #13, "Unbounded series": a result file naming a new handler on every line made one
 * histogram per name, each allocating hdr-histogram-js's 256 KB counts array up front. A 1.9 MB
 * HDR log with 20,000 tags took 5.3 GB and crashed the extension host, which reads results on
 * open (in Restricted Mode too). Now a histogram stays small until it holds many values, and a
 * file gives at most `maxSeriesPerFile` series (2000), the first ones, with a warning.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { encodeHdrLogTag, formatHdrLog } from '../../../src/core/formats/hdrLogWriter';
import { LatencyHistogram } from '../../../src/core/histograms/latencyHistogram';
import type { Series } from '../../../src/core/series';
import { scanFileParallel } from '../../../src/node/read/scanPool';
import { summarizeFile, type SummarizeOptions } from '../../../src/node/read/summarizeFile';
import { fingerprint } from '../core/formats/rawGen';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const MB = 1e6;
const hint = '(raise perfBudgets.results.maxSeriesPerFile or --max-series)';

function histogram(valuesMs: number[]): LatencyHistogram {
  const h = LatencyHistogram.create();
  for (const v of valuesMs) h.recordMs(v);
  return h;
}

/** The values of tag i: tag 0 is the one checked value by value, the others share one encoding. */
const FIRST_VALUES = [1.5, 2.5, 12, 12.25, 250];
const OTHER_VALUES = [12.5, 30];
const tagName = (i: number) => `GET /api/items/${i}`;

/** An HDR log (hdrLogWriter's format) with one interval per tag, `tags` distinct tags. */
function hdrLog(tags: number): string {
  const head = formatHdrLog({ startTimeMs: 1_714_550_400_000, intervals: [{ tag: tagName(0), startSec: 0, lengthSec: 1, histogram: histogram(FIRST_VALUES) }] });
  const other = histogram(OTHER_VALUES);
  const encoded = other.encode();
  const lines: string[] = [];
  for (let i = 1; i < tags; i++) lines.push(`Tag=${encodeHdrLogTag(tagName(i))},${(i / 1000).toFixed(3)},1.000,${other.maxMs.toFixed(3)},${encoded}`);
  return `${head}${lines.join('\n')}\n`;
}

/** k6 NDJSON: one http_req_duration point per request, every request to a URL of its own. */
function k6Json(names: number, valueOf: (i: number) => number = (i) => 1 + (i % 700) / 4): string {
  const lines: string[] = [];
  for (let i = 0; i < names; i++) {
    const time = new Date(1_714_550_400_000 + i).toISOString();
    lines.push(`{"type":"Point","data":{"time":"${time}","value":${valueOf(i)},"tags":{"method":"GET","name":"http://127.0.0.1:3000/api/items/${i}","status":"200"}},"metric":"http_req_duration"}`);
  }
  return `${lines.join('\n')}\n`;
}

interface Measured {
  series: Series[];
  warnings: string[];
  rssGrowth: number;
}

/** Reads `file` with summarizeFile, sampling the process's RSS while it runs (workers included). */
async function read(file: string, options: SummarizeOptions = {}): Promise<Measured> {
  gc();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const warnings: string[] = [];
  try {
    const series = await summarizeFile(file, { ...options, onWarning: (w) => warnings.push(w) });
    peak = Math.max(peak, process.memoryUsage().rss);
    return { series, warnings, rssGrowth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

describe('many series in one result file (issue #13)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = mkdtempSync(path.join(tmpdir(), 'pb-many-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  function assertFirstExact(s: Series): void {
    const expected = histogram(FIRST_VALUES);
    assert.equal(s.name, tagName(0));
    assert.equal(s.histogram!.count, FIRST_VALUES.length);
    assert.equal(s.histogram!.encode(), expected.encode());
    for (const p of [0, 50, 90, 99, 100]) assert.equal(s.histogram!.percentileMs(p), expected.percentileMs(p), `p${p}`);
    assert.equal(s.meanMs, expected.meanMs);
    // The smallest value as a decoded histogram has it: its bucket's lowest equivalent (1.499136 ms).
    assert.equal(s.minMs, LatencyHistogram.decode(expected.encode()).minMs);
    assert.equal(s.maxMs, expected.percentileMs(100));
  }

  for (const [mode, options] of [
    ['in the calling thread', { mainThread: true }],
    ['in a worker', { mainThread: false, workerMinBytes: 0 }],
  ] as const) {
    it(`an HDR log with 20,000 tags gives the first 2000 series and a warning, ${mode}, in bounded memory`, async () => {
      const file = write(`t20k-${options.mainThread}.hlog`, hdrLog(20_000));
      const { series, warnings, rssGrowth } = await read(file, { ...options, displayName: 'perf/results/x.hlog' });
      assert.equal(series.length, 2000);
      assert.deepEqual(
        series.slice(0, 3).map((s) => s.name),
        [0, 1, 2].map(tagName),
      );
      assert.equal(series[1999]!.name, tagName(1999));
      assertFirstExact(series[0]!);
      assert.equal(series[1]!.histogram!.encode(), histogram(OTHER_VALUES).encode());
      assert.deepEqual(warnings, [`perf/results/x.hlog: more than 2000 series; read the first 2000, skipped 18000 more with 36000 samples ${hint}`]);
      // The bug: 5.3 GB. 500 MB leaves room for a busy shared machine.
      assert.ok(rssGrowth < 500 * MB, `RSS grew ${Math.round(rssGrowth / MB)} MB`);
    });
  }

  it('an HDR log with 100,000 tags too', async () => {
    const file = write('t100k.hlog', hdrLog(100_000));
    const { series, warnings, rssGrowth } = await read(file, { mainThread: true, displayName: 'x.hlog' });
    assert.equal(series.length, 2000);
    assertFirstExact(series[0]!);
    assert.deepEqual(warnings, [`x.hlog: more than 2000 series; read the first 2000, skipped 98000 more with 196000 samples ${hint}`]);
    assert.ok(rssGrowth < 500 * MB, `RSS grew ${Math.round(rssGrowth / MB)} MB`);
  });

  it('a series holding a few values costs a few KB, not a 256 KB counts array', async () => {
    const file = write('t2000.hlog', hdrLog(2000));
    gc();
    const before = process.memoryUsage();
    const series = await summarizeFile(file, { mainThread: true });
    gc();
    const after = process.memoryUsage();
    assert.equal(series.length, 2000);
    const perSeries = (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / series.length;
    // Before the fix: ~265 KB a series (the counts array, in arrayBuffers).
    assert.ok(perSeries < 20_000, `${Math.round(perSeries)} bytes a series`);
    assertFirstExact(series[0]!);
  });

  it('maxSeriesPerFile sets the limit; a file at the limit gives no warning', async () => {
    const file = write('t30.hlog', hdrLog(30));
    const capped = await read(file, { mainThread: true, displayName: 'x.hlog', maxSeriesPerFile: 10 });
    assert.equal(capped.series.length, 10);
    assert.deepEqual(capped.warnings, [`x.hlog: more than 10 series; read the first 10, skipped 20 more with 40 samples ${hint}`]);
    const all = await read(file, { mainThread: true, maxSeriesPerFile: 30 });
    assert.equal(all.series.length, 30);
    assert.deepEqual(all.warnings, []);
  });

  it('k6 NDJSON with 20,000 distinct URLs: the same first 2000 series and warning on every path', async () => {
    const file = write('urls.json', k6Json(20_000));
    const paths: Array<[string, SummarizeOptions]> = [
      ['streaming reader', { parallel: false }],
      ['kernel in the calling thread', { mainThread: true }],
      ['worker threads', { parallel: true, threads: 2 }],
      ['workers and the calling thread', { parallel: true, threads: 2, mainThread: true }],
    ];
    let reference: ReturnType<typeof fingerprint> | undefined;
    for (const [what, options] of paths) {
      const { series, warnings, rssGrowth } = await read(file, { ...options, displayName: 'urls.json' });
      assert.equal(series.length, 2000, what);
      assert.deepEqual(warnings, [`urls.json: more than 2000 series; read the first 2000, skipped 18000 more with 18000 samples ${hint}`], what);
      assert.ok(rssGrowth < 500 * MB, `${what}: RSS grew ${Math.round(rssGrowth / MB)} MB`);
      // Series are sorted by name; the ones kept are the file's first 2000 URLs.
      const names = new Set(series.map((s) => s.name));
      for (let i = 0; i < 2000; i++) assert.ok(names.has(`GET /api/items/${i}`), `${what}: item ${i}`);
      const first = series.find((s) => s.name === 'GET /api/items/0')!;
      assert.equal(first.count, 1);
      assert.equal(first.histogram!.encode(), histogram([1]).encode());
      const fp = fingerprint(series);
      if (reference) assert.deepEqual(fp, reference, what);
      else reference = fp;
    }
  });

  it('parallel scans keep what one thread keeps, also when their ranges meet other series first', async () => {
    // Items 0..4 open the file, then blocks of 5..10 and 0..4: a participant whose range starts
    // past the first line fills its limit of 5 with some of 5..10 and skips some of 0..4, which
    // are the file's first five: the scan runs again, admitting exactly those.
    const order = [0, 1, 2, 3, 4];
    for (let b = 0; b < 3000; b++) order.push(5, 6, 7, 8, 9, 10, 0, 1, 2, 3, 4);
    const lines = k6Json(order.length, (i) => 1 + (i % 997) / 8)
      .trimEnd()
      .split('\n')
      .map((l, i) => l.replace(/items\/\d+"/, `items/${order[i]}"`));
    const file = write('order.json', `${lines.join('\n')}\n`);
    const warnings: string[] = [];
    const single = fingerprint(await summarizeFile(file, { parallel: false, maxSeriesPerFile: 5, onWarning: (w) => warnings.push(w) }));
    assert.deepEqual(
      single.map((s) => [s.name, s.count]),
      [0, 1, 2, 3, 4].map((i) => [`GET /api/items/${i}`, 3001]),
    );
    assert.deepEqual(warnings, [`${file}: more than 5 series; read the first 5, skipped 6 more with 18000 samples ${hint}`]);
    const size = statSync(file).size;
    for (const [taskBytes, mainThread] of [
      [1999, false],
      [64 << 10, false],
      [4099, true],
    ] as const) {
      const seen: string[] = [];
      const spec = { format: 'k6-json' as const, fileName: file, maxSeries: 5 };
      const got = await scanFileParallel(file, size, spec, { threads: 2, mainThread, dataStart: 0, taskBytes, onWarning: (w) => seen.push(w) });
      assert.deepEqual(fingerprint(got), single, `taskBytes ${taskBytes}, mainThread ${mainThread}`);
      assert.deepEqual(seen, warnings, `taskBytes ${taskBytes}, mainThread ${mainThread}`);
    }
  });
});
