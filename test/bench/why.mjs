// Bench section: "show why" (issue #21).
// 1. Staleness: 200 generated Express files with 500 handlers (2 or 3 each, one edited file
//    marker); a run's hashes recorded, then every file re-read and every handler re-hashed, as
//    the Problems refresh after an edit does (the decorations redo only the edited document).
//    Median of 9, PASS/MISS against 50 ms.
// 2. What changed: a repository of 10,000 commits made with `git fast-import` (the handler of
//    src/server.js edited in 25 of them, the other commits touching other files or other lines);
//    whatChanged (git log -L through the hardened runGit) from the first to the last commit.
//    Median of 3, PASS/MISS against 1 s; the count of commits found must be the 25.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { bundleBenchEntry } from './bundle.mjs';

export const STALE_TARGET_MS = 50;
export const CHANGED_TARGET_MS = 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function staleTree(dir) {
  mkdirSync(dir, { recursive: true });
  let handlers = 0;
  for (let f = 0; f < 200; f++) {
    const n = f < 100 ? 3 : 2; // 300 + 200 = 500 handlers
    const lines = ["const express = require('express');", 'const app = express();', '/* edit */', ''];
    for (let h = 0; h < n; h++, handlers++) {
      lines.push(`app.get('/api/r${f}/h${h}/:id', async (req, res) => {`, `  const rows = await db.query('select * from t${h} where id = $1', [req.params.id]);`, '  if (!rows.length) return res.status(404).json({ error: "not found" });', `  res.json({ id: req.params.id, rows, at: \`\${Date.now()}\` });`, '});', '');
    }
    lines.push('module.exports = app;', '');
    writeFileSync(path.join(dir, `routes${f}.js`), lines.join('\n'));
  }
  return handlers;
}

/** A 10,000-commit repository via fast-import; returns [first, last] commit hashes. */
function bigRepo(dir) {
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['init', '-q'], { cwd: dir });
  const server = (v) => `const express = require('express');\nconst app = express();\n\nconst wait = (ms) => new Promise((r) => setTimeout(r, ms));\napp.get('/api/search', async (req, res) => {\n  await wait(${v});\n  res.json({ v: ${v} });\n});\n\napp.get('/api/other', (req, res) => res.send('x'));\n`;
  const parts = [];
  const blob = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  for (let i = 1; i <= 10_000; i++) {
    const touchHandler = i % 400 === 0; // 25 commits
    const file = touchHandler || i === 1 ? 'src/server.js' : `lib/mod${i % 300}.js`;
    const content = file === 'src/server.js' ? server(i) : `module.exports = ${i};\n`;
    parts.push(`commit refs/heads/main\nmark :${i}\ncommitter Bench <b@example.com> ${1700000000 + i} +0000\n${blob(`Commit ${i}`)}${i > 1 ? `from :${i - 1}\n` : ''}M 100644 inline ${file}\n${blob(content)}`);
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: parts.join('') , maxBuffer: 1 << 30 });
  execFileSync('git', ['checkout', '-q', 'main'], { cwd: dir });
  const first = execFileSync('git', ['rev-list', '--max-parents=0', 'main'], { cwd: dir, encoding: 'utf8' }).trim();
  const last = execFileSync('git', ['rev-parse', 'main'], { cwd: dir, encoding: 'utf8' }).trim();
  return [first, last];
}

export async function whyBench({ root, tmp }) {
  const entry = path.join(tmp, 'why-entry.cjs');
  await bundleBenchEntry(root, 'test/bench/whyEntry.ts', entry);
  const treeDir = path.join(tmp, 'why-tree');
  const handlers = staleTree(treeDir);
  const stale = JSON.parse(execFileSync('node', [entry, 'stale', treeDir], { encoding: 'utf8' }));
  const repo = path.join(tmp, 'why-repo');
  const t0 = Date.now();
  const [first, last] = bigRepo(repo);
  const madeSec = (Date.now() - t0) / 1000;
  const changed = JSON.parse(execFileSync('node', [entry, 'changed', repo, first, last], { encoding: 'utf8' }));
  const failures = [];
  if (stale.handlers !== handlers) failures.push(`staleness found ${stale.handlers} handlers, the tree has ${handlers}`);
  if (median(stale.times) >= STALE_TARGET_MS) failures.push(`staleness ${median(stale.times).toFixed(1)} ms`);
  if (changed.commits !== 20) failures.push(`what changed found ${changed.commits} commits (20 shown of the 25)`);
  if (median(changed.times) >= CHANGED_TARGET_MS) failures.push(`what changed ${median(changed.times).toFixed(0)} ms`);
  return { stale, handlers, changed, madeSec, failures };
}

export function printWhyBench(r) {
  const s = median(r.stale.times);
  const c = median(r.changed.times);
  console.log('');
  console.log('Show why (issue #21)');
  console.log(`  staleness after an edit: ${r.handlers} handlers in ${r.stale.files} files re-read and re-hashed: median ${s.toFixed(1)} ms (min ${Math.min(...r.stale.times).toFixed(1)}) of ${r.stale.times.length}  target < ${STALE_TARGET_MS} ms  ${s < STALE_TARGET_MS ? 'PASS' : 'MISS'}`);
  console.log(`  what changed in one handler, 10,000-commit repository (made in ${r.madeSec.toFixed(1)} s): median ${c.toFixed(0)} ms of ${r.changed.times.length}, ${r.changed.commits} commits listed (capped at 20)  target < ${CHANGED_TARGET_MS} ms  ${c < CHANGED_TARGET_MS ? 'PASS' : 'MISS'}`);
}
