// A tiny real git repository for the local A/B check (unit tests, the integration test and the
// fixtures' make script): test/fixtures/local-ab/server.mjs committed with a perf-budgets.json whose
// built-in HTTP benchmark starts it on a free 127.0.0.1 port; optionally one handler's sleep
// changed in the working tree (B) only.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const AB_HANDLERS = ['GET /api/fast', 'GET /api/mid', 'GET /api/slow'] as const;

export interface AbRepoOptions {
  /** This repository's root (to find test/fixtures/local-ab/server.mjs). */
  repoRoot: string;
  /** The sleep of /api/slow at the commit (default 20, as in server.mjs). */
  slowMsA?: number;
  /** The sleep of /api/slow in the working tree; absent: the working tree is the commit (A/A). */
  slowMsB?: number;
  /** Of each run (default "1s"). */
  duration?: string;
  connections?: number;
  /** Total requests per second (default: as fast as the connections go). */
  rate?: number;
  regressionThreshold?: string;
}

export interface AbRepo {
  dir: string;
  port: number;
  configFile: string;
  cleanup: () => void;
}

export async function makeAbRepo(options: AbRepoOptions): Promise<AbRepo> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pb-ab-repo-'));
  const port = await freePort();
  const source = readFileSync(path.join(options.repoRoot, 'test/fixtures/local-ab/server.mjs'), 'utf8');
  const withSlow = (ms: number) => {
    const out = source.replace("'/api/slow': 20 }", `'/api/slow': ${ms} }`);
    if (ms !== 20 && out === source) throw new Error('server.mjs no longer has the /api/slow delay this helper edits');
    return out;
  };
  writeFileSync(path.join(dir, 'server.mjs'), withSlow(options.slowMsA ?? 20));
  writeFileSync(path.join(dir, '.gitignore'), '.perf-budgets/\nperf/results/\n');
  const config = {
    regressionThreshold: options.regressionThreshold ?? '10%',
    benchmarks: {
      api: {
        http: {
          baseUrl: `http://127.0.0.1:${port}`,
          requests: AB_HANDLERS.map((h) => ({ handler: h, path: h.slice(4) })),
          duration: options.duration ?? '1s',
          connections: options.connections ?? 3,
          ...(options.rate ? { rate: options.rate } : {}),
          start: `node server.mjs ${port}`,
          ready: `http://127.0.0.1:${port}/health`,
          readyTimeout: '20s',
        },
      },
    },
    budgets: Object.fromEntries(AB_HANDLERS.map((h) => [h, { p95: '1s' }])),
  };
  const configFile = path.join(dir, 'perf-budgets.json');
  writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
  commitAll(dir, 'A: the service as committed');
  if (options.slowMsB !== undefined) writeFileSync(path.join(dir, 'server.mjs'), withSlow(options.slowMsB));
  return { dir, port, configFile, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** `git init` and a first commit of everything in `dir`. */
export function commitAll(dir: string, message: string): void {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=Perf Budgets', '-c', 'user.email=pb@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', message);
}

/** Worktrees git knows of in `dir` (the main one included). */
export function worktrees(dir: string): string[] {
  return execFileSync('git', ['worktree', 'list', '--porcelain'], { cwd: dir, encoding: 'utf8' })
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * A repository whose benchmark is a command writing a samples file (one latency per line) of
 * 200 values `valueA` … `valueA` + 0.9 at the commit, `valueB` … in the working tree — so every
 * run of a side gives the same numbers: verdicts that do not depend on the machine.
 */
export function makeCommandRepo(valueA: number, valueB: number, extraConfig: Record<string, unknown> = {}): AbRepo {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pb-ab-cmd-'));
  writeCommandRepo(dir, valueA, valueB, { extraConfig });
  return { dir, port: 0, configFile: path.join(dir, 'perf-budgets.json'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** makeCommandRepo's files and commit in an existing folder; `sleepMs`: each run takes that long first. */
export function writeCommandRepo(dir: string, valueA: number, valueB: number, options: { extraConfig?: Record<string, unknown>; sleepMs?: number } = {}): void {
  const bench = (v: number) =>
    `import { mkdirSync, writeFileSync } from 'node:fs';\nawait new Promise((r) => setTimeout(r, ${options.sleepMs ?? 0}));\nmkdirSync('perf/results', { recursive: true });\nwriteFileSync('perf/results/work.txt', Array.from({ length: 200 }, (_, i) => ${v} + (i % 10) / 10).join('\\n') + '\\n');\n`;
  writeFileSync(path.join(dir, 'bench.mjs'), bench(valueA));
  writeFileSync(path.join(dir, '.gitignore'), '.perf-budgets/\nperf/results/\n');
  writeFileSync(
    path.join(dir, 'perf-budgets.json'),
    `${JSON.stringify({ benchmarks: { work: { command: 'node bench.mjs', results: ['perf/results/work.txt'], format: 'samples' } }, budgets: { work: { p95: '1s' } }, ...options.extraConfig }, null, 2)}\n`,
  );
  commitAll(dir, 'A');
  writeFileSync(path.join(dir, 'bench.mjs'), bench(valueB));
}
