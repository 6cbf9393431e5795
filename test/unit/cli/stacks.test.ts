// Issue #15's acceptance: in five small workspaces of different stacks (test/fixtures/stacks/),
// `perf-budgets init --yes` followed by `check` — or `run`, where the built-in benchmark must
// generate the load — gives every discovered route a budget and every budget a verdict, none
// "missing". The result files are committed (real runs, see each workspace's README.md), so the
// check-only cases need no load tool; express-npm's `run` starts the service with node.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { ROOT } from '../helpers';
import { cli, type Outcome } from './run';

const STACKS = path.join(ROOT, 'test/fixtures/stacks');

/** A route as discovery reports it: method (null for Go's method-less net/http patterns) and path with ":name" parameters. */
interface Route {
  method: string | null;
  path: string;
}

interface Stack {
  name: string;
  /** What follows init: `check` reads the committed results; `run` generates them with the built-in benchmark. */
  then: 'check' | 'run';
  routes: Route[];
  /** Each must match one line init printed about what it found (the load tool, the result files, the start command). */
  found: RegExp[];
  /** The copy needs the repository's node_modules beside its package.json (Express, Koa). */
  nodeModules?: boolean;
  /** Programs the case runs, with the Debian package that provides each: skipped with that name when one is missing. */
  needs?: Array<{ program: string; apt: string }>;
  /** A port the service listens on, free before the case and closed again after it. */
  port?: number;
}

const r = (method: string | null, p: string): Route => ({ method, path: p });

const CASES: Stack[] = [
  {
    name: 'fastapi-locust',
    then: 'check',
    routes: [r('GET', '/health'), r('GET', '/api/products'), r('GET', '/api/orders'), r('GET', '/api/orders/:order_id'), r('POST', '/api/orders')],
    found: [/locust.*load\/locustfile\.py/i, /perf\/results\/locust_stats\.csv/],
  },
  {
    name: 'express-npm',
    then: 'run',
    routes: [r('GET', '/health'), r('GET', '/api/items'), r('GET', '/api/items/:id'), r('GET', '/api/categories')],
    found: [/server\.js/, /package\.json.*start|npm start|node server\.js/],
    nodeModules: true,
    needs: [{ program: 'npm', apt: 'npm' }],
    port: 38473,
  },
  {
    name: 'flask-k6',
    then: 'check',
    routes: [r('GET', '/health'), r('GET', '/api/users'), r('GET', '/api/users/:user_id'), r('POST', '/api/users')],
    found: [/k6.*load\/script\.js/i, /perf\/results\/k6\.json/],
  },
  {
    name: 'go-hey',
    then: 'check',
    routes: [r(null, '/health'), r(null, '/api/stock'), r(null, '/api/stock/item'), r(null, '/api/reorder')],
    found: [/hey.*Makefile/i, /perf\/results\/hey-[\w-]+\.csv/],
  },
  {
    name: 'koa-jmeter',
    then: 'check',
    routes: [r('GET', '/health'), r('GET', '/api/products'), r('GET', '/api/products/:id'), r('POST', '/api/cart')],
    found: [/jmeter.*load\/plan\.jmx/i, /perf\/results\/jmeter\.jtl/],
    nodeModules: true,
  },
];

/** "GET /api/orders/{order_id}" -> { method: "GET", path: "/api/orders/:" }: parameters in any notation, names dropped. */
function routeOf(handler: string): { method: string | null; path: string } | null {
  const m = /^(?:([A-Za-z]+)\s+)?(\/\S*)$/.exec(handler.trim());
  if (!m) return null;
  const segs = m[2]!
    .split('/')
    .filter((s) => s !== '')
    .map((s) => (/^(:\w+\??|\{[^}]*\}|<[^>]*>|\[[^\]]*\])$/.test(s) ? ':' : s));
  return { method: m[1] ? m[1].toUpperCase() : null, path: `/${segs.join('/')}` };
}

/** Does a budget key stand for this discovered route? A method-less route takes a key with any method or none. */
function budgetIsFor(handler: string, route: Route): boolean {
  const b = routeOf(handler);
  const want = routeOf(route.path)!;
  if (!b || b.path !== want.path) return false;
  return route.method === null || b.method === route.method;
}

function missingProgram(needs: Stack['needs']): string | null {
  for (const n of needs ?? []) {
    const found = spawnSync('sh', ['-c', `command -v ${n.program}`], { encoding: 'utf8' });
    if (found.status !== 0) return `${n.program} is not installed; install it with: apt-get install -y ${n.apt}`;
  }
  return null;
}

/** True when something accepts a connection on 127.0.0.1:port (within 2 s). */
function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function show(o: Outcome): string {
  return `exit ${o.code}\n--- stdout\n${o.stdout}\n--- stderr\n${o.stderr}`;
}

describe('perf-budgets init on five stacks (test/fixtures/stacks/), then check or run', function () {
  this.timeout(180_000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  for (const stack of CASES) {
    const label = `${stack.name}: init --yes, then ${stack.then} gives every route a verdict, none missing${stack.needs ? ` (needs ${stack.needs.map((n) => n.program).join(', ')})` : ''}`;
    it(label, async function () {
      const missing = missingProgram(stack.needs);
      if (missing) {
        console.log(`    skipped: ${missing}`);
        this.skip();
      }
      const root = mkdtempSync(path.join(os.tmpdir(), `pb-stack-${stack.name}-`));
      dirs.push(root);
      const ws = path.join(root, 'workspace');
      cpSync(path.join(STACKS, stack.name), ws, { recursive: true });
      assert.ok(!existsSync(path.join(ws, 'perf-budgets.json')), 'the fixture must not hold a perf-budgets.json');
      if (stack.nodeModules) symlinkSync(path.join(ROOT, 'node_modules'), path.join(ws, 'node_modules'), 'dir');
      if (stack.port !== undefined) assert.equal(await portOpen(stack.port), false, `port ${stack.port} is in use before the test: stop what listens there`);

      const init = await cli(['init', '--yes'], ws);
      assert.equal(init.code, 0, `init --yes\n${show(init)}`);
      const lines = `${init.stdout}\n${init.stderr}`.split('\n');
      for (const re of stack.found) assert.ok(lines.some((l) => re.test(l)), `init printed no line matching ${re}\n${show(init)}`);
      const configFile = path.join(ws, 'perf-budgets.json');
      assert.ok(existsSync(configFile), `init wrote no perf-budgets.json\n${show(init)}`);
      const text = readFileSync(configFile, 'utf8');
      const config = parseConfig(text, 'perf-budgets.json');

      // A budget for every discovered route, exactly one, and none for anything else.
      const keys = config.budgets.map((b) => b.handler);
      for (const route of stack.routes) {
        const mine = keys.filter((k) => budgetIsFor(k, route));
        assert.equal(mine.length, 1, `${route.method ?? '(any)'} ${route.path}: ${mine.length} budgets (${mine.join(', ')}); keys: ${keys.join(', ')}\n${text}`);
      }
      const extra = keys.filter((k) => !stack.routes.some((route) => budgetIsFor(k, route)));
      assert.deepEqual(extra, [], `budgets for no discovered route\n${text}`);

      const judged = await cli([stack.then, '--report', 'json'], ws);
      assert.ok(judged.code === 0 || judged.code === 1, `${stack.then} --report json\n${show(judged)}\n--- perf-budgets.json\n${text}`);
      // The built-in benchmark started the service through the config's "start": the runner stopped it.
      if (stack.port !== undefined) assert.equal(await portOpen(stack.port), false, `port ${stack.port} still open after ${stack.then}: the service was not stopped`);
      const verdicts = (JSON.parse(judged.stdout) as { verdicts: Array<{ handler: string; metric: string; status: string }> }).verdicts;
      for (const key of keys) {
        const mine = verdicts.filter((v) => v.handler === key);
        assert.ok(mine.length > 0, `${key}: no verdict\n${judged.stdout}`);
        const missingMetrics = mine.filter((v) => v.status === 'missing').map((v) => v.metric);
        assert.deepEqual(missingMetrics, [], `${key}: metrics "missing"\n${judged.stdout}\n--- stderr\n${judged.stderr}\n--- perf-budgets.json\n${text}`);
      }
    });
  }
});
