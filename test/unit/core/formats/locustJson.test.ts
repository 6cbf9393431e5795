import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { detectFormat } from '../../../../src/core/formats/index';
import { locustJsonReader } from '../../../../src/core/formats/locustJson';
import { bucketOf, percentileOf } from '../../../../src/core/series';
import { FIXTURES, nearestRank } from '../../helpers';
import { readWith, rejectsInput } from './formatTestUtil';
import { expectedMoreSuite } from './locustExpected';

// The shape Locust 2.2x+ prints with --json (StatsEntry.serialize()), as in the fixtures.
const DOC = `[
    {
        "name": "/api/items",
        "method": "GET",
        "last_request_timestamp": 1732126306.25,
        "start_time": 1732126296.25,
        "num_requests": 20,
        "num_none_requests": 0,
        "num_failures": 1,
        "total_response_time": 2000.5,
        "max_response_time": 1449.0,
        "min_response_time": 6.6,
        "total_content_length": 2000,
        "response_times": { "7": 4, "12": 6, "98": 3, "120.0": 4, "150.0": 2, "1400.0": 1 },
        "num_reqs_per_sec": { "1732126296": 10, "1732126306": 10 },
        "num_fail_per_sec": { "1732126300": 1 }
    },
    {
        "name": "/login",
        "method": "POST",
        "last_request_timestamp": 1732126303.0,
        "start_time": 1732126295.0,
        "num_requests": 3,
        "num_none_requests": 1,
        "num_failures": 0,
        "total_response_time": 30.0,
        "max_response_time": 19.5,
        "min_response_time": 10.5,
        "total_content_length": 0,
        "response_times": { "11": 1, "19": 1 },
        "num_reqs_per_sec": {},
        "num_fail_per_sec": {}
    }
]
`;

/** The response_times map expanded to one (rounded) value per request, sorted. */
function expand(map: Record<string, number>): number[] {
  return Object.entries(map)
    .flatMap(([k, n]) => Array.from({ length: n }, () => Number(k)))
    .sort((a, b) => a - b);
}

describe('locust-json reader', () => {
  it('reads --json: one series per method+name, nearest rank over response_times, rounded keys as intervals', async () => {
    const [items, login, ...rest] = await readWith(locustJsonReader, DOC, 'out.json');
    assert.equal(rest.length, 0);
    const values = expand({ '7': 4, '12': 6, '98': 3, '120.0': 4, '150.0': 2, '1400.0': 1 });
    assert.equal(items!.name, 'GET /api/items');
    assert.equal(items!.format, 'locust-json');
    assert.equal(items!.count, 20);
    assert.equal(items!.errors, 1);
    assert.equal(items!.durationSec, 10);
    assert.equal(items!.throughputPerSec, 2);
    assert.equal(items!.startedAt, 1732126296250);
    assert.equal(items!.minMs, 6.6);
    assert.equal(items!.maxMs, 1449);
    assert.equal(items!.meanMs, 2000.5 / 20);
    assert.equal(items!.histogram, null);
    for (const p of [50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99]) assert.equal(percentileOf(items!, p), Math.min(nearestRank(values, p), 1449), `p${p}`);
    assert.equal(percentileOf(items!, 50), 12);
    assert.equal(percentileOf(items!, 80), 120);
    assert.equal(percentileOf(items!, 90), 150);
    assert.equal(percentileOf(items!, 95), 150);
    assert.equal(percentileOf(items!, 99), 1400);
    assert.equal(percentileOf(items!, 100), 1449, 'the exact max');
    assert.equal(bucketOf(items!, 50), null, 'below 100 ms: whole ms');
    assert.deepEqual(bucketOf(items!, 80), { lower: 115, upper: 125 });
    assert.deepEqual(bucketOf(items!, 95), { lower: 145, upper: 155 });
    assert.deepEqual(bucketOf(items!, 99), { lower: 1350, upper: 1449 }, '1400 stands for [1350, 1450], clamped to the max');
    assert.equal(items!.exact, false);
    assert.equal(items!.allRequests, undefined);

    assert.equal(login!.name, 'POST /login');
    assert.equal(login!.count, 3, 'num_requests, None-time requests included');
    assert.equal(login!.meanMs, 15, 'total over the 2 timed requests');
    assert.equal(percentileOf(login!, 50), 11);
    assert.equal(percentileOf(login!, 99), 19);
    assert.equal(login!.exact, true);
    assert.equal(login!.buckets, undefined);
  });

  it('a rounded key above the max response time is the max (170 000 over a 169 664 ms max)', async () => {
    const text = JSON.stringify([
      { name: '/report', method: 'GET', last_request_timestamp: 200, start_time: 100, num_requests: 10, num_failures: 0, total_response_time: 1e6, max_response_time: 169664.2, min_response_time: 40000.4, response_times: { '40000.0': 9, '170000.0': 1 } },
    ]);
    const [s] = await readWith(locustJsonReader, text, 'slow.json');
    assert.equal(percentileOf(s!, 50), 40000);
    assert.deepEqual(bucketOf(s!, 50), { lower: 40000.4, upper: 40500 }, 'the interval starts at the exact min');
    assert.equal(percentileOf(s!, 95), 169664.2);
    assert.deepEqual(bucketOf(s!, 95), { lower: 169500, upper: 169664.2 });
  });

  it('an Aggregated entry without a method is the all-requests series; an entry without requests has no percentiles', async () => {
    const text = JSON.stringify([
      { name: 'Aggregated', method: null, num_requests: 2, num_failures: 0, total_response_time: 20, max_response_time: 11, min_response_time: 9, response_times: { '9': 1, '11': 1 } },
      { name: 'idle', method: '', num_requests: 0, num_failures: 0, total_response_time: 0, max_response_time: 0, min_response_time: null, response_times: {} },
    ]);
    const [all, idle] = await readWith(locustJsonReader, text, 'a.json');
    assert.equal(all!.allRequests, true);
    assert.equal(all!.name, 'Aggregated');
    assert.equal(all!.durationSec, null);
    assert.equal(idle!.name, 'idle');
    assert.deepEqual(idle!.percentiles, {});
    assert.equal(idle!.maxMs, null);
    assert.equal(idle!.meanMs, null);
  });

  it('detects the fixtures, and no other format\'s JSON fixture', () => {
    for (const f of ['merritt_out.json', 'nef_passed.json', 'nef_failed.json', 'maxconn_passed.json', 'maxconn_failed.json']) {
      assert.equal(detectFormat(readFileSync(path.join(FIXTURES, 'locust', f), 'utf8').slice(0, 65536), f), 'locust-json', f);
    }
    assert.equal(detectFormat(DOC, 'out.json'), 'locust-json');
    let others = 0;
    for (const tool of readdirSync(FIXTURES)) {
      const dir = path.join(FIXTURES, tool);
      if (tool === 'locust' || !statSync(dir).isDirectory()) continue;
      for (const f of readdirSync(dir).filter((x) => /\.jsonl?$/.test(x))) {
        const head = readFileSync(path.join(dir, f)).subarray(0, 65536).toString('utf8');
        assert.equal(locustJsonReader.detect(head, f), false, `${tool}/${f}`);
        others++;
      }
    }
    assert.ok(others > 5, `checked ${others} JSON fixtures of other tools`);
    assert.equal(locustJsonReader.detect('[1, 2, 3]', 'samples.json'), false);
  });

  describe('bad input', () => {
    it('truncated', () => rejectsInput(locustJsonReader, DOC.slice(0, 400), 't.json', /invalid JSON/));
    it('empty list', () => rejectsInput(locustJsonReader, '[]', 'e.json', /\$ /));
    it('not a list', () => rejectsInput(locustJsonReader, '{"num_requests": 1}', 'o.json', /not a valid Locust --json file/));
    it('wrong type', () => rejectsInput(locustJsonReader, DOC.replace('"num_requests": 20', '"num_requests": "many"'), 'w.json', /\$\[0\]\.num_requests/));
    it('negative failures', () => rejectsInput(locustJsonReader, DOC.replace('"num_failures": 1', '"num_failures": -1'), 'n.json', /\$\[0\]\.num_failures must be >= 0, got -1/));
    it('negative max', () => rejectsInput(locustJsonReader, DOC.replace('"max_response_time": 19.5', '"max_response_time": -19.5'), 'n.json', /\$\[1\]\.max_response_time/));
    it('fractional count in response_times', () => rejectsInput(locustJsonReader, DOC.replace('"11": 1', '"11": 0.5'), 'f.json', /\$\[1\]\.response_times\.11|\$\[1\]\.response_times\["11"\]/));
    it('a key that is no time', () => rejectsInput(locustJsonReader, DOC.replace('"19": 1', '"soon": 1'), 'k.json', /\$\[1\]\.response_times key "soon"/));
    it('more timed requests than requests', () => rejectsInput(locustJsonReader, DOC.replace('"num_requests": 3', '"num_requests": 2'), 'm.json', /holds 2 requests, more than num_requests 2 minus num_none_requests 1/));
  });
});

expectedMoreSuite('locust-json');
