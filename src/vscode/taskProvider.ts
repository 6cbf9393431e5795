import * as vscode from 'vscode';
import { shellTaskFor } from './benchmarkRunner';
import type { BudgetsRegistry } from './budgetsRegistry';
import { TASK_TYPE } from './ids';

interface BenchmarkTaskDefinition extends vscode.TaskDefinition {
  benchmark: string;
}

/**
 * The `perf-budgets` task type: one task per benchmark with a command or an `http`, so users can
 * bind benchmarks to keys and compose them in tasks.json (`{"type": "perf-budgets", "benchmark":
 * "api"}`). Each runs as the runner's own runs do (shellTaskFor: a terminal of ours that starts the
 * process and stops its group with the task). In an untrusted workspace VS Code itself does not
 * run tasks, and the process gate would refuse the process anyway.
 */
export function registerTaskProvider(registry: BudgetsRegistry): vscode.Disposable {
  return vscode.tasks.registerTaskProvider(TASK_TYPE, {
    provideTasks: () =>
      registry.all().flatMap((f) => (f.config?.config.benchmarks ?? []).map((b) => shellTaskFor(f.folder, b)).filter((t): t is vscode.Task => !!t)),
    resolveTask: (task) => {
      const def = task.definition as BenchmarkTaskDefinition;
      const scope = task.scope;
      const folder = scope && typeof scope !== 'number' ? registry.forUri(scope.uri) : registry.all()[0];
      const bench = folder?.config?.config.benchmarks.find((b) => b.name === def.benchmark);
      if (!folder || !bench) return undefined;
      const resolved = shellTaskFor(folder.folder, bench);
      if (resolved) resolved.definition = def;
      return resolved;
    },
  });
}
