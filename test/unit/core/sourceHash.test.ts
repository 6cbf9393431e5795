import { strict as assert } from 'node:assert';
import { handlerCode, handlerSpan, nextPlacedLine } from '../../../src/core/discovery/handlerSpan';
import { linesOf, sourceHash } from '../../../src/core/sourceHash';

const SERVER = [
  "const app = require('express')();", // 0
  '', // 1
  "app.get('/api/search', async (req, res) => {", // 2
  '  await sleep(20);', // 3
  '  res.json({ hits: 3 });', // 4
  '});', // 5
  '', // 6
  '', // 7
  "app.get('/api/track/:id', (req, res) => res.json({}));", // 8
  '', // 9
].join('\n');

describe('a handler\'s code and its hash (run provenance, staleness)', () => {
  it('the span runs to the line before the next handler, without the blank lines that end it', () => {
    assert.deepEqual(handlerSpan('server.js', SERVER, 2, 8), { start: 2, end: 5 });
    assert.deepEqual(handlerSpan('server.js', SERVER, 8, undefined), { start: 8, end: 8 });
    assert.equal(linesOf(SERVER, 2, 5).split('\n').length, 4);
    // The language's extent ends it before a comment that belongs to what follows.
    const commented = SERVER.replace("app.get('/api/track/:id'", "// the tracking route\napp.get('/api/track/:id'");
    assert.deepEqual(handlerSpan('server.js', commented, 2, 9), { start: 2, end: 5 });
    // A Python handler: its decorator, its def and its body, not the next route's decorator.
    const py = '@app.get("/a")\nasync def a():\n    return 1\n\n\n@app.get("/b")\ndef b():\n    return 2\n';
    assert.deepEqual(handlerSpan('main.py', py, 0, 5), { start: 0, end: 2 });
  });

  it('a handler ends before the next placed handler of its own file, whatever the order of the placements', () => {
    const placements = [{ locations: [{ file: 'b.js', line: 3 }] }, { locations: [{ file: 'a.js', line: 20 }, { file: 'a.js', line: 8 }] }, { locations: [{ file: 'a.js', line: 2 }] }];
    assert.equal(nextPlacedLine(placements, 'a.js', 2), 8);
    assert.equal(nextPlacedLine(placements, 'a.js', 8), 20);
    assert.equal(nextPlacedLine(placements, 'a.js', 20), undefined);
    assert.equal(nextPlacedLine(placements, 'b.js', 3), undefined, 'another file\'s handlers do not end it');
  });

  it('the same code hashes the same wherever it sits and whatever the line endings or trailing blanks', () => {
    const a = handlerCode('server.js', SERVER, 2, 8).hash;
    const moved = `// a comment added above\n${SERVER}`;
    assert.equal(handlerCode('server.js', moved, 3, 9).hash, a, 'moved down one line: still the same code');
    assert.equal(handlerCode('server.js', SERVER.replace(/\n/g, '\r\n'), 2, 8).hash, a, 'CRLF');
    assert.equal(handlerCode('server.js', SERVER.replace('sleep(20);', 'sleep(20);   '), 2, 8).hash, a, 'trailing blanks');
    assert.match(a, /^[0-9a-f]{14}$/);
  });

  it('an edit inside the handler changes its hash, one outside does not, and undoing it restores it', () => {
    const before = handlerCode('server.js', SERVER, 2, 8).hash;
    const slowed = SERVER.replace('sleep(20)', 'sleep(20 * 25)');
    assert.notEqual(handlerCode('server.js', slowed, 2, 8).hash, before);
    assert.equal(handlerCode('server.js', slowed.replace('sleep(20 * 25)', 'sleep(20)'), 2, 8).hash, before);
    const other = SERVER.replace("res.json({}))", "res.json({ id: 1 }))");
    assert.equal(handlerCode('server.js', other, 2, 8).hash, before, 'the next handler edited');
    assert.notEqual(handlerCode('server.js', other, 8, undefined).hash, handlerCode('server.js', SERVER, 8, undefined).hash);
  });

  it('spreads: 20,000 distinct one-line handlers give 20,000 distinct hashes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(sourceHash(`app.get('/r/${i}', h${i % 7});`));
    assert.equal(seen.size, 20_000);
  });
});
