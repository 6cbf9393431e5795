import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { bytesOf } from '../../src/core/formats/lines';
import { decodeHead, readSeries } from '../../src/core/formats/index';
import type { FormatId, Series } from '../../src/core/series';
import { Random } from '../../src/core/stats/random';

export const ROOT = path.resolve(__dirname, '../..');
export const FIXTURES = path.join(ROOT, 'test/fixtures');
/** The HdrHistogram projects' interval logs (test/fixtures/hdrhistogram/README.md says where from). */
export const HDR_FIXTURES = path.join(FIXTURES, 'hdrhistogram');

/** How long building the bundles may take when a test needs them (`node esbuild.mjs`: a few seconds). */
export const BUILD_TIMEOUT_MS = 120_000;

/**
 * The absolute path of `rel`, a file the build writes (`npm run build`: dist/cli.js, media/…),
 * built first with `node esbuild.mjs` when it is missing: `npm test` builds before the unit
 * stage, but a test file run alone on a fresh checkout must not depend on that.
 */
export function builtFile(rel: string): string {
  const file = path.join(ROOT, rel);
  if (existsSync(file)) return file;
  console.log(`    (${rel} missing: building it with node esbuild.mjs)`);
  const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  if (r.error || r.status !== 0) throw new Error(`node esbuild.mjs, to build ${rel}, failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}`);
  if (!existsSync(file)) throw new Error(`node esbuild.mjs ran but did not write ${rel}`);
  return file;
}

/** Reads a fixture file through format detection (or the given format), like the CLI does. */
export async function readFixture(file: string, format: FormatId | 'auto' = 'auto', extra: { unit?: 'ns' | 'us' | 'ms' | 's'; column?: string } = {}): Promise<Series[]> {
  const bytes = readFileSync(file);
  return readSeries(bytesOf(bytes, 4096), decodeHead(bytes), { fileName: file, format, ...extra });
}

/** Reads in-memory content as if it were a file called `fileName`. */
export async function readContent(content: string | Uint8Array, fileName: string, format: FormatId | 'auto' = 'auto'): Promise<Series[]> {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return readSeries(bytesOf(bytes, 7), decodeHead(bytes), { fileName, format });
}

/** Exact nearest-rank percentile (p in 0..100) of raw values. */
export function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  // toPrecision: 99.9% of 2000 is rank 1998, not the 1999 that (0.999 * 2000) rounds up to.
  const rank = Math.max(1, Math.ceil(Number(((p / 100) * sorted.length).toPrecision(12))));
  return sorted[rank - 1]!;
}

/** |actual - expected| within rel (0.001 = 0.1%) of expected. */
export function within(actual: number | null, expected: number, rel = 0.001): boolean {
  if (actual === null) return false;
  if (expected === 0) return Math.abs(actual) < 1e-9;
  return Math.abs(actual - expected) / Math.abs(expected) <= rel;
}

/** Seeded uniform numbers in [0, 1) for generated test data: the engine's own generator (src/core/stats/random.ts, mulberry32). */
export function mulberry32(seed: number): () => number {
  const r = new Random(seed);
  return () => r.next();
}
