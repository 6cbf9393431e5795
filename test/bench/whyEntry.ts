// Bench entry (bundled by test/bench/why.mjs): the two costs of "show why".
//   node why-entry.cjs stale DIR      -> staleness of every handler of DIR's 200 files after an edit
//   node why-entry.cjs changed REPO   -> whatChanged for one handler in a 10k-commit repository
// Prints JSON: the timings (ms) of each repetition, and what was found (so the bench checks it).
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { analyzeFile } from '../../src/core/discovery';
import { handlerCode } from '../../src/core/discovery/handlerSpan';
import { whatChanged } from '../../src/node/whatChanged';

async function main(): Promise<void> {
  const [mode, dir] = process.argv.slice(2);
  if (mode === 'stale') {
    const files = readdirSync(dir!).filter((f) => f.endsWith('.js'));
    // What a run recorded: each handler's hash; discovery's lines, found once (the index is kept).
    const lines = new Map(files.map((f) => [f, analyzeFile(f, readFileSync(path.join(dir!, f), 'utf8')).routes.map((r) => r.line)]));
    const recorded = new Map<string, string>();
    for (const f of files) {
      const text = readFileSync(path.join(dir!, f), 'utf8');
      const ls = lines.get(f)!;
      ls.forEach((l, i) => recorded.set(`${f}:${l}`, handlerCode(f, text, l, ls[i + 1]).hash));
    }
    const times: number[] = [];
    let stale = 0;
    for (let run = 0; run < 9; run++) {
      const t0 = performance.now();
      stale = 0;
      // After an edit: every file read again from disk and every handler hashed (what the Problems
      // refresh does; the decorations redo only the edited document).
      for (const f of files) {
        const text = readFileSync(path.join(dir!, f), 'utf8').replace('/* edit */', run % 2 ? '/* edited */' : '/* edit */');
        const ls = lines.get(f)!;
        ls.forEach((l, i) => {
          if (handlerCode(f, text, l, ls[i + 1]).hash !== recorded.get(`${f}:${l}`)) stale++;
        });
      }
      times.push(performance.now() - t0);
    }
    console.log(JSON.stringify({ times, handlers: recorded.size, files: files.length, staleOnOddRuns: stale }));
    return;
  }
  if (mode === 'changed') {
    const [from, to] = process.argv.slice(4);
    const times: number[] = [];
    let commits = 0;
    for (let run = 0; run < 3; run++) {
      const t0 = performance.now();
      const r = await whatChanged(dir!, { file: 'src/server.js', start: 5, end: 7 }, from!, to!);
      times.push(performance.now() - t0);
      if (r.kind !== 'changes') throw new Error(`whatChanged: ${r.message}`);
      commits = r.commits.length;
    }
    console.log(JSON.stringify({ times, commits }));
    return;
  }
  throw new Error(`unknown mode ${mode}`);
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
