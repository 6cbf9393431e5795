import * as l10n from '@vscode/l10n';
import type { HandlerResult } from '../core/budgets/verdict';
import { describeDelta, describeEvidence, describeSupport, describeValueWithCi, describeVerdict, fewSamples, formatMetricValue } from '../core/report/describe';
import { errorRateOf, percentileOf, type Series } from '../core/series';
import { samplesNeeded } from '../core/stats/quantileSupport';
import { formatDuration, formatNumber, formatPercent } from '../core/units';
import type { WhatChanged } from '../node/whatChanged';
import { COMMANDS } from './ids';

/**
 * The handler hover's Markdown, without `vscode` (hoverContent.ts wraps it in a MarkdownString).
 *
 * The hover is trusted for a few commands and shows in Restricted Mode too, while nearly all of its
 * text comes from the workspace: budget keys, series and file names, the baseline's origin,
 * benchmark names. So that text is only ever passed through `mdText` (or into a command's JSON
 * arguments), and the only links are ours, to our own commands: a result file opens through
 * COMMANDS.openResultFile, which checks the path, never through `vscode.open` and a URI.
 */

/** Sub-samples listed by name in a hover; the rest are counted. */
const SUB_SAMPLES_SHOWN = 8;

const ICON: Record<string, string> = { pass: '$(pass)', warn: '$(warning)', fail: '$(error)', missing: '$(question)' };

/** Line breaks (also U+2028, U+2029, NEL) and the other control characters (Unicode Cc). */
const CONTROL_OR_LINE_BREAK = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * Text from result files and config as Markdown that renders as exactly that text: control
 * characters and line breaks become U+FFFD (a line break would end a paragraph or a table row),
 * Markdown's punctuation is backslash-escaped, and so are the ":" of "://" and every "." so that
 * no URL, "www." or e-mail address is turned into a link (GFM autolinks).
 */
export function mdText(s: string): string {
  return s.replace(CONTROL_OR_LINE_BREAK, '\uFFFD').replace(/[\\`*_{}[\]()#+\-.!|<>&~]|:(?=\/\/)/g, (c) => `\\${c}`);
}

/**
 * A link to a command with JSON arguments. The query is percent-encoded throughout ("(" and ")"
 * too, which would end the link), and a "%" in the data is written \u0025 inside the JSON: VS Code
 * may decode the query twice, and a "%22" in a name must not turn into a quote then.
 */
function commandLink(title: string, command: string, args: unknown[]): string {
  const json = JSON.stringify(args).replace(/%/g, '\\u0025');
  const query = encodeURIComponent(json).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${title}](command:${command}?${query})`;
}

export interface HoverFacts {
  /** The workspace folder's URI (`uri.toString()`), the commands' `folder` argument. */
  folder: string;
  readAt: Date;
  /** Where the baseline came from ("HEAD:perf/baseline.json"), if there is one. */
  baselineFrom: string | null;
  /** The benchmark whose results these are, for "Run this benchmark". */
  benchmark?: string;
  /** The command that opens the comparison panel, when there is a panel. */
  panelCommand?: string;
  /** Sub-samples of the handler's series (JMeter sub-results): shown under it, not in its totals. */
  subSamples?: Series[];
  /** The handler in production (ProductionLine.text), beside this run's numbers; `muted` when it is a reason, not a number. */
  production?: { text: string; muted: boolean };
}

export interface HoverMarkdown {
  value: string;
  /** The commands its links may run (MarkdownString.isTrusted.enabledCommands). */
  enabledCommands: string[];
}

/**
 * The hover on a handler: verdicts (each latency percentile with its request count and its 95%
 * interval, and "too few samples" when they cannot support it), a table of p50/p90/p95/p99/max
 * (a percentile from fewer requests than it needs marked "n < 20"), count, error rate and
 * throughput against the baseline, where the numbers came from, and actions.
 */
export function hoverMarkdown(result: HandlerResult, facts: HoverFacts): HoverMarkdown {
  const { folder, panelCommand, benchmark } = facts;
  const out: string[] = [`**Perf Budgets** — ${mdText(result.budget.handler)}\n\n`];
  for (const v of result.verdicts) {
    const few = fewSamples(v);
    out.push(`${ICON[v.status]} ${few ? '$(warning) ' : ''}${mdText(describeVerdict(v))}`);
    // The order-statistic interval with its count when there is one; else the regression test's.
    // Summary-only data with enough requests has nothing to add to the table's request count.
    const support = v.value !== null && (v.support?.ci || few) ? describeSupport(v) : null;
    const ci = !v.support?.ci && v.evidence?.valueCi ? describeValueWithCi(v) : null;
    if (ci) out.push(` · ${mdText(`${v.metric} ${ci}`)}`);
    const d = describeDelta(v);
    if (d) out.push(` · ${mdText(d)}`);
    if (support) out.push(` · ${few ? '**' : ''}${mdText(`${v.metric} ${formatMetricValue(v.metric, v.value!)} (${support})`)}${few ? '**' : ''}`);
    const e = describeEvidence(v);
    if (e && v.regression !== 'unchanged') out.push(`  \n&nbsp;&nbsp;&nbsp;&nbsp;${mdText(e)}`);
    out.push('  \n');
  }
  // Production beside this run: its p95 (with the bucket it lies in), or, in italics, why there is none.
  const prod = facts.production;
  if (prod) out.push(`$(cloud) ${prod.muted ? `*${mdText(prod.text)}*` : mdText(prod.text)}  \n`);
  const cur = result.current;
  const base = result.baseline;
  const row = (label: string, a: string, b: string) => `| ${label} | ${mdText(a)} | ${mdText(b)} |\n`;
  const pct = (s: typeof cur, p: number) => {
    const v = s ? percentileOf(s, p) : null;
    if (v === null) return '—';
    // Fewer requests than the percentile needs: it is the maximum under another name.
    const needed = p < 100 ? samplesNeeded(p) : 1;
    return s!.count !== null && s!.count < needed ? `${formatDuration(v)} (n < ${needed})` : formatDuration(v);
  };
  out.push(`\n| | ${l10n.t('this run')} | ${l10n.t('baseline')} |\n|---|---:|---:|\n`);
  for (const [label, p] of [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['max', 100]] as const) out.push(row(label, pct(cur, p), pct(base, p)));
  out.push(row(l10n.t('requests'), cur?.count?.toString() ?? '—', base?.count?.toString() ?? '—'));
  const er = (s: typeof cur) => {
    const r = s ? errorRateOf(s) : null;
    return r === null ? '—' : formatPercent(r);
  };
  out.push(row(l10n.t('error rate'), er(cur), er(base)));
  const tp = (s: typeof cur) => (s?.throughputPerSec == null ? '—' : `${formatNumber(s.throughputPerSec)}/s`);
  out.push(row(l10n.t('throughput'), tp(cur), tp(base)));
  const extra = Object.entries(cur?.extraMetrics ?? {});
  if (extra.length) out.push(`\n${l10n.t('Also measured: {0}', mdText(extra.map(([k, v]) => `${k} ${formatNumber(v)}`).join(' · ')))}  \n`);
  const subs = facts.subSamples ?? [];
  if (subs.length) {
    out.push(`\n${l10n.t('Sub-samples (not counted in its totals):')}  \n`);
    for (const sub of subs.slice(0, SUB_SAMPLES_SHOWN)) {
      const p95 = percentileOf(sub, 95);
      const parts = [p95 !== null ? `p95 ${formatDuration(p95)}` : null, sub.count !== null ? l10n.t('{0} requests', sub.count) : null].filter((x) => x !== null);
      out.push(`&nbsp;&nbsp;${mdText(sub.name)}${parts.length ? ` · ${mdText(parts.join(' · '))}` : ''}  \n`);
    }
    if (subs.length > SUB_SAMPLES_SHOWN) out.push(`&nbsp;&nbsp;${l10n.t('and {0} more', subs.length - SUB_SAMPLES_SHOWN)}  \n`);
  }
  const budgets = result.verdicts.map((v) => `${v.metric} ${formatMetricValue(v.metric, v.budget)}`).join(', ');
  out.push(`\n${l10n.t('Budget: {0}', mdText(budgets))}  \n`);
  const openFile = (title: string, file: string) => commandLink(title, COMMANDS.openResultFile, [{ folder, file }]);
  const files = cur ? cur.source.split(', ') : [];
  if (cur) {
    const how = cur.exact ? l10n.t('as printed by the tool') : l10n.t('from the full histogram');
    out.push(`${l10n.t('Results: {0} ({1}), read {2}', files.map((f) => openFile(mdText(f), f)).join(', '), how, facts.readAt.toLocaleTimeString())}  \n`);
  } else {
    out.push(`${l10n.t('Results: no series matches this handler')}  \n`);
  }
  if (facts.baselineFrom) out.push(`${l10n.t('Baseline: {0}', mdText(facts.baselineFrom))}  \n`);
  const actions: string[] = [];
  if (panelCommand) actions.push(commandLink(l10n.t('Open comparison panel'), panelCommand, [{ folder, handler: result.budget.handler }]));
  if (cur) actions.push(openFile(l10n.t('Open result file'), files[0]!));
  if (benchmark) actions.push(commandLink(l10n.t('Run this benchmark'), COMMANDS.runBenchmark, [{ folder, benchmark }]));
  if (actions.length) out.push(`\n${actions.join(' · ')}`);
  return { value: out.join(''), enabledCommands: [COMMANDS.runBenchmark, COMMANDS.openResultFile, ...(panelCommand ? [panelCommand] : [])] };
}

/**
 * The hover on a handler that shows no p95: why (core's one line, from workspace names, so
 * escaped) and one link, to "Why no p95 here?" (the reason with its next steps as buttons) or to
 * Set Up… in a folder without a perf-budgets.json.
 */
export function noVerdictMarkdown(text: string, link: { title: string; command: string; args: unknown[] }): HoverMarkdown {
  return {
    value: `**Perf Budgets** — $(question) ${l10n.t('No p95 here: {0}', mdText(text))}\n\n${commandLink(mdText(link.title), link.command, link.args)}`,
    enabledCommands: [link.command],
  };
}

/** Hunk lines shown per commit in a hover (the rest: open the diff). */
const HUNK_LINES_SHOWN = 12;

/**
 * "Why it regressed": the uncommitted hunks of a run on a dirty tree first, then each commit
 * between the baseline's and the run's that touched the handler (short hash, subject, author,
 * date) with its hunks, capped, and a link to the diff editor; or, when git cannot tell, why.
 * Subjects, names and hunks come from the repository: only ever through mdText or a code block.
 */
/** Changes to a function the handler calls in the same file. */
export interface CalledChanges {
  name: string;
  changed: WhatChanged;
}

export function whatChangedMarkdown(changed: WhatChanged, diff: { command: string; args: unknown[] } | null, called: readonly CalledChanges[] = []): string {
  const out: string[] = [`**${l10n.t('Why it regressed')}**  \n`];
  if (changed.kind === 'unavailable') {
    out.push(`$(info) ${mdText(l10n.t('What changed cannot be shown: {0}', changed.message))}`);
    return out.join('');
  }
  const block = (hunks: string[]) => {
    const lines = hunks.join('\n').split('\n');
    const shown = lines.slice(0, HUNK_LINES_SHOWN).map((l) => l.replace(/`/g, "'"));
    if (lines.length > HUNK_LINES_SHOWN) shown.push(l10n.t('… {0} more lines', lines.length - HUNK_LINES_SHOWN));
    return `\n\`\`\`diff\n${shown.join('\n')}\n\`\`\`\n`;
  };
  if (changed.uncommitted.length) {
    out.push(`${mdText(l10n.t('Uncommitted changes the run measured:'))}\n`);
    out.push(block(changed.uncommitted));
  }
  if (changed.commits.length === 0 && changed.uncommitted.length === 0 && called.length === 0) {
    out.push(mdText(l10n.t('No commit since the baseline touched this handler: the cause is elsewhere (what it calls, data, the machine).')));
  }
  for (const c of changed.commits) {
    out.push(`\n\`${mdText(c.short)}\` ${mdText(c.subject)} — ${mdText(c.author)}, ${mdText(c.date.slice(0, 10))}  \n`);
    out.push(block(c.hunks));
  }
  for (const fn of called) {
    if (fn.changed.kind !== 'changes') continue;
    out.push(`\n$(arrow-small-right) ${mdText(l10n.t('called from here: {0}()', fn.name))}  \n`);
    if (fn.changed.uncommitted.length) out.push(block(fn.changed.uncommitted));
    for (const c of fn.changed.commits) {
      out.push(`\`${mdText(c.short)}\` ${mdText(c.subject)} — ${mdText(c.author)}, ${mdText(c.date.slice(0, 10))}  \n`);
      out.push(block(c.hunks));
    }
  }
  if (changed.truncated) out.push(`${mdText(l10n.t('(more changes than shown)'))}  \n`);
  if (diff) out.push(`\n${commandLink(l10n.t('Open the diff since the baseline'), diff.command, diff.args)}`);
  return out.join('');
}
