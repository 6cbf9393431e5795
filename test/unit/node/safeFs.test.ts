import assert from 'node:assert/strict';
import { lstatSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkWriteInside, openRegularFile, readSmallFile, readSmallFileSync, writeFileInside } from '../../../src/node/safeFs';
import { oneLineInputError, strangerWorkspace } from './strangerWorkspace';

describe('safeFs: reads and writes a workspace cannot turn against the user', () => {
  const dirs = strangerWorkspace('pb-safefs-');
  const refused = (message: RegExp, file = 'f') => oneLineInputError(message, file);

  it('reads a small file exactly, sync and async; refuses one over the cap, a folder and a device', async () => {
    const { ws, victim } = dirs;
    const text = '{"é": "😀"}\n'.repeat(1000);
    const file = path.join(ws, 'a.json');
    writeFileSync(file, text);
    assert.equal(await readSmallFile(file, { root: ws }), text);
    assert.equal(readSmallFileSync(file, { root: ws }), text);
    const bytes = Buffer.byteLength(text);
    assert.equal(await readSmallFile(file, { root: ws, maxBytes: bytes }), text, 'exactly the cap is fine');
    await assert.rejects(readSmallFile(file, { root: ws, shown: 'f', maxBytes: bytes - 1 }), refused(new RegExp(`^f: larger than ${bytes - 1} bytes \\(${bytes} bytes\\); not read$`)));
    assert.throws(() => readSmallFileSync(file, { root: ws, shown: 'f', maxBytes: 10 }), refused(/larger than 10 bytes/));
    await assert.rejects(readSmallFile(ws, { root: ws, shown: 'f' }), refused(/^f: not a regular file \(a folder\); not read$/));
    await assert.rejects(readSmallFile(path.join(ws, 'missing.json'), { root: ws, shown: 'f' }), refused(/^f: cannot read: ENOENT$/));
    // A path the user typed (root null) may lead anywhere, but still only to a regular file.
    await assert.rejects(readSmallFile('/dev/zero', { root: null, shown: 'f' }), refused(/^f: not a regular file \(a character device\); not read$/));
    symlinkSync('/dev/zero', path.join(ws, 'zero'));
    await assert.rejects(readSmallFile(path.join(ws, 'zero'), { root: null, shown: 'f' }), refused(/not a regular file \(a character device\)/));
    writeFileSync(path.join(victim, 'b.json'), 'theirs');
    assert.equal(await readSmallFile(path.join(victim, 'b.json'), { root: null }), 'theirs');
    await assert.rejects(openRegularFile('/dev/null', 'f'), refused(/^f: not a regular file \(a character device\); not read$/));
  });

  it('writes inside the workspace, making missing folders one level at a time', () => {
    const { ws } = dirs;
    writeFileInside(ws, path.join(ws, 'perf/new/dir/baseline.json'), 'ok\n', 'f');
    assert.equal(readFileSync(path.join(ws, 'perf/new/dir/baseline.json'), 'utf8'), 'ok\n');
    writeFileInside(ws, path.join(ws, 'perf/new/dir/baseline.json'), 'again\n', 'f');
    assert.equal(readFileSync(path.join(ws, 'perf/new/dir/baseline.json'), 'utf8'), 'again\n');
    // A link to a folder inside the workspace is fine.
    symlinkSync('perf', path.join(ws, 'inner'));
    writeFileInside(ws, path.join(ws, 'inner/x.json'), 'x', 'f');
    assert.equal(readFileSync(path.join(ws, 'perf/x.json'), 'utf8'), 'x');
  });

  it('refuses writes outside, through a folder linked out, to a link, to a dangling link, and under a file', () => {
    const { root, ws, victim } = dirs;
    assert.throws(() => writeFileInside(ws, path.join(root, 'x.json'), '', 'f'), refused(/^f: outside the workspace folder; not written$/));
    assert.throws(() => writeFileInside(ws, ws, '', 'f'), refused(/outside the workspace folder/));
    symlinkSync(victim, path.join(ws, 'out'));
    for (const rel of ['out/x.json', 'out/a/b/x.json']) {
      assert.throws(() => writeFileInside(ws, path.join(ws, rel), 'evil', 'f'), refused(/^f: out leads outside the workspace folder through a symlink \(to .*victim\); not written$/));
    }
    writeFileSync(path.join(victim, 'keep.json'), 'mine');
    symlinkSync(path.join(victim, 'keep.json'), path.join(ws, 'link.json'));
    assert.throws(() => writeFileInside(ws, path.join(ws, 'link.json'), 'evil', 'f'), refused(/^f: a symlink; not written$/));
    symlinkSync(path.join(root, 'nowhere'), path.join(ws, 'dangling'));
    assert.throws(() => writeFileInside(ws, path.join(ws, 'dangling/x.json'), 'evil', 'f'), refused(/^f: dangling is a symlink that leads nowhere; not written$/));
    writeFileSync(path.join(ws, 'plain'), '');
    assert.throws(() => checkWriteInside(ws, path.join(ws, 'plain/x.json'), 'f'), refused(/^f: plain is not a folder; not written$/));
    assert.deepEqual(readdirSync(victim), ['keep.json']);
    assert.equal(readFileSync(path.join(victim, 'keep.json'), 'utf8'), 'mine');
    assert.ok(lstatSync(path.join(ws, 'link.json')).isSymbolicLink());
  });
});
