// Mocha reporter: prints like `spec` (or `dot` with PERF_BUDGETS_REPORTER=dot) and writes the
// pass/fail/skip counts, failures and skipped tests to PERF_BUDGETS_STATS_FILE for test/run-all.mjs.
'use strict';
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha/lib/mocha.cjs');

const Base = process.env.PERF_BUDGETS_REPORTER === 'dot' ? Mocha.reporters.Dot : Mocha.reporters.Spec;

class CountingReporter extends Base {
  constructor(runner, options) {
    super(runner, options);
    const failures = [];
    const skippedTests = [];
    runner.on('fail', (test, err) => failures.push({ title: test.fullTitle(), error: String(err?.message ?? err) }));
    runner.on('pending', (test) => skippedTests.push(test.fullTitle()));
    runner.once('end', () => {
      const file = process.env.PERF_BUDGETS_STATS_FILE;
      if (!file) return;
      const s = runner.stats ?? {};
      writeFileSync(file, `${JSON.stringify({ passed: s.passes ?? 0, failed: failures.length, skipped: s.pending ?? 0, failures, skippedTests }, null, 2)}\n`);
    });
  }
}
module.exports = CountingReporter;
