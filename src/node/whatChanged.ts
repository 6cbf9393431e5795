import * as path from 'node:path';
import { type GitResult, refProblem, runGit } from './git';
import { ProcessRefused } from './processGate';

/**
 * What changed in a handler's lines between a baseline commit and a run commit, from git:
 *
 * - committed: `git log -L start,end:file from..to` (newest first). git follows the line range
 *   back through earlier commits, shifting it past edits above it, and across renames of the
 *   file (each commit then names the path it had there). It does not follow lines moved to
 *   another file: for a handler moved into `file`, the commit that added it there shows as one
 *   hunk of added lines, and the commits before the move (in the old file) are not listed.
 *   Commits that did not touch the range (another function of the same file) are not listed.
 * - uncommitted (`dirty`): `git diff -U0 to -- file`, the hunks whose working-tree side overlaps
 *   the range, which is then in working-tree line numbers (the run ran the working tree); it is
 *   mapped back through those hunks to the run commit's numbers for `git log -L`.
 *
 * Bounded: every git call has a time and output bound, at most `maxCommits` commits (then
 * `truncated`) and `maxHunkLines` lines per hunk (longer hunks are cut, also `truncated`).
 * When git cannot answer, the result says why in one line and what to do.
 */
export type WhatChanged =
  | { kind: 'changes'; commits: ChangedCommit[]; uncommitted: string[]; truncated: boolean }
  | { kind: 'unavailable'; reason: WhatChangedUnavailable; message: string };

export type WhatChangedUnavailable = 'no-git' | 'not-a-repository' | 'restricted' | 'missing-commit' | 'shallow' | 'failed';

export interface ChangedCommit {
  hash: string;
  short: string;
  author: string;
  /** Author date, ISO 8601 with the author's offset (%aI). */
  date: string;
  subject: string;
  /** Unified diff hunks inside the range, each starting "@@". */
  hunks: string[];
  /** The file's path in that commit (differs from the asked one before a rename). */
  file: string;
}

export interface HandlerRange {
  /** Workspace-relative (to `cwd`) at the run commit. */
  file: string;
  /** 1-based inclusive, at the run commit (in the working tree when `dirty`). */
  start: number;
  end: number;
}

export interface WhatChangedOptions {
  /** The run ran an uncommitted working tree: also list its hunks against `to`. */
  dirty?: boolean;
  /** Checked between git calls: an aborted signal rejects with its reason. */
  signal?: AbortSignal;
  /** Default 20. */
  maxCommits?: number;
  /** Default 200. */
  maxHunkLines?: number;
}

const TIMEOUT_MS = 15_000;
const MAX_BYTES = 8 * 1024 * 1024;
const RS = '\x1e';
const US = '\x1f';

class Unavailable extends Error {
  constructor(
    readonly reason: WhatChangedUnavailable,
    message: string,
  ) {
    super(message);
  }
}

export async function whatChanged(cwd: string, range: HandlerRange, from: string, to: string, options: WhatChangedOptions = {}): Promise<WhatChanged> {
  try {
    return await compute(cwd, range, from, to, options);
  } catch (e) {
    if (e instanceof Unavailable) return { kind: 'unavailable', reason: e.reason, message: e.message };
    if (e instanceof ProcessRefused) return { kind: 'unavailable', reason: 'restricted', message: `${e.message}; trust the workspace to see what changed` };
    throw e;
  }
}

async function compute(cwd: string, range: HandlerRange, from: string, to: string, options: WhatChangedOptions): Promise<WhatChanged> {
  const maxCommits = Math.max(1, options.maxCommits ?? 20);
  const maxHunkLines = Math.max(1, options.maxHunkLines ?? 200);
  for (const ref of [from, to]) {
    const problem = refProblem(ref);
    if (problem) throw new Unavailable('failed', `not a git ref: ${JSON.stringify(ref)} (${problem})`);
  }
  if (!Number.isInteger(range.start) || !Number.isInteger(range.end) || range.start < 1 || range.end < range.start) {
    throw new Unavailable('failed', `not a line range: ${range.start}..${range.end} (1-based, start <= end)`);
  }
  if (range.file === '' || range.file.startsWith('-') || /[\0\n]/.test(range.file)) throw new Unavailable('failed', `not a file path: ${JSON.stringify(range.file)}`);
  const git = async (args: string[]): Promise<GitResult> => {
    options.signal?.throwIfAborted();
    const r = await runGit(args, { cwd, timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES });
    options.signal?.throwIfAborted();
    if (r.code === 127) throw new Unavailable('no-git', 'git could not be started: install git or put it on PATH');
    if (r.code === 124 || r.code === 125) throw new Unavailable('failed', r.stderr.trim());
    return r;
  };

  const top = await git(['rev-parse', '--show-prefix']);
  if (top.code !== 0) throw new Unavailable('not-a-repository', `${cwd} is not in a git repository: what changed needs the run's commits`);
  const prefix = top.stdout.trim();
  for (const [ref, role] of [[from, 'baseline'], [to, 'run']] as const) {
    const have = await git(['cat-file', '-e', `${ref}^{commit}`]);
    if (have.code === 0) continue;
    const shallow = await git(['rev-parse', '--is-shallow-repository']);
    const short = /^[0-9a-f]{8,}$/i.test(ref) ? ref.slice(0, 7) : ref;
    if (shallow.stdout.trim() === 'true') {
      throw new Unavailable('shallow', `the ${role} commit ${short} is not in this clone (shallow): run git fetch --deepen=100 (or --unshallow)`);
    }
    throw new Unavailable('missing-commit', `the ${role} commit ${short} is not in this repository: fetch it (git fetch origin ${short}) or pick another baseline`);
  }

  let uncommitted: string[] = [];
  let truncated = false;
  let { start, end } = range;
  if (options.dirty) {
    const d = await git(['diff', '-U0', '--no-color', '--no-renames', to, '--', range.file]);
    if (d.code !== 0) throw new Unavailable('failed', firstLine(d.stderr, `git diff ${to} -- ${range.file} failed`));
    const hunks = parseHunks(d.stdout);
    for (const h of hunks) if (overlapsNew(h, start, end)) uncommitted.push(h.text);
    const mapped = mapToOld(hunks, start, end);
    start = mapped.start;
    end = mapped.end;
    const cut = cutHunks(uncommitted, maxHunkLines);
    uncommitted = cut.hunks;
    truncated ||= cut.truncated;
  }

  const log = await git([
    'log',
    '--no-color',
    `--max-count=${maxCommits + 1}`,
    `--format=${RS}%H${US}%h${US}%an${US}%aI${US}%s`,
    `-L${start},${end}:${range.file}`,
    `${from}..${to}`,
  ]);
  if (log.code !== 0) throw new Unavailable('failed', `git log -L ${start},${end}:${range.file} ${from.slice(0, 12)}..${to.slice(0, 12)}: ${firstLine(log.stderr, 'failed')}`);
  const commits: ChangedCommit[] = [];
  for (const record of log.stdout.split(RS).slice(1)) {
    const nl = record.indexOf('\n');
    const head = (nl < 0 ? record : record.slice(0, nl)).split(US);
    if (head.length < 5) continue;
    const [hash, short, author, date] = head as [string, string, string, string];
    const subject = head.slice(4).join(US);
    const body = nl < 0 ? '' : record.slice(nl + 1);
    const fromTop = /^\+\+\+ b\/(.*)$/m.exec(body)?.[1] ?? /^--- a\/(.*)$/m.exec(body)?.[1];
    // git prints paths from the repository's top; the caller's are relative to cwd.
    const file = fromTop === undefined ? range.file : path.posix.relative(`/${prefix}`, `/${fromTop}`);
    const cut = cutHunks(parseHunks(body).map((h) => h.text), maxHunkLines);
    truncated ||= cut.truncated;
    commits.push({ hash, short, author, date, subject, hunks: cut.hunks, file });
  }
  if (commits.length > maxCommits) {
    commits.length = maxCommits;
    truncated = true;
  }
  return { kind: 'changes', commits, uncommitted, truncated };
}

interface Hunk {
  oldStart: number;
  oldCount: number;
  newStart: number;
  newCount: number;
  text: string;
}

/** The "@@" hunks of a diff: each from its header to the line before the next header or diff. */
function parseHunks(diff: string): Hunk[] {
  const out: Hunk[] = [];
  let cur: { h: Omit<Hunk, 'text'>; lines: string[] } | null = null;
  const flush = () => {
    if (cur) out.push({ ...cur.h, text: trimTrailingEmpty(cur.lines).join('\n') });
    cur = null;
  };
  for (const line of diff.split('\n')) {
    const m = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (m) {
      flush();
      cur = { h: { oldStart: +m[1]!, oldCount: m[2] === undefined ? 1 : +m[2], newStart: +m[3]!, newCount: m[4] === undefined ? 1 : +m[4] }, lines: [line] };
    } else if (cur && /^[ +\-\\]/.test(line) && !/^(\+\+\+|---) /.test(line)) (cur as { lines: string[] }).lines.push(line);
    else if (cur && line === '') (cur as { lines: string[] }).lines.push(line);
    else flush();
  }
  flush();
  return out;
}

function trimTrailingEmpty(lines: string[]): string[] {
  let n = lines.length;
  while (n > 1 && lines[n - 1] === '') n--;
  return lines.slice(0, n);
}

/** Whether a -U0 hunk's working-tree side touches start..end (a pure deletion: between two of its lines). */
function overlapsNew(h: Hunk, start: number, end: number): boolean {
  if (h.newCount === 0) return h.newStart >= start && h.newStart < end;
  return h.newStart <= end && h.newStart + h.newCount - 1 >= start;
}

/** Working-tree lines start..end mapped to the committed file through -U0 hunks (lines added in the tree clamp to their hunk). */
function mapToOld(hunks: Hunk[], start: number, end: number): { start: number; end: number } {
  const map = (line: number, edge: 'start' | 'end'): number => {
    let delta = 0;
    for (const h of hunks) {
      const newEnd = h.newStart + h.newCount - 1;
      if (h.newCount > 0 && line >= h.newStart && line <= newEnd) {
        if (h.oldCount === 0) return edge === 'start' ? h.oldStart + 1 : h.oldStart;
        return edge === 'start' ? h.oldStart : h.oldStart + h.oldCount - 1;
      }
      const oldNext = h.oldCount === 0 ? h.oldStart + 1 : h.oldStart + h.oldCount;
      const newNext = h.newCount === 0 ? h.newStart + 1 : h.newStart + h.newCount;
      if (newNext <= line) delta = oldNext - newNext;
    }
    return line + delta;
  };
  const s = Math.max(1, map(start, 'start'));
  return { start: s, end: Math.max(s, map(end, 'end')) };
}

function cutHunks(hunks: string[], max: number): { hunks: string[]; truncated: boolean } {
  let truncated = false;
  const out = hunks.map((h) => {
    const lines = h.split('\n');
    if (lines.length <= max) return h;
    truncated = true;
    return [...lines.slice(0, max), `… ${lines.length - max} more lines`].join('\n');
  });
  return { hunks: out, truncated };
}

function firstLine(s: string, fallback: string): string {
  return s.trim().split('\n')[0] || fallback;
}
