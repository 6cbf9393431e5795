import type * as z from '../zod';
import { InputError } from '../errors';
import type { ByteSource } from './byteSource';
import { parseJson, readText } from './lines';

/**
 * Helpers shared by the JSON summary readers (autocannon, pytest-benchmark, hyperfine) and the
 * summary-statistics readers: shape validation with a JSON path in the error, and nearest-rank
 * percentiles over raw values.
 */

/** ["results", 0, "times", 3] -> "$.results[0].times[3]". */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '$';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/**
 * Validates `value` against a zod schema; on failure throws an InputError naming the file, the
 * JSON path of the first problem and what was wrong there.
 */
export function validateShape<S extends z.ZodMiniType>(schema: S, value: unknown, fileName: string, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (!issue) throw new InputError(fileName, `not a ${what} file`);
  const at = jsonPath(issue.path);
  const got = valueAt(value, issue.path);
  const detail =
    got === undefined
      ? 'missing'
      : issue.code === 'too_small' && typeof got === 'number'
        ? `must be >= ${String((issue as { minimum?: unknown }).minimum ?? 0)}, got ${got}`
        : `${issue.message}${typeof got === 'object' ? '' : ` (got ${JSON.stringify(got)?.slice(0, 40)})`}`;
  throw new InputError(fileName, `not a valid ${what} file: ${at} ${detail}`);
}

function valueAt(value: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = value;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/** Nearest-rank percentile (p in 0..100) of values sorted ascending; null when empty. */
export function nearestRankSorted(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(Number(((p / 100) * sorted.length).toFixed(9)))));
  return sorted[rank - 1]!;
}

/** The percentiles Perf Budgets reports from raw values (nearest rank). */
export const REPORTED_PERCENTILES = [50, 90, 95, 99, 99.9, 100] as const;

/**
 * Seconds -> milliseconds by shifting the decimal point of the number's shortest text form, so
 * the result is the double nearest to the exact decimal product (0.0112 s -> 11.2 ms, never
 * 11.200000000000001). `exp10` = 3 for s -> ms, -3 for us -> ms, -6 for ns -> ms.
 */
export function scaleDecimal(value: number, exp10: number): number {
  if (!Number.isFinite(value) || value === 0) return value * 10 ** exp10;
  const [mantissa, e = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(e) + exp10}`);
}

export const secondsToMs = (s: number): number => scaleDecimal(s, 3);

/** A whole JSON file read (readText: size-capped), parsed (parseJson) and checked against `schema` (validateShape). */
export async function readJsonShape<S extends z.ZodMiniType>(schema: S, source: ByteSource, fileName: string, what: string): Promise<z.output<S>> {
  return validateShape(schema, parseJson(await readText(source, fileName), fileName), fileName, what);
}
