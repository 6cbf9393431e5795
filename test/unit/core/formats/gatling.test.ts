import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { InputError } from '../../../../src/core/errors';
import { decodeHead, detectFormat } from '../../../../src/core/formats/index';
import { gatlingLogReader } from '../../../../src/core/formats/gatlingLog';
import { gatlingStatsReader } from '../../../../src/core/formats/gatlingStats';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank, within } from '../../helpers';
import { fixtureSuite, readWith, rejectsInput, seriesNamed } from './formatTestUtil';

const T = '\t';
const rec = (...f: Array<string | number>) => f.join(T);

// A Gatling 3.9-style log (no userId) with nested groups and KO requests (synthetic, from the format).
function groupedLog(): { text: string; home: number[]; pay: number[]; checkout: number[] } {
  const lines = [rec('ASSERTION', 'AAEDAAEFAAAAAAAAwFdAAwAAAAAAAEB/QA=='), rec('RUN', 'shop.Sim', 'sim', 1700000000000, ' ', '3.9.5')];
  const home: number[] = [];
  const pay: number[] = [];
  const checkout: number[] = [];
  let t = 1700000000100;
  for (let i = 0; i < 40; i++) {
    lines.push(rec('USER', 'Buyers', 'START', t));
    const h = 5 + ((i * 37) % 90);
    lines.push(rec('REQUEST', '', 'home', t, t + h, 'OK', ' '));
    const p = 20 + ((i * 53) % 300);
    const ko = i % 10 === 3;
    lines.push(rec('REQUEST', 'Checkout,Pay', 'pay', t + h, t + h + p, ko ? 'KO' : 'OK', ko ? 'status.find.is(200), but actually found 500' : ' '));
    lines.push(rec('GROUP', 'Checkout,Pay', t + h, t + h + p + 1, p, ko ? 'KO' : 'OK'));
    lines.push(rec('GROUP', 'Checkout', t + h, t + h + p + 3, p, ko ? 'KO' : 'OK'));
    lines.push(rec('USER', 'Buyers', 'END', t + h + p + 3));
    home.push(h);
    pay.push(p);
    checkout.push(p + 3);
    t += 250;
  }
  lines.push(rec('ERROR', 'status.find.is(200), but actually found 500', t));
  return { text: `${lines.join('\n')}\n`, home, pay, checkout };
}

describe('gatling-log reader (simulation.log)', () => {
  fixtureSuite('gatling', (f) => f === 'gatling-log');

  it('reads requests, nested groups and KO; group series are parents of their requests', async () => {
    const g = groupedLog();
    const got = await readWith(gatlingLogReader, g.text, 'simulation.log');
    assert.deepEqual(got.map((s) => s.name).sort(), ['Checkout', 'Checkout / Pay', 'Checkout / Pay / pay', 'home']);
    const home = seriesNamed(got, 'home');
    assert.equal(home.count, 40);
    assert.equal(home.errors, 0);
    assert.equal(home.exact, false);
    assert.equal(home.parent, undefined);
    assert.equal(home.startedAt, 1700000000100);
    for (const p of [50, 90, 95, 99]) assert.ok(within(percentileOf(home, p), nearestRank(g.home, p)), `home p${p}`);
    assert.equal(home.maxMs, Math.max(...g.home));
    const pay = seriesNamed(got, 'Checkout / Pay / pay');
    assert.equal(pay.parent, 'Checkout / Pay');
    assert.equal(pay.errors, 4);
    for (const p of [50, 95, 99]) assert.ok(within(percentileOf(pay, p), nearestRank(g.pay, p)), `pay p${p}`);
    const checkout = seriesNamed(got, 'Checkout');
    assert.equal(checkout.parent, undefined);
    assert.equal(checkout.errors, 4);
    assert.ok(within(percentileOf(checkout, 50), nearestRank(g.checkout, 50)));
    assert.equal(seriesNamed(got, 'Checkout / Pay').parent, 'Checkout');
    // duration: first start to last end of the series; throughput = count / duration
    const first = 1700000000100;
    const lastEnd = first + 39 * 250 + g.home[39]!;
    assert.ok(within(home.durationSec, (lastEnd - first) / 1000, 1e-9));
    assert.ok(within(home.throughputPerSec, 40 / ((lastEnd - first) / 1000), 1e-9));
  });

  it('reads 3.0-3.3 records with a userId column and a group column', async () => {
    const text = [
      rec('RUN', 'Sim', 'sim', 1000, ' ', '3.3.1'),
      rec('USER', 'S', 1, 'START', 1000, 1000),
      rec('REQUEST', 1, '', 'a', 1000, 1010, 'OK', ' '),
      rec('REQUEST', 1, 'G', 'a', 1000, 1030, 'KO', 'boom'),
      rec('GROUP', 1, 'G', 1000, 1031, 30, 'KO'),
      rec('USER', 'S', 1, 'END', 1000, 1031),
    ].join('\n');
    const got = await readWith(gatlingLogReader, text, 'simulation.log');
    assert.deepEqual(got.map((s) => [s.name, s.count, s.errors, s.maxMs, s.parent]), [
      ['a', 1, 0, 10, undefined],
      ['G / a', 1, 1, 30, 'G'],
      ['G', 1, 1, 31, undefined],
    ]);
  });

  it('detects text logs of 3.0, 3.4 and 3.9 and not the other formats', () => {
    for (const f of ['v3.0-userid-simulation.log', 'v3.4-simulation.log', 'v3.9-simulation.log']) {
      const head = decodeHead(readFileSync(path.join(FIXTURES, 'gatling', f)));
      assert.equal(detectFormat(head, f), 'gatling-log', f);
    }
    assert.equal(detectFormat(groupedLog().text, 'x.log'), 'gatling-log');
    assert.equal(gatlingLogReader.detect('timeStamp,elapsed,label\n1,2,x\n', 'a.csv'), false);
    assert.equal(gatlingLogReader.detect('BenchmarkX-8 100 5 ns/op\n', 'a.txt'), false);
  });

  it('refuses a binary Gatling 3.10+ simulation.log, pointing at js/stats.json', () => {
    const bytes = readFileSync(path.join(FIXTURES, 'gatling', 'binary-3.12-simulation.log'));
    for (const name of ['binary-3.12-simulation.log', 'results/simulation.log']) {
      assert.throws(
        () => detectFormat(decodeHead(bytes), name),
        (e: unknown) => e instanceof InputError && e.message.startsWith(name) && /Gatling 3\.10\+.*js\/stats\.json or js\/global_stats\.json/.test(e.message),
      );
    }
    // any other binary file keeps the generic message
    assert.throws(() => detectFormat('\u0000\u0001\u0002junk', 'a.bin'), /binary file: not a result format/);
  });

  it('bad input: InputError naming file and line', async () => {
    const run = rec('RUN', 'Sim', 'sim', 1000, ' ', '3.9.5');
    await rejectsInput(gatlingLogReader, `${run}\n${rec('REQUEST', '', 'a', 1000)}\n`, 'simulation.log', /without start, end and OK\/KO/, 2);
    await rejectsInput(gatlingLogReader, `${run}\n${rec('REQUEST', '', 'a', 1000, 900, 'OK', ' ')}\n`, 'simulation.log', /ends before it starts/, 2);
    await rejectsInput(gatlingLogReader, `${run}\n${rec('REQUEST', '', 'a', 'x', 'y', 'OK', ' ')}\n`, 'simulation.log', /without start, end/, 2);
    await rejectsInput(gatlingLogReader, `${run}\n${rec('REQUEST', '', '', 1, 2, 'OK', ' ')}\n`, 'simulation.log', /without a request name/, 2);
    await rejectsInput(gatlingLogReader, `${run}\n`, 'simulation.log', /no REQUEST records/);
    await rejectsInput(gatlingLogReader, 'hello\tworld\n', 'simulation.log', /not a Gatling simulation\.log/, 1);
  });
});

describe('gatling-stats reader (js/stats.json, js/global_stats.json)', () => {
  fixtureSuite('gatling', (f) => f === 'gatling-stats');

  it('keeps the report numbers exactly; the root is the all-requests series', async () => {
    const got = await readWith(gatlingStatsReader, readFileSync(path.join(FIXTURES, 'gatling', 'stats.json'), 'utf8'), 'stats.json');
    const all = seriesNamed(got, 'All Requests');
    assert.equal(all.allRequests, true);
    assert.equal(all.exact, true);
    assert.deepEqual(all.percentiles, { '50': 19, '75': 28, '95': 34, '99': 39 });
    assert.deepEqual([all.count, all.errors, all.minMs, all.maxMs, all.meanMs, all.throughputPerSec, all.durationSec], [60, 0, 13, 40, 22, 5, 12]);
    assert.equal(seriesNamed(got, '01_Get_Specific_Post').allRequests, undefined);
    assert.equal(seriesNamed(got, '01_Get_Specific_Post').parent, undefined);
  });

  it('nested groups, string numbers and "-" (older reports)', async () => {
    const st = (n: number | string, ko: number | string, p: number | string) => ({
      numberOfRequests: { total: n, ok: 0, ko },
      minResponseTime: { total: p, ok: '-', ko: p },
      maxResponseTime: { total: p, ok: '-', ko: p },
      meanResponseTime: { total: p, ok: '-', ko: p },
      percentiles1: { total: p, ok: '-', ko: p },
      percentiles2: { total: '-', ok: '-', ko: '-' },
      meanNumberOfRequestsPerSecond: { total: 2, ok: 0, ko: 2 },
    });
    const json = {
      type: 'GROUP', name: 'All Requests', stats: st('4', '4', '841'),
      contents: {
        group_x: { type: 'GROUP', name: 'Checkout', stats: st(2, 2, 900), contents: { req_p: { type: 'REQUEST', name: 'pay', stats: st(2, 2, 800) } } },
        req_h: { type: 'REQUEST', name: 'home', stats: st(2, 2, 10) },
      },
    };
    const got = await readWith(gatlingStatsReader, JSON.stringify(json), 'stats.json');
    assert.deepEqual(got.map((s) => [s.name, s.count, s.errors, s.parent, s.allRequests, s.percentiles]), [
      ['All Requests', 4, 4, undefined, true, { '50': 841 }],
      ['Checkout', 2, 2, undefined, undefined, { '50': 900 }],
      ['Checkout / pay', 2, 2, 'Checkout', undefined, { '50': 800 }],
      ['home', 2, 2, undefined, undefined, { '50': 10 }],
    ]);
  });

  it('detects stats.json and global_stats.json', () => {
    for (const f of ['stats.json', 'global_stats.json']) {
      const head = decodeHead(readFileSync(path.join(FIXTURES, 'gatling', f)));
      assert.equal(detectFormat(head, f), 'gatling-stats', f);
    }
  });

  it('bad input: InputError naming the file', async () => {
    await rejectsInput(gatlingStatsReader, '{"type": "GROUP", "name": "All Requests"}', 'stats.json', /stats\.json.*\$\.stats missing/);
    await rejectsInput(gatlingStatsReader, '{"name": "All Requests", "numberOfRequests": {"total": -3, "ko": 0}}', 'global_stats.json', /not a non-negative number/);
    await rejectsInput(gatlingStatsReader, '{"name": "x", "numberOfRequests": {"total": 3, "ko": 5}}', 'global_stats.json', /ko 5 exceeds total 3/);
    await rejectsInput(gatlingStatsReader, '{"name": "x", "numberOfRequests": {"total": "abc"}}', 'global_stats.json', /not a non-negative number/);
    await rejectsInput(gatlingStatsReader, '{"name": "x", "numberOfRe', 'global_stats.json', /./);
  });
});
