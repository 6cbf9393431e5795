import * as vscode from 'vscode';
import { BenchmarkRunner } from './benchmarkRunner';
import { BudgetsRegistry } from './budgetsRegistry';
import { registerCommands } from './commands';
import { OUTPUT_CHANNEL } from './ids';
import { BudgetStatusBar } from './statusBar';
import { registerTaskProvider } from './taskProvider';

export interface PerfBudgetsApi {
  registry: BudgetsRegistry;
  runner: BenchmarkRunner;
  /** Resolves once every folder with a perf-budgets.json has been read once. */
  ready: Promise<void>;
}

/** The composition root: builds each service once and wires them; nothing else lives here. */
export function activate(context: vscode.ExtensionContext): PerfBudgetsApi {
  const version = String(context.extension.packageJSON.version);
  const log = vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true });
  const registry = new BudgetsRegistry(log);
  const runner = new BenchmarkRunner(log, context.workspaceState);
  context.subscriptions.push(
    log,
    registry,
    runner,
    new BudgetStatusBar(registry, runner),
    registerCommands({ registry, runner, log, version }),
    registerTaskProvider(registry),
  );
  log.info(`Perf Budgets ${version} activated in VS Code ${vscode.version}`);
  // Reading results is not part of activation: it starts now and finishes in the background.
  const ready = registry.refreshFolders().catch((e: unknown) => log.error(`reading folders failed: ${(e as Error).message}`));
  return { registry, runner, ready };
}

export function deactivate(): void {}
