// The process part of the editor's benchmark tasks (src/node/taskProcess.ts), with real child
// processes: exit codes, the bounded stderr tail, the reason line, and a process group stopped
// as a whole (checked by its PIDs being gone).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ProcessRefused, setProcessPolicy } from '../../../src/node/processGate';
import { alive, gone } from './processAlive';
import { lastTextLine, LineRing, shownLine, startTaskProcess, type TaskProcess, terminalEnv } from '../../../src/node/taskProcess';

const node = (script: string) => ({ file: process.execPath, args: ['-e', script] });
const shellNode = (script: string) => ({ shell: `${JSON.stringify(process.execPath)} -e ${JSON.stringify(script)}` });

/** Starts `command`, collecting stdout; resolves once stdout has matched `ready` (or rejects when the process ends first). */
async function started(command: Parameters<typeof startTaskProcess>[1], ready: RegExp, graceMs?: number): Promise<{ proc: TaskProcess; stdout: () => string; match: RegExpMatchArray }> {
  let out = '';
  let wake = () => {};
  const proc = startTaskProcess('test', command, { cwd: process.cwd(), env: process.env, onStdout: (t) => ((out += t), wake()), ...(graceMs ? { graceMs } : {}) });
  let ended = false;
  void proc.ended.then(() => ((ended = true), wake()));
  for (;;) {
    const m = out.match(ready);
    if (m) return { proc, stdout: () => out, match: m };
    if (ended) throw new Error(`ended before printing ${ready}: ${out}`);
    await new Promise<void>((r) => (wake = r));
  }
}

describe('startTaskProcess', function () {
  this.timeout(30_000);

  it('a command that prints to stderr and exits 2: exit code 2, its stdout as it came, its last stderr lines', async () => {
    let stdout = '';
    let stderr = '';
    const proc = startTaskProcess('test', shellNode("console.log('starting'); console.error('warming up'); console.error('\\x1b[31mError: Cannot find module \\'express\\'\\x1b[0m'); process.exit(2)"), {
      cwd: process.cwd(),
      env: process.env,
      onStdout: (t) => (stdout += t),
      onStderr: (t) => (stderr += t),
    });
    assert.ok(proc.pid && proc.pid > 0);
    const end = await proc.ended;
    assert.equal(end.exitCode, 2);
    assert.equal(end.signal, null);
    assert.equal(end.stopped, undefined);
    assert.equal(stdout, 'starting\n');
    assert.equal(stderr, "warming up\n\x1b[31mError: Cannot find module 'express'\x1b[0m\n");
    assert.deepEqual(end.stderrTail, ['warming up', "\x1b[31mError: Cannot find module 'express'\x1b[0m"]);
    assert.equal(lastTextLine(end.stderrTail), "Error: Cannot find module 'express'");
  });

  it('keeps only the last 20 stderr lines of 5000 (bounded), and an unterminated last line', async () => {
    const end = await startTaskProcess('test', node("for (let i = 1; i <= 5000; i++) process.stderr.write('line ' + i + '\\n'); process.stderr.write('no newline'); process.exitCode = 3"), {
      cwd: process.cwd(),
      env: process.env,
    }).ended;
    assert.equal(end.exitCode, 3);
    assert.deepEqual(end.stderrTail, [...Array.from({ length: 19 }, (_, i) => `line ${4982 + i}`), 'no newline']);
  });

  it('exit code 0 with nothing on stderr: an empty tail', async () => {
    const end = await startTaskProcess('test', { shell: 'exit 0' }, { cwd: process.cwd(), env: process.env }).ended;
    assert.deepEqual(end, { exitCode: 0, signal: null, stderrTail: [] });
  });

  it('a program that does not exist: exit code 127 and why', async () => {
    const end = await startTaskProcess('test', { file: '/nonexistent/perf-budgets-bench', args: [] }, { cwd: process.cwd(), env: process.env }).ended;
    assert.equal(end.exitCode, 127);
    assert.match(end.error ?? '', /ENOENT/);
  });

  it('terminate stops the whole process group: the shell, its node and that node\'s child are all gone', async () => {
    // sh -c "node -e …; true" keeps the shell as the parent; the node starts a grandchild that sleeps.
    const script = "const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' }); console.log('pids ' + process.pid + ' ' + c.pid); setTimeout(() => {}, 60000)";
    const { proc, match } = await started({ shell: `${JSON.stringify(process.execPath)} -e ${JSON.stringify(script)}; true` }, /pids (\d+) (\d+)\n/);
    const [shell, child, grandchild] = [proc.pid!, Number(match[1]), Number(match[2])];
    assert.notEqual(shell, child, 'the shell stays the parent');
    for (const pid of [shell, child, grandchild]) assert.ok(alive(pid), `${pid} runs before terminate`);
    const t0 = Date.now();
    proc.stop('terminate');
    const end = await proc.ended;
    assert.equal(end.stopped, 'terminate');
    assert.equal(end.signal, 'SIGTERM');
    assert.equal(end.exitCode, 143);
    for (const pid of [shell, child, grandchild]) await gone(pid, 3000);
    assert.ok(Date.now() - t0 < 3000, `stopped in ${Date.now() - t0} ms`);
  });

  it('a group that ignores SIGTERM is killed (SIGKILL) after the grace period, not before', async () => {
    const script = "process.on('SIGTERM', () => console.log('ignored')); console.log('pid ' + process.pid); setInterval(() => {}, 1000)";
    const { proc, stdout } = await started(node(script), /pid \d+\n/, 800);
    const t0 = Date.now();
    proc.stop('terminate');
    const end = await proc.ended;
    const took = Date.now() - t0;
    assert.equal(end.signal, 'SIGKILL');
    assert.equal(end.exitCode, 137);
    assert.match(stdout(), /ignored/);
    assert.ok(took >= 700 && took < 5000, `killed ${took} ms after SIGTERM (grace 800 ms)`);
    await gone(proc.pid!, 1000);
  });

  it('interrupt sends SIGINT (Ctrl-C) to the group', async () => {
    const script = "process.on('SIGINT', () => { console.error('interrupted'); process.exit(130); }); console.log('ready'); setInterval(() => {}, 1000)";
    const { proc } = await started(node(script), /ready\n/);
    proc.stop('interrupt');
    const end = await proc.ended;
    assert.equal(end.stopped, 'interrupt');
    assert.equal(end.exitCode, 130);
    assert.deepEqual(end.stderrTail, ['interrupted']);
  });

  it('what is left of its group when it exits (a child holding its output open) is stopped, and the end comes at once', async () => {
    const script = "const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit' }); console.log('child ' + c.pid); process.exit(4)";
    let out = '';
    const t0 = Date.now();
    const end = await startTaskProcess('test', node(script), { cwd: process.cwd(), env: process.env, onStdout: (t) => (out += t) }).ended;
    assert.equal(end.exitCode, 4);
    assert.ok(Date.now() - t0 < 5000, `ended ${Date.now() - t0} ms after it started`);
    const child = Number(/child (\d+)/.exec(out)?.[1]);
    assert.ok(child > 0, out);
    await gone(child, 3000);
  });

  it('when this process (the extension host) exits, the group it started is stopped too', async () => {
    const module = path.resolve(__dirname, '../../../src/node/taskProcess.ts');
    const script = `const { startTaskProcess } = require(${JSON.stringify(module)});
      const p = startTaskProcess('test', { file: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'] }, { cwd: process.cwd(), env: process.env });
      console.log(p.pid);
      setTimeout(() => process.exit(0), 300);`;
    const parent = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 20_000 });
    assert.equal(parent.status, 0, parent.stderr);
    const pid = Number(parent.stdout.trim());
    assert.ok(pid > 0, parent.stdout);
    await gone(pid, 3000);
  });

  it('asks the process gate first: refused, nothing starts', () => {
    const restore = setProcessPolicy(() => 'this workspace is not trusted (Restricted Mode)');
    try {
      assert.throws(() => startTaskProcess('benchmark "api"', { shell: 'touch /tmp/perf-budgets-must-not-exist' }, { cwd: process.cwd(), env: process.env }), (e: unknown) => {
        assert.ok(e instanceof ProcessRefused);
        assert.equal(e.message, 'not running benchmark "api": this workspace is not trusted (Restricted Mode)');
        return true;
      });
    } finally {
      restore();
    }
  });
});

describe('LineRing', () => {
  it('keeps the last N lines across chunks split anywhere, CRLF as LF', () => {
    const ring = new LineRing(3);
    for (const chunk of ['a\r', '\nb', 'b\nc\n', 'd\ne']) ring.push(chunk);
    assert.deepEqual(ring.tail(), ['c', 'd', 'e']);
    ring.push('\n');
    assert.deepEqual(ring.tail(), ['c', 'd', 'e']);
  });

  it('cuts an over-long line and drops the rest of it as it comes', () => {
    const ring = new LineRing(5, 10);
    ring.push('x'.repeat(7));
    ring.push('y'.repeat(1_000_000));
    ring.push('z\nshort\n');
    assert.deepEqual(ring.tail(), ['xxxxxxxyyy…', 'short']);
  });
});

describe('the reason line', () => {
  it('is the last line with text: escapes, overwritten progress and control characters removed, trimmed', () => {
    assert.equal(lastTextLine(['Error: first', '\x1b[1;31mbench: the service did not start: port 1 refused\x1b[0m  ', '', '   ', '\x1b[0m']), 'bench: the service did not start: port 1 refused');
    assert.equal(lastTextLine(['progress 10%\rprogress 20%\rError: x\r']), 'Error: x');
    assert.equal(lastTextLine(['\x1b]0;title\x07a\tb\x00c']), 'a\tbc');
    assert.equal(lastTextLine([]), undefined);
    assert.equal(lastTextLine(['', ' \x1b[0m ']), undefined);
  });

  it('is cut to 200 characters with "…"', () => {
    const line = lastTextLine(['E'.repeat(500)]);
    assert.equal(line, `${'E'.repeat(199)}…`);
    assert.equal(line?.length, 200);
  });

  it('shownLine keeps indentation (stack frames in the log)', () => {
    assert.equal(shownLine('    at main (bench.js:3:9)'), '    at main (bench.js:3:9)');
  });
});

describe('terminalEnv', () => {
  it("drops the extension host's own variables, as VS Code does for a terminal, and keeps the rest", () => {
    const env = terminalEnv({ PATH: '/bin', ELECTRON_RUN_AS_NODE: '1', VSCODE_IPC_HOOK: '/tmp/x.sock', VSCODE_PORTABLE: '/p', PERF_BUDGETS_REPO: '/r', HOME: '/h' });
    assert.deepEqual(env, { PATH: '/bin', VSCODE_PORTABLE: '/p', PERF_BUDGETS_REPO: '/r', HOME: '/h' });
  });
});
