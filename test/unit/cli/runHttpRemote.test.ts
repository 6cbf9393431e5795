import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { recordingServer } from '../node/testServers';
import { cli } from './run';

describe('perf-budgets run: a config\'s "allowRemote" needs --allow-remote', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'pb-run-remote-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const configAt = (baseUrl: string, extra: Record<string, unknown> = {}) =>
    writeFileSync(
      path.join(dir, 'perf-budgets.json'),
      JSON.stringify({
        benchmarks: { remote: { http: { baseUrl, allowRemote: true, requests: [{ handler: 'GET /a', path: '/a' }], duration: '500ms', connections: 1, ...extra } } },
        budgets: { 'GET /a': { p50: '5s' } },
      }),
    );

  it('refuses a remote host with exit 2 and one line naming the flag, before anything starts', async () => {
    // .invalid never resolves (RFC 6761); the refusal comes before any lookup: no child, no service.
    configAt('http://example.invalid:80', { ready: 'http://example.invalid/health', readyTimeout: '300ms', start: `touch '${path.join(dir, 'started')}'` });
    const r = await cli(['run', '--no-baseline'], dir);
    assert.equal(r.code, 2);
    assert.equal(
      r.stderr,
      'perf-budgets: perf-budgets.json: benchmark "remote" would send requests to example.invalid, which is not loopback; "allowRemote" in the workspace\'s config is not enough: pass --allow-remote example.invalid to allow it\n',
    );
    assert.equal(existsSync(path.join(dir, 'started')), false, 'the benchmark process never started');
    assert.equal(existsSync(path.join(dir, 'perf')), false);
    // Another host allowed does not allow this one.
    const other = await cli(['run', '--no-baseline', '--allow-remote', 'example.com'], dir);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /pass --allow-remote example\.invalid/);
    assert.equal(existsSync(path.join(dir, 'started')), false);
  });

  it('sends nothing to a non-loopback address without the flag, and runs with --allow-remote HOST', async () => {
    // 127.0.0.2 is not one of the loopback names, but the kernel keeps it on the machine.
    const server = await recordingServer('127.0.0.2');
    try {
      configAt(server.url);
      const refused = await cli(['run', '--no-baseline'], dir);
      assert.equal(refused.code, 2, refused.stderr);
      assert.match(refused.stderr, /^perf-budgets: perf-budgets\.json: benchmark "remote" would send requests to 127\.0\.0\.2, .*pass --allow-remote 127\.0\.0\.2 to allow it\n$/);
      assert.equal(server.requests.length, 0);

      const allowed = await cli(['run', '--no-baseline', '--allow-remote', '127.0.0.2'], dir);
      assert.equal(allowed.code, 0, allowed.stderr);
      assert.ok(server.requests.length > 0);
      assert.match(allowed.stderr, /GET \/a: \d+ requests/);
    } finally {
      await server.close();
    }
  });

  it('documents --allow-remote in --help', async () => {
    const r = await cli(['--help'], dir);
    assert.match(r.stdout, /run \[BENCHMARK\.\.\.\].*\[--allow-remote HOST\]/);
    assert.match(r.stdout, /--allow-remote HOST: let the built-in HTTP benchmark send requests to HOST/);
  });
});
