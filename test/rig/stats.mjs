// Each stage reports its counts to the file named by PERF_BUDGETS_STATS_FILE (set by test/run-all.mjs).
import { writeFileSync } from 'node:fs';
import { skipNotice } from './tools.cjs';

/** stats: { passed, failed, skipped, failures?: [{ title, error }], notices?: string[] } */
export function writeStats(stats) {
  const file = process.env.PERF_BUDGETS_STATS_FILE;
  if (file) writeFileSync(file, `${JSON.stringify(stats, null, 2)}\n`);
}

/**
 * A stage that cannot start on this machine (missing: [{ tool, install }]): prints why and how to
 * install what is missing, and reports the stage as skipped (not failed) to run-all.mjs.
 */
export function skipStage(stage, missing) {
  const notice = `${stage} stage ${skipNotice(missing)}`;
  console.log(`[${stage}] SKIPPED: ${notice}`);
  writeStats({ passed: 0, failed: 0, skipped: 1, failures: [], notices: [notice] });
}
