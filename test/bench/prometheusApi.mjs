// Bench section: the Prometheus HTTP API source (issue #20). 200 handlers × 1 h at 15 s resolution
// backfilled into a real Prometheus on loopback (Debian's `prometheus` package); our query + read
// (readPrometheusSource: its instant queries sent at once, answers -> Series) timed end to end,
// best and median of 7, beside curl sending the same queries one after another, and every handler's
// p95/p99 checked against Prometheus's own histogram_quantile. PASS/MISS against 1 s. Skipped, with
// a notice, when prometheus/promtool/curl are absent. `node test/bench/bench.mjs --prometheus-only`.
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { bundleBenchEntry } from './bundle.mjs';

export const READ_TARGET_MS = 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const installed = (cmd) => {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

export async function prometheusApiBench({ root, tmp }) {
  const missing = ['prometheus', 'promtool', 'curl'].filter((c) => !installed(c));
  if (missing.length) return { skipped: `${missing.join(', ')} not installed (sudo apt-get install -y prometheus curl)`, failures: [] };
  const entry = path.join(tmp, 'prometheus-api-entry.cjs');
  await bundleBenchEntry(root, 'test/bench/prometheusApiEntry.ts', entry);
  const loadBefore = loadavg();
  const r = JSON.parse(execFileSync('node', [entry], { encoding: 'utf8', maxBuffer: 1 << 26 }));
  const failures = [];
  if (r.handlers !== 200) failures.push(`read ${r.handlers} handlers, not 200`);
  if (r.mismatches.length) failures.push(`${r.mismatches.length} of ${r.checked} percentiles differ from histogram_quantile: ${r.mismatches.slice(0, 3).join('; ')}`);
  if (r.errors !== r.expectedErrors) failures.push(`errors ${r.errors}, the counters say ${r.expectedErrors}`);
  if (median(r.ours) >= READ_TARGET_MS) failures.push(`query + read ${median(r.ours).toFixed(0)} ms`);
  return { ...r, loadBefore, loadAfter: loadavg(), failures };
}

export function printPrometheusApiBench(r) {
  console.log('');
  console.log('Prometheus HTTP API source (issue #20)');
  if (r.skipped) {
    console.log(`  skipped: ${r.skipped}`);
    return;
  }
  const load = (l) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(`  200 handlers × 1 h at 15 s (${r.samplesBackfilled.toLocaleString('en')} OpenMetrics lines) backfilled with promtool, Prometheus ready in ${(r.startMs / 1000).toFixed(1)} s`);
  console.log(`  ours: ${r.queries} queries + read into ${r.handlers} series: best ${Math.min(...r.ours).toFixed(1)} ms, median ${median(r.ours).toFixed(1)} ms of ${r.ours.length}  target < ${READ_TARGET_MS} ms  ${median(r.ours) < READ_TARGET_MS ? 'PASS' : 'MISS'}`);
  console.log(`  curl: the same ${r.queries} queries one after another (answers only, ${(r.curlBytes / 1024).toFixed(0)} KB, no parsing): best ${Math.min(...r.curl).toFixed(1)} ms, median ${median(r.curl).toFixed(1)} ms`);
  console.log(`  p95/p99 vs Prometheus's histogram_quantile: ${r.checked - r.mismatches.length} of ${r.checked} equal  ${r.mismatches.length === 0 ? 'PASS' : 'MISS'}; errors ${r.errors} (counters: ${r.expectedErrors})`);
  console.log(`  load average before ${load(r.loadBefore)}, after ${load(r.loadAfter)}`);
}
