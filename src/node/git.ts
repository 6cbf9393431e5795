import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { mayStartProcess } from './processGate';

/**
 * Every git call of Perf Budgets, in the extension and the CLI, goes through `runGit`. A
 * repository's own configuration can name commands that git runs (core.fsmonitor, core.pager,
 * core.sshCommand on a partial clone's lazy fetch, diff.<x>.textconv, diff.external, hooks,
 * gpg.program with log.showSignature, …); a folder from a stranger must not get any of them run.
 * So each call:
 * - asks the process gate first (no git at all in an untrusted workspace);
 * - overrides, on the command line (which wins over every config file), the settings that run
 *   commands: fsmonitor off, hooks pointed at /dev/null, no signature checks, no auto-gc;
 * - never pages (`--no-pager`, GIT_PAGER=cat), never prompts (GIT_TERMINAL_PROMPT=0, an empty
 *   GIT_ASKPASS so core.askPass is not consulted), takes no optional locks (GIT_OPTIONAL_LOCKS=0);
 * - never fetches missing objects, unless the caller asks (`lazyFetch`, the CLI's
 *   --git-lazy-fetch): GIT_NO_LAZY_FETCH=1 for git ≥ 2.44 and `protocol.allow=never`, which
 *   refuses every transport (and so core.sshCommand) on older versions too;
 * - adds `--no-textconv --no-ext-diff --no-show-signature` to the commands that print diffs;
 * - is bounded: killed (SIGKILL) after `timeoutMs`, and its output capped at `maxBytes`.
 */
export interface GitOptions {
  cwd: string;
  /** Default 15 s. */
  timeoutMs?: number;
  /** Cap on stdout (and stderr) each; default 32 MiB. */
  maxBytes?: number;
  /** Let git fetch missing objects of a partial clone from its promisor remote (CLI flag only). */
  lazyFetch?: boolean;
}

export interface GitResult {
  /** Exit code; 127 when git could not start, 124 when it was killed at the time bound, 125 at the output cap. */
  code: number;
  stdout: string;
  stderr: string;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** Settings given with -c before the subcommand: they win over the repository's own config. */
const SAFE_CONFIG = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'log.showSignature=false',
  'gc.auto=0',
  'maintenance.auto=false',
];
/** Subcommands that print diffs or commits, and so could run textconv, external diff or gpg. */
const DIFF_COMMANDS = new Set(['log', 'show', 'diff', 'whatchanged', 'blame']);

/** The argv after `git` for `args`: the hardening options, then the subcommand and its arguments. */
export function hardenedGitArgs(args: readonly string[], lazyFetch = false): string[] {
  const config = [...SAFE_CONFIG, ...(lazyFetch ? [] : ['protocol.allow=never'])];
  const [sub, ...rest] = args;
  if (sub === undefined) throw new Error('git: no subcommand');
  const extra = DIFF_COMMANDS.has(sub) ? ['--no-textconv', '--no-ext-diff', ...(sub === 'blame' ? [] : ['--no-show-signature'])] : [];
  return ['--no-pager', ...config.flatMap((c) => ['-c', c]), sub, ...extra, ...rest];
}

/** The environment git runs with: this process's, with the hardening variables set. */
export function hardenedGitEnv(lazyFetch = false, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    // Messages are matched below (a missing file at a ref): the same words in every locale.
    LC_ALL: 'C',
    LANGUAGE: 'C',
  };
  delete env.GIT_EXTERNAL_DIFF;
  if (lazyFetch) delete env.GIT_NO_LAZY_FETCH;
  else env.GIT_NO_LAZY_FETCH = '1';
  return env;
}

/** Runs git (no shell) with the hardening above. Throws ProcessRefused where no process may start. */
export function runGit(args: readonly string[], options: GitOptions): Promise<GitResult> {
  mayStartProcess(`git ${args[0] ?? ''}`.trim());
  const maxBuffer = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise((resolve) => {
    const child = execFile(
      'git',
      hardenedGitArgs(args, options.lazyFetch),
      { cwd: options.cwd, env: hardenedGitEnv(options.lazyFetch), encoding: 'utf8', maxBuffer, timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS, killSignal: 'SIGKILL', windowsHide: true },
      (err, stdout, stderr) => {
        if (!err) return resolve({ code: 0, stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: unknown; killed?: boolean; signal?: string | null };
        if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ code: 125, stdout: '', stderr: `git ${args[0]}: output over ${Math.round(maxBuffer / 1048576)} MiB; stopped` });
        if (e.killed || e.signal === 'SIGKILL') return resolve({ code: 124, stdout: '', stderr: `git ${args[0]}: no answer within ${(options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000} s; stopped` });
        resolve({ code: typeof e.code === 'number' ? e.code : 127, stdout, stderr });
      },
    );
    // Git never needs input here: a command that would wait for it gets end-of-file at once.
    child.stdin?.end();
  });
}

/**
 * Why `ref` is not a ref Perf Budgets passes to git (null when it is): a branch or tag name
 * (git check-ref-format's rules, one level allowed), HEAD, or a hex object id, each optionally
 * followed by ~N / ^N steps. Everything else — `:0`, `:path`, `REV:path`, `@{…}`, `^{…}`, a
 * leading '-', spaces, control characters — is refused: such forms reach the index or other
 * objects than a commit, or read as options.
 */
export function refProblem(ref: string): string | null {
  if (ref.length === 0) return 'a git ref is needed';
  if (ref.length > 200) return 'too long for a git ref';
  if (ref.startsWith('-')) return "a git ref cannot start with '-'";
  const m = /^([\s\S]*?)((?:[~^][0-9]{0,6})*)$/.exec(ref)!;
  const base = m[1]!;
  if (base === '') return 'a git ref needs a name before ~ or ^';
  if (/^(HEAD|[0-9a-fA-F]{4,64})$/.test(base)) return null;
  if (base.includes('@{') || base === '@') return "reflog forms (@{…}) are not accepted";
  if (!/^[A-Za-z0-9_./+@-]+$/.test(base)) return 'not a branch, tag, HEAD~N or commit id (letters, digits and . / _ + @ - only, then ~N or ^N)';
  if (base.includes('..')) return "a git ref cannot contain '..'";
  if (base.startsWith('/') || base.endsWith('/') || base.includes('//')) return "a git ref cannot start or end with '/' or contain '//'";
  if (base.endsWith('.')) return "a git ref cannot end with '.'";
  if (base.split('/').some((c) => c.startsWith('.') || c.endsWith('.lock'))) return "no part of a git ref can start with '.' or end with '.lock'";
  return null;
}

/** Why a git look-up failed, for callers that act on it (the editor falls back to the working tree on the first two). */
export type GitFailure = 'not-a-repository' | 'unknown-ref' | 'refused-ref' | 'missing-object' | 'failed';

/** A failed git look-up: a one-line message, and its reason as data. */
export class GitError extends Error {
  constructor(
    readonly reason: GitFailure,
    message: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

/** Throws a one-line GitError naming the ref when refProblem finds one. */
export function checkRef(ref: string): void {
  const problem = refProblem(ref);
  if (problem) throw new GitError('refused-ref', `not a git ref: ${JSON.stringify(ref)} (${problem})`);
}

/** The repository's top folder, or null outside a repository. */
export async function gitTop(cwd: string): Promise<string | null> {
  const r = await runGit(['rev-parse', '--show-toplevel'], { cwd });
  return r.code === 0 ? r.stdout.trim() : null;
}

/** The commit HEAD points at, or null outside a repository (or before the first commit). */
export async function headCommit(cwd: string): Promise<string | null> {
  const r = await runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { cwd });
  return r.code === 0 ? r.stdout.trim() : null;
}

/**
 * Whether tracked files differ from HEAD (staged or not; untracked files do not count, so run
 * history and result files never make a tree dirty); null outside a repository or when git fails.
 */
export async function treeIsDirty(cwd: string): Promise<boolean | null> {
  const r = await runGit(['status', '--porcelain', '--untracked-files=no', '--ignore-submodules=all'], { cwd, maxBytes: 1024 * 1024 });
  return r.code === 0 ? r.stdout.trim() !== '' : null;
}

/** The commit a checked ref names; an Error for a refused or unknown ref, or outside a repository. */
export async function resolveCommit(ref: string, cwd: string): Promise<string> {
  checkRef(ref);
  if ((await gitTop(cwd)) === null) throw new GitError('not-a-repository', `not a git repository: ${cwd}`);
  const r = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd });
  if (r.code !== 0) throw new GitError('unknown-ref', `unknown git ref ${JSON.stringify(ref)}`);
  return r.stdout.trim();
}

/**
 * A file's content at a ref (`git show --no-textconv COMMIT:path`), path relative to `cwd`.
 * Null when the file does not exist at that ref; an Error for anything else (not a repository,
 * a refused or unknown ref, a blob this partial clone lacks and may not fetch).
 */
export async function showAtRef(ref: string, file: string, cwd: string, options: { lazyFetch?: boolean } = {}): Promise<string | null> {
  checkRef(ref);
  const top = await gitTop(cwd);
  if (top === null) throw new GitError('not-a-repository', `not a git repository: ${cwd}`);
  const rel = path.relative(top, path.resolve(cwd, file)).split(path.sep).join('/');
  const commit = await resolveCommit(ref, cwd);
  const r = await runGit(['show', `${commit}:${rel}`], { cwd, lazyFetch: options.lazyFetch });
  if (r.code === 0) return r.stdout;
  if (/does not exist|exists on disk, but not in/.test(r.stderr)) return null;
  if (!options.lazyFetch && /promisor|not allowed|lazy.?fetch|could not fetch|unable to read/i.test(r.stderr)) {
    throw new GitError('missing-object', `${rel} at ${ref} is not in this partial clone, and Perf Budgets does not fetch it (run \`git fetch\` yourself, or give the CLI --git-lazy-fetch)`);
  }
  throw new GitError('failed', r.stderr.trim().split('\n')[0] || `git show ${ref}:${rel} failed`);
}
