// What an e2e test drives: the code-server workbench page, acting as a user would (keyboard,
// reading what is on screen). test/e2e/run.mjs sets the session up before any test runs.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { requireTools, type ToolName } from '../rig/tools.cjs';

export interface E2ESession {
  page: Page;
  /** Absolute path of the temp copy of test/fixtures/workspaces/basic the workbench has open. */
  workspace: string;
  /** Folder for screenshots (test-results/e2e). */
  screenshots: string;
  /**
   * Opens a temp copy of test/fixtures/workspaces/<fixture> (after `prepare`) in a new workbench tab.
   * `trusted: false`: on a code-server of its own with workspace trust on (restricted mode).
   */
  openWorkspace(fixture: string, prepare?: (dir: string) => void | Promise<void>, options?: WorkspaceOptions): Promise<OpenedWorkspace>;
}

export interface WorkspaceOptions {
  /** Default true. False: workspace trust stays enabled and the folder opens in restricted mode. */
  trusted?: boolean;
  /**
   * With `trusted: false` only: extra environment of that code-server (and so of its extension
   * host), or a function of the run's folders (`root` holds `workspace/`) that returns it.
   */
  env?: Record<string, string> | ((dirs: { root: string; workspace: string }) => Record<string, string>);
  /** Programs the suite runs (test/rig/tools.cjs): when one is missing the suite is skipped, saying which and how to install it. */
  needs?: ToolName[];
}

export interface OpenedWorkspace {
  page: Page;
  workspace: string;
  /** The workbench URL of the tab (for a reload). */
  url: string;
  close(): Promise<void>;
}

export function session(): E2ESession {
  const s = (globalThis as { perfBudgetsE2E?: E2ESession }).perfBudgetsE2E;
  assert.ok(s, 'e2e tests run through test/e2e/run.mjs (npm run test:e2e), which starts code-server and Chromium');
  return s;
}

export const page = (): Page => session().page;

/**
 * Mocha hooks for a suite on its own fixture workspace: before() opens a temp copy of
 * test/fixtures/workspaces/<fixture> (after `prepare(dir)`, e.g. a git init) in a second workbench
 * tab and points page()/session().workspace at it; after() closes the tab and gives the other
 * suites back the basic workspace. Returns a getter of the opened workspace. `options.trusted:
 * false` opens it in restricted mode (workspace trust on, on a code-server of its own).
 */
export function useWorkspace(fixture: string, prepare?: (dir: string) => void | Promise<void>, options?: WorkspaceOptions): () => OpenedWorkspace {
  let opened: OpenedWorkspace | undefined;
  let saved: { page: Page; workspace: string } | undefined;
  before(async function () {
    this.timeout(120_000);
    requireTools(this, options?.needs ?? []);
    const s = session();
    opened = await s.openWorkspace(fixture, prepare, options);
    saved = { page: s.page, workspace: s.workspace };
    s.page = opened.page;
    s.workspace = opened.workspace;
  });
  after(async () => {
    const s = session();
    if (saved) {
      s.page = saved.page;
      s.workspace = saved.workspace;
      await saved.page.bringToFront().catch(() => {});
    }
    await opened?.close();
  });
  return () => {
    assert.ok(opened, `workspace ${fixture} is not open (useWorkspace's before hook failed?)`);
    return opened;
  };
}

/** Pick a colour theme by name ("Default Light Modern") from "Preferences: Color Theme". */
export async function setColorTheme(name: string): Promise<void> {
  await runCommand('Preferences: Color Theme', { closesPalette: false });
  await typeInQuickInput(name);
  await assertEventually(
    async () => {
      const label = (await page().locator('.quick-input-list .monaco-list-row.focused').getAttribute('aria-label', { timeout: 1000 }).catch(() => '')) ?? '';
      // "Browse Additional Color Themes..." stays on top of the filtered list: arrow down to the theme.
      if (!label.split(', ').includes(name)) await page().keyboard.press('ArrowDown');
      return label;
    },
    // aria-label "Light Modern, Default Light Modern": the label, then the theme's name
    (l) => l.split(', ').includes(name),
    `the theme picker to select ${name}`,
  );
  await acceptQuickInput();
}

/** Scroll line n into view (Go to Line/Column...), as a user would: only visible lines are rendered. */
export async function revealLine(n: number): Promise<void> {
  await runCommand('Go to Line/Column...', { closesPalette: false });
  await typeInQuickInput(String(n));
  await acceptQuickInput();
  await quickInput().waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Save a named screenshot into test-results/e2e/. */
export async function screenshot(name: string): Promise<string> {
  const file = path.join(session().screenshots, `${name.replace(/[^\w.-]+/g, '-').replace(/^-|-$/g, '')}.png`);
  await page().screenshot({ path: file });
  return file;
}

/** The quick input closed before it had the keyboard focus: something else took the focus. */
class QuickInputClosed extends Error {}

/**
 * Give the open quick input (palette, Quick Open, a picker) the keyboard focus, and wait until it
 * has it. F1 from a focused webview moves the focus to the input a moment after the widget shows,
 * and a webview being revealed takes the focus a moment later (VS Code focuses it asynchronously),
 * which closes the palette: keys pressed then go to the webview. Throws QuickInputClosed when the
 * input closed; otherwise fails naming what holds the focus instead.
 */
async function focusQuickInput(input: Locator): Promise<void> {
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  const seen = await assertEventually(
    async () => {
      if (!(await input.isVisible())) return 'closed';
      const focused = await input
        .evaluate((el) => {
          const a = el.ownerDocument.activeElement;
          return a === el ? 'the input' : a ? `${a.tagName.toLowerCase()}.${[...a.classList].join('.')}${el.ownerDocument.hasFocus() ? '' : ' (page not focused)'}` : 'nothing';
        }, undefined, { timeout: 1000 })
        .catch((e: Error) => `unreadable: ${e.message.split('\n')[0]}`);
      if (focused !== 'the input') await input.focus({ timeout: 1000 }).catch(() => {});
      return focused;
    },
    (focused) => focused === 'the input' || focused === 'closed',
    'the quick input to take the keyboard focus',
  );
  if (seen === 'closed') throw new QuickInputClosed('the quick input closed before it had the keyboard focus');
}

/** The input of the quick input widget (palette, Quick Open, pickers). */
export const quickInput = () => page().locator('.quick-input-widget input.input');

/**
 * Type into the open quick input as a user does, once it has the focus; if keys were still lost,
 * put the intended text in the input before going on.
 */
export async function typeInQuickInput(text: string): Promise<Locator> {
  const input = quickInput();
  await focusQuickInput(input);
  const before = await input.inputValue();
  await page().keyboard.type(text, { delay: 5 });
  if ((await input.inputValue()) !== before + text) await input.fill(before + text);
  return input;
}

/** Enter in the open quick input, making sure the key goes there. */
export async function acceptQuickInput(): Promise<void> {
  await focusQuickInput(quickInput());
  await page().keyboard.press('Enter');
}

/**
 * F1, type the command's title, check it is the selected entry, Enter — as a user runs a command.
 * Commands that open another picker (Go to File...) pass `{ closesPalette: false }`.
 */
export async function runCommand(title: string, { closesPalette = true } = {}): Promise<void> {
  const p = page();
  const focused = p.locator('.quick-input-list .monaco-list-row.focused');
  const rows = p.locator('.quick-input-list .monaco-list-row');
  // A busy machine can drop or reorder keys after the check in typeInQuickInput, or the list can
  // answer a half-typed query ("similar commands"): each attempt puts the whole query back and
  // waits for the entry; a third attempt that still does not list it fails with what it saw.
  for (let attempt = 1; ; attempt++) {
    await p.keyboard.press('Escape');
    await p.keyboard.press('F1');
    let input: Locator;
    try {
      input = await typeInQuickInput(title);
    } catch (e) {
      if (!(e instanceof QuickInputClosed) || attempt === 3) throw e;
      console.log(`      [e2e] the palette closed before "${title}" was typed (the focus went elsewhere); F1 again`);
      continue;
    }
    const query = await input.inputValue();
    try {
      await assertEventually(
        async () => {
          if ((await input.inputValue().catch(() => query)) !== query) await input.fill(query).catch(() => {});
          const label = (await focused.getAttribute('aria-label', { timeout: 1000 }).catch(() => '')) ?? '';
          // The palette ranks fuzzy matches; when another entry is on top, arrow down to the one named.
          if (!label.startsWith(title)) {
            const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? '')).catch(() => [] as string[]);
            if (labels.some((l) => l.startsWith(title))) await p.keyboard.press('ArrowDown');
          }
          return label;
        },
        (label) => label.startsWith(title),
        `the palette to select "${title}"`,
      );
    } catch (e) {
      if (attempt === 3) throw e;
      console.log(`      [e2e] the palette did not list "${title}" (attempt ${attempt}): ${(e as Error).message.split('\n')[0]}; F1 again`);
      continue;
    }
    await acceptQuickInput();
    if (closesPalette) await input.waitFor({ state: 'hidden', timeout: 10_000 });
    return;
  }
}

/**
 * Open a workspace file through Quick Open (F1 "Go to File..."), as a user would; returns its editor.
 * In a multi-root workspace pass the folder's name: Quick Open does not match 'folder/…' paths, so
 * the file's absolute path is typed instead.
 *
 * Enter is pressed only once the focused entry is this very file. Quick Open first lists recently
 * opened files, and another folder's src/server.js has the same name: its row is described
 * "alpha • src" (multi-root) or "express/src" (one folder), so the description must match too.
 */
export async function openFile(relativePath: string, { folder }: { folder?: string } = {}): Promise<Locator> {
  const p = page();
  await runCommand('Go to File...', { closesPalette: false });
  await typeInQuickInput(folder ? path.join(session().workspace, folder, relativePath) : relativePath);
  const segments = relativePath.split('/');
  const name = segments.pop()!;
  const expected = [folder, ...segments].filter((s): s is string => !!s);
  // The row's aria-label is "<name> <description>, <section>", e.g. "server.js beta • src, file results"
  // or "perf-budgets.json broken, recently opened".
  const describes = (label: string) => {
    const rest = label.replace(/, [a-z ]+$/, '');
    if (!rest.startsWith(name)) return false;
    const description = rest.slice(name.length).trim();
    const parts = description ? description.split(/\s*[•/]\s*/) : [];
    return parts.join('/') === expected.join('/');
  };
  await assertEventually(
    async () => (await p.locator('.quick-input-list .monaco-list-row.focused').getAttribute('aria-label', { timeout: 1000 }).catch(() => '')) ?? '',
    describes,
    `Quick Open to focus ${[folder, relativePath].filter(Boolean).join(' › ')}`,
    // Quick Open searches the files: on a busy machine the first search of a workspace is slow.
    45_000,
  );
  await acceptQuickInput();
  const editor = p.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 10_000 });
  return editor;
}

/** The status bar item of the extension (its `name` is "Perf Budgets"). */
export function statusBarItem(): Locator {
  return page().locator('.statusbar-item[id$="perfBudgets.status"]');
}

/** Text of the visible notification toasts, newest last. */
export async function notificationTexts(): Promise<string[]> {
  return page().locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
}

/** Text of the lines the active editor (or output view) shows. */
export async function visibleLines(scope: Locator): Promise<string[]> {
  return (await scope.locator('.view-lines .view-line').allInnerTexts()).map((l) => l.replace(/\u00a0/g, ' '));
}

/** Poll `read` until `ok` holds (at most timeoutMs), then return the value; the assertion names `what`. */
export async function assertEventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (ok(last)) return last;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Text a user sees at the end of an editor line from `after` decorations (rendered by VS Code as
 * CSS ::after content, so innerText does not hold it). lineNumber is 1-based, as on screen.
 */
export async function afterDecorationText(editor: Locator, lineNumber: number): Promise<string> {
  // One atomic read in the page: line numbers and view lines are matched by their `top`, which
  // moves when a CodeLens appears, so both must be read at the same moment.
  return editor
    .evaluate((root, n) => {
      const num = [...root.querySelectorAll('.margin-view-overlays .line-numbers')].find((el) => el.textContent?.trim() === String(n));
      const top = (num?.parentElement as HTMLElement | undefined)?.style.top;
      const line = [...root.querySelectorAll<HTMLElement>('.view-lines .view-line')].find((el) => top && el.style.top === top);
      if (!line) return '';
      // The verdict mark is a ::before, the text an ::after, of spans at the end of the line.
      return [...line.querySelectorAll('span')]
        .flatMap((span) => [getComputedStyle(span, '::before').content, getComputedStyle(span, '::after').content])
        .filter((c) => c && c !== 'none' && c !== 'normal')
        .map((c) => c.replace(/^"|"$/g, ''))
        .join(' ');
    }, lineNumber, { timeout: 2000 })
    .catch(() => '');
}

/**
 * Hover the mouse over `target` as a user would and return the hover's text once it contains
 * `expected`. Re-hovers (mouse away and back) while waiting: a hover that opened before the
 * provider had its data, or closed again, does not fail the test.
 */
export async function hoverText(target: Locator, expected: string | RegExp, timeoutMs = 30_000): Promise<string> {
  const p = page();
  const hover = p.locator('.monaco-hover:not(.hidden)').first();
  const matches = (t: string) => (typeof expected === 'string' ? t.includes(expected) : expected.test(t));
  return assertEventually(
    async () => {
      await p.mouse.move(5, 5);
      await target.hover({ timeout: 5000 });
      const deadline = Date.now() + 3000;
      let text = '';
      while (Date.now() < deadline && !matches(text)) {
        text = await hover.innerText({ timeout: 500 }).catch(() => '');
        if (!matches(text)) await new Promise((r) => setTimeout(r, 150));
      }
      return text;
    },
    matches,
    `a hover containing ${expected}`,
    timeoutMs,
  );
}
