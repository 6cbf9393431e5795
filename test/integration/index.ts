// Entry of the extension-host suite: the `run()` module format of @vscode/test-electron, which
// code-server's extension host runs too (test/integration/run.mjs). Mocha is bundled in by esbuild;
// the *.test.js files next to this file (built from test/integration/*.test.ts) are the tests.
import { readdirSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 30_000, color: false, reporter: 'spec' });
  const grep = process.env.PERF_BUDGETS_IT_GREP;
  if (grep) mocha.grep(grep);
  for (const f of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(__dirname, f));

  const tests: TestRecord[] = [];
  const lines: string[] = [`vscode.version ${vscode.version}, appHost ${vscode.env.appHost}, uiKind ${vscode.UIKind[vscode.env.uiKind]}`];
  console.log(`[perf-budgets-it] ${lines[0]}`);
  const resultsFile = process.env.PERF_BUDGETS_IT_RESULTS;
  const write = (done: boolean, fatal?: string) => {
    if (!resultsFile) return;
    const count = (s: TestRecord['state']) => tests.filter((t) => t.state === s).length;
    const body = { done, fatal, vscodeVersion: vscode.version, appHost: vscode.env.appHost, passed: count('passed'), failed: count('failed') + (fatal ? 1 : 0), skipped: count('pending'), tests, log: lines };
    writeFileSync(`${resultsFile}.tmp`, JSON.stringify(body, null, 2));
    renameSync(`${resultsFile}.tmp`, resultsFile);
  };

  // helpers.ts note(): a line in the runner's output from inside a test or hook (timings of set-up steps).
  (globalThis as { perfBudgetsItNote?: (line: string) => void }).perfBudgetsItNote = (line) => {
    lines.push(`  · ${line}`);
    write(false);
  };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures: number) => {
        write(true);
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
      const note = (t: TestRecord) => {
        tests.push(t);
        const line = `${t.state === 'passed' ? 'ok  ' : t.state === 'failed' ? 'FAIL' : 'skip'} ${t.title}${t.durationMs !== undefined ? ` (${t.durationMs} ms)` : ''}${t.error ? `\n     ${t.error.replace(/\n/g, '\n     ')}` : ''}`;
        lines.push(line);
        console.log(`[perf-budgets-it] ${line}`);
        write(false);
      };
      runner.on('pass', (t: Mocha.Test) => note({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
      runner.on('fail', (t: Mocha.Runnable, err: Error) => note({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) }));
      runner.on('pending', (t: Mocha.Test) => note({ title: t.fullTitle(), state: 'pending' }));
    } catch (e) {
      write(true, String((e as Error)?.stack ?? e));
      reject(e);
    }
  });
}
