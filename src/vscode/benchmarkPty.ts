import type * as vscode from 'vscode';
import { ProcessRefused } from '../node/processGate';
import type { TaskProcess, TaskProcessEnd } from '../node/taskProcess';

/**
 * The terminal of a benchmark task (a vscode.CustomExecution): it starts the benchmark's process
 * when VS Code opens the terminal, shows its stdout and stderr there, stops its process group on
 * Ctrl-C or when the task is terminated or its terminal closed, and closes with its exit code.
 * `onEnd` gets how the process ended, its stderr tail included: VS Code gives nobody a task's
 * output, so this is how a failed run can say why.
 *
 * Needs nothing of `vscode` at run time (its own small event emitter), so plain Node tests drive it.
 */
export class BenchmarkPty implements vscode.Pseudoterminal {
  private readonly written = new Emitter<string>();
  private readonly closed = new Emitter<number | void>();
  readonly onDidWrite = this.written.event;
  readonly onDidClose = this.closed.event;
  private process: TaskProcess | undefined;
  private isClosed = false;
  private openedAt = 0;

  /**
   * `start` starts the process with the two output callbacks (startTaskProcess); `echo` is the
   * line shown before its output ("$ npm run bench").
   */
  constructor(
    private readonly start: (output: { onStdout: (text: string) => void; onStderr: (text: string) => void }) => TaskProcess,
    private readonly echo: string,
    private readonly onEnd?: (end: TaskProcessEnd) => void,
  ) {}

  open(): void {
    this.openedAt = Date.now();
    this.write(`${this.echo}\n\n`);
    let proc: TaskProcess;
    try {
      proc = this.start({ onStdout: (t) => this.write(t), onStderr: (t) => this.write(t) });
    } catch (e) {
      // Refused by the process gate (untrusted workspace) or not startable: nothing runs.
      const message = e instanceof ProcessRefused ? e.message : `could not start: ${(e as Error).message}`;
      this.write(`${message}\n`);
      this.finish({ exitCode: 127, signal: null, error: message, stderrTail: [] });
      return;
    }
    this.process = proc;
    void proc.ended.then((end) => {
      if (end.error) this.write(`${end.error}\n`);
      this.finish(end);
    });
  }

  handleInput(data: string): void {
    // Ctrl-C, as in any terminal; other keys go nowhere (the process has no stdin).
    if (data.includes('\x03')) this.process?.stop('interrupt');
  }

  /** The task is terminated or its terminal closed: the process group is stopped (bounded; see startTaskProcess). */
  close(): void {
    this.isClosed = true;
    this.process?.stop('terminate');
  }

  private finish(end: TaskProcessEnd): void {
    this.onEnd?.(end);
    if (this.isClosed) return;
    // VS Code calls a terminal whose process exits within 500 ms of its start one that "failed to
    // launch" (terminalProcessManager's ErrorLaunchThresholdDuration); this one did launch.
    const wait = Math.max(0, this.openedAt + LAUNCH_THRESHOLD_MS - Date.now());
    setTimeout(() => {
      if (this.isClosed) return;
      this.isClosed = true;
      this.closed.fire(end.exitCode);
    }, wait);
  }

  private write(text: string): void {
    if (this.isClosed) return;
    // A terminal needs \r\n to start a line at its left edge.
    this.written.fire(text.replace(/\r?\n/g, '\r\n'));
  }
}

const LAUNCH_THRESHOLD_MS = 600;

/** The least of vscode.EventEmitter that a Pseudoterminal needs. */
class Emitter<T> {
  private readonly listeners = new Set<(e: T) => unknown>();

  readonly event: vscode.Event<T> = (listener, thisArgs?: unknown, disposables?: vscode.Disposable[]) => {
    const bound = (e: T) => listener.call(thisArgs, e);
    this.listeners.add(bound);
    const d = { dispose: () => void this.listeners.delete(bound) };
    disposables?.push(d);
    return d;
  };

  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
}
