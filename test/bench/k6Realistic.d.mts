/** Options of the realistic k6 NDJSON generator (see k6Realistic.mjs). */
export interface K6RealisticOptions {
  requests?: number;
  bytes?: number;
  seed?: number;
  digits17?: boolean;
  layout?: 'metric-first' | 'metric-last';
  zoneMin?: number;
  vus?: number;
}

/** The exact answers the generator knows: per series (reader's name) count, errors, nearest-rank p95 and the sorted values. */
export interface K6Answers {
  expected: Map<string, { count: number; errors: number; p95: number; values: Float64Array }>;
  requests: number;
  lines: number;
  bytes: number;
  durationSec: number;
  startedAtMs: number;
}

export function k6RealisticText(options?: K6RealisticOptions): K6Answers & { text: string };
export function writeK6Realistic(file: string, options?: K6RealisticOptions): Promise<K6Answers>;
export function goFloat(v: number): string;
export function g17(v: number): string;
export function rfc3339Nano(sec: number, ns: number, zoneMin: number): string;
