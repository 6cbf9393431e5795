import { budgetComment, errorBudget } from './buildPlan';
import type { PlannedBenchmark, PlannedBudget, SetupChoices, SetupPlan } from './plan';

export type { SetupChoices } from './plan';
import { SETUP_DEFAULTS } from './plan';
import { durationText, percentText, proposedBudget, READABLE_LADDER } from './readable';

interface Entry {
  comment: string[];
  lines: string[];
  enabled: boolean;
}

const q = (s: string) => JSON.stringify(s);

/** A value on one line: { "a": 1, "b": [2, 3] }. */
function inline(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${q(k)}: ${inline(x)}`);
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
  return JSON.stringify(v);
}

/** An object's entries, one per line (nested objects expanded), with commas between the enabled ones. */
function objectLines(entries: Entry[], indent: string): string[] {
  const out: string[] = [];
  const lastEnabled = entries.map((e) => e.enabled).lastIndexOf(true);
  entries.forEach((e, i) => {
    for (const c of e.comment) out.push(`${indent}// ${c}`.trimEnd());
    const lines = [...e.lines];
    if (e.enabled && i < lastEnabled) lines[lines.length - 1] += ',';
    for (const l of lines) out.push(e.enabled ? `${indent}${l}` : `${indent}// ${l}`);
  });
  return out;
}

function commentLines(text: string | undefined, width = 110): string[] {
  return text ? text.split('\n').flatMap((l) => wrap(l, width)) : [];
}

/** Splits a comment line at spaces so it stays under `width` characters. */
function wrap(line: string, width: number): string[] {
  const out: string[] = [];
  let rest = line;
  while (rest.length > width) {
    const cut = rest.lastIndexOf(' ', width);
    if (cut <= 0) break;
    out.push(rest.slice(0, cut));
    rest = `  ${rest.slice(cut + 1)}`;
  }
  out.push(rest);
  return out;
}

/** A benchmark's config as lines: one key per line; "http" expanded with a request per line. */
function benchmarkLines(b: PlannedBenchmark): string[] {
  const keys = Object.entries(b.config);
  const body: Entry[] = keys.map(([k, v]) => {
    if (k === 'http' && v && typeof v === 'object') {
      const http = Object.entries(v as Record<string, unknown>).map(([hk, hv]): Entry => {
        if (hk !== 'requests' || !Array.isArray(hv)) return { comment: [], lines: [`${q(hk)}: ${inline(hv)}`], enabled: true };
        const reqs: Entry[] = hv.map((r) => ({ comment: [], lines: [inline(r)], enabled: true }));
        for (const p of b.placeholders ?? []) {
          const req: Record<string, unknown> = { handler: p.handler, path: p.path };
          if (p.method) req.method = p.method;
          reqs.push({ comment: [], lines: [`${p.reason}: ${inline(req)}`], enabled: false });
        }
        return { comment: [], lines: [`${q(hk)}: [`, ...objectLines(reqs, '  '), ']'], enabled: true };
      });
      return { comment: [], lines: [`${q(k)}: {`, ...objectLines(http, '  '), '}'], enabled: true };
    }
    return { comment: [], lines: [`${q(k)}: ${inline(v)}`], enabled: true };
  });
  return [`${q(b.name)}: {`, ...objectLines(body, '  '), '}'];
}

/** A budget's value and comment with the choices applied. */
function budgetEntry(b: PlannedBudget, choices: SetupChoices): { value: Record<string, string>; comment: string } {
  const headroom = choices.headroom ?? SETUP_DEFAULTS.headroom;
  const defaultErrorRate = choices.defaultErrorRate ?? SETUP_DEFAULTS.errorRate;
  const metric = b.metric ?? 'p95';
  let latency = b.p95Ms;
  let errorRate = b.errorRate;
  let comment = b.comment;
  if (b.from === 'results' && b.measured) {
    latency = proposedBudget(b.measured.latencyMs, headroom);
    errorRate = errorBudget(b.measured.errorRate, defaultErrorRate, headroom);
    comment = budgetComment(b.route ? `${b.route.file}:${b.route.line + 1}` : 'results', { ...b.measured, metric }, headroom, latency);
  } else {
    if (choices.defaultP95Ms !== undefined) latency = choices.defaultP95Ms;
    if (choices.defaultErrorRate !== undefined) errorRate = choices.defaultErrorRate;
  }
  const value: Record<string, string> = { [metric]: durationText(latency), errorRate: percentText(errorRate) };
  if (b.series !== undefined) value.series = b.series;
  return { value, comment };
}

/**
 * The text of perf-budgets.json for a plan: JSONC with a comment on every benchmark and budget
 * saying where it came from, disabled benchmarks and requests commented out, valid for
 * parseConfig as written.
 */
export function renderConfig(plan: SetupPlan, choices: SetupChoices = {}): string {
  const headroom = choices.headroom ?? SETUP_DEFAULTS.headroom;
  const p95 = choices.defaultP95Ms ?? SETUP_DEFAULTS.p95Ms;
  const err = choices.defaultErrorRate ?? SETUP_DEFAULTS.errorRate;
  const enabled = new Set(choices.benchmarks ?? plan.benchmarks.filter((b) => b.enabled).map((b) => b.name));
  const wanted = choices.handlers ? new Set(choices.handlers) : null;
  const example = 87 * headroom;
  const header = [
    '// perf-budgets.json, proposed by `perf-budgets init` from what it found in this folder: edit it freely.',
    `// A budget from results is the measured value × ${headroom}, rounded up to the next of ${READABLE_LADDER.join(', ')} × 10^k ms`,
    `// (87 ms × ${headroom} = ${Number(example.toPrecision(6))} ms → "${durationText(proposedBudget(87, headroom))}"); every other budget is a default (p95 ${durationText(p95)}, error rate ${percentText(err)}) to edit.`,
    '// Each benchmark says how it runs and where it writes; `perf-budgets run` runs them, `perf-budgets check` reads the results.',
  ];
  const benches: Entry[] = plan.benchmarks.map((b) => ({ comment: commentLines(b.comment ?? b.description), lines: benchmarkLines(b), enabled: enabled.has(b.name) }));
  const budgets: Entry[] = plan.budgets
    .filter((b) => wanted === null || wanted.has(b.handler))
    .map((b) => {
      const { value, comment } = budgetEntry(b, choices);
      return { comment: commentLines(comment, Infinity), lines: [`${q(b.handler)}: ${inline(value)}`], enabled: true };
    });
  const top: Entry[] = [
    { comment: [], lines: benches.length === 0 ? ['"benchmarks": {}'] : ['"benchmarks": {', ...objectLines(benches, '  '), '}'], enabled: true },
    { comment: [], lines: budgets.length === 0 ? ['"budgets": {}'] : ['"budgets": {', ...objectLines(budgets, '  '), '}'], enabled: true },
  ];
  return `${[...header, '{', ...objectLines(top, '  '), '}'].join('\n')}\n`;
}
