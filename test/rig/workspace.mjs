// Throw-away folders of one run: a copy of a fixture workspace, user-data and extensions dirs.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO } from './codeServer.mjs';
import { onCleanup } from './processes.mjs';

/**
 * A fresh temp root holding workspace/ (copy of test/fixtures/workspaces/NAME), user-data/ and
 * extensions/. Removed at cleanup unless PERF_BUDGETS_KEEP_TMP=1.
 */
export function makeRunDirs(fixture, label) {
  const root = mkdtempSync(path.join(tmpdir(), `perf-budgets-${label}-`));
  const workspace = path.join(root, 'workspace');
  cpSync(path.join(REPO, 'test/fixtures/workspaces', fixture), workspace, { recursive: true });
  const userDataDir = path.join(root, 'user-data');
  const extensionsDir = path.join(root, 'extensions');
  mkdirSync(userDataDir, { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  onCleanup(() => {
    if (process.env.PERF_BUDGETS_KEEP_TMP === '1') console.log(`[rig] kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  });
  return { root, workspace, userDataDir, extensionsDir };
}
