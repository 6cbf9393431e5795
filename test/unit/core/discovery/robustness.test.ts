import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { findRoutes } from '../../../../src/core/discovery/findRoutes';
import { findSymbol } from '../../../../src/core/discovery/findSymbol';

const FILES = ['a.ts', 'pages/api/[id].js', 'app/x/route.ts', 'a.py', 'a.go', 'A.java', 'A.kt', 'a.rs', 'a.erl'];
/** Fragments that open and close the scanners' constructs, so random mixes hit half-finished ones. */
const PIECES = [
  "app.get('/x', h)", 'router.post(', '@app.get("/y")\ndef f(): pass', '@GetMapping("/z")', 'class C {', '}', '(', ')', '[', ']', '{', "'", '"', '`', '${', '/*', '*/', '//', '#', '%',
  '"""', "r#\"", '\n', ' ', '<<"/a">>', '{"/c/:id", c_h, []}', '#[get("/r")]', 'fn f() {}', '.route("/q", get(q))', 'r.GET("/g", g)', 'path("p/", views.p)',
  '@Controller("n")', '@Get(":id")', 'export default', 'export function GET() {}', 'func', '=>', ',', '$', '\\',
];

describe('discovery: robustness', () => {
  it('never throws on fragments of every construct; every route is well-formed and inside the file', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 6 })), { maxLength: 40 }), (file, parts) => {
        const content = parts.join('');
        const lines = content.split('\n');
        for (const r of findRoutes(file, content)) {
          assert.ok(r.path.startsWith('/'), r.path);
          assert.ok(r.method === null || /^[A-Z]+$/.test(r.method), String(r.method));
          assert.ok(r.line >= 0 && r.line < lines.length, `line ${r.line}`);
          assert.ok(r.column >= 0 && r.column <= lines[r.line]!.length, `column ${r.column}`);
        }
        findSymbol(file, content, 'f');
      }),
      { numRuns: 1500 },
    );
  });

  it('CRLF line endings and a BOM keep lines and columns', () => {
    const content = "\uFEFFconst express = require('express');\r\nconst app = express();\r\n\r\n  app.get('/crlf', h);\r\n";
    assert.deepEqual(findRoutes('a.js', content).map((r) => [r.line, r.column, r.path]), [[3, 2, '/crlf']]);
  });

  it('stays fast on a large generated file', () => {
    const lines = ["import express from 'express';", 'const app = express();'];
    for (let i = 0; i < 20000; i++) lines.push(`app.get('/r${i}/:id', h${i}); const v${i} = f(g(${i})).get('k'); // app.get('/c${i}', x)`);
    const start = Date.now();
    assert.equal(findRoutes('big.ts', lines.join('\n')).length, 20000);
    assert.ok(Date.now() - start < 5000, `${Date.now() - start} ms`);
  });
});
