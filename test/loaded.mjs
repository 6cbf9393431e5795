#!/usr/bin/env node
// The test suites on a busy machine (issue #16): starts CPU-bound background processes (two by
// default, one per core of a 2-core CI machine), then runs `node test/run-all.mjs` several times in
// a row while they run. Prints each run's summary line and duration, stops at the first failed
// run, and exits non-zero if any run failed. The burners are started and stopped by PID, also on
// failure and on Ctrl-C; each also stops by itself when this script goes away or after --max-minutes.
//
//   node test/loaded.mjs [--runs 3] [--burners 2] [--only STAGE]... [--max-minutes M] [-- COMMAND...]
//
// --only unit|integration|e2e   run only that stage of run-all.mjs (repeatable; build and type-check always run)
// -- COMMAND...                 run COMMAND instead of run-all.mjs, e.g.
//                               node test/loaded.mjs --runs 2 -- node test/integration/run.mjs --grep Prometheus
// Each run's full output goes to test-results/loaded/run-N.log as well as to the terminal.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.join(REPO, 'test-results/loaded');

function parseArgs(argv) {
  const opts = { runs: 3, burners: 2, only: [], maxMinutes: undefined, command: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    const count = (v, min) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) usage(`${a}: expected a whole number ≥ ${min}, got "${v}"`);
      return n;
    };
    if (a === '--') {
      opts.command = argv.slice(i + 1);
      if (!opts.command.length) usage('-- needs a command');
      break;
    } else if (a === '--runs') opts.runs = count(value(), 1);
    else if (a === '--burners') opts.burners = count(value(), 0);
    else if (a === '--only') {
      const s = value();
      if (!['unit', 'integration', 'e2e'].includes(s)) usage(`--only: expected unit, integration or e2e, got "${s}"`);
      opts.only.push(s);
    } else if (a === '--max-minutes') opts.maxMinutes = count(value(), 1);
    else usage(`unknown argument "${a}"`);
  }
  // The burners' own deadline: a bound even if this script were killed with SIGKILL.
  opts.maxMinutes ??= opts.runs * 40;
  return opts;
}

function usage(problem) {
  console.error(`loaded: ${problem}\nusage: node test/loaded.mjs [--runs 3] [--burners 2] [--only unit|integration|e2e]... [--max-minutes M] [-- COMMAND...]`);
  process.exit(2);
}

const opts = parseArgs(process.argv.slice(2));
const command = opts.command ?? [process.execPath, path.join(REPO, 'test/run-all.mjs'), ...opts.only];

// A burner: busy for 50 ms slices (one core at ~100%), yielding in between only so that it notices
// its parent going away (the IPC channel closes) or SIGTERM; it also ends at its own deadline.
const BURNER = `
const end = Date.now() + Number(process.argv[1]) * 60000;
let n = 0;
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
(function slice() {
  const stop = Date.now() + 50;
  while (Date.now() < stop) n = (n * 1103515245 + 12345) % 2147483648;
  if (Date.now() < end) setImmediate(slice); else process.exit(0);
})();`;

const burners = [];
function startBurners() {
  for (let i = 0; i < opts.burners; i++) {
    const child = spawn(process.execPath, ['-e', BURNER, String(opts.maxMinutes)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.exited = false;
    child.on('exit', () => (child.exited = true));
    burners.push(child);
  }
  if (burners.length) console.log(`[loaded] ${burners.length} CPU-bound burner(s) running: pid ${burners.map((b) => b.pid).join(', ')} (each stops after ${opts.maxMinutes} min at most)`);
}

/** Stops every burner by its PID and waits until it has exited (SIGKILL after 5 s). */
async function stopBurners() {
  const live = burners.filter((b) => !b.exited);
  for (const b of live) process.kill(b.pid, 'SIGTERM');
  const deadline = Date.now() + 5000;
  while (live.some((b) => !b.exited) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const b of live.filter((x) => !x.exited)) process.kill(b.pid, 'SIGKILL');
  if (live.length) console.log(`[loaded] burner(s) stopped: pid ${live.map((b) => b.pid).join(', ')}`);
}

let current;
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (stopping) return;
    stopping = true;
    console.error(`[loaded] ${sig}: stopping the run and the burners`);
    // The run stops what it started (run-all.mjs forwards the signal to its stage), then exits.
    if (current && current.exitCode === null && current.signalCode === null) current.kill(sig);
    else void stopBurners().then(() => process.exit(130));
  });
}

/** The last `N passed, N failed, N skipped` line of a run (run-all.mjs's final line). */
const SUMMARY = /^(?:\[[\w-]+\] |\S+: )?\d+ passed, \d+ failed(?:, \d+ skipped)?$/;

function runOnce(k) {
  mkdirSync(OUT, { recursive: true });
  const logFile = path.join(OUT, `run-${k}.log`);
  const log = createWriteStream(logFile);
  const t0 = Date.now();
  console.log(`\n[loaded] ===== run ${k} of ${opts.runs}: ${command.map((c) => (c === process.execPath ? 'node' : path.isAbsolute(c) ? path.relative(REPO, c) : c)).join(' ')}`);
  return new Promise((resolve) => {
    let summary;
    let tail = '';
    const onData = (stream) => (d) => {
      stream.write(d);
      log.write(d);
      const lines = (tail + d.toString()).split('\n');
      tail = lines.pop();
      for (const l of lines) if (SUMMARY.test(l.replace(/\x1b\[[0-9;]*m/g, '').trim())) summary = l.trim();
    };
    current = spawn(command[0], command.slice(1), { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    current.stdout.on('data', onData(process.stdout));
    current.stderr.on('data', onData(process.stderr));
    current.on('error', (e) => {
      console.error(`[loaded] cannot start ${command[0]}: ${e.message}`);
    });
    current.on('close', (code, signal) => {
      if (SUMMARY.test(tail.trim())) summary = tail.trim();
      log.end();
      const seconds = (Date.now() - t0) / 1000;
      resolve({ k, code: code ?? signal, ok: code === 0, seconds, summary: summary ?? '(no summary line)', load: loadavg()[0], logFile });
    });
  });
}

const results = [];
let failed = false;
startBurners();
try {
  for (let k = 1; k <= opts.runs && !stopping; k++) {
    const deadBurners = burners.filter((b) => b.exited).length;
    if (deadBurners) console.log(`[loaded] warning: ${deadBurners} burner(s) already stopped before run ${k}: that run is not under full load`);
    const r = await runOnce(k);
    results.push(r);
    console.log(`[loaded] run ${k}: ${r.ok ? 'PASS' : `FAIL (exit ${r.code})`}  ${r.summary}  (${r.seconds.toFixed(1)} s, load average ${r.load.toFixed(1)}; log ${path.relative(REPO, r.logFile)})`);
    if (!r.ok) {
      failed = true;
      break;
    }
  }
} finally {
  current = undefined;
  await stopBurners();
}

console.log('\n[loaded] ===== summary');
for (const r of results) console.log(`run ${r.k}: ${r.ok ? 'PASS' : 'FAIL'}  ${r.summary}  (${r.seconds.toFixed(1)} s)`);
const passedRuns = results.filter((r) => r.ok).length;
const complete = results.length === opts.runs && !stopping;
console.log(`${passedRuns} of ${opts.runs} run(s) passed with ${opts.burners} CPU-bound burner(s)${complete ? '' : ' (stopped early)'}`);
process.exit(failed || !complete ? 1 : 0);
