import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { runBenchmarkProcess } from '../../../src/node/benchmarkProcess';
import { resolveHeaders, runHttpBenchmark } from '../../../src/node/httpBench';
import { HTTP_SPEC_ENV, httpBenchCommand } from '../../../src/node/httpBenchProcess';
import { ROOT } from '../helpers';
import { freePort, recordingServer } from './testServers';

const LITERAL = 'literal-secret-3f9a1c';
const TOKEN = 'env-secret-7b2e4d';

function benchAt(baseUrl: string, extra = '') {
  const config = parseConfig(
    JSON.stringify({
      budgets: {},
      benchmarks: {
        api: {
          http: {
            baseUrl,
            requests: [
              {
                handler: 'GET /a',
                path: '/a',
                headers: { 'x-literal': LITERAL, authorization: { env: 'PB_TEST_API_TOKEN', prefix: 'Bearer ' } },
              },
            ],
            duration: '500ms',
            connections: 1,
            ...(extra ? JSON.parse(extra) : {}),
          },
        },
      },
    }),
    'perf-budgets.json',
  );
  return config.benchmarks[0]!;
}

describe('built-in HTTP benchmark: secrets in headers stay off command lines', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'pb-http-proc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const literalOnly = JSON.stringify({ requests: [{ handler: 'GET /a', path: '/a', headers: { 'x-literal': LITERAL } }] });

  it('the child command carries no header value in its arguments; the spec (for stdin or the environment) does', () => {
    const cmd = httpBenchCommand(benchAt('http://127.0.0.1:9', literalOnly), dir, []);
    const argv = [cmd.command, ...cmd.args].join(' ');
    assert.doesNotMatch(argv, new RegExp(LITERAL));
    assert.doesNotMatch(argv, /x-literal|"http"/);
    assert.deepEqual(Object.keys(cmd.env), ['ELECTRON_RUN_AS_NODE']);
    assert.deepEqual(JSON.parse(cmd.spec).http.requests[0].headers, { 'x-literal': LITERAL });
    // An env-named header travels as the variable's name; its value is read by the child.
    const named = httpBenchCommand(benchAt('http://127.0.0.1:9'), dir, []);
    assert.doesNotMatch([named.command, ...named.args].join(' '), /PB_TEST_API_TOKEN|Bearer/);
    assert.deepEqual(JSON.parse(named.spec).http.requests[0].headers, { 'x-literal': LITERAL, authorization: { env: 'PB_TEST_API_TOKEN', prefix: 'Bearer ' } });
  });

  /** Runs the benchmark as `perf-budgets run` does (spec on stdin), against a recording server. */
  async function runAgainstServer(extra: string, env: NodeJS.ProcessEnv) {
    const server = await recordingServer();
    try {
      const output = new PassThrough();
      let text = '';
      output.on('data', (d: Buffer) => (text += d.toString()));
      const exit = await runBenchmarkProcess(benchAt(server.url, extra), dir, { env, output });
      assert.equal(exit, 0, text);
      assert.ok(server.requests.length > 0);
      return { requests: server.requests, senders: server.senders, text };
    } finally {
      await server.close();
    }
  }

  it('the running child (spec on stdin) shows no header value in /proc/PID/cmdline or /proc/PID/environ', async () => {
    const { requests, senders, text } = await runAgainstServer(literalOnly, process.env);
    assert.ok(requests.every((h) => h['x-literal'] === LITERAL));
    const child = senders.find((s) => s.cmdline.includes('httpBenchMain'));
    assert.ok(child, `the benchmark child among ${JSON.stringify(senders.map((s) => s.cmdline))}`);
    assert.ok(!child.cmdline.includes(LITERAL), child.cmdline);
    assert.ok(!child.environ.includes(LITERAL), 'the spec is not in the environment either (it came on stdin)');
    assert.ok(!text.includes(LITERAL), text);
  });

  it('a header naming an environment variable reaches the server with the variable\'s value (and the prefix), shown nowhere', async () => {
    const { requests, senders, text } = await runAgainstServer('', { ...process.env, PB_TEST_API_TOKEN: TOKEN });
    for (const h of requests) {
      assert.equal(h['x-literal'], LITERAL);
      assert.equal(h.authorization, `Bearer ${TOKEN}`);
    }
    const child = senders.find((s) => s.cmdline.includes('httpBenchMain'));
    assert.ok(child && !child.cmdline.includes(TOKEN) && !child.environ.includes(HTTP_SPEC_ENV), child?.cmdline);
    assert.ok(!text.includes(TOKEN), text);
  });

  it('with the spec in PERF_BUDGETS_HTTP_SPEC (as the VS Code task passes it), the service started does not inherit it', async () => {
    // The service: a shell that records whether it sees the variable, then the fixture server.
    const port = await freePort();
    const marker = path.join(dir, 'service-env.txt');
    const bench = benchAt(
      `http://127.0.0.1:${port}`,
      JSON.stringify({
        start: `echo "\${${HTTP_SPEC_ENV}:-unset}" > '${marker}'; exec node '${ROOT}/test/fixtures/server/server.mjs' ${port}`,
        requests: [{ handler: 'GET /api/fast', path: '/api/fast', headers: { 'x-literal': LITERAL } }],
      }),
    );
    const cmd = httpBenchCommand(bench, dir, []);
    const child = spawn(cmd.command, cmd.args, { cwd: cmd.cwd, env: { ...process.env, ...cmd.env, [HTTP_SPEC_ENV]: cmd.spec }, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr.on('data', (d: Buffer) => (text += d.toString()));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Its stdin is closed here: the spec can only have come from the variable.
    const cmdline = await new Promise<string>((resolve) => setTimeout(() => resolve(readFileSync(`/proc/${child.pid}/cmdline`, 'utf8')), 200));
    const code = await closed;
    assert.equal(code, 0, text);
    assert.ok(!cmdline.includes(LITERAL), cmdline);
    assert.equal(readFileSync(marker, 'utf8').trim(), 'unset');
    assert.match(text, /GET \/api\/fast: \d+ requests/);
    assert.ok(!text.includes(LITERAL), text);
  });

  it('a header naming a variable that is not set fails the run before anything starts, naming the header and the variable', async () => {
    const server = await recordingServer();
    try {
      const output = new PassThrough();
      let text = '';
      output.on('data', (d: Buffer) => (text += d.toString()));
      const env = { ...process.env };
      delete env.PB_TEST_API_TOKEN;
      const bench = benchAt(server.url, JSON.stringify({ start: `touch '${path.join(dir, 'started')}'` }));
      const exit = await runBenchmarkProcess(bench, dir, { env, output });
      assert.equal(exit, 2, text);
      const errorLines = text.split('\n').filter((l) => l.startsWith('httpbench:'));
      assert.deepEqual(errorLines, [
        'httpbench: perf-budgets.json: benchmark "api", request "GET /a": header "authorization" reads the environment variable PB_TEST_API_TOKEN, which is not set',
      ]);
      assert.equal(server.requests.length, 0);
      assert.equal(existsSync(path.join(dir, 'started')), false, 'the service was not started');
    } finally {
      await server.close();
    }
  });

  it('an empty variable (how CI passes a secret it lacks) or one with a line break is refused without showing the value', () => {
    const request = benchAt('http://127.0.0.1:9').http!.requests[0]!;
    assert.throws(() => resolveHeaders('api', request, { PB_TEST_API_TOKEN: '' }), /header "authorization" reads the environment variable PB_TEST_API_TOKEN, which is empty$/);
    assert.throws(
      () => resolveHeaders('api', request, { PB_TEST_API_TOKEN: 'abc\r\nx-evil: 1' }),
      (e: Error) => /PB_TEST_API_TOKEN, whose value contains a line break$/.test(e.message) && !e.message.includes('abc'),
    );
    assert.deepEqual(resolveHeaders('api', request, { PB_TEST_API_TOKEN: TOKEN }), { 'x-literal': LITERAL, authorization: `Bearer ${TOKEN}` });
  });

  it('the config checks an env-named header: a variable name, and no line break in the prefix', () => {
    const bad = (headers: unknown) => () =>
      parseConfig(JSON.stringify({ budgets: {}, benchmarks: { b: { http: { baseUrl: 'http://127.0.0.1:1', requests: [{ handler: 'h', path: '/', headers }] } } } }), 'perf-budgets.json');
    assert.throws(bad({ authorization: { env: 'API-TOKEN' } }), /headers\.authorization.*expected an environment variable name/);
    assert.throws(bad({ authorization: { env: 'T', prefix: 'Bearer\n' } }), /a header name or value contains a line break/);
    assert.throws(bad({ authorization: { env: 'T', other: 1 } }), /headers\.authorization/);
  });
});

describe('built-in HTTP benchmark: the child refuses a remote host the user did not allow', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'pb-http-proc-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('"allowRemote" alone is refused before the service starts or a request is sent; with the host allowed it runs', async () => {
    // 127.0.0.2: loopback to the kernel (nothing leaves the machine), not one of the loopback names.
    const server = await recordingServer('127.0.0.2');
    try {
      const bench = benchAt(server.url, JSON.stringify({ allowRemote: true, start: `touch '${path.join(dir, 'started')}'`, requests: [{ handler: 'GET /a', path: '/a' }] }));
      const spec = { benchmark: 'api', workspace: dir, cwd: dir, http: bench.http! };
      await assert.rejects(
        runHttpBenchmark(spec, () => {}),
        /^InputError: perf-budgets\.json: benchmark "api" would send requests to 127\.0\.0\.2, which is not loopback; .*perfBudgets\.http\.allowRemoteHosts.*--allow-remote/,
      );
      assert.equal(server.requests.length, 0);
      assert.equal(existsSync(path.join(dir, 'started')), false);
      // Allowed (and without the start command, which only marks whether anything started): it runs.
      const out = await runHttpBenchmark({ ...spec, http: { ...bench.http!, start: undefined }, allowedRemoteHosts: ['127.0.0.2'] }, () => {});
      assert.ok(out.handlers[0]!.requests > 0);
      assert.ok(server.requests.length > 0);
    } finally {
      await server.close();
    }
  });
});
