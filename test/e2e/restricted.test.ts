// Restricted Mode in the real VS Code, with workspace trust on (issue #13): a folder from a
// stranger whose .git/config names commands that git would run. Each crafted folder opens on a
// code-server of its own, untrusted. The test asserts:
// - no process starts: no marker file appears, and a `git` placed first on the extension host's
//   PATH (it logs every call, then runs the real git) is never called while the folder is untrusted;
// - the decorations and the panel still show what the working-tree files say, labelled as the
//   working-tree baseline, with the git-based actions greyed out and one line saying why;
// - after "Trust", Perf Budgets reads again with git: a refused ref gives its message, HEAD's
//   baseline is compared with, a partial clone's missing blob is not fetched, and still no marker.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Locator } from 'playwright-core';
import { baselineDoc, cell, git, openPanel, panel, panelTab } from './panelView';
import { acceptQuickInput, afterDecorationText, assertEventually, hoverText, openFile, page, runCommand, screenshot, typeInQuickInput, useWorkspace } from './workbench';

/** p95s [GET, POST] of the committed (HEAD) and the working-tree baseline. */
const HEAD_BASELINE = [25, 125] as const;
const WORKING_BASELINE = [40, 120] as const;
/** src/server.js lines (1-based) of the handlers. */
const GET_LINE = 7;
const POST_LINE = 11;

/** Everything a test of one crafted folder needs to see what ran: markers and the git log. */
interface Traps {
  root: string;
  /** Marker files present beside the workspace (a configured command ran). */
  markers(): string[];
  /** Commands git ran in the extension host, one GIT_TRACE line each ("… trace: built-in: git rev-parse …"). */
  gitCalls(): string[];
}

function traps(workspace: string): Traps {
  const root = path.dirname(workspace);
  const log = path.join(root, 'git-calls.log');
  return {
    root,
    markers: () => readdirSync(root).filter((f) => f.endsWith('.marker')),
    gitCalls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((l) => /trace: (built-in|exec|run_command)/.test(l)) : []),
  };
}

/**
 * Git traces every command it runs (GIT_TRACE) to ROOT/git-calls.log: the extension host inherits
 * the variable from its code-server. (A `git` wrapper first on PATH would not do: the server
 * takes PATH from the login shell, which resets it.)
 */
function gitTraceEnv({ root }: { root: string }): Record<string, string> {
  return { GIT_TRACE: path.join(root, 'git-calls.log') };
}

/** The fixture as a repository: HEAD's baseline committed, another one in the working tree. */
function commitBaselines(dir: string): void {
  git(dir, 'init', '-q');
  writeFileSync(path.join(dir, 'perf/baseline.json'), baselineDoc(HEAD_BASELINE, 'c0ffee0000000000000000000000000000000000'));
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'baseline');
  writeFileSync(path.join(dir, 'perf/baseline.json'), baselineDoc(WORKING_BASELINE, 'dddddddddddddddddddddddddddddddddddddddd'));
}

async function decorationAt(editor: Locator, line: number, ok: (t: string) => boolean): Promise<string> {
  return assertEventually(() => afterDecorationText(editor, line), ok, `the decoration at line ${line}`, 30_000);
}

const baselineLabel = () => panel().locator('header .side').nth(1).locator('.side-label').innerText({ timeout: 2000 }).catch(() => '');
const notes = () => panel().locator('header .note').allInnerTexts().catch(() => [] as string[]);
const cellText = (handler: string, column: string) => cell(handler, column).catch(() => '');

/** Grants trust as a user does: the Workspace Trust editor's "Trust" button. */
async function trustFolder(): Promise<void> {
  await runCommand('Workspaces: Manage Workspace Trust');
  const trust = page().locator('.workspace-trust-editor .workspace-trust-buttons-row .monaco-button', { hasText: /^Trust/ }).first();
  await trust.waitFor({ state: 'visible', timeout: 20_000 });
  await screenshot('restricted-trust-editor');
  await trust.click();
  await assertEventually(
    () => page().locator('.statusbar-item').allInnerTexts(),
    (t) => !t.some((x) => /Restricted Mode/.test(x)),
    'the Restricted Mode indicator to go away',
    30_000,
  );
  // Close the trust editor; the panel comes to the front again.
  await runCommand('View: Close Editor');
  await panelTab().click();
}

/** Grants trust, then waits for the panel's note that says `text` (what the read with git found). */
async function trustAndExpectNote(text: string, what: string): Promise<void> {
  await trustFolder();
  await assertEventually(notes, (n) => n.some((s) => s.includes(text)), what, 30_000);
}

async function expectRestrictedMode(t: Traps): Promise<Locator> {
  await assertEventually(
    () => page().locator('.statusbar-item').allInnerTexts(),
    (x) => x.some((s) => /Restricted Mode/.test(s)),
    'the Restricted Mode indicator',
    30_000,
  );
  // The working-tree files still show: 30 ms against 100 ms, and against the working-tree
  // baseline's 40 ms (−25%).
  const editor = await openFile('src/server.js');
  const get = await decorationAt(editor, GET_LINE, (s) => s.startsWith('✓ p95 30 ms ≤ 100 ms'));
  assert.match(get, /^✓ p95 30 ms ≤ 100 ms(?: · improved −25%)?$/);
  await decorationAt(editor, POST_LINE, (s) => s.startsWith('✓ p95 150 ms ≤ 300 ms'));
  const tip = await hoverText(editor.locator('.view-line span', { hasText: /^get$/ }).first(), 'git is not run in Restricted Mode');
  assert.match(tip, /Baseline: working tree: perf\/baseline\.json — git is not run in Restricted Mode/);
  await screenshot('restricted-hover');
  await page().keyboard.press('Escape');
  await openPanel();
  await assertEventually(baselineLabel, (s) => s === 'Baseline (working tree: perf/baseline.json — git is not run in Restricted Mode)', 'the panel to name the working-tree baseline', 30_000);
  assert.equal(await cellText('GET /api/items', 'baseline'), '40 ms');
  const shown = await notes();
  assert.ok(
    shown.some((n) => n.includes('Restricted Mode: git is not run, so the baseline is the working-tree file. Trust this folder to compare with HEAD or another ref and to run benchmarks.')),
    JSON.stringify(shown),
  );
  assert.equal(await panel().locator('#pick-baseline').isDisabled(), true, 'Baseline… is greyed out');
  assert.equal(await panel().locator('#run-again').isDisabled(), true, 'Run again is greyed out');
  assert.deepEqual(t.markers(), [], 'no configured command ran');
  assert.deepEqual(t.gitCalls(), [], 'git was not run at all');
  return editor;
}

describe('Restricted Mode: a folder whose .git/config sets core.fsmonitor (and whose settings ask for ref ":0")', function () {
  this.timeout(240_000);
  const ws = useWorkspace(
    'restricted',
    (dir) => {
      commitBaselines(dir);
      const marker = path.join(path.dirname(dir), 'fsmonitor.marker');
      git(dir, 'config', 'core.fsmonitor', `touch '${marker}'; false`);
      mkdirSync(path.join(dir, '.vscode'), { recursive: true });
      writeFileSync(path.join(dir, '.vscode/settings.json'), JSON.stringify({ 'perfBudgets.baseline.ref': ':0' }, null, 2));
    },
    { trusted: false, env: gitTraceEnv },
  );

  it('shows the working-tree results and baseline, runs no process, and greys out what needs git', async () => {
    const t = traps(ws().workspace);
    await expectRestrictedMode(t);
    await screenshot('restricted-fsmonitor-panel');
    // Every panel update would have run `git rev-parse HEAD` before: update it and look again.
    writeFileSync(path.join(ws().workspace, 'perf/baseline.json'), baselineDoc([50, 120], 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee'));
    await assertEventually(() => cellText('GET /api/items', 'baseline'), (s) => s === '50 ms', 'the panel to follow the working-tree baseline', 30_000);
    assert.deepEqual(t.gitCalls(), [], 'no git on panel updates');
    assert.deepEqual(t.markers(), []);
  });

  it('after Trust: the ":0" ref is refused with its message, HEAD is compared with, and no marker appears', async () => {
    const t = traps(ws().workspace);
    await trustAndExpectNote('not a git ref: ":0"', 'the refused ref’s message in the panel');
    await screenshot('restricted-fsmonitor-trusted-refused-ref');
    // The user picks HEAD in the panel's baseline picker: the committed baseline (25 ms).
    await panel().locator('#pick-baseline').click();
    await runPick('HEAD');
    await assertEventually(baselineLabel, (s) => s === 'Baseline (HEAD:perf/baseline.json)', 'the panel to compare with HEAD', 30_000);
    await assertEventually(() => cellText('GET /api/items', 'baseline'), (s) => s === '25 ms', 'HEAD’s baseline in the panel', 30_000);
    await screenshot('restricted-fsmonitor-trusted-head');
    const calls = t.gitCalls();
    assert.ok(calls.length > 0, 'git runs once the folder is trusted');
    assert.ok(!calls.some((c) => /\s:0\b/.test(c)), `":0" never reached git: ${JSON.stringify(calls)}`);
    assert.deepEqual(t.markers(), [], 'core.fsmonitor never ran');
  });
});

describe('Restricted Mode: a partial clone whose baseline blob git would fetch through core.sshCommand', function () {
  this.timeout(240_000);
  const ws = useWorkspace(
    'restricted',
    (dir) => {
      commitBaselines(dir);
      // The committed baseline's blob goes; the repository says a promisor remote over ssh has it.
      const blob = git(dir, 'rev-parse', 'HEAD:perf/baseline.json').trim();
      unlinkSync(path.join(dir, '.git/objects', blob.slice(0, 2), blob.slice(2)));
      const marker = path.join(path.dirname(dir), 'ssh.marker');
      for (const [k, v] of [
        ['core.repositoryformatversion', '1'],
        ['extensions.partialClone', 'origin'],
        ['remote.origin.url', 'ssh://127.0.0.1/nothing.git'],
        ['remote.origin.promisor', 'true'],
        ['core.sshCommand', `touch '${marker}'; false`],
      ] as const) {
        git(dir, 'config', k, v);
      }
    },
    { trusted: false, env: gitTraceEnv },
  );

  it('shows the working-tree results and baseline, and runs no process', async () => {
    await expectRestrictedMode(traps(ws().workspace));
    await screenshot('restricted-promisor-panel');
  });

  it('after Trust: the missing blob is not fetched, the message says why, and no marker appears', async () => {
    const t = traps(ws().workspace);
    await trustAndExpectNote('perf/baseline.json at HEAD is not in this partial clone, and Perf Budgets does not fetch it', 'the partial-clone message in the panel');
    await screenshot('restricted-promisor-trusted');
    assert.ok(t.gitCalls().length > 0, 'git runs once the folder is trusted');
    assert.deepEqual(t.markers(), [], 'core.sshCommand never ran');
  });
});

/** Picks an entry of the open quick pick by its label. */
async function runPick(label: string): Promise<void> {
  const input = await typeInQuickInput(label);
  await assertEventually(
    () => page().locator('.quick-input-list .monaco-list-row.focused').getAttribute('aria-label', { timeout: 1000 }).catch(() => ''),
    (l) => !!l?.startsWith(label),
    `the picker to select ${label}`,
  );
  await acceptQuickInput();
  await input.waitFor({ state: 'hidden', timeout: 10_000 });
}
