import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../../src/core/formats/index';
import { ohaReader } from '../../../../src/core/formats/oha';
import { FIXTURES } from '../../helpers';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

const PING = readFileSync(path.join(FIXTURES, 'oha/ping.json'), 'utf8');

describe('oha reader', () => {
  it('keeps oha\'s percentiles exactly (s -> ms), deadline aborts not counted', async () => {
    const [s, ...rest] = await readWith(ohaReader, PING, 'perf/ping.json');
    assert.equal(rest.length, 0);
    assert.equal(s!.name, 'ping');
    assert.equal(s!.count, 12);
    assert.equal(s!.errors, 0);
    assert.equal(s!.exact, true);
    assert.equal(s!.percentiles!['50'], 29.952542);
    assert.equal(s!.percentiles!['99.99'], 454.240625);
    assert.equal(s!.percentiles!['100'], 454.240625);
    assert.equal(s!.minMs, 25.575416);
    assert.equal(s!.durationSec, 1.00266425);
    assert.equal(s!.throughputPerSec, 13.962799611136033);
  });
  it('errors = non-2xx/3xx responses + transport errors', async () => {
    const doc = PING.replace('"200": 12', '"200": 10, "301": 1, "503": 1').replace('"aborted due to deadline": 2', '"aborted due to deadline": 2, "connection refused": 3');
    const [s] = await readWith(ohaReader, doc, 'x.json');
    assert.equal(s!.count, 15);
    assert.equal(s!.errors, 4);
  });
  it('reads a run without responses (null percentiles)', async () => {
    const doc = '{"summary":{"successRate":null,"total":1.0,"slowest":null,"fastest":null,"average":null,"requestsPerSec":2.0},"latencyPercentiles":{"p50":null,"p99":null},"statusCodeDistribution":{},"errorDistribution":{"aborted due to deadline":2}}';
    const [s] = await readWith(ohaReader, doc, 'x.json');
    assert.equal(s!.count, 0);
    assert.deepEqual(s!.percentiles, {});
    assert.equal(s!.maxMs, null);
  });
  it('is detected', () => assert.equal(detectFormat(PING, 'x.json'), 'oha'));
  it('refuses wrong types and negative numbers, naming the file', async () => {
    await rejectsInput(ohaReader, PING.replace('"p50": 0.029952542', '"p50": -1'), 'bad.json', /\$\.latencyPercentiles\.p50/);
    await rejectsInput(ohaReader, PING.replace('"200": 12', '"200": "12"'), 'bad.json', /statusCodeDistribution/);
  });
  fixtureSuite('oha', (f) => f === 'oha');
});
