// perf-budgets init in temp folders: refusals, --force's backup, --dry-run, a broken script
// skipped, init --yes then check giving every route a verdict, and the questions on a terminal.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { requireTools } from '../../rig/tools.cjs';
import { builtFile } from '../helpers';
import { cli } from './run';

const LOCUST_HEADER = 'Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%';

/** A small FastAPI service with a Locust file and the CSV a Locust run wrote. */
function fastapiLocust(dir: string): void {
  mkdirSync(path.join(dir, 'app'));
  mkdirSync(path.join(dir, 'load'));
  mkdirSync(path.join(dir, 'perf/results'), { recursive: true });
  writeFileSync(
    path.join(dir, 'app/main.py'),
    `from fastapi import FastAPI\napp = FastAPI()\n\n@app.get("/health")\ndef health():\n    return {"ok": True}\n\n@app.get("/api/orders")\ndef orders():\n    return []\n\n@app.get("/api/orders/{order_id}")\ndef order(order_id: int):\n    return {"id": order_id}\n`,
  );
  writeFileSync(
    path.join(dir, 'load/locustfile.py'),
    `from locust import HttpUser, task\n\nclass Api(HttpUser):\n    host = "http://127.0.0.1:8000"\n\n    @task\n    def all(self):\n        self.client.get("/health")\n        self.client.get("/api/orders")\n        self.client.get("/api/orders/7", name="/api/orders/[id]")\n`,
  );
  writeFileSync(
    path.join(dir, 'perf/results/locust_stats.csv'),
    `${LOCUST_HEADER}
GET,/health,200,0,2,2.1,1.0,9.0,11.0,10.0,0.0,2,2,2,3,3,4,5,6,9,9,9
GET,/api/orders,200,0,40,41.0,20.0,95.0,17.0,10.0,0.0,40,45,50,55,70,87,90,92,95,95,95
GET,/api/orders/[id],200,2,10,10.5,5.0,30.0,12.0,10.0,0.1,10,11,12,13,15,18,20,25,30,30,30
,Aggregated,600,2,10,17.0,1.0,95.0,13.0,30.0,0.1,10,12,14,16,40,80,88,90,95,95,95
`,
  );
}

describe('perf-budgets init', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'perf-budgets-init-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 2 in a folder with nothing to go on, and writes nothing', async () => {
    writeFileSync(path.join(dir, 'README.md'), '# notes\n');
    writeFileSync(path.join(dir, 'data.csv'), 'a,b\nx,y\n');
    const r = await cli(['init', '--yes'], dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^perf-budgets: nothing to set up here: no routes in the source files, no load-test script or command, no result files\./m);
    assert.match(r.stderr, /^perf-budgets: no start command found \(looked in package\.json, Procfile, Makefile, Dockerfile, pyproject\.toml/m);
    assert.equal(r.stdout, '');
    assert.deepEqual(readdirSync(dir).sort(), ['README.md', 'data.csv']);
  });

  it('refuses with exit 2 when perf-budgets.json exists, and leaves it byte for byte', async () => {
    fastapiLocust(dir);
    const old = Buffer.from('// mine\n{ "budgets": { "x": { "p95": "1ms" } } }\n\u00e9\r\n', 'utf8');
    writeFileSync(path.join(dir, 'perf-budgets.json'), old);
    const r = await cli(['init', '--yes'], dir);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'perf-budgets: perf-budgets.json already exists; use --force (keeps a backup)\n');
    assert.deepEqual(readFileSync(path.join(dir, 'perf-budgets.json')), old);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('perf-budgets.json')), ['perf-budgets.json']);
  });

  it('--force writes the proposal and keeps the old bytes in perf-budgets.json.bak-<time>', async () => {
    fastapiLocust(dir);
    const old = Buffer.from('{ "budgets": {} }\n', 'utf8');
    writeFileSync(path.join(dir, 'perf-budgets.json'), old);
    const r = await cli(['init', '--yes', '--force'], dir);
    assert.equal(r.code, 0, r.stderr);
    const backups = readdirSync(dir).filter((f) => /^perf-budgets\.json\.bak-\d{8}T\d{6}Z$/.test(f));
    assert.equal(backups.length, 1);
    assert.deepEqual(readFileSync(path.join(dir, backups[0]!)), old);
    assert.match(r.stderr, new RegExp(`^perf-budgets: kept the previous file as ${backups[0]!.replace(/\./g, '\\.')}$`, 'm'));
    assert.match(readFileSync(path.join(dir, 'perf-budgets.json'), 'utf8'), /"GET \/api\/orders\/\{order_id\}": \{ "p95": "30ms", "errorRate": "1\.5%" \}/);
  });

  it('--dry-run prints the file on stdout and writes nothing', async () => {
    fastapiLocust(dir);
    const before = readdirSync(dir).sort();
    const r = await cli(['init', '--dry-run'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\/\/ perf-budgets\.json, proposed by `perf-budgets init`/);
    assert.match(r.stdout, /"locust": \{/);
    assert.match(r.stderr, /^perf-budgets: --dry-run: nothing written$/m);
    assert.deepEqual(readdirSync(dir).sort(), before);
    assert.equal(existsSync(path.join(dir, 'perf-budgets.json')), false);
  });

  it('reports a load script it cannot parse, skips it, and goes on', async () => {
    fastapiLocust(dir);
    writeFileSync(path.join(dir, 'load/broken.js'), "import http from 'k6/http';\nexport default function () {\n  http.get('http://127.0.0.1:8000/health';\n}\n");
    const r = await cli(['init', '--yes'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^perf-budgets: load\/broken\.js: could not be parsed: "\}" at line 4 does not close the bracket opened at line 3; skipped$/m);
    const text = readFileSync(path.join(dir, 'perf-budgets.json'), 'utf8');
    assert.doesNotMatch(text, /k6/);
  });

  it('init --yes then check: every route of a FastAPI + Locust-CSV folder gets a verdict', async () => {
    fastapiLocust(dir);
    const init = await cli(['init', '--yes'], dir);
    assert.equal(init.code, 0, init.stderr);
    assert.equal(init.stdout, 'wrote perf-budgets.json (3 budgets, 1 benchmark); next: perf-budgets run (or check)\n');
    for (const line of [
      'found routes: 3 in app/main.py (fastapi)',
      'found health route: GET /health',
      'found load test: locust in load/locustfile.py (host http://127.0.0.1:8000)',
      'found start: python3 -m uvicorn app.main:app --host 127.0.0.1 --port 8000 from app/main.py (FastAPI app), port 8000',
      'found results: perf/results/locust_stats.csv (locust-csv, 3 series)',
    ]) {
      assert.ok(init.stderr.includes(`perf-budgets: ${line}\n`), `missing "${line}" in:\n${init.stderr}`);
    }
    const check = await cli(['check', '--report', 'json', '--no-baseline'], dir);
    assert.equal(check.code, 0, check.stderr);
    const report = JSON.parse(check.stdout) as { verdicts: Array<{ handler: string; metric: string; status: string; value: number | null; budget: number }> };
    const verdicts: Record<string, unknown[]> = {};
    for (const v of report.verdicts) (verdicts[v.handler] ??= []).push([v.metric, v.status, v.value, v.budget]);
    assert.deepEqual(verdicts, {
      'GET /health': [['p95', 'pass', 4, 6], ['errorRate', 'pass', 0, 0.01]],
      'GET /api/orders': [['p95', 'pass', 87, 150], ['errorRate', 'pass', 0, 0.01]],
      'GET /api/orders/{order_id}': [['p95', 'pass', 18, 30], ['errorRate', 'pass', 0.01, 0.015]],
    });
  });
  it('on a terminal, Enter at every question writes what --yes writes (the built CLI in a pseudo-terminal)', async function () {
    this.timeout(90_000);
    requireTools(this, ['script']);
    const cliJs = builtFile('dist/cli.js');
    fastapiLocust(dir);
    const other = mkdtempSync(path.join(tmpdir(), 'pb-init-yes-'));
    try {
      fastapiLocust(other);
      assert.equal((await cli(['init', '--yes'], other)).code, 0);
      // script(1) gives the CLI a terminal; each question is answered once it is on screen.
      const child = spawn('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(cliJs)} init`, '/dev/null'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
      let screen = '';
      child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
      child.stderr.on('data', (d: Buffer) => (screen += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      const questions = ['Benchmarks to enable', 'Handlers to budget', 'p95 budget of handlers without results', 'Error-rate budget', 'Write perf-budgets.json?'];
      try {
        for (const q of questions) {
          const deadline = Date.now() + 30_000;
          while (!screen.includes(q)) {
            if (Date.now() > deadline || child.exitCode !== null) assert.fail(`no question "${q}" on the terminal; it shows:\n${screen}`);
            await new Promise((r) => setTimeout(r, 20));
          }
          child.stdin.write('\r');
        }
        assert.equal(await exited, 0, screen);
      } finally {
        if (child.exitCode === null) child.kill();
      }
      assert.match(screen, /wrote perf-budgets\.json \(3 budgets, 1 benchmark\)/);
      assert.equal(readFileSync(path.join(dir, 'perf-budgets.json'), 'utf8'), readFileSync(path.join(other, 'perf-budgets.json'), 'utf8'));
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
