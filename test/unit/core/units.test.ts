import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { durationLiteral, formatBytes, formatDuration, parseDuration, parsePercent, parseThroughput } from '../../../src/core/units';

describe('units', () => {
  it('parses the duration spellings of the config', () => {
    assert.equal(parseDuration('850us'), 0.85);
    assert.equal(parseDuration('850µs'), 0.85);
    assert.equal(parseDuration('150ms'), 150);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('2m'), 120_000);
    assert.equal(parseDuration(' 2 min '), 120_000);
    assert.equal(parseDuration('100ns'), 0.0001);
    for (const bad of ['', '150', 'ms', '-1ms', '1.5.2s', '1e3ms', 'NaNms', '150 mss']) assert.equal(parseDuration(bad), undefined, bad);
  });

  it('parses percentages and throughputs', () => {
    assert.equal(parsePercent('1%'), 0.01);
    assert.equal(parsePercent('0.5 %'), 0.005);
    assert.equal(parsePercent('1'), undefined);
    assert.equal(parseThroughput('>= 100/s'), 100);
    assert.equal(parseThroughput('100/s'), 100);
    assert.equal(parseThroughput('6000/min'), 100);
    assert.equal(parseThroughput('>=1.5/sec'), 1.5);
    assert.equal(parseThroughput('<= 100/s'), undefined);
  });

  it('round-trips durations through their literal (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.constantFrom(1, 0.001, 1000), (n, scale) => {
        const ms = n * scale;
        const back = parseDuration(durationLiteral(ms));
        assert.ok(back !== undefined);
        assert.ok(Math.abs(back - ms) <= 1e-9 * Math.max(1, ms), `${ms} -> ${durationLiteral(ms)} -> ${back}`);
      }),
      { numRuns: 2000, seed: 42 },
    );
  });

  it('round-trips percentages (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (n) => {
        const pct = n / 1000;
        assert.ok(Math.abs(parsePercent(`${pct}%`)! - pct / 100) < 1e-12);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('formats durations in a human unit', () => {
    assert.equal(formatDuration(1620), '1.62 s');
    assert.equal(formatDuration(98.24), '98.2 ms');
    assert.equal(formatDuration(0.85), '850 µs');
    assert.equal(formatDuration(150_000), '2.5 min');
  });

  it('formats byte counts in decimal units', () => {
    assert.equal(formatBytes(0), '0 B');
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(999_999), '1 MB');
    assert.equal(formatBytes(340_000_000), '340 MB');
    assert.equal(formatBytes(2_147_483_648), '2.15 GB');
    assert.equal(formatBytes(1_234_567), '1.23 MB');
  });
});
