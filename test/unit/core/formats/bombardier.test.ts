import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bombardierReader } from '../../../../src/core/formats/bombardier';
import { detectFormat } from '../../../../src/core/formats/index';
import { percentileOf } from '../../../../src/core/series';
import { FIXTURES } from '../../helpers';
import { fixtureSuite, readWith, rejectsInput } from './formatTestUtil';

const STATIC = readFileSync(path.join(FIXTURES, 'bombardier/static.json'), 'utf8');
// bombardier -l -o json without -p r: progress first (real output shape, one request to example.com)
const WITH_PROGRESS =
  'Bombarding http://www.example.com with 1 request(s) using 1 connection(s)\n 1 / 1 [====] 100.00% 0s\nDone!\n' +
  '{"spec":{"numberOfConnections":1,"testType":"number-of-requests","numberOfRequests":1,"method":"GET","url":"http://www.example.com","body":"","stream":false,"timeoutSeconds":2,"client":"fasthttp"},"result":{"bytesRead":1577,"bytesWritten":63,"timeTakenSeconds":0.071811825,"req1xx":0,"req2xx":1,"req3xx":0,"req4xx":0,"req5xx":0,"others":0,"latency":{"mean":71221,"stddev":0,"max":71221,"percentiles":{"50":71221,"75":71221,"90":71221,"95":71221,"99":71221}},"rps":{"mean":36.5,"stddev":57.8,"max":146.2}}}\n';

describe('bombardier reader', () => {
  it('reads a result without percentiles (no -l): mean and max only', async () => {
    const [s] = await readWith(bombardierReader, STATIC, 'perf/static.json');
    assert.equal(s!.name, 'static');
    assert.equal(s!.count, 2506725);
    assert.equal(s!.errors, 0);
    assert.equal(s!.maxMs, 92.044);
    assert.equal(s!.meanMs, 2.3883926302246955);
    assert.equal(percentileOf(s!, 50), null);
    assert.equal(s!.durationSec, 30.002450274);
  });
  it('skips the progress lines and keeps -l percentiles exactly (us -> ms)', async () => {
    const [s] = await readWith(bombardierReader, WITH_PROGRESS, 'one.json');
    assert.deepEqual(s!.percentiles, { '50': 71.221, '75': 71.221, '90': 71.221, '95': 71.221, '99': 71.221, '100': 71.221 });
    assert.equal(detectFormat(WITH_PROGRESS, 'one.json'), 'bombardier');
  });
  it('errors = 1xx + 4xx + 5xx + others', async () => {
    const doc = STATIC.replace('"req1xx": 0', '"req1xx": 1').replace('"req4xx": 0', '"req4xx": 2').replace('"req5xx": 0', '"req5xx": 3').replace('"others": 0', '"others": 4').replace('"req3xx": 0', '"req3xx": 5');
    const [s] = await readWith(bombardierReader, doc, 'x.json');
    assert.equal(s!.count, 2506725 + 15);
    assert.equal(s!.errors, 10);
  });
  it('is detected', () => assert.equal(detectFormat(STATIC, 'x.json'), 'bombardier'));
  it('refuses negative numbers and truncation, naming the file and line', async () => {
    await rejectsInput(bombardierReader, STATIC.replace('"req2xx": 2506725', '"req2xx": -1'), 'bad.json', /\$\.result\.req2xx/);
    await rejectsInput(bombardierReader, WITH_PROGRESS.slice(0, 300), 'cut.json', /invalid JSON/);
  });
  fixtureSuite('bombardier', (f) => f === 'bombardier');
});
