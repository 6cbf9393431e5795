import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { HttpBenchmark } from '../../../src/core/config/httpBenchmark';
import { percentileOf, type Series } from '../../../src/core/series';
import { type HttpBenchSpec, runHttpBenchmark, shares } from '../../../src/node/httpBench';
import { summarizeFile } from '../../../src/node/read/summarizeFile';
import { ROOT } from '../helpers';
import { delayServer, freePort } from './testServers';

function bench(baseUrl: string, extra: Partial<HttpBenchmark> = {}): HttpBenchmark {
  return {
    baseUrl,
    requests: [
      { handler: 'GET /a', path: '/a', method: 'GET', headers: {}, weight: 1 },
      { handler: 'GET /b', path: '/b', method: 'GET', headers: {}, weight: 1 },
      { handler: 'POST /c', path: '/c', method: 'POST', body: '{"x":1}', headers: { 'content-type': 'application/json' }, weight: 2 },
    ],
    durationMs: 2000,
    connections: 4,
    readyTimeoutMs: 5000,
    results: 'perf/results/api.hlog',
    allowRemote: false,
    ...extra,
  };
}

describe('built-in HTTP benchmark', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'pb-http-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);

  it('shares connections, rates and caps by weight, at least 1 each', () => {
    assert.deepEqual(shares(4, [1, 1, 2]), [1, 1, 2]);
    assert.deepEqual(shares(10, [1, 1, 1]), [4, 3, 3]);
    assert.deepEqual(shares(3, [1, 100, 1]), [1, 1, 1]);
    assert.deepEqual(shares(200, [1, 3]), [50, 150]);
    for (const [t, w] of [[7, [0.5, 2, 3]], [1000, [1, 1, 1, 1, 1, 1, 7]]] as const) {
      const s = shares(t, w);
      assert.equal(s.reduce((a, b) => a + b, 0), t);
      assert.ok(s.every((x) => x >= 1));
    }
  });

  it('refuses a results path outside the workspace before starting anything', async () => {
    for (const results of ['../outside.hlog', '/tmp/outside.hlog']) {
      const spec: HttpBenchSpec = { benchmark: 'api', workspace: dir, cwd: dir, http: { ...bench('http://127.0.0.1:9'), results, start: 'touch started-anyway' } };
      await assert.rejects(runHttpBenchmark(spec, log), /benchmark "api": "results" .* is outside the workspace folder; refusing to write it/);
    }
  });

  it('records each handler into its own histogram; the .hlog reads back with counts, errors and p50 near the known delays', async () => {
    const server = await delayServer();
    try {
      const spec: HttpBenchSpec = { benchmark: 'api', workspace: dir, cwd: dir, http: bench(server.url) };
      const out = await runHttpBenchmark(spec, log);
      assert.equal(out.file, path.join(dir, 'perf/results/api.hlog'));
      const series = await summarizeFile(out.file);
      const by = new Map<string, Series>(series.map((s) => [s.name, s]));
      assert.deepEqual([...by.keys()].sort(), ['GET /a', 'GET /b', 'POST /c']);
      for (const [name, delay] of [['GET /a', 20], ['GET /b', 50], ['POST /c', 5]] as const) {
        const s = by.get(name)!;
        const o = out.handlers.find((h) => h.handler === name)!;
        assert.equal(s.format, 'hdr-log');
        assert.equal(s.count, o.requests, `${name}: count from the log`);
        assert.equal(s.histogram!.count, o.requests, `${name}: no rate, no correction: one value per response`);
        assert.equal(s.errors, o.errors);
        const p50 = percentileOf(s, 50)!;
        assert.ok(p50 >= delay && p50 < delay + 15, `${name} p50 ${p50} ms vs ${delay} ms`);
        // 2 s on 1 connection (a, b) or 2 (c): about duration / delay requests per connection.
        const conns = name === 'POST /c' ? 2 : 1;
        assert.ok(s.count! > (0.5 * 2000 * conns) / (delay + 2) && s.count! <= (2000 * conns) / delay + conns, `${name} count ${s.count}`);
        assert.ok(s.durationSec! > 1.8 && s.durationSec! < 3, `${name} duration ${s.durationSec}`);
      }
      assert.equal(by.get('GET /a')!.errors, 0);
      const c = by.get('POST /c')!;
      assert.ok(Math.abs(c.errors! - c.count! / 4) <= 2, `every 4th POST /c fails: ${c.errors} of ${c.count}`);
      // One interval line per second per handler, tags percent-encoded.
      const text = readFileSync(out.file, 'utf8');
      assert.ok((text.match(/^Tag=GET%20\/a,/gm) ?? []).length >= 2);
    } finally {
      await server.close();
    }
  });

  it('at a fixed rate, holds the rate and corrects for coordinated omission', async () => {
    const server = await delayServer();
    try {
      // GET /b takes 50 ms; 1 connection at 10/s expects one request every 100 ms: no stall, no correction.
      const spec: HttpBenchSpec = {
        benchmark: 'rated',
        workspace: dir,
        cwd: dir,
        http: bench(server.url, { requests: [{ handler: 'GET /b', path: '/b', method: 'GET', headers: {}, weight: 1 }], connections: 1, rate: 10 }),
      };
      const out = await runHttpBenchmark(spec, log);
      const [s] = await summarizeFile(out.file);
      // autocannon paces per second in bursts (10 at t=0, 10 at t=1 s); nothing after the duration counts.
      assert.ok(s!.count! >= 15 && s!.count! <= 22, `about 10/s for 2 s: ${s!.count}`);
      assert.equal(s!.histogram!.count, s!.count, 'responses within the interval add nothing');
      // At 40/s on 1 connection the interval is 25 ms: every 50 ms response hides one more request (at ~25 ms).
      const fast = await runHttpBenchmark({ ...spec, http: { ...spec.http, rate: 40, results: 'perf/results/fast.hlog' } }, log);
      const [f] = await summarizeFile(fast.file);
      assert.ok(f!.histogram!.count >= 1.8 * f!.count!, `corrected: ${f!.histogram!.count} values for ${f!.count} responses`);
      assert.ok(percentileOf(f!, 25)! >= 25 && percentileOf(f!, 25)! < 40, `synthetic values near 25 ms: p25 ${percentileOf(f!, 25)}`);
    } finally {
      await server.close();
    }
  });

  it('starts the service, waits until it is ready, and stops it (by process group) afterwards', async () => {
    const port = await freePort();
    const spec: HttpBenchSpec = {
      benchmark: 'svc',
      workspace: dir,
      cwd: ROOT,
      http: {
        ...bench(`http://127.0.0.1:${port}`, { durationMs: 1000, connections: 1 }),
        requests: [{ handler: 'GET /api/fast', path: '/api/fast', method: 'GET', headers: {}, weight: 1 }],
        start: `node test/fixtures/server/server.mjs ${port}`,
        ready: `http://127.0.0.1:${port}/metrics`,
      },
    };
    const out = await runHttpBenchmark(spec, log);
    assert.ok(out.handlers[0]!.requests > 20, String(out.handlers[0]!.requests));
    assert.equal(out.handlers[0]!.errors, 0);
    const refused = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => (sock.destroy(), resolve(false)));
      sock.once('error', () => resolve(true));
    });
    assert.ok(refused, 'the service is stopped after the run');
  });

  it('fails fast when the start command exits, and within the ready timeout when nothing listens; writes nothing', async () => {
    const port = await freePort();
    const base = bench(`http://127.0.0.1:${port}`);
    const t0 = Date.now();
    await assert.rejects(runHttpBenchmark({ benchmark: 'x', workspace: dir, cwd: dir, http: { ...base, start: 'exit 3' } }, log), /the start command exited with code 3 before/);
    assert.ok(Date.now() - t0 < 3000);
    await assert.rejects(runHttpBenchmark({ benchmark: 'x', workspace: dir, cwd: dir, http: { ...base, readyTimeoutMs: 500 } }, log), /was not ready after 0\.5 s/);
    assert.equal(existsSync(path.join(dir, 'perf/results/api.hlog')), false);
  });

  it('an aborted run stops at once and writes nothing', async () => {
    const server = await delayServer();
    try {
      const ac = new AbortController();
      setTimeout(() => ac.abort(new Error('cancelled')), 300);
      const t0 = Date.now();
      await assert.rejects(runHttpBenchmark({ benchmark: 'x', workspace: dir, cwd: dir, http: bench(server.url, { durationMs: 10_000 }) }, log, ac.signal), /cancelled/);
      assert.ok(Date.now() - t0 < 2000, `stopped after ${Date.now() - t0} ms`);
      assert.equal(existsSync(path.join(dir, 'perf/results/api.hlog')), false);
    } finally {
      await server.close();
    }
  });
});
