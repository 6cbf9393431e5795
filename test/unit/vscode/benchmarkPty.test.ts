// The terminal of a benchmark task (src/vscode/benchmarkPty.ts) driven as VS Code drives a
// Pseudoterminal, over real processes: what it writes, the exit code it closes with, Ctrl-C and
// close() stopping the process group, and the process gate's refusal.
import * as assert from 'node:assert/strict';
import { setProcessPolicy } from '../../../src/node/processGate';
import { startTaskProcess, type TaskProcessEnd } from '../../../src/node/taskProcess';
import { BenchmarkPty } from '../../../src/vscode/benchmarkPty';
import { alive, gone } from '../node/processAlive';

function ptyOf(script: string) {
  let written = '';
  let pid: number | undefined;
  const ends: TaskProcessEnd[] = [];
  const pty = new BenchmarkPty(
    (output) => {
      const proc = startTaskProcess('benchmark "api"', { shell: `${JSON.stringify(process.execPath)} -e ${JSON.stringify(script)}` }, { cwd: process.cwd(), env: process.env, ...output });
      pid = proc.pid;
      return proc;
    },
    '$ node bench.js',
    (end) => ends.push(end),
  );
  const closed = new Promise<number | void>((resolve) => pty.onDidClose!(resolve));
  pty.onDidWrite((t) => (written += t));
  return { pty, closed, written: () => written, pid: () => pid, ends };
}

async function until(what: string, ok: () => boolean, withinMs = 10_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!ok()) {
    if (Date.now() > deadline) assert.fail(`no ${what} within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('BenchmarkPty', function () {
  this.timeout(30_000);

  it('writes the command and its output with \\r\\n line ends, closes with its exit code, and reports its stderr tail', async () => {
    const t = ptyOf("console.log('out 1\\nout 2'); console.error('bench: the service did not start: port 1 refused'); process.exit(2)");
    assert.equal(t.written(), '', 'nothing before open');
    const opened = Date.now();
    t.pty.open();
    assert.equal(await t.closed, 2);
    // Not within VS Code's 500 ms "failed to launch" window: it did launch.
    assert.ok(Date.now() - opened >= 500, `closed ${Date.now() - opened} ms after open`);
    // stdout and stderr are two pipes: their order between them is not fixed.
    assert.ok(t.written().startsWith('$ node bench.js\r\n\r\n'), JSON.stringify(t.written()));
    assert.ok(t.written().includes('out 1\r\nout 2\r\n'), JSON.stringify(t.written()));
    assert.ok(t.written().includes('bench: the service did not start: port 1 refused\r\n'), JSON.stringify(t.written()));
    assert.doesNotMatch(t.written(), /[^\r]\n/);
    assert.equal(t.ends.length, 1);
    assert.deepEqual(t.ends[0]!.stderrTail, ['bench: the service did not start: port 1 refused']);
  });

  it('Ctrl-C in the terminal stops the process group (SIGINT); other keys do nothing', async () => {
    const t = ptyOf("console.log('ready'); setInterval(() => {}, 1000)");
    t.pty.open();
    await until('"ready"', () => t.written().includes('ready'));
    t.pty.handleInput!('q');
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(alive(t.pid()!), 'a key other than Ctrl-C stops nothing');
    t.pty.handleInput!('\x03');
    assert.equal(await t.closed, 130);
    assert.equal(t.ends[0]!.stopped, 'interrupt');
    await gone(t.pid()!, 3000);
  });

  it('close() (task terminated, terminal closed) stops the process group; the PIDs are gone', async () => {
    const t = ptyOf("const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' }); console.log('child ' + c.pid); setTimeout(() => {}, 60000)");
    t.pty.open();
    await until('the child PID', () => /child \d+/.test(t.written()));
    const child = Number(/child (\d+)/.exec(t.written())![1]);
    assert.ok(alive(child));
    t.pty.close();
    await until('the end report', () => t.ends.length === 1, 5000);
    assert.equal(t.ends[0]!.stopped, 'terminate');
    await gone(t.pid()!, 3000);
    await gone(child, 3000);
  });

  it('in an untrusted workspace (the process gate refuses) nothing starts; the terminal says why and closes with 127', async () => {
    const restore = setProcessPolicy(() => 'this workspace is not trusted (Restricted Mode)');
    try {
      const t = ptyOf("require('fs').writeFileSync('must-not-exist.txt', 'ran')");
      t.pty.open();
      assert.equal(await t.closed, 127);
      assert.equal(t.pid(), undefined, 'no process');
      assert.ok(t.written().includes('not running benchmark "api": this workspace is not trusted (Restricted Mode)\r\n'), JSON.stringify(t.written()));
      assert.equal(t.ends[0]!.error, 'not running benchmark "api": this workspace is not trusted (Restricted Mode)');
    } finally {
      restore();
    }
  });
});
