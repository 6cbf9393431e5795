// Every place in src that can start a process is known, and each asks the process gate first
// (src/node/processGate.ts: no process at all in an untrusted workspace); git starts in one
// place only, the hardened runGit. A new spawn site fails this test until it is added here,
// with its gate call.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const SRC = path.resolve(__dirname, '../../../src');

function sources(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir).flatMap((name) => {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) return sources(abs);
    return /\.ts$/.test(name) ? [{ file: path.relative(SRC, abs).split(path.sep).join('/'), text: readFileSync(abs, 'utf8') }] : [];
  });
}

/** The files that may start processes, and why each may. */
const SPAWN_SITES: Record<string, string> = {
  'node/git.ts': 'runGit: the one hardened git call',
  'node/serviceProcess.ts': "the built-in HTTP benchmark's start command",
  'node/benchmarkProcess.ts': "the CLI's benchmark commands and the built-in HTTP benchmark's child",
  'node/taskProcess.ts': "the editor's benchmark tasks (CustomExecution terminals), so a failed run can quote its stderr",
};

describe('process spawn sites', () => {
  const all = sources(SRC);

  it('only the known files import child_process, and each asks the process gate before it spawns', () => {
    const importing = all.filter((s) => /from ['"](node:)?child_process['"]|require\(['"](node:)?child_process['"]\)/.test(s.text)).map((s) => s.file);
    assert.deepEqual(importing.sort(), Object.keys(SPAWN_SITES).sort());
    for (const file of Object.keys(SPAWN_SITES)) {
      const text = all.find((s) => s.file === file)!.text;
      assert.match(text, /import \{[^}]*\bmayStartProcess\b[^}]*\} from '\.\/processGate'/, `${file} imports the gate`);
      const calls = [...text.matchAll(/\b(spawn|execFile|exec|fork|spawnSync|execFileSync|execSync)\(/g)].length;
      const gates = [...text.matchAll(/\bmayStartProcess\(/g)].length;
      assert.ok(calls > 0 && gates > 0, `${file}: ${calls} spawn call(s), ${gates} gate call(s)`);
    }
  });

  it('git is started in runGit only', () => {
    const gitSpawns = all.flatMap((s) => [...s.text.matchAll(/\b(?:spawn|execFile|exec|spawnSync|execFileSync)\(\s*['"`]git['"`]/g)].map(() => s.file));
    assert.deepEqual(gitSpawns, ['node/git.ts']);
    for (const s of all.filter((x) => x.file !== 'node/git.ts')) {
      assert.doesNotMatch(s.text, /\bimport \{[^}]*\bgit\b[^}]*\} from '(\.\.\/node|\.)\/git'/, `${s.file} imports an unhardened git()`);
    }
  });

  it('the core, the adapters and the CLI start no process themselves', () => {
    for (const s of all.filter((x) => /^(core|vscode|cli|webview)\//.test(x.file))) {
      assert.doesNotMatch(s.text, /child_process/, s.file);
    }
  });
});
