import { formatDuration, formatNumber, formatPercent } from '../core/units';
import type { AbHandler, AbReport } from './abVerdicts';

export const AB_FORMATS = ['text', 'markdown', 'json'] as const;
export type AbFormat = (typeof AB_FORMATS)[number];

/** An A/B check's report: a table per handler (text or markdown, the same rows) or JSON. */
export function renderAbReport(format: AbFormat, report: AbReport): string {
  if (format === 'json') return `${JSON.stringify(abReportJson(report), null, 2)}\n`;
  const rows = report.handlers.map(abRow);
  if (format === 'markdown') {
    const md = (s: string) => s.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);
    return [
      `### Perf Budgets A/B: working tree vs ${md(report.ref)}`,
      '',
      abHeadline(report),
      '',
      `| ${AB_HEADERS.join(' | ')} |`,
      `|${AB_HEADERS.map((_, i) => (i === 0 || i === 5 ? '---' : '---:')).join('|')}|`,
      ...rows.map((r) => `| ${r.map(md).join(' | ')} |`),
      '',
      ...abNotes(report).map((n) => `- ${md(n)}`),
      '',
    ].join('\n');
  }
  const table = [AB_HEADERS, ...rows];
  const widths = AB_HEADERS.map((_, c) => Math.max(...table.map((r) => [...r[c]!].length)));
  const lines = table.map((r) => r.map((cell, c) => cell.padEnd(widths[c]!)).join('  ').trimEnd());
  lines.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return `${abHeadline(report)}\n\n${lines.join('\n')}\n\n${abNotes(report).join('\n')}\n`;
}

const AB_HEADERS = ['Handler', 'A p95', 'B p95', 'B/A', '95% CI of B/A', 'Verdict', 'p', 'Min. detectable'];

function abRow(h: AbHandler): string[] {
  const ms = (v: number | null) => (v === null ? '—' : formatDuration(v));
  const x = (v: number) => `${formatNumber(v)}×`;
  return [
    h.handler,
    ms(h.aP95),
    ms(h.bP95),
    h.ratio === null ? '—' : x(h.ratio),
    h.ratioCi ? `${x(h.ratioCi[0])}–${x(h.ratioCi[1])}` : '—',
    h.verdict,
    h.pValue === null ? '—' : formatNumber(h.pValue, 2),
    describeMinDetectable(h.minDetectable),
  ];
}

/** "+18%", or "none yet" when the runs made cannot detect any change. */
export function describeMinDetectable(fraction: number): string {
  return Number.isFinite(fraction) ? `+${formatPercent(fraction, 2)}` : 'none yet';
}

function abHeadline(r: AbReport): string {
  const stopped = { decided: 'every handler decided', 'max-runs': `the run limit (${r.maxRuns} per side)`, 'max-time': 'the time limit' }[r.stoppedBy];
  return (
    `A = ${r.ref} (${r.commit.slice(0, 12)}), B = the working tree; ${r.benchmarks.join(', ')}: ${r.runs.a} + ${r.runs.b} runs, ` +
    `stopped by ${stopped} after ${formatDuration(r.elapsedMs)}. Regression threshold ${formatPercent(r.threshold)}, α ${r.alpha} (Holm over the handlers).`
  );
}

function abNotes(r: AbReport): string[] {
  const regressed = r.handlers.filter((h) => h.verdict === 'regressed').map((h) => h.handler);
  const inconclusive = r.handlers.filter((h) => h.verdict === 'inconclusive').map((h) => h.handler);
  return [
    regressed.length ? `Regressed: ${regressed.join(', ')}.` : 'No handler regressed.',
    ...(inconclusive.length ? [`Inconclusive: ${inconclusive.join(', ')} (more runs or less noise would decide).`] : []),
    ...r.handlers.filter((h) => h.note).map((h) => `${h.handler}: ${h.note}.`),
    'Min. detectable: the smallest p95 growth these runs would flag as a regression with 80% power.',
    `Runs kept in ${r.runsDir}/.`,
  ];
}

/** The JSON form: the report as is, with Infinity (no detectable change yet) as null. */
export function abReportJson(r: AbReport): unknown {
  return { ...r, handlers: r.handlers.map((h) => ({ ...h, minDetectable: Number.isFinite(h.minDetectable) ? h.minDetectable : null })) };
}
