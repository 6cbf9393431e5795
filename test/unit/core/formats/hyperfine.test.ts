import * as assert from 'node:assert/strict';
import { hyperfineReader } from '../../../../src/core/formats/hyperfine';
import { detectFormat } from '../../../../src/core/formats/index';
import { percentileOf } from '../../../../src/core/series';
import { nearestRank } from '../../helpers';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

// formats-detailed.md §10.2 example
const DOC =
  '{"results":[{"command":"./cli check","mean":0.212,"stddev":0.011,"median":0.209,"user":0.180,"system":0.025,"min":0.198,"max":0.241,"times":[0.198,0.209,0.241],"exit_codes":[0,0,0]}]}';

describe('hyperfine reader', () => {
  it('reads the documented example', async () => {
    const [s, ...rest] = await readWith(hyperfineReader, DOC, 'bench/cli.json');
    assert.equal(rest.length, 0);
    const { durationSec, throughputPerSec, ...other } = s!;
    assert.deepEqual(other, {
      name: './cli check',
      format: 'hyperfine',
      source: 'bench/cli.json',
      count: 3,
      errors: 0,
      exact: true,
      histogram: null,
      percentiles: { '50': 209, '90': 241, '95': 241, '99': 241, '99.9': 241, '100': 241 },
      minMs: 198,
      maxMs: 241,
      meanMs: 212,
    });
    assert.ok(Math.abs(durationSec! - 0.648) < 1e-12);
    assert.ok(Math.abs(throughputPerSec! - 3 / 0.648) < 1e-9);
  });

  it('nearest rank over every run; p50 is the tool median; failed runs counted', async () => {
    // 20 runs: 1..20 ms, shuffled; median of an even count is the mean of the middle two (10.5)
    const times = [13, 4, 20, 7, 1, 16, 10, 19, 2, 8, 11, 5, 18, 3, 14, 9, 17, 6, 15, 12].map((ms) => ms / 1000);
    const json = {
      results: [
        { command: 'a', mean: 0.0105, stddev: null, median: 0.0105, min: 0.001, max: 0.02, times, exit_codes: [0, 1, 0, null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2] },
        { command: 'a', mean: 0.5, median: 0.5, times: [0.5] },
      ],
    };
    const [a, b] = await readWith(hyperfineReader, JSON.stringify(json), 'h.json');
    const ms = times.map((t) => t * 1000);
    assert.equal(a!.percentiles!['50'], 10.5);
    assert.equal(percentileOf(a!, 90), 18);
    assert.equal(percentileOf(a!, 95), 19);
    assert.equal(percentileOf(a!, 99), 20);
    assert.equal(percentileOf(a!, 90), nearestRank(ms, 90));
    assert.equal(a!.errors, 3, 'exit codes 1, null (signal) and 2');
    assert.equal(a!.count, 20);
    assert.equal(b!.name, 'a #2', 'duplicate command names stay apart');
    assert.equal(b!.errors, null, 'no exit_codes (hyperfine < 1.12): unknown');
    assert.equal(b!.percentiles!['99'], 500);
  });

  it('converts seconds to ms without float noise (0.0112 s -> 11.2 ms)', async () => {
    const [s] = await readWith(hyperfineReader, '{"results":[{"command":"x","mean":0.0112,"median":0.0112,"times":[0.0112,0.0113]}]}', 'x.json');
    assert.equal(s!.percentiles!['50'], 11.2);
    assert.equal(s!.maxMs, 11.3);
  });

  it('is detected', () => {
    assert.equal(detectFormat(DOC, 'x.json'), 'hyperfine');
    assert.equal(hyperfineReader.detect(JSON.stringify(JSON.parse(DOC), null, 2), 'x.json'), true);
    assert.equal(hyperfineReader.detect('{"benchmarks":[]}', 'x.json'), false);
  });

  describe('bad input', () => {
    it('empty', () => rejectsInput(hyperfineReader, ' \n', 'e.json', /empty file/));
    it('truncated', () => rejectsInput(hyperfineReader, DOC.slice(0, 60), 't.json', /invalid JSON/));
    it('missing times', () => rejectsInput(hyperfineReader, DOC.replace('"times":[0.198,0.209,0.241],', ''), 'm.json', /\$\.results\[0\]\.times missing/));
    it('empty times', () => rejectsInput(hyperfineReader, DOC.replace('[0.198,0.209,0.241]', '[]'), 'm.json', /\$\.results\[0\]\.times/));
    it('negative time', () => rejectsInput(hyperfineReader, DOC.replace('0.209,0.241', '-0.209,0.241'), 'n.json', /\$\.results\[0\]\.times\[1\] must be >= 0/));
    it('string time', () => rejectsInput(hyperfineReader, DOC.replace('0.209,0.241', '"0.209",0.241'), 'n.json', /\$\.results\[0\]\.times\[1\]/));
    it('no results', () => rejectsInput(hyperfineReader, '{"results":[]}', 'n.json', /\$\.results/));
    it('wrong shape', () => rejectsInput(hyperfineReader, '{"result":{}}', 'n.json', /\$\.results missing/));
    it('bad exit code', () => rejectsInput(hyperfineReader, DOC.replace('[0,0,0]', '[0,"x",0]'), 'n.json', /\$\.results\[0\]\.exit_codes\[1\]/));
  });
});

fixtureSuite('hyperfine', (f) => f === 'hyperfine');
