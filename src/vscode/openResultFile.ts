import * as vscode from 'vscode';
import { oneLine, quote } from '../core/errors';
import { realFileInside } from '../node/realFileInside';
import { tell } from './userLog';

/**
 * COMMANDS.openResultFile: what the hover's result-file links run, with `{ folder, file }` (a
 * workspace folder's URI, a path relative to it). The arguments come from a link in Markdown the
 * workspace's files fill in, so it opens only a regular file whose real path lies inside that
 * folder, which must be open in this window; anything else is a one-line error and opens nothing.
 * Resolves to the URI opened, or undefined.
 */
export async function openResultFile(arg: unknown, log: vscode.LogOutputChannel): Promise<vscode.Uri | undefined> {
  const a = (typeof arg === 'object' && arg !== null ? arg : {}) as { folder?: unknown; file?: unknown };
  const file = typeof a.file === 'string' ? a.file : undefined;
  const refuse = (why: string) => {
    void tell(log, 'error', oneLine(vscode.l10n.t('Perf Budgets: not opening {0}: {1}.', file === undefined ? vscode.l10n.t('the result file') : quote(file, 80), why)));
    return undefined;
  };
  if (file === undefined || typeof a.folder !== 'string') return refuse(vscode.l10n.t('the link names no folder and file'));
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === a.folder);
  if (!folder) return refuse(vscode.l10n.t('its folder is not open in this window'));
  if (folder.uri.scheme !== 'file') return refuse(vscode.l10n.t('its folder is not on this machine'));
  const found = realFileInside(folder.uri.fsPath, file);
  if (!found.ok) return refuse(found.reason);
  const uri = vscode.Uri.file(found.path);
  await vscode.commands.executeCommand('vscode.open', uri);
  return uri;
}
