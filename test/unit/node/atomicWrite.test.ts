import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { removeStaleTemps, STALE_TEMP_MS, writeFileAtomic } from '../../../src/node/atomicWrite';
import { mulberry32 } from '../helpers';

const ROOT = path.resolve(__dirname, '../../..');

/** A baseline-like JSON document of about `kb` KiB whose every entry carries `tag`. */
function bigBaseline(tag: string, kb: number): string {
  const series: Record<string, unknown> = {};
  for (let i = 0; series && JSON.stringify(series).length < kb * 1024; i++) {
    series[`GET /api/items/${i}`] = { tag, count: 1000 + i, p50: 1.5 + i, p95: 9.25 + i, p99: 20 + i, histogram: 'HISTFAAAA'.padEnd(200, tag[0]) };
  }
  return `${JSON.stringify({ version: 1, tag, series }, null, 2)}\n`;
}

describe('writeFileAtomic', function () {
  this.timeout(300_000); // 50 node processes and 2 MB fsynced writes: minutes on a loaded 2-core machine
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'pb-atomic-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const temps = (d: string) => readdirSync(d).filter((f) => f.endsWith('.tmp'));

  it('a writer killed at random moments (SIGKILL, 50 seeded kills) leaves the old or the new file, never a torn one; stale temporary files are cleaned', async () => {
    const work = path.join(dir, 'kill');
    const target = path.join(work, 'perf', 'baseline.json');
    const a = bigBaseline('A', 2048);
    const b = bigBaseline('B', 2304);
    writeFileAtomic(target, a);
    // The child: src/node/atomicWrite.ts bundled as is, writing A and B in turn until killed.
    const child = path.join(dir, 'writer.js');
    await esbuild.build({
      stdin: {
        contents: `const { writeFileAtomic } = require(${JSON.stringify(path.join(ROOT, 'src/node/atomicWrite.ts'))});
const fs = require('fs');
const [target, fa, fb] = process.argv.slice(2);
const a = fs.readFileSync(fa, 'utf8'), b = fs.readFileSync(fb, 'utf8');
process.stdout.write('ready\\n');
for (let i = 0; ; i++) writeFileAtomic(target, i % 2 ? b : a);`,
        resolveDir: ROOT,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: child,
      logLevel: 'warning',
    });
    writeFileSync(path.join(dir, 'a.json'), a);
    writeFileSync(path.join(dir, 'b.json'), b);

    const rnd = mulberry32(20240501);
    const seen = { A: 0, B: 0 };
    let midWrite = 0;
    for (let kill = 0; kill < 50; kill++) {
      const p = spawn(process.execPath, [child, target, path.join(dir, 'a.json'), path.join(dir, 'b.json')], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        p.once('error', reject);
        p.stdout!.once('data', () => resolve());
      });
      // 0-60 ms into the loop: before, during and after the write, the fsync and the rename.
      await new Promise((r) => setTimeout(r, Math.floor(rnd() * 60)));
      p.kill('SIGKILL');
      await new Promise((r) => p.once('exit', r));
      const text = readFileSync(target, 'utf8');
      assert.ok(text === a || text === b, `kill ${kill}: the file is torn (${text.length} bytes, ${text.slice(-40)})`);
      const doc = JSON.parse(text) as { tag: 'A' | 'B' };
      seen[doc.tag]++;
      // At most the one temporary file of the killed writer; the next writer removes it.
      if (temps(path.dirname(target)).length > 0) midWrite++;
      assert.ok(temps(path.dirname(target)).length <= 1, `kill ${kill}: temporary files ${temps(path.dirname(target)).join(', ')}`);
    }
    writeFileAtomic(target, a);
    assert.deepEqual(temps(path.dirname(target)), [], 'the next write removes what killed writers left');
    assert.equal(readFileSync(target, 'utf8'), a);
    console.log(`      50 kills: the file was A ${seen.A}x, B ${seen.B}x; ${midWrite} kills landed mid-write (a temporary file left)`);
  });

  it('removes temporary files of dead writers and old ones, keeps a live writer\'s recent one, leaves other files alone', () => {
    const d = path.join(dir, 'stale');
    const target = path.join(d, 'baseline.json');
    writeFileAtomic(target, '{}\n');
    const dead = path.join(d, '.baseline.json.999999999.0a1b2c.tmp'); // no such pid
    const live = path.join(d, `.baseline.json.${process.pid}.abcdef.tmp`);
    const oldLive = path.join(d, `.baseline.json.${process.ppid}.123456.tmp`);
    const other = path.join(d, '.other.json.999999999.0a1b2c.tmp');
    for (const f of [dead, live, oldLive, other]) writeFileSync(f, 'x');
    const old = (Date.now() - STALE_TEMP_MS - 60_000) / 1000;
    utimesSync(oldLive, old, old);
    assert.equal(removeStaleTemps(target), 2);
    assert.deepEqual(temps(d).sort(), [path.basename(other), path.basename(live)].sort());
    writeFileAtomic(target, '{"x":1}\n');
    assert.equal(readFileSync(target, 'utf8'), '{"x":1}\n');
    assert.deepEqual(temps(d).sort(), [path.basename(other), path.basename(live)].sort(), 'the write itself leaves no temporary file');
  });
});
