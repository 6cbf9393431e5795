import * as l10n from '@vscode/l10n';
import type { HandlerResult } from '../budgets/verdict';
import type { PanelModel, PanelSide } from '../protocol';
import { renderReport } from './reports';

/**
 * The comparison panel's "Export report": the Markdown report of `results`, headed by what a reader
 * of the document needs to place it: when the run was made, at which commit, on which machine,
 * from which result files, and which baseline it was compared with (where it came from, when and
 * where that was measured). The same facts the panel's header shows, from the same model.
 */
export function comparisonMarkdown(model: PanelModel, results: readonly HandlerResult[]): string {
  const run = model.run;
  const lines = [
    `# ${l10n.t('Perf Budgets: comparison report')}`,
    '',
    `- **${l10n.t('Run')}:** ${md(utc(run.time) ?? l10n.t('time unknown'))}${run.benchmarks.length ? ` — ${md(l10n.t('benchmarks {0}', run.benchmarks.join(', ')))}` : ''}`,
    `- **${l10n.t('Commit')}:** ${run.commit ? code(run.commit) : md(l10n.t('unknown'))}`,
    `- **${l10n.t('Machine')}:** ${md(run.machine ?? l10n.t('unknown'))}`,
    `- **${l10n.t('Result files')}:** ${run.sources.length ? run.sources.map(code).join(', ') : md(l10n.t('none'))}`,
    `- **${l10n.t('Baseline')}:** ${model.baseline ? baselineText(model.baseline) : md(l10n.t('none: no baseline to compare with'))}`,
  ];
  if (model.machineMismatch) lines.push(`- ⚠ ${md(l10n.t('The run and the baseline were measured on different machines: deltas may reflect the machine, not the code.'))}`);
  if (model.stale) lines.push(`- ⚠ ${md(l10n.t('Stale: {0}', model.stale))}`);
  if (model.error) lines.push(`- ✗ ${md(l10n.t('The last read failed: {0}. Showing the previous results.', model.error))}`);
  const left = { unclaimed: model.unclaimed.map((s) => s.name), ambiguous: model.ambiguous };
  return `${lines.join('\n')}\n\n${renderReport('markdown', results, left)}`;
}

/** "HEAD:perf/baseline.json — measured 2026-01-02 03:04:05 UTC at commit `c0ffee…` on CPU, 16 cores, linux". */
function baselineText(b: PanelSide & { from: string }): string {
  const facts = [
    b.time ? l10n.t('measured {0}', utc(b.time) ?? b.time) : null,
    b.commit ? l10n.t('at commit {0}', b.commit) : null,
    b.machine ? l10n.t('on {0}', b.machine) : null,
  ].filter((x): x is string => x !== null);
  return `${code(b.from)}${facts.length ? ` — ${md(facts.join(' '))}` : ''}`;
}

/** An ISO time as "2026-01-02 03:04:05 UTC"; null when it is not a time (a baseline file can say anything). */
export function utc(iso: string | null): string | null {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** Text from files and git as Markdown text: the characters Markdown would read as markup, escaped; line breaks as spaces. */
function md(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/[|\\`*_<>[\]#]/g, (c) => `\\${c}`);
}

/** A name or id as inline code, with a fence longer than any run of backticks in it. */
function code(s: string): string {
  const flat = s.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
