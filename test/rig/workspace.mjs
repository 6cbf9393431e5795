// Throw-away folders of one run: a copy of a fixture workspace, user-data and extensions dirs.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO } from './codeServer.mjs';
import { onCleanup } from './processes.mjs';

/** What a local run of an example leaves behind (examples/.gitignore): never copied. */
const LEFTOVERS = /[\\/](perf[\\/]results|\.perf-budgets|\.bench|ebin|__pycache__|\.benchmarks|node_modules)$/;

/** "basic" -> test/fixtures/workspaces/basic; a path with a slash ("examples/lydian-iq") -> under the repo. */
export function fixtureDir(fixture) {
  return fixture.includes('/') ? path.join(REPO, fixture) : path.join(REPO, 'test/fixtures/workspaces', fixture);
}

/**
 * A fresh temp root holding workspace/ (copy of test/fixtures/workspaces/NAME, or of examples/NAME given as "examples/NAME"), user-data/ and
 * extensions/; for an example also lib/ (examples/lib) and node_modules (a link to the repo's). Removed at cleanup unless PERF_BUDGETS_KEEP_TMP=1.
 */
export function makeRunDirs(fixture, label) {
  const root = mkdtempSync(path.join(tmpdir(), `perf-budgets-${label.replace(/[^\w.-]+/g, '-')}-`));
  const workspace = path.join(root, 'workspace');
  // Only examples/ hold local leftovers; a test fixture's perf/results are its recorded results.
  const fromExamples = fixture.includes('/');
  cpSync(fixtureDir(fixture), workspace, { recursive: true, filter: (src) => !fromExamples || !LEFTOVERS.test(src) });
  if (fromExamples) {
    // What surrounds examples/NAME in a clone: the examples' shared harness (its bench scripts
    // import ../../lib/bench-lib.mjs) and the repository's node_modules (express, tsx, autocannon,
    // found by Node's upward search), so the copy runs exactly as the example does in place.
    cpSync(path.join(REPO, 'examples/lib'), path.join(root, 'lib'), { recursive: true });
    symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  }
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
