import type { AmbiguousSeries } from '../budgets/claim';
import type { HandlerResult, Verdict } from '../budgets/verdict';
import { type LatencyMetric, METRIC_PERCENTILE } from '../config/schema';
import { percentileOf } from '../series';
import {
  describeDelta,
  describeEvidence,
  describeSupport,
  describeValueWithCi,
  describeVerdict,
  fewSamples,
  formatMargin,
  formatMetricValue,
  formatSignedPct,
} from './describe';
import { formatDuration } from '../units';

export const REPORT_FORMATS = ['text', 'markdown', 'json', 'junit', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What the budgets left over (evaluateWithClaims, readAndJudge): listed after the table, never a gate failure. */
export interface LeftOver {
  /** Series no budget claims. */
  unclaimed: readonly string[];
  /** Series budgets tie for (they feed none). */
  ambiguous: readonly AmbiguousSeries[];
}

const NOTHING_LEFT: LeftOver = { unclaimed: [], ambiguous: [] };
/** Unclaimed names listed in text and markdown; json lists all. */
const UNCLAIMED_SHOWN = 20;

/** What git says changed in a regressed handler since the baseline (src/node/whatChanged.ts gives it). */
export type HandlerChanges =
  | { kind: 'changes'; commits: ReadonlyArray<{ short: string; subject: string; author: string; date: string; hunks: readonly string[] }>; uncommitted: readonly string[]; truncated: boolean }
  | { kind: 'unavailable'; message: string };

/** Extra facts for the markdown (and github) report. */
export interface ReportExtras {
  /** Per regressed handler: the commits and hunks that touched it since the baseline. */
  changes?: ReadonlyMap<string, HandlerChanges>;
}

/** Diff lines per handler in a report: a pull-request comment stays readable. */
const REPORT_DIFF_LINES = 40;

/** Where a handler is in code (1-based line), for annotations on its line. */
export interface CodePlace {
  file: string;
  line: number;
}

export function renderReport(format: ReportFormat, results: readonly HandlerResult[], left: LeftOver = NOTHING_LEFT, places?: ReadonlyMap<string, CodePlace>, extras: ReportExtras = {}): string {
  switch (format) {
    case 'json':
      return jsonReport(results, left);
    case 'markdown':
      return markdownReport(results, left, extras);
    case 'junit':
      return junitReport(results);
    case 'github':
      return githubReport(results, left, places, extras);
    case 'text':
      return textReport(results, left);
  }
}

/**
 * "Unclaimed series (no budget): a, b, … and 3 more" and one "Ambiguous series: …" line per tie;
 * nothing when every series is claimed.
 */
export function leftOverLines(left: LeftOver): string[] {
  const lines: string[] = [];
  const names = left.unclaimed;
  if (names.length > 0) {
    const shown = names.slice(0, UNCLAIMED_SHOWN).join(', ');
    lines.push(`Unclaimed series (no budget): ${shown}${names.length > UNCLAIMED_SHOWN ? ` and ${names.length - UNCLAIMED_SHOWN} more` : ''}`);
  }
  for (const a of left.ambiguous) {
    const tied = a.budgets.length <= 2 ? a.budgets.join(' and ') : `${a.budgets.slice(0, -1).join(', ')} and ${a.budgets[a.budgets.length - 1]}`;
    lines.push(`Ambiguous series: ${a.series} matches ${tied} equally; add a "series" to one budget`);
  }
  return lines;
}

/** "n" is the handler's request count; a value its sample does not support is marked "≈" (a note below says why). */
const HEADERS = ['Handler', 'Metric', 'p50', 'p95', 'p99', 'n', 'Value', 'Budget', 'Status', 'Margin', 'Δ vs baseline'];
const STATUS_COLUMN = HEADERS.indexOf('Status');

function rows(results: readonly HandlerResult[]): string[][] {
  const out: string[][] = [];
  for (const r of results) {
    r.verdicts.forEach((v, i) => {
      const pct = (m: LatencyMetric) => {
        const x = r.current ? percentileOf(r.current, METRIC_PERCENTILE[m]) : null;
        return i === 0 && x !== null ? formatDuration(x) : i === 0 ? '—' : '';
      };
      out.push([
        i === 0 ? v.handler : '',
        v.metric,
        pct('p50'),
        pct('p95'),
        pct('p99'),
        i === 0 ? (r.current?.count?.toString() ?? '—') : '',
        v.value === null ? '—' : `${fewSamples(v) ? '≈' : ''}${v.bucket ? describeValueWithCi(v)! : formatMetricValue(v.metric, v.value)}`,
        formatMetricValue(v.metric, v.budget),
        v.budgetInconclusive ? 'INCONCLUSIVE' : v.status.toUpperCase(),
        // Inside the bucket the value may be on either side of the budget: no margin to print.
        v.budgetInconclusive ? 'in bucket' : v.marginPct === null ? '—' : formatMargin(v.marginPct).replace(' margin', ''),
        v.deltaPct === null ? (v.baseline === null ? 'no baseline' : 'n/a') : `${formatSignedPct(v.deltaPct)} ${v.regression ?? ''}`.trim(),
      ]);
    });
  }
  return out;
}

export function summaryLine(results: readonly HandlerResult[]): string {
  const all = results.flatMap((r) => r.verdicts);
  const n = (s: Verdict['status']) => all.filter((v) => v.status === s).length;
  const regressed = all.filter((v) => v.regression === 'regressed').length;
  return `${results.length} handler${results.length === 1 ? '' : 's'}, ${all.length} budgeted metric${all.length === 1 ? '' : 's'}: ${n('pass')} pass, ${n('warn')} warn, ${n('fail')} fail, ${n('missing')} missing; ${regressed} regression${regressed === 1 ? '' : 's'}`;
}

function textReport(results: readonly HandlerResult[], left: LeftOver): string {
  const table = [HEADERS, ...rows(results)];
  const widths = HEADERS.map((_, c) => Math.max(...table.map((r) => [...r[c]!].length)));
  const lines = table.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  const notes = evidenceNotes(results).map((n) => `  ${n}`);
  const leftOver = leftOverLines(left);
  return `${lines.join('\n')}\n${notes.length ? `\n${notes.join('\n')}\n` : ''}\n${summaryLine(results)}\n${leftOver.length ? `\n${leftOver.join('\n')}\n` : ''}`;
}

/**
 * One line per comparison decided by statistics, or undecided: what the evidence says; one per
 * budget a histogram bucket cannot decide; and one per percentile its sample does not support.
 */
function evidenceNotes(results: readonly HandlerResult[]): string[] {
  return results.flatMap((r) =>
    r.verdicts.flatMap((v) => {
      const notes: string[] = [];
      if (v.budgetInconclusive) notes.push(`${v.handler} ${describeVerdict(v)}`);
      if (fewSamples(v)) notes.push(`${v.handler} ${v.metric} ${formatMetricValue(v.metric, v.value!)} (${v.status}): ${describeSupport(v)}`);
      const e = v.evidence;
      if (e && (e.method !== 'threshold' || e.bucketHint) && v.regression !== null && v.regression !== 'unchanged') {
        notes.push(`${v.handler} ${v.metric} ${describeValueWithCi(v)}: ${v.regression} — ${describeEvidence(v)}`);
      }
      return notes;
    }),
  );
}

function escapeMd(s: string): string {
  return s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);
}

/**
 * "### What changed in GET /x": under each regressed handler, the uncommitted hunks of the run,
 * then each commit since the baseline that touched it (short hash, subject, author, date) and a
 * diff capped at REPORT_DIFF_LINES lines; or why git could not tell.
 */
function whatChangedSections(results: readonly HandlerResult[], changes: ReadonlyMap<string, HandlerChanges> | undefined): string[] {
  const out: string[] = [];
  for (const r of results) {
    const c = changes?.get(r.budget.handler);
    if (!c || !r.verdicts.some((v) => v.regression === 'regressed')) continue;
    out.push(`### What changed in ${escapeMd(r.budget.handler)}`, '');
    if (c.kind === 'unavailable') {
      out.push(escapeMd(`Not known: ${c.message}`), '');
      continue;
    }
    if (c.commits.length === 0 && c.uncommitted.length === 0) out.push('No commit since the baseline touched this handler.', '');
    for (const commit of c.commits) out.push(`- \`${commit.short}\` ${escapeMd(commit.subject)} (${escapeMd(commit.author)}, ${commit.date.slice(0, 10)})`);
    const hunks = [...(c.uncommitted.length ? ['# uncommitted', ...c.uncommitted] : []), ...c.commits.flatMap((x) => [`# ${x.short}`, ...x.hunks])];
    const lines = hunks.join('\n').split('\n');
    if (lines.length > 1) {
      const shown = lines.slice(0, REPORT_DIFF_LINES).map((l) => l.replace(/`/g, "'"));
      if (lines.length > REPORT_DIFF_LINES) shown.push(`… ${lines.length - REPORT_DIFF_LINES} more lines`);
      out.push('', '```diff', ...shown, '```');
    }
    if (c.truncated) out.push('', '(more changes than shown)');
    out.push('');
  }
  return out;
}

function markdownReport(results: readonly HandlerResult[], left: LeftOver, extras: ReportExtras = {}): string {
  const icon: Record<Verdict['status'], string> = { pass: '✅', warn: '⚠️', fail: '❌', missing: '❔' };
  const body = rows(results).map((r, i) => {
    const v = results.flatMap((x) => x.verdicts)[i]!;
    const cells = r.map(escapeMd);
    cells[STATUS_COLUMN] = `${icon[v.status]} ${cells[STATUS_COLUMN]}`;
    return `| ${cells.join(' | ')} |`;
  });
  return [
    '## Perf Budgets',
    '',
    `| ${HEADERS.join(' | ')} |`,
    `|${HEADERS.map((_, i) => (i >= 2 && i <= 7 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...body,
    '',
    ...evidenceNotes(results).map((n) => `- ${escapeMd(n)}`),
    '',
    summaryLine(results),
    '',
    ...leftOverLines(left).flatMap((l) => [escapeMd(l), '']),
    ...whatChangedSections(results, extras.changes),
  ].join('\n');
}

function jsonReport(results: readonly HandlerResult[], left: LeftOver): string {
  const verdicts = results.flatMap((r) =>
    r.verdicts.map((v) => ({
      handler: v.handler,
      metric: v.metric,
      value: v.value,
      budget: v.budget,
      status: v.status,
      marginPct: finiteOrNull(v.marginPct),
      baseline: v.baseline,
      deltaPct: finiteOrNull(v.deltaPct),
      regression: v.regression,
      ...(v.bucket ? { bucketMs: { lower: v.bucket.lower, upper: finiteOrNull(v.bucket.upper) } } : {}),
      ...(v.budgetInconclusive ? { budgetInconclusive: v.budgetInconclusive } : {}),
      // ci ends null where no order statistic bounds the percentile (unbounded).
      ...(v.support ? { support: { ...v.support, ci: v.support.ci ? [...v.support.ci] : null, text: describeSupport(v) } } : {}),
      ...(v.evidence && v.regression !== null ? { evidence: evidenceJson(v) } : {}),
    })),
  );
  const ambiguous = left.ambiguous.map((a) => ({ series: a.series, budgets: [...a.budgets] }));
  return `${JSON.stringify({ verdicts, unclaimed: [...left.unclaimed], ambiguous }, null, 2)}\n`;
}

/** The regression evidence in JSON: the noise model, the p-value used, and the rank test's effect sizes. */
function evidenceJson(v: Verdict) {
  const e = v.evidence!;
  const noise = e.method === 'runs-mann-whitney' ? 'between-run' : e.method === 'histogram-ci' ? 'within-run' : 'none';
  return {
    method: e.method,
    noise,
    pValue: e.pValue ?? null,
    ...(e.runs
      ? {
          runs: {
            current: e.runs.runs.current,
            baseline: e.runs.runs.baseline,
            p: e.runs.p,
            exact: e.runs.exact,
            medianRatio: finiteOrNull(e.runs.ratio),
            hodgesLehmannShift: e.runs.shift,
            commonLanguage: e.runs.commonLanguage,
            rankBiserial: e.runs.rankBiserial,
          },
        }
      : {}),
    ...(e.ratioCi ? { ratioCi: e.ratioCi } : {}),
    text: describeEvidence(v),
  };
}

function finiteOrNull(x: number | null): number | null {
  return x === null || !Number.isFinite(x) ? null : x;
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

/** The verdict, its change from the baseline, and, when its sample does not support it, why. */
function verdictLine(v: Verdict): string {
  return [describeVerdict(v), describeDelta(v), fewSamples(v) ? `few samples: ${describeSupport(v)}` : null].filter(Boolean).join('; ');
}

function junitReport(results: readonly HandlerResult[]): string {
  const all = results.flatMap((r) => r.verdicts);
  const failures = all.filter((v) => v.status === 'fail' || v.regression === 'regressed').length;
  const skipped = all.filter((v) => v.status === 'missing').length;
  const cases = all.map((v) => {
    const name = xml(`${v.handler} ${v.metric}`);
    const text = xml(verdictLine(v));
    let inner = '';
    if (v.status === 'fail') inner = `<failure message="${text}" type="budget"/>`;
    else if (v.regression === 'regressed') inner = `<failure message="${text}" type="regression"/>`;
    else if (v.status === 'missing') inner = `<skipped message="${text}"/>`;
    else inner = `<system-out>${text}</system-out>`;
    return `    <testcase classname="perf-budgets" name="${name}">${inner}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="Perf Budgets" tests="${all.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="budgets" tests="${all.length}" failures="${failures}" skipped="${skipped}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** GitHub Actions workflow commands (annotations), then the markdown table for the log. */
function githubReport(results: readonly HandlerResult[], left: LeftOver, places?: ReadonlyMap<string, CodePlace>, extras: ReportExtras = {}): string {
  const esc = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  const escProp = (s: string) => esc(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
  const lines: string[] = [];
  for (const v of results.flatMap((r) => r.verdicts)) {
    const level =
      v.status === 'fail' || v.regression === 'regressed'
        ? 'error'
        : v.status === 'warn' || v.status === 'missing' || v.regression === 'inconclusive'
          ? 'warning'
          : // A pass its sample cannot support: said, not failed.
            fewSamples(v)
            ? 'notice'
            : null;
    if (!level) continue;
    // The handler's line as discovery found it (the editor's rules), else what "at" says.
    const place = places?.get(v.handler);
    const loc = place ? null : v.at ? /^(.*?)(?::(\d+))?(?:#.*)?$/.exec(v.at) : null;
    const props = [`title=${escProp(`Perf budget: ${v.handler} ${v.metric}`)}`];
    if (place) props.unshift(`file=${escProp(place.file)},line=${place.line}`);
    else if (loc?.[1]) props.unshift(`file=${escProp(loc[1])}${loc[2] ? `,line=${loc[2]}` : ''}`);
    lines.push(`::${level} ${props.join(',')}::${esc(verdictLine(v))}`);
  }
  return `${lines.join('\n')}${lines.length ? '\n' : ''}${markdownReport(results, left, extras)}`;
}
