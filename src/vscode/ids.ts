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
} as const;

export const TASK_TYPE = 'perf-budgets';

export const VIEW_TYPES = {
  comparison: 'perfBudgets.comparison',
} as const;

/** Theme colour ids (contributes.colors), one per verdict shown at a handler. */
export const COLORS = {
  pass: 'perfBudgets.passForeground',
  warn: 'perfBudgets.warnForeground',
  fail: 'perfBudgets.failForeground',
  missing: 'perfBudgets.missingForeground',
  stale: 'perfBudgets.staleForeground',
} as const;

export const CONFIG_FILE = 'perf-budgets.json';
export const OUTPUT_CHANNEL = 'Perf Budgets';
