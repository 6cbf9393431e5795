// Issue #13: the handler hover is trusted for a few commands and shows in Restricted Mode too,
// while its text comes from the workspace. A budget key with a blank line ended the code span it
// was shown in, so perf-budgets.json could add a link that looks like ours ("Open result file")
// running `vscode.open`, which the hover trusted, on any URI. These tests work on a copy of the
// basic fixture added to the workspace, and read the hover's MarkdownString as VS Code gets it.
import * as assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../src/vscode/ids';
import { addWorkspaceFolder, extension, type FolderApi, fixtureFolder, logFromNow, removeWorkspaceFolder, waitFor } from './helpers';

const HANDLER_LINE = 5; // 0-based: app.get('/api/slow', …) in the fixture's src/server.js
const FAKE_LINK = '[Open result file](command:vscode.open?%5B%22file%3A%2F%2F%2Fetc%2Fpasswd%22%5D)';
const HOSTILE_KEY = `GET /api/slow\n\n${FAKE_LINK}`;

/** Each link's destination and arguments: `[title](command:id?args)` (titles may hold escapes). */
function links(md: vscode.MarkdownString): Array<{ target: string; title: string; args: unknown[] }> {
  return [...md.value.matchAll(/(?<=(?:^|[^\\])(?:\\\\)*)\[((?:\\.|[^\\\]])*)\]\(([^)?]*)\??([^)]*)\)/g)].map((m) => ({
    title: m[1]!,
    target: m[2]!,
    args: m[3] ? (JSON.parse(decodeURIComponent(m[3])) as unknown[]) : [],
  }));
}

/** The commands a hover may run. */
function enabledCommands(md: vscode.MarkdownString): readonly string[] {
  return typeof md.isTrusted === 'object' ? md.isTrusted.enabledCommands : md.isTrusted ? ['(all)'] : [];
}

/** The Perf Budgets hovers on the handler line of `dir`'s src/server.js, once `ready` holds for them. */
async function perfHovers(dir: string, ready: (mds: vscode.MarkdownString[]) => boolean): Promise<vscode.MarkdownString[]> {
  const uri = vscode.Uri.file(path.join(dir, 'src/server.js'));
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc);
  const pos = new vscode.Position(HANDLER_LINE, doc.lineAt(HANDLER_LINE).firstNonWhitespaceCharacterIndex + 5);
  return waitFor('the Perf Budgets hover', async () => {
    const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, pos)) ?? [];
    const mds = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => typeof c === 'object' && 'value' in c && c.value.includes('Perf Budgets'));
    return mds.length && ready(mds) ? mds : undefined;
  });
}

/** Every link in the hover runs a command the hover trusts, and that is one of ours; vscode.open is trusted nowhere. */
function assertOnlyOurLinks(md: vscode.MarkdownString): void {
  const trusted = enabledCommands(md);
  assert.ok(!trusted.includes('vscode.open') && !trusted.includes('(all)'), `trusted: ${trusted.join(', ')}`);
  for (const c of trusted) assert.ok(c.startsWith('perfBudgets.'), `trusts ${c}`);
  for (const l of links(md)) {
    assert.ok(l.target.startsWith('command:') && trusted.includes(l.target.slice('command:'.length)), `a link to ${l.target} (${l.title}) in:\n${md.value}`);
  }
  assert.ok(!md.value.includes('](command:vscode.open'), md.value);
}

const activePath = () => vscode.window.activeTextEditor?.document.uri.fsPath;

describe('Hover links (#13)', function () {
  this.timeout(120_000);
  let dir = '';
  let folder: FolderApi;
  let outside = '';
  before(async function () {
    this.timeout(90_000);
    await fixtureFolder();
    dir = mkdtempSync(path.join(tmpdir(), 'pb-hover-links-'));
    cpSync(path.join(extension().extensionPath, 'test/fixtures/workspaces/basic'), path.join(dir, 'ws'), { recursive: true });
    outside = path.join(dir, 'secret.txt');
    writeFileSync(outside, 'not for the workspace to open');
    symlinkSync(outside, path.join(dir, 'ws/perf/results/secret-link.txt'));
    folder = await addWorkspaceFolder(path.join(dir, 'ws'), 'hover-links');
  });
  after(async function () {
    this.timeout(60_000);
    await removeWorkspaceFolder(path.join(dir, 'ws'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('the hover trusts only our commands, and "Open result file" opens the file through perfBudgets.openResultFile', async () => {
    const [md] = await perfHovers(path.join(dir, 'ws'), () => true);
    assertOnlyOurLinks(md!);
    const open = links(md!).find((l) => l.title === 'Open result file');
    assert.ok(open, md!.value);
    assert.equal(open.target, `command:${COMMANDS.openResultFile}`);
    assert.deepEqual(open.args, [{ folder: folder.folder.uri.toString(), file: 'perf/results/slow.txt' }]);
    const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMANDS.openResultFile, ...open.args);
    assert.equal(opened?.fsPath, path.join(dir, 'ws/perf/results/slow.txt'));
    await waitFor('the result file in the editor', () => activePath() === opened.fsPath);
  });

  it('a budget key with a blank line and a fake "Open result file" link is refused, naming the key, and adds no link to the hover', async () => {
    const config = path.join(dir, 'ws/perf-budgets.json');
    const good = readFileSync(config, 'utf8');
    const hostile = JSON.parse(good) as { budgets: Record<string, unknown> };
    hostile.budgets[HOSTILE_KEY] = { p95: '1s', series: 'slow', at: 'src/server.js:6' };
    writeFileSync(config, JSON.stringify(hostile, null, 2));
    try {
      await folder.reload().catch(() => undefined);
      // Before the fix the key was accepted and its budget hovered at the handler line as well.
      const mds = await perfHovers(path.join(dir, 'ws'), (m) => Boolean(folder.error) || m.length > 1);
      const injected = FAKE_LINK.slice(FAKE_LINK.indexOf(']('));
      for (const md of mds) assert.ok(!md.value.includes(injected), `the fake link is a link in:\n${md.value}`);
      for (const md of mds) assertOnlyOurLinks(md);
      assert.match(
        folder.error?.message ?? '(no error)',
        /^perf-budgets\.json:\d+:\d+: budgets\["GET \/api\/slow\\n\\n\[Open result file\]\(command:vscode\.open\?%5B.*"\]: a budget key \(handler id\) may not contain a line break or control character \(U\+000A\)$/,
      );
    } finally {
      writeFileSync(config, good);
      await folder.reload().catch(() => undefined);
    }
  });

  it('perfBudgets.openResultFile opens nothing outside its workspace folder, and says why in one line', async () => {
    const ws = folder.folder.uri.toString();
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(dir, 'ws/src/server.js')));
    const before = activePath();
    const log = await logFromNow();
    const refused: Array<[unknown, RegExp]> = [
      [{ folder: ws, file: '../secret.txt' }, /"\.\.\/secret\.txt": it is outside the workspace folder\.$/],
      [{ folder: ws, file: outside }, /: it is outside the workspace folder\.$/],
      [{ folder: ws, file: 'perf/results/secret-link.txt' }, /"perf\/results\/secret-link\.txt": it is outside the workspace folder\.$/],
      [{ folder: ws, file: 'perf' }, /"perf": it is not a regular file\.$/],
      [{ folder: vscode.Uri.file(dir).toString(), file: 'secret.txt' }, /"secret\.txt": its folder is not open in this window\.$/],
      [vscode.Uri.file(outside), /the result file: the link names no folder and file\.$/],
      [undefined, /the result file: the link names no folder and file\.$/],
    ];
    const refusals = () => log().filter((l) => l.startsWith('error Perf Budgets: not opening'));
    for (const [i, [arg, why]] of refused.entries()) {
      const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>(COMMANDS.openResultFile, arg);
      assert.equal(opened, undefined, JSON.stringify(arg));
      const line = await waitFor(`the refusal of ${JSON.stringify(arg)}`, () => refusals()[i]);
      assert.match(line, why);
      assert.doesNotMatch(line, /[\n\r\u2028\u2029]/);
    }
    assert.equal(refusals().length, refused.length);
    assert.equal(activePath(), before, 'the editor did not change');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => (t.input instanceof vscode.TabInputText ? t.input.uri.fsPath : ''));
    assert.ok(!tabs.includes(outside), tabs.join(', '));
  });
});
