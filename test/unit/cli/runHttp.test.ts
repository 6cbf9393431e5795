import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { delayServer } from '../node/testServers';
import { cli } from './run';

describe('perf-budgets run: the built-in HTTP benchmark', function () {
  this.timeout(30_000);

  it('runs the http benchmark in a child process, writes its .hlog and exits 0 or 1 as the budgets say', async () => {
    const server = await delayServer();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pb-run-http-'));
    try {
      const config = (p50A: string) => ({
        benchmarks: {
          api: {
            http: {
              baseUrl: server.url,
              requests: [
                { handler: 'GET /a', path: '/a' },
                { handler: 'POST /c', path: '/c', body: { x: 1 } },
              ],
              duration: '1s',
              connections: 2,
            },
          },
        },
        budgets: { 'GET /a': { p50: p50A }, 'POST /c': { errorRate: '50%' } },
      });
      writeFileSync(path.join(dir, 'perf-budgets.json'), JSON.stringify(config('200ms')));
      const ok = await cli(['run', '--report', 'json', '--no-baseline'], dir);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stderr, /running api: built-in HTTP benchmark of http:\/\/127\.0\.0\.1:\d+/);
      assert.match(ok.stderr, /GET \/a: \d+ requests/);
      const verdicts = JSON.parse(ok.stdout).verdicts as Array<{ handler: string; metric: string; status: string; value: number }>;
      const a = verdicts.find((v) => v.handler === 'GET /a')!;
      assert.equal(a.status, 'pass');
      assert.ok(a.value >= 20 && a.value < 35, `p50 of a 20 ms handler: ${a.value}`);
      const c = verdicts.find((v) => v.handler === 'POST /c')!;
      assert.ok(Math.abs(c.value - 0.25) < 0.05, `every 4th POST /c fails: ${c.value}`);

      // The same run against a budget the 20 ms handler cannot meet; check reads the .hlog like any result.
      writeFileSync(path.join(dir, 'perf-budgets.json'), JSON.stringify(config('5ms')));
      assert.equal((await cli(['run', '--no-baseline'], dir)).code, 1);
      assert.equal((await cli(['check', '--no-baseline'], dir)).code, 1);
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a service that is never ready is a run error (exit 2), results unchecked', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pb-run-http-'));
    try {
      writeFileSync(
        path.join(dir, 'perf-budgets.json'),
        JSON.stringify({
          benchmarks: { api: { http: { baseUrl: 'http://127.0.0.1:9', requests: [{ handler: 'GET /a', path: '/a' }], readyTimeout: '300ms' } } },
          budgets: { 'GET /a': { p50: '1s' } },
        }),
      );
      const r = await cli(['run'], dir);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /was not ready after 0\.3 s/);
      assert.match(r.stderr, /benchmark "api" exited with code 2; results not checked/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
