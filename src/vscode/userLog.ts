import * as vscode from 'vscode';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const LEVELS: ReadonlySet<string> = new Set<Level>(['trace', 'debug', 'info', 'warn', 'error']);

/** How many of the log's latest lines the API keeps (what the tests read; bounded). */
export const RECENT_LOG_LINES = 500;

/**
 * The extension's one LogOutputChannel, unchanged for its users, that also keeps its latest
 * lines ("warn benchmark x was cancelled…"): the extension host cannot read an output channel
 * back, and the integration tests assert what the user was told through these.
 */
export function recordingLog(channel: vscode.LogOutputChannel, keep = RECENT_LOG_LINES): { log: vscode.LogOutputChannel; recent: () => string[] } {
  const lines: string[] = [];
  const log = new Proxy(channel, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && LEVELS.has(prop)) {
        return (message: string | Error, ...args: unknown[]) => {
          lines.push(`${prop} ${message instanceof Error ? message.message : message}`);
          if (lines.length > keep) lines.splice(0, lines.length - keep);
          return (value as (...a: unknown[]) => void).call(target, message, ...args);
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  });
  return { log, recent: () => [...lines] };
}

/**
 * Tells the user `text` in a notification and writes the same line to the log, so the log is the
 * record of everything the user was told (and what the tests assert).
 */
export function tell(log: vscode.LogOutputChannel, level: 'info' | 'warn' | 'error', text: string, ...items: string[]): Thenable<string | undefined> {
  log[level](text);
  if (level === 'error') return vscode.window.showErrorMessage(text, ...items);
  if (level === 'warn') return vscode.window.showWarningMessage(text, ...items);
  return vscode.window.showInformationMessage(text, ...items);
}
