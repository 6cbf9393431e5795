import { execFile } from 'node:child_process';
import * as path from 'node:path';

/** Runs git with arguments (no shell) in `cwd`: its exit code and output; 127 when git cannot start. */
export function git(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 127) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The commit HEAD points at, or null outside a repository. */
export async function headCommit(cwd: string): Promise<string | null> {
  const r = await git(['rev-parse', 'HEAD'], cwd);
  return r.code === 0 ? r.stdout.trim() : null;
}

/**
 * A file's content at a ref (`git show REF:path`), path relative to `cwd`.
 * Null when the file does not exist at that ref; an Error for anything else (not a repo, bad ref).
 */
export async function showAtRef(ref: string, file: string, cwd: string): Promise<string | null> {
  // A ref comes from settings, the CLI or the panel's picker: one starting with '-' would be read as an option.
  if (ref === '' || ref.startsWith('-')) throw new Error(`not a git ref: ${JSON.stringify(ref)}`);
  const top = await git(['rev-parse', '--show-toplevel'], cwd);
  if (top.code !== 0) throw new Error(`not a git repository: ${cwd}`);
  const rel = path.relative(top.stdout.trim(), path.resolve(cwd, file)).split(path.sep).join('/');
  const verify = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], cwd);
  if (verify.code !== 0) throw new Error(`unknown git ref ${JSON.stringify(ref)}`);
  const r = await git(['show', `${ref}:${rel}`], cwd);
  if (r.code === 0) return r.stdout;
  if (/does not exist|exists on disk, but not in/.test(r.stderr)) return null;
  throw new Error(r.stderr.trim().split('\n')[0] || `git show ${ref}:${rel} failed`);
}
