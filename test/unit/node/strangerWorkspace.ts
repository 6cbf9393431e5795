import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InputError } from '../../../src/core/errors';

export interface StrangerWorkspace {
  /** The temporary folder holding both. */
  readonly root: string;
  /** The workspace a stranger's repository would be. */
  readonly ws: string;
  /** A folder beside it, outside it: what its links must not reach. */
  readonly victim: string;
}

/** Registers hooks that make a fresh workspace and victim folder before each test and remove them after. */
export function strangerWorkspace(prefix: string): StrangerWorkspace {
  const dirs = { root: '', ws: '', victim: '' };
  beforeEach(() => {
    dirs.root = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.ws = path.join(dirs.root, 'ws');
    dirs.victim = path.join(dirs.root, 'victim');
    mkdirSync(dirs.ws);
    mkdirSync(dirs.victim);
  });
  afterEach(() => rmSync(dirs.root, { recursive: true, force: true }));
  return dirs;
}

/** For assert.throws/rejects: a one-line InputError matching `message`, naming `file` when given. */
export function oneLineInputError(message: RegExp, file?: string): (e: unknown) => true {
  return (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    if (file !== undefined) assert.equal(e.file, file);
    assert.doesNotMatch(e.message, /\n/);
    assert.match(e.message, message);
    return true;
  };
}
