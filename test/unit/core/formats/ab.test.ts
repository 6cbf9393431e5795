import * as assert from 'node:assert/strict';
import { abReader } from '../../../../src/core/formats/ab';
import { detectFormat } from '../../../../src/core/formats/index';
import { percentileOf } from '../../../../src/core/series';
import { nearestRank, within } from '../../helpers';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

const pctFile = (f: (i: number) => number): string =>
  `Percentage served,Time in ms\n${Array.from({ length: 101 }, (_, i) => `${i},${f(i).toFixed(3)}`).join('\n')}\n`;

const tsv = (rows: Array<[sec: number, ttime: number]>): string =>
  `starttime\tseconds\tctime\tdtime\tttime\twait\n${rows
    .map(([s, t]) => `Wed Nov 25 09:27:26 2026\t${s}\t0\t${t}\t${t}\t${t}`)
    .join('\n')}\n`;

describe('ab reader', () => {
  describe('-e percentiles CSV', () => {
    it('keeps every printed percentage exactly', async () => {
      const [s, ...rest] = await readWith(abReader, pctFile((i) => 4 + i * 0.125), 'out/decide-e.csv');
      assert.equal(rest.length, 0);
      assert.equal(s!.name, 'decide-e');
      assert.equal(s!.format, 'ab');
      assert.equal(s!.exact, true);
      assert.equal(Object.keys(s!.percentiles!).length, 101);
      assert.equal(percentileOf(s!, 50), 10.25);
      assert.equal(percentileOf(s!, 95), 15.875);
      assert.equal(percentileOf(s!, 99), 16.375);
      assert.equal(percentileOf(s!, 100), 16.5);
      assert.equal(percentileOf(s!, 99.9), null, 'ab prints integer percentages only');
      assert.equal(s!.minMs, 4);
      assert.equal(s!.maxMs, 16.5);
      assert.equal(s!.count, null, 'no request count in the file');
      assert.equal(s!.errors, null);
      assert.equal(s!.durationSec, null);
      assert.equal(s!.throughputPerSec, null);
    });

    it('is detected from its header (also CRLF)', () => {
      assert.equal(detectFormat(pctFile((i) => i), 'x.csv'), 'ab');
      assert.equal(abReader.detect('Percentage served,Time in ms\r\n0,1.0\r\n', 'x.csv'), true);
    });

    it('bad input', async () => {
      await rejectsInput(abReader, pctFile((i) => i).split('\n').slice(0, 60).join('\n'), 'cut.csv', /stop at 58.*truncated/, 60);
      await rejectsInput(abReader, pctFile((i) => i).replace('\n7,7.000\n', '\n7,abc\n'), 'n.csv', /Time in ms is not a non-negative number: "abc"/, 9);
      await rejectsInput(abReader, pctFile((i) => i).replace('\n7,7.000\n', '\n7,-7\n'), 'n.csv', /Time in ms/, 9);
      await rejectsInput(abReader, pctFile((i) => i).replace('\n7,7.000\n', '\n7,NaN\n'), 'n.csv', /Time in ms/, 9);
      await rejectsInput(abReader, pctFile((i) => i).replace('\n7,7.000\n', '\n8,7.000\n'), 'n.csv', /expected percentage 7, got 8/, 9);
      await rejectsInput(abReader, pctFile((i) => i).replace('\n7,7.000\n', '\n7,2.000\n'), 'n.csv', /below/, 9);
      await rejectsInput(abReader, pctFile((i) => i).replace('\n7,7.000\n', '\n7\n'), 'n.csv', /expected "percentage/, 9);
      await rejectsInput(abReader, '', 'e.csv', /empty file/);
      await rejectsInput(abReader, 'Percentage,Time\n0,1\n', 'h.csv', /not an ab -g or -e file/, 1);
    });
  });

  describe('-g gnuplot TSV', () => {
    it('records every ttime into a histogram; duration from the seconds column', async () => {
      const values = Array.from({ length: 1000 }, (_, i) => (i * 37) % 250); // 0..249 ms, shuffled
      const rows = values.map((t, i): [number, number] => [1795598840 + Math.floor(i / 200), t]);
      const [s, ...rest] = await readWith(abReader, tsv(rows), 'runs/decide.tsv');
      assert.equal(rest.length, 0);
      assert.equal(s!.name, 'decide');
      assert.equal(s!.exact, false);
      assert.equal(s!.percentiles, null);
      assert.equal(s!.count, 1000);
      assert.equal(s!.errors, null);
      assert.equal(s!.durationSec, 4);
      assert.equal(s!.throughputPerSec, 250);
      assert.equal(s!.startedAt, 1795598840000);
      for (const p of [50, 90, 95, 99, 99.9]) assert.ok(within(percentileOf(s!, p), nearestRank(values, p)), `p${p}`);
      assert.equal(percentileOf(s!, 100), 249);
      assert.equal(s!.minMs, 0);
    });

    it('one-second runs have no duration', async () => {
      const [s] = await readWith(abReader, tsv([[5, 3], [5, 4]]), 'x.tsv');
      assert.equal(s!.durationSec, null);
      assert.equal(s!.throughputPerSec, null);
    });

    it('is detected', () => {
      assert.equal(detectFormat(tsv([[1, 2]]), 'x.tsv'), 'ab');
      assert.equal(abReader.detect('starttime,seconds\n', 'x.csv'), false);
    });

    it('bad input names file and line', async () => {
      const good = tsv([[10, 3], [10, 4], [11, 5]]);
      await rejectsInput(abReader, good.replace('\t4\t4\t4', '\tx\tx\tx'), 'b.tsv', /ttime is not a non-negative integer: "x"/, 3);
      await rejectsInput(abReader, good.replace('\t4\t4\t4', '\t4\t-4\t4'), 'b.tsv', /ttime/, 3);
      await rejectsInput(abReader, good.replace('\t4\t4\t4', '\t4\t4.5\t4'), 'b.tsv', /ttime/, 3);
      await rejectsInput(abReader, good.replace('\t11\t', '\tsoon\t'), 'b.tsv', /seconds/, 4);
      await rejectsInput(abReader, good.replace('\t4\t4\t4', '\t4'), 'b.tsv', /expected 6 tab-separated fields, got 4/, 3);
      await rejectsInput(abReader, tsv([]), 'h.tsv', /no request rows/);
      await rejectsInput(abReader, 'starttime\tctime\tdtime\twait\n', 'h.tsv', /lacks ttime/, 1);
    });
  });
});

fixtureSuite('ab', (f) => f === 'ab');
