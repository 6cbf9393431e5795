import assert from 'node:assert/strict';
import { locustCsvReader } from '../../../../src/core/formats/locustCsv';
import { bytesOf } from '../../../../src/core/formats/lines';

/**
 * A --csv-full-history file longer than the reader's packed row storage holds in one chunk (4096
 * rows an entry): its periods, worked out here from how the file was written, cross the chunks.
 */
const HEADER =
  'Timestamp,User Count,Type,Name,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%,Total Request Count,Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time,Total Max Response Time,Total Average Content Size';

describe('Locust full history over many rows (packed row storage)', () => {
  it('every 10 s period of a 9001-tick history, from the last row back', async () => {
    const t0 = 1700000000;
    const ticks = 9001;
    const p50 = (k: number) => (k % 97) + 1; // the 50% column at tick k: a value we can find again
    const lines = [HEADER];
    for (let k = 0; k < ticks; k++) {
      const count = 3 * (k + 1);
      const errors = Math.floor(k / 100);
      const pct = [p50(k), ...Array.from({ length: 10 }, () => 200)].join(',');
      lines.push(`${t0 + k},5,GET,/a,3.000000,0.000000,${pct},${count},${errors},9,9.5,1.0,150.0,11.0`);
      lines.push(`${t0 + k},5,,Aggregated,3.000000,0.000000,${pct},${count},${errors},9,9.5,1.0,150.0,11.0`);
    }
    const series = await locustCsvReader.read(bytesOf(`${lines.join('\n')}\n`, 1 << 16), { fileName: 'x_stats_history.csv' });
    const a = series.find((s) => s.name === 'GET /a')!;
    assert.equal(a.count, 3 * ticks);
    const periods = a.periods!;
    // Picked rows: the last (tick 9000), then every 10 ticks back to tick 0; the first period is tick 0 alone.
    assert.equal(periods.length, 901);
    assert.deepEqual(periods[0], { startedAt: t0 * 1000, durationSec: 0, count: 3, errors: 0, percentiles: { '50': p50(0), '66': 150, '75': 150, '80': 150, '90': 150, '95': 150, '98': 150, '99': 150, '99.9': 150, '99.99': 150, '100': 150 } });
    for (let i = 1; i < periods.length; i++) {
      const end = 10 * i; // the period's last tick
      const p = periods[i]!;
      assert.equal(p.startedAt, (t0 + end - 10) * 1000, `period ${i}`);
      assert.equal(p.durationSec, 10);
      assert.equal(p.count, 30);
      assert.equal(p.errors, Math.floor(end / 100) - Math.floor((end - 10) / 100));
      assert.equal(p.percentiles['50'], p50(end), `period ${i} p50`);
    }
  });
});
