import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { evaluate } from '../../../src/core/budgets/evaluate';
import { parseConfig } from '../../../src/core/config/parseConfig';
import { InputError } from '../../../src/core/errors';
import { LatencyHistogram } from '../../../src/core/histograms/latencyHistogram';
import type { Series } from '../../../src/core/series';
import { recordRun, withRepeatedRuns } from '../../../src/node/runHistory';

/**
 * A repeated benchmark whose runs each come from several generator files: the runs are put
 * back together only when each run's files merge losslessly; percentile-only files stay as read,
 * so that evaluate refuses them as it refuses them in a single run.
 */

const META = { createdAt: '2024-05-01T08:00:00.000Z', commit: null, tool: 'test', machine: { cpu: 'cpu', cores: 2, os: 'linux', fingerprint: 'abc' } };
const CONFIG = parseConfig('{ "budgets": { "GET /a": { "p95": "1s" } } }', 'perf-budgets.json');

/** One run: the same handler from two generators' files. */
function generators(kind: 'summary' | 'histogram', p95: number): Series[] {
  return ['results/host-1/a.json', 'results/host-2/a.json'].map((source) => {
    const h = LatencyHistogram.create();
    h.recordMs(p95, 100);
    return {
      name: 'GET /a', format: kind === 'summary' ? 'autocannon' : 'k6-json', source, benchmark: 'load', count: 100, errors: 0, durationSec: 10, throughputPerSec: 10,
      exact: kind === 'summary', histogram: kind === 'summary' ? null : h, percentiles: kind === 'summary' ? { '95': p95 } : null, minMs: p95, maxMs: p95, meanMs: p95,
    };
  });
}

/** Records the two runs of a repeat in a fresh workspace; returns withRepeatedRuns of the last run as read. */
function repeated(kind: 'summary' | 'histogram'): { now: Series[]; out: Series[] } {
  const ws = mkdtempSync(path.join(tmpdir(), 'pb-repeat-gen-'));
  try {
    const runs = [generators(kind, 20), generators(kind, 30)];
    runs.forEach((series, i) => {
      const at = new Date(Date.UTC(2024, 4, 1, 8, i)).toISOString();
      recordRun(ws, { benchmarks: ['load'], startedAt: at, finishedAt: at, repeat: { group: 'g', index: i + 1, of: 2 } }, series, META, 10);
    });
    return { now: runs[1]!, out: withRepeatedRuns(ws, runs[1]!) };
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

describe('repeated runs of several generators (withRepeatedRuns)', () => {
  it('raw-sample files: each run merged, then the runs, with one summary per run', () => {
    const { out } = repeated('histogram');
    assert.equal(out.length, 1);
    assert.deepEqual(out[0]!.runs?.map((r) => r.count), [200, 200]);
  });

  it('percentile-only files: left as read, and evaluate refuses them', () => {
    const { now, out } = repeated('summary');
    assert.deepEqual(out, now);
    assert.throws(() => evaluate(CONFIG, out, null), (e: unknown) => e instanceof InputError && /autocannon --json summaries from 2 files/.test(e.message));
  });
});
