import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { languageOf, RouteIndex } from '../../../src/core/discovery';
import { discoverRoutes, type SourceFile } from '../../../src/node/discoverRoutes';
import { strangerWorkspace } from './strangerWorkspace';

const REPO = path.join(__dirname, '../../..');
const MAX = 2 << 20;
const HAS_MKFIFO = spawnSync('mkfifo', ['--version'], { stdio: 'ignore' }).error === undefined;

/** The source files under `dirs` (repository-relative keys). */
function sources(dirs: string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const abs = path.join(dir, e);
      if (e === 'node_modules') continue;
      if (statSync(abs).isDirectory()) walk(abs);
      else if (languageOf(abs)) out.push({ abs, rel: path.relative(REPO, abs).split(path.sep).join('/') });
    }
  };
  for (const d of dirs) walk(path.join(REPO, d));
  return out;
}

const scan = async (files: SourceFile[], workers: number, root: string | null = null) => {
  const index = new RouteIndex();
  const summary = await discoverRoutes(index, files, { root, maxBytes: MAX, workers });
  return { index, summary };
};

describe('discovery scan (discoverRoutes): worker threads and this thread give the same index', function () {
  this.timeout(60_000);
  const files = sources(['test/fixtures/discovery', 'test/fixtures/discovery-generated', 'test/fixtures/workspaces', 'examples']);
  const vendor = (f: SourceFile) => f.rel.startsWith('test/fixtures/discovery-generated/vendor/');

  it('indexes what updating a RouteIndex file by file gives, without the minified files, in workers and in-thread', async () => {
    // The reference: every file but the two known minified ones, read and updated one by one.
    const reference = new RouteIndex();
    for (const f of files) if (!vendor(f)) reference.update(f.rel, readFileSync(f.abs, 'utf8'));
    assert.ok(reference.all().length >= 50, `${reference.all().length} routes`);

    const inWorkers = await scan(files, 2);
    const inThread = await scan(files, 0);
    assert.equal(inWorkers.summary.inWorkers, true);
    assert.equal(inThread.summary.inWorkers, false);
    assert.deepEqual(inWorkers.index.all(), reference.all());
    assert.deepEqual(inThread.index.all(), reference.all());
    for (const { summary } of [inWorkers, inThread]) {
      assert.equal(summary.read, files.length);
      assert.deepEqual(summary.skipped.toJSON(), { 'minified name': 1, 'long lines': 1 });
    }
  });

  it('in reverse order too: the index does not depend on the order files arrive in', async () => {
    const forward = await scan(files, 0);
    const backward = await scan([...files].reverse(), 0);
    assert.deepEqual(backward.index.all(), forward.index.all());
  });

  describe('reads as the safe readers do', () => {
    const dirs = strangerWorkspace('pb-disc-');
    const stops: Array<() => void> = [];
    afterEach(() => {
      for (const stop of stops.splice(0)) stop();
    });
    const route = path.join(REPO, 'test/fixtures/discovery/express-ts/src/tracking.ts');

    it('never a FIFO, a link out of the root, or a file over the size cap; the rest is indexed', async function () {
      if (!HAS_MKFIFO) this.skip();
      // A scan that waited on the FIFO would outlast this; its writer lets a blocked reader go later.
      this.timeout(20_000);
      const { ws, victim } = dirs;
      copyFileSync(route, path.join(ws, 'ok.ts'));
      copyFileSync(route, path.join(victim, 'outside.ts'));
      symlinkSync(path.join(victim, 'outside.ts'), path.join(ws, 'link.ts'));
      writeFileSync(path.join(ws, 'big.ts'), `${readFileSync(route, 'utf8')}\n${'//'.padEnd(100, '-')}\n`.repeat(Math.ceil(MAX / 100)));
      const fifo = path.join(ws, 'pipe.ts');
      spawnSync('mkfifo', [fifo]);
      const writer = spawn('sh', ['-c', 'sleep 30; : > "$1"', 'sh', fifo], { stdio: 'ignore' });
      stops.push(() => writer.kill('SIGKILL'));
      const list = ['ok.ts', 'link.ts', 'big.ts', 'pipe.ts'].map((rel) => ({ abs: path.join(ws, rel), rel }));
      for (const workers of [1, 0]) {
        const { index, summary } = await scan(list, workers, ws);
        assert.equal(summary.inWorkers, workers > 0);
        assert.deepEqual([...new Set(index.all().map((r) => r.file))], ['ok.ts']);
      }
    });

    it('an abort stops the scan with the abort', async () => {
      copyFileSync(route, path.join(dirs.ws, 'ok.ts'));
      const list = Array.from({ length: 200 }, () => ({ abs: path.join(dirs.ws, 'ok.ts'), rel: 'ok.ts' }));
      for (const workers of [1, 0]) {
        const abort = new AbortController();
        abort.abort(new Error('stop'));
        await assert.rejects(discoverRoutes(new RouteIndex(), list, { root: dirs.ws, maxBytes: MAX, workers, signal: abort.signal }), /stop/);
      }
    });
  });
});
