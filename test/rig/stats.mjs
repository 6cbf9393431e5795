// Each stage reports its counts to the file named by PERF_BUDGETS_STATS_FILE (set by test/run-all.mjs).
import { writeFileSync } from 'node:fs';

/** stats: { passed, failed, skipped, failures?: [{ title, error }] } */
export function writeStats(stats) {
  const file = process.env.PERF_BUDGETS_STATS_FILE;
  if (file) writeFileSync(file, `${JSON.stringify(stats, null, 2)}\n`);
}
