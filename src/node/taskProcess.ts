import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { mayStartProcess } from './processGate';

/** What a task process runs: a command line through the shell, or a program with its arguments. */
export type TaskCommand = { shell: string } | { file: string; args: readonly string[] };

export interface TaskProcessOptions {
  cwd: string;
  /** The whole environment of the process. */
  env: NodeJS.ProcessEnv;
  /** Its stdout and stderr, decoded (UTF-8), as they come. */
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  /** How many of the last stderr lines to keep (default STDERR_TAIL_LINES). */
  keepLines?: number;
  /** How long a stopped process group has between SIGTERM (or SIGINT) and SIGKILL (default STOP_GRACE_MS). */
  graceMs?: number;
}

/** How a task process ended. */
export interface TaskProcessEnd {
  /** As a shell reports it: the exit code, or 128 + the signal's number when a signal ended it; 127 when it could not start. */
  exitCode: number;
  /** The signal that ended it, if one did. */
  signal: NodeJS.Signals | null;
  /** Set when it was stopped from here: Ctrl-C in its terminal ("interrupt"), or its task terminated ("terminate"). */
  stopped?: 'interrupt' | 'terminate';
  /** Why it could not start (spawn error), if it could not. */
  error?: string;
  /** Its last stderr lines (at most keepLines, each at most MAX_LINE_CHARS), oldest first. */
  stderrTail: string[];
}

export interface TaskProcess {
  /** Its PID, which is also its process group's id (POSIX); undefined when it did not start. */
  readonly pid: number | undefined;
  /** Settles once it has exited and its output is read (at most DRAIN_MS after its exit); never rejects. */
  readonly ended: Promise<TaskProcessEnd>;
  /** Stops its whole process group: SIGINT ("interrupt") or SIGTERM ("terminate"), SIGKILL graceMs later. Idempotent. */
  stop(how: 'interrupt' | 'terminate'): void;
}

export const STDERR_TAIL_LINES = 20;
/** Long enough for the 7 s a built-in HTTP benchmark may take to stop its service. */
export const STOP_GRACE_MS = 10_000;
/** A stderr line longer than this is kept cut, with "…". */
export const MAX_LINE_CHARS = 1000;
/** How long output may still come after the process exited (children that hold its pipes are stopped then). */
const DRAIN_MS = 1000;

/**
 * Starts one benchmark process for an editor task, which VS Code cannot read the output of: this
 * reads it. The process gets its own process group (its PID), so `stop` and its exit reach every
 * process it started: whatever of its group is still running when it exits is sent SIGTERM (and
 * SIGKILL graceMs later), as a terminal's hang-up would. Asks the process gate first (no process at
 * all in an untrusted workspace): throws ProcessRefused.
 */
export function startTaskProcess(what: string, command: TaskCommand, options: TaskProcessOptions): TaskProcess {
  mayStartProcess(what);
  const graceMs = options.graceMs ?? STOP_GRACE_MS;
  const stderr = new LineRing(options.keepLines ?? STDERR_TAIL_LINES);
  const posix = process.platform !== 'win32';
  const common = { cwd: options.cwd, env: options.env, detached: posix, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] as ['ignore', 'pipe', 'pipe'] };
  const child = 'shell' in command ? spawn(command.shell, { ...common, shell: true }) : spawn(command.file, [...command.args], common);
  const pid = child.pid;

  let stopped: TaskProcessEnd['stopped'];
  let exited = false;
  let watch: NodeJS.Timeout | undefined;
  const signalGroup = (sig: NodeJS.Signals | 0): boolean => {
    if (pid === undefined) return false;
    try {
      if (posix) process.kill(-pid, sig);
      else if (sig !== 0) child.kill(sig);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  /** Sends `sig` to the group, then watches it: SIGKILL when it is still there graceMs later; the watch ends with the group. */
  const stopGroup = (sig: NodeJS.Signals) => {
    if (!signalGroup(sig) || watch) return;
    const deadline = Date.now() + graceMs;
    watch = setInterval(() => {
      if (!signalGroup(0)) return clearInterval(watch);
      if (Date.now() < deadline) return;
      signalGroup('SIGKILL');
      clearInterval(watch);
    }, 100);
  };

  // Its own group does not get the hang-up a terminal's processes get when this process (the
  // extension host) goes: it is told on the way out.
  const onOurExit = () => signalGroup('SIGTERM');
  if (posix && pid !== undefined) process.once('exit', onOurExit);

  const ended = new Promise<TaskProcessEnd>((resolve) => {
    let end: Omit<TaskProcessEnd, 'stderrTail' | 'stopped'> | undefined;
    let settled = false;
    const settle = () => {
      if (settled || !end) return;
      settled = true;
      clearTimeout(drain);
      process.removeListener('exit', onOurExit);
      resolve({ ...end, ...(stopped ? { stopped } : {}), stderrTail: stderr.tail() });
    };
    let drain: NodeJS.Timeout | undefined;
    const read = (stream: NodeJS.ReadableStream | null, into: ((text: string) => void) | undefined, ring?: LineRing) => {
      const decoder = new StringDecoder('utf8');
      stream?.on('data', (chunk: Buffer) => {
        const text = decoder.write(chunk);
        if (!text) return;
        ring?.push(text);
        into?.(text);
      });
      stream?.on('end', () => {
        const text = decoder.end();
        if (!text) return;
        ring?.push(text);
        into?.(text);
      });
    };
    read(child.stdout, options.onStdout);
    read(child.stderr, options.onStderr, stderr);
    child.on('error', (e) => {
      // Not started (or not signalled, which kill() above does not report this way): an exit of its own.
      if (end) return;
      end = { exitCode: 127, signal: null, error: e.message };
      if (pid === undefined) settle();
    });
    child.on('exit', (code, signal) => {
      exited = true;
      end = { exitCode: code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1), signal };
      // Processes it started that are still in its group, holding its output open: hung up on.
      if (posix && pid !== undefined) stopGroup('SIGTERM');
      // From the timer's turn, settled after that turn's I/O: a host that stalled past DRAIN_MS
      // still reads the output that was waiting in the pipes (the loop runs timers before I/O).
      drain = setTimeout(() => setImmediate(settle), DRAIN_MS);
    });
    child.on('close', () => {
      end ??= { exitCode: 1, signal: null };
      settle();
    });
  });
  return {
    pid,
    ended,
    stop(how) {
      if (stopped || exited) return;
      stopped = how;
      stopGroup(how === 'interrupt' ? 'SIGINT' : 'SIGTERM');
    },
  };
}

/**
 * The last lines of a stream of text, bounded: at most `keep` lines, each at most `maxLineChars`
 * (cut, with "…"); the rest of an over-long line is dropped as it comes, not buffered.
 */
export class LineRing {
  private readonly lines: string[] = [];
  private partial = '';
  private dropping = false;

  constructor(
    readonly keep = STDERR_TAIL_LINES,
    readonly maxLineChars = MAX_LINE_CHARS,
  ) {}

  push(text: string): void {
    let from = 0;
    for (;;) {
      const nl = text.indexOf('\n', from);
      if (!this.dropping) {
        this.partial += nl < 0 ? text.slice(from) : text.slice(from, nl);
        if (this.partial.length > this.maxLineChars) {
          this.partial = `${this.partial.slice(0, this.maxLineChars)}…`;
          this.dropping = true;
        }
      }
      if (nl < 0) return;
      this.add(this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial);
      this.partial = '';
      this.dropping = false;
      from = nl + 1;
    }
  }

  /** The kept lines, oldest first, an unfinished last line included. */
  tail(): string[] {
    if (!this.partial) return [...this.lines];
    return [...this.lines, this.partial].slice(-this.keep);
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.keep) this.lines.shift();
  }
}

// CSI (colours, cursor), OSC (titles, links) and two-character escapes.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;

/** A line as it reads on screen: escapes removed, what a carriage return overwrote dropped, other control characters (but tabs) removed. */
export function shownLine(line: string): string {
  const noEscapes = line.replace(ANSI, '');
  // "progress 10%\rError: x" shows "Error: x" (its last non-empty overwrite).
  const shown = noEscapes.split('\r').filter((s) => s.trim() !== '').pop() ?? '';
  return shown.replace(CONTROL, '');
}

/** The last line of `lines` with text on it, as shownLine shows it (trimmed), cut to `max` characters (with "…"); undefined when none. */
export function lastTextLine(lines: readonly string[], max = 200): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = shownLine(lines[i]!).trim();
    if (line) return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
  }
  return undefined;
}

/**
 * The extension host's environment as VS Code gives a terminal's shell: without its own variables
 * (ELECTRON_RUN_AS_NODE, VSCODE_IPC_HOOK, … but for the few a terminal keeps), so that a
 * benchmark's `code`, Electron app or Node sees what it would in a terminal.
 */
export function terminalEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^ELECTRON_.+$/.test(key) || /^VSCODE_(?!(PORTABLE|SHELL_LOGIN|ENV_REPLACE|ENV_APPEND|ENV_PREPEND)).+$/.test(key)) continue;
    out[key] = value;
  }
  return out;
}
