/** Every id the extension contributes, declared once (package.json must list the same; a test checks). */
export const COMMANDS = {
  runBenchmarks: 'perfBudgets.runBenchmarks',
  runBenchmark: 'perfBudgets.runBenchmark',
  rereadResults: 'perfBudgets.rereadResults',
  updateBaseline: 'perfBudgets.updateBaseline',
  openPanel: 'perfBudgets.openPanel',
  showLog: 'perfBudgets.showLog',
  compareWithRef: 'perfBudgets.compareWithRef',
  /** The hover's links to result files: `{ folder, file }`, opened only inside that workspace folder. */
  openResultFile: 'perfBudgets.openResultFile',
  /** "Why no p95 here?" at a handler without a verdict: `{ uri, line }`, from its CodeLens or hover. */
  explainNoVerdict: 'perfBudgets.explainNoVerdict',
  /** The "why it regressed" hover's link: `{ folder, file, from, to, line }`, a diff of the file between two commits. */
  openHandlerDiff: 'perfBudgets.openHandlerDiff',
  /** Proposes a perf-budgets.json from the folder's routes, load tests and result files. */
  setUp: 'perfBudgets.setUp',
} as const;

export const TASK_TYPE = 'perf-budgets';

/** Files at a commit, read through the hardened git (whyRegressed.ts): the diff editor's sides. */
export const REVISION_SCHEME = 'perf-budgets-rev';

export const VIEW_TYPES = {
  comparison: 'perfBudgets.comparison',
} as const;

/** Theme colour ids (contributes.colors), one per verdict shown at a handler. */
export const TEXT_COLOR = 'perfBudgets.decorationForeground';

export const COLORS = {
  pass: 'perfBudgets.passForeground',
  warn: 'perfBudgets.warnForeground',
  fail: 'perfBudgets.failForeground',
  missing: 'perfBudgets.missingForeground',
  stale: 'perfBudgets.staleForeground',
} as const;

export const CONFIG_FILE = 'perf-budgets.json';

/** The onboarding's status-bar item, and what it remembers (workspace / global state). */
export const ONBOARDING = {
  statusItem: 'perfBudgets.status.setUp',
  notifiedKey: 'perfBudgets.onboarding.notified',
  neverKey: 'perfBudgets.onboarding.never',
} as const;
export const OUTPUT_CHANNEL = 'Perf Budgets';

/**
 * Files that say "this folder has request handlers or a load test" (package.json's
 * `workspaceContains` activation events list the same globs; the manifest test checks). By name
 * only, so that activation stays cheap: the set-up itself reads the contents. No braces: a group
 * of these is put in braces, and VS Code's globs do not nest them.
 */
export const SET_UP_HINTS = [
  '**/locustfile.py',
  '**/*.jmx',
  '**/artillery*.yml',
  '**/artillery*.yaml',
  '**/k6/**/*.js',
  '**/*.k6.js',
  '**/load/**/*.js',
  '**/load/**/*.py',
  '**/load/**/*.yml',
  '**/app.py',
  '**/main.py',
  '**/manage.py',
  '**/main.go',
  '**/server.js',
  '**/server.ts',
  '**/server.mjs',
  '**/app.js',
  '**/app.ts',
  '**/routes/**/*.js',
  '**/routes/**/*.ts',
  '**/routes/**/*.py',
  '**/*Controller.java',
  '**/*Controller.kt',
] as const;
