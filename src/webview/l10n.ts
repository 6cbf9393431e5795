/**
 * Loads the panel's translation bundle into @vscode/l10n, which the panel's modules call as
 * `l10n.t('English text {0}', arg)`. The extension host puts `vscode.l10n.bundle` (undefined:
 * English) on <body data-l10n="…"> (src/vscode/comparisonPanel.ts), and
 * `npx @vscode/l10n-dev export -o l10n src/vscode src/webview` extracts the panel's calls into
 * l10n/bundle.l10n.json with the host's, so a translation of the panel needs no code change.
 * main.ts imports this module before any other that translates, so the bundle is loaded first.
 */
import * as l10n from '@vscode/l10n';

function readBundle(): Record<string, string> {
  try {
    // Through globalThis: the panel's modules are also compiled without the DOM's types, and run in plain Node by tests.
    const doc = (globalThis as { document?: { body?: { dataset: Record<string, string | undefined> } | null } }).document;
    const raw = doc?.body?.dataset.l10n;
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, string>) : {};
  } catch {
    return {};
  }
}

l10n.config({ contents: readBundle() });
