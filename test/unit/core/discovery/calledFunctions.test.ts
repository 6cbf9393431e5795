import { strict as assert } from 'node:assert';
import { calledFunctions } from '../../../../src/core/discovery/calledFunctions';

describe('calledFunctions: what a handler calls in its own file', () => {
  it('JS: a const arrow function and a function declaration, not methods, globals or the handler itself', () => {
    const text = [
      "const express = require('express');", // 0
      'const app = express();', // 1
      'const sleep = (ms) => new Promise((r) => setTimeout(r, ms));', // 2
      'function score(q) {', // 3
      '  return q.length * 2;', // 4
      '}', // 5
      "app.get('/api/search', async (req, res) => {", // 6
      '  await sleep(score(req.query.q));', // 7
      '  res.json({ hits: JSON.parse("[]") });', // 8
      '});', // 9
    ].join('\n');
    assert.deepEqual(calledFunctions('server.js', text, { start: 6, end: 9 }), [
      { name: 'sleep', start: 2, end: 2 },
      { name: 'score', start: 3, end: 5 },
    ]);
  });

  it('Python: a helper def with its body', () => {
    const text = ['def rank(items):', '    return sorted(items)', '', '', '@app.get("/top")', 'def top():', '    return rank(load())', ''].join('\n');
    assert.deepEqual(calledFunctions('main.py', text, { start: 4, end: 6 }), [{ name: 'rank', start: 0, end: 1 }]);
  });
});
