import type { TaskProcessEnd } from '../node/taskProcess';

/** A run of the runner's, waiting for its task's terminal: what that terminal starts, and who hears how it ended. */
export interface Launch<B> {
  bench: B;
  onEnd: (end: TaskProcessEnd) => void;
}

/**
 * The runner's runs that wait for their terminal, by task (folder and benchmark).
 *
 * VS Code keeps one CustomExecution per task id, and a task provider's `provideTasks` (the Run Task
 * picker, any extension's fetchTasks) that comes between `executeTask` and the terminal's start
 * replaces the run's own execution with the provided one, whose callback knows nothing of the run
 * (the extension host's `_providedCustomExecutions2`; seen on a busy machine as a failure toast
 * without its reason). So the callback of every execution of ours takes the waiting launch from
 * here: whichever one VS Code calls, the run's own benchmark starts and its end reaches the run.
 *
 * Needs nothing of `vscode` at run time, so plain Node tests drive it.
 */
export class Launches<B> {
  private readonly waiting = new Map<string, Launch<B>>();

  /** Until disposed, the next terminal of `key`'s task starts `launch`. */
  expect(key: string, launch: Launch<B>): { dispose(): void } {
    this.waiting.set(key, launch);
    return {
      dispose: () => {
        // A later run's launch stays.
        if (this.waiting.get(key) === launch) this.waiting.delete(key);
      },
    };
  }

  /** The launch waiting for `key`'s task, which only one terminal gets; undefined when none waits (a task run from VS Code's own menus). */
  take(key: string): Launch<B> | undefined {
    const launch = this.waiting.get(key);
    this.waiting.delete(key);
    return launch;
  }
}

/** The key of a folder's benchmark task: its folder's URI and the benchmark's name. */
export function launchKey(folderUri: string, benchmark: string): string {
  return `${folderUri}\n${benchmark}`;
}
