import * as vscode from 'vscode';

/** The one typed gate for the extension's settings (package.json contributes.configuration). */
export const SETTINGS = {
  decorationMetrics: 'perfBudgets.decorations.metrics',
  decorationDetail: 'perfBudgets.decorations.detail',
  gutterIcons: 'perfBudgets.decorations.gutterIcons',
  codeLens: 'perfBudgets.codeLens.enabled',
  maxRuns: 'perfBudgets.runHistory.maxRuns',
  baselineRef: 'perfBudgets.baseline.ref',
  allowRemoteHosts: 'perfBudgets.http.allowRemoteHosts',
  maxSeriesPerFile: 'perfBudgets.results.maxSeriesPerFile',
  staleBreaches: 'perfBudgets.diagnostics.staleBreaches',
  productionPollInterval: 'perfBudgets.production.pollInterval',
} as const;

export interface Settings {
  /** Which budgeted metrics the end-of-line decoration shows: the worst one (default), all of them, or p95. */
  decorationMetrics: 'worst' | 'budgeted' | 'p95';
  /** "short": "✓ p95 98 ms ≤ 150 ms"; "detailed": with the margin and the change from the baseline. */
  decorationDetail: 'short' | 'detailed';
  gutterIcons: boolean;
  codeLens: boolean;
  maxRuns: number;
  /** Git ref of the baseline to compare with; "" = the working-tree file. */
  baselineRef: string;
  /** Non-loopback hosts the built-in HTTP benchmark may send to: the user's own settings only. */
  allowRemoteHosts: string[];
  /** Series read at most from one result file (the rest is skipped, and the log says so). */
  maxSeriesPerFile: number;
  /** Breaches from stale results (the handler's code changed since the run) in Problems: as Warnings, or not at all. */
  staleBreaches: 'warning' | 'hide';
  /** Seconds between polls of a production source (at least 15). */
  productionPollSec: number;
}

export function readSettings(scope?: vscode.ConfigurationScope): Settings {
  const c = vscode.workspace.getConfiguration(undefined, scope);
  const metrics = c.get<string>(SETTINGS.decorationMetrics, 'worst');
  return {
    decorationMetrics: metrics === 'p95' || metrics === 'budgeted' ? metrics : 'worst',
    decorationDetail: c.get<string>(SETTINGS.decorationDetail, 'short') === 'detailed' ? 'detailed' : 'short',
    gutterIcons: c.get<boolean>(SETTINGS.gutterIcons, false),
    codeLens: c.get<boolean>(SETTINGS.codeLens, true),
    maxRuns: Math.max(1, Math.min(1000, Math.floor(c.get<number>(SETTINGS.maxRuns, 50)))),
    baselineRef: c.get<string>(SETTINGS.baselineRef, 'HEAD').trim(),
    allowRemoteHosts: userHosts(c.inspect<unknown>(SETTINGS.allowRemoteHosts)?.globalValue),
    maxSeriesPerFile: Math.max(1, Math.min(100_000, Math.floor(c.get<number>(SETTINGS.maxSeriesPerFile, 2000)))),
    staleBreaches: c.get<string>(SETTINGS.staleBreaches, 'warning') === 'hide' ? 'hide' : 'warning',
    productionPollSec: Math.max(15, Math.min(86_400, Math.floor(c.get<number>(SETTINGS.productionPollInterval, 60)) || 60)),
  };
}

/**
 * The user (or remote machine) value only: a workspace or folder value — .vscode/settings.json,
 * which a pull request can change — never lets a workspace load another host.
 */
function userHosts(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((h): h is string => typeof h === 'string') : [];
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return Object.values(SETTINGS).some((key) => e.affectsConfiguration(key));
}
