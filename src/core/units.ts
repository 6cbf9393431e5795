/**
 * Durations, percentages and rates as users write them in perf-budgets.json, and back.
 * All latencies inside Perf Budgets are float milliseconds.
 */

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
};

// The patterns the config schema validates with, so what validates also parses.
export const DURATION_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ns|us|µs|ms|s|m|min|h)\s*$/;
export const PERCENT_RE = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%\s*$/;
export const THROUGHPUT_RE = /^\s*(?:>=?\s*)?(\d+(?:\.\d+)?|\.\d+)\s*\/\s*(s|sec|second|m|min|minute|h|hour)\s*$/;

/** "850us" | "150ms" | "1.5s" | "2m" -> milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text);
  if (!m) return undefined;
  // toPrecision removes the float noise of the unit factor: 100ns is 0.0001 ms, not 0.00009999….
  return Number((Number(m[1]) * DURATION_UNITS_MS[m[2]!]!).toPrecision(15));
}

/** "1%" | "0.5 %" -> fraction 0.01 / 0.005. */
export function parsePercent(text: string): number | undefined {
  const m = PERCENT_RE.exec(text);
  return m ? Number(m[1]) / 100 : undefined;
}

/** ">= 100/s" | "100/s" | "6000/min" | ">=1.5/s" -> per second. */
export function parseThroughput(text: string): number | undefined {
  const m = THROUGHPUT_RE.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const per = m[2]!;
  if (per.startsWith('h')) return n / 3600;
  if (per.startsWith('m')) return n / 60;
  return n;
}

/** Significant-figure formatting without trailing zeros: 1.62, 150, 0.0123. */
export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 10 ** digits) return Math.round(value).toString();
  return Number(value.toPrecision(digits)).toString();
}

/** Milliseconds in the unit a human would pick: "850 µs", "98.2 ms", "1.62 s", "2.5 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  const abs = Math.abs(ms);
  if (abs === 0) return '0 ms';
  if (abs < 1) return `${formatNumber(ms * 1000)} µs`;
  if (abs < 1000) return `${formatNumber(ms)} ms`;
  if (abs < 120_000) return `${formatNumber(ms / 1000)} s`;
  return `${formatNumber(ms / 60_000)} min`;
}

/** A compact duration that parseDuration reads back exactly: "150ms", "1.5s". */
export function durationLiteral(ms: number): string {
  if (ms >= 1000 && Number.isInteger(ms / 1000)) return `${ms / 1000}s`;
  if (ms >= 1 || ms === 0) return `${ms}ms`;
  return `${ms * 1000}us`;
}

/** 0.0123 -> "1.23%". */
export function formatPercent(fraction: number, digits = 3): string {
  return `${formatNumber(fraction * 100, digits)}%`;
}

export function formatRate(perSec: number): string {
  return `${formatNumber(perSec)}/s`;
}

/** Bytes in decimal units, three significant figures: "512 B", "340 MB", "2.15 GB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let i = 0;
  // Round first, so 999,999 B is "1 MB", not "1000 kB".
  while (i < units.length - 1 && Number(formatNumber(Math.abs(bytes) / 1000 ** i)) >= 1000) i++;
  return `${formatNumber(bytes / 1000 ** i)} ${units[i]}`;
}
