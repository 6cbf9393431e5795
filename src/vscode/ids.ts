/** Every id the extension contributes, declared once (package.json must list the same; a test checks). */
export const COMMANDS = {
  rereadResults: 'perfBudgets.rereadResults',
  showLog: 'perfBudgets.showLog',
} as const;

export const CONFIG_FILE = 'perf-budgets.json';
export const OUTPUT_CHANNEL = 'Perf Budgets';
