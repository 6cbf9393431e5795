import { strict as assert } from 'node:assert';
import { RouteIndex } from '../../../../src/core/discovery/routeIndex';

describe('discovery: RouteIndex', () => {
  it('updates, replaces and removes one file at a time', () => {
    const index = new RouteIndex();
    const express = (path: string): string => `const express = require('express');\nconst app = express();\napp.get('${path}', h);\n`;
    assert.equal(index.update('src\\b.js', express('/b')), true);
    assert.equal(index.update('src/a.py', 'from fastapi import FastAPI\napp = FastAPI()\n@app.get("/a")\ndef a(): pass\n'), true);
    assert.equal(index.update('README.md', '# nothing'), false);
    assert.deepEqual(index.all().map((r) => `${r.file} ${r.method} ${r.path} ${r.line}`), ['src/a.py GET /a 3', 'src/b.js GET /b 2']);
    assert.equal(index.update('src/b.js', express('/b')), false, 'same routes: unchanged');
    assert.equal(index.update('src/b.js', express('/b2')), true);
    assert.deepEqual(index.routesIn('src/b.js').map((r) => r.path), ['/b2']);
    assert.equal(index.update('src/b.js', '// all gone'), true);
    assert.equal(index.fileCount, 1);
    assert.equal(index.remove('src/a.py'), true);
    assert.equal(index.remove('src/a.py'), false);
    assert.deepEqual(index.all(), []);
  });

  it('takes an injected scanner', () => {
    const seen: string[] = [];
    const index = new RouteIndex((file) => {
      seen.push(file);
      return [{ method: 'GET', path: '/x', line: 0, column: 0, symbol: null, framework: 'fake' }];
    });
    index.update('./x.ts', '');
    assert.deepEqual(seen, ['x.ts']);
    assert.deepEqual(index.all()[0]?.file, 'x.ts');
  });
});
