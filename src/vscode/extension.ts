import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';
import { setProcessPolicy } from '../node/processGate';
import { registerAbCommand } from './abCommand';
import { BenchmarkRunner } from './benchmarkRunner';
import { BudgetTests } from './budgetTests';
import { BudgetsRegistry } from './budgetsRegistry';
import { registerCodeLenses } from './codeLenses';
import { registerCommands } from './commands';
import { ComparisonPanel } from './comparisonPanel';
import { HandlerDecorations } from './decorations';
import { BudgetDiagnostics } from './diagnostics';
import { registerHandlerHovers } from './handlerHovers';
import { HandlerLocator } from './handlerLocator';
import { COMMANDS, OUTPUT_CHANNEL } from './ids';
import { Onboarding } from './onboarding';
import { ProductionSources } from './productionSource';
import { SetUpCommand } from './setUp';
import { BudgetStatusBar } from './statusBar';
import { registerTaskProvider } from './taskProvider';
import { registerUnclaimedSeriesActions } from './unclaimedSeries';
import { recordingLog } from './userLog';
import { NoVerdictExplainer } from './whyNoVerdict';
import { RegressionCauses } from './whyRegressed';

export interface PerfBudgetsApi {
  registry: BudgetsRegistry;
  runner: BenchmarkRunner;
  locator: HandlerLocator;
  panel: ComparisonPanel;
  tests: BudgetTests;
  /** Resolves once every folder with a perf-budgets.json has been read once. */
  ready: Promise<void>;
  setUp: SetUpCommand;
  onboarding: Onboarding;
  /** The log's latest lines ("warn Perf Budgets: …"): everything the user was told is among them. */
  recentLog: () => string[];
}

/** The composition root: builds each service once and wires them; nothing else lives here. */
export function activate(context: vscode.ExtensionContext): PerfBudgetsApi {
  // The texts built outside the host's API (src/core, the hovers) use @vscode/l10n: give it the host's bundle.
  if (vscode.l10n.bundle) l10n.config({ contents: vscode.l10n.bundle });
  const version = String(context.extension.packageJSON.version);
  // No process of any kind (git, a benchmark, a service) in an untrusted workspace: checked at
  // every spawn site in src/node, whatever path led there.
  const restoreProcessPolicy = setProcessPolicy(() => (vscode.workspace.isTrusted ? null : 'this workspace is not trusted (Restricted Mode)'));
  const { log, recent: recentLog } = recordingLog(vscode.window.createOutputChannel(OUTPUT_CHANNEL, { log: true }));
  const registry = new BudgetsRegistry(log);
  const locator = new HandlerLocator(registry, log);
  const runner = new BenchmarkRunner(log, context.workspaceState, (folder) => locator.sources(folder));
  const deps = { registry, runner, log, version };
  const causes = new RegressionCauses(locator);
  // Polls each folder's production source (trusted workspaces only) for the hover and the panel.
  const production = new ProductionSources(registry, log);
  const panel = new ComparisonPanel(context.extensionUri, locator, deps, causes, production);
  const tests = new BudgetTests(registry, locator, runner);
  const noVerdict = new NoVerdictExplainer(registry, locator, log);
  const setUp = new SetUpCommand(registry, log);
  const onboarding = new Onboarding(registry, context.workspaceState, context.globalState, log);
  context.subscriptions.push(
    { dispose: restoreProcessPolicy },
    log,
    registry,
    runner,
    locator,
    panel,
    new BudgetStatusBar(registry, runner, COMMANDS.openPanel),
    new HandlerDecorations(registry, locator, context.extensionUri, runner),
    new BudgetDiagnostics(registry, locator),
    tests,
    noVerdict,
    causes,
    production,
    registerHandlerHovers(registry, locator, COMMANDS.openPanel, noVerdict, causes, production),
    registerCodeLenses(registry, locator, COMMANDS.openPanel),
    registerCommands(deps),
    registerAbCommand(registry, runner, log),
    vscode.commands.registerCommand(COMMANDS.openPanel, (arg?: { folder?: string; handler?: string }) => panel.open(arg)),
    registerTaskProvider(registry),
    registerUnclaimedSeriesActions(registry),
    setUp,
    onboarding,
  );
  log.info(`Perf Budgets ${version} activated in VS Code ${vscode.version}`);
  // Reading results is not part of activation: it starts now and finishes in the background.
  const ready = registry
    .refreshFolders()
    .catch((e: unknown) => log.error(`reading folders failed: ${(e as Error).message}`))
    .then(() => onboarding.refresh());
  return { registry, runner, locator, panel, tests, setUp, onboarding, ready, recentLog };
}

export function deactivate(): void {}
