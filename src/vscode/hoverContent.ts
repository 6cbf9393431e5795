import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HandlerResult } from '../core/budgets/evaluate';
import { describeDelta, describeEvidence, describeValueWithCi, describeVerdict, formatMetricValue } from '../core/report/describe';
import { errorRateOf, percentileOf } from '../core/series';
import { formatDuration, formatNumber, formatPercent } from '../core/units';
import type { BudgetsModel } from './folderBudgets';
import { COMMANDS } from './ids';

const ICON: Record<string, string> = { pass: '$(pass)', warn: '$(warning)', fail: '$(error)', missing: '$(question)' };

/** Escapes text from result files and config so Markdown never interprets it. */
export function mdText(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`);
}

function commandLink(title: string, command: string, args: unknown[] = []): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify(args))})`;
}

/**
 * The hover on a handler: verdicts, a table of p50/p90/p95/p99/max, count, error rate and
 * throughput against the baseline, where the numbers came from, and actions.
 */
export function hoverFor(result: HandlerResult, model: BudgetsModel, benchmark: string | undefined, panelCommand?: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: [COMMANDS.runBenchmark, 'vscode.open', ...(panelCommand ? [panelCommand] : [])] };
  md.supportHtml = false;
  md.appendMarkdown(`**Perf Budgets** — \`${result.budget.handler.replace(/`/g, "'")}\`\n\n`);
  for (const v of result.verdicts) {
    md.appendMarkdown(`${ICON[v.status]} ${mdText(describeVerdict(v))}`);
    const ci = v.evidence?.valueCi ? describeValueWithCi(v) : null;
    if (ci) md.appendMarkdown(` · ${mdText(`${v.metric} ${ci}`)}`);
    const d = describeDelta(v);
    if (d) md.appendMarkdown(` · ${mdText(d)}`);
    const e = describeEvidence(v);
    if (e && v.regression !== 'unchanged') md.appendMarkdown(`  \n&nbsp;&nbsp;&nbsp;&nbsp;${mdText(e)}`);
    md.appendMarkdown('  \n');
  }
  const cur = result.current;
  const base = result.baseline;
  const row = (label: string, a: string, b: string) => `| ${label} | ${mdText(a)} | ${mdText(b)} |\n`;
  const pct = (s: typeof cur, p: number) => {
    const v = s ? percentileOf(s, p) : null;
    return v === null ? '—' : formatDuration(v);
  };
  md.appendMarkdown('\n| | this run | baseline |\n|---|---:|---:|\n');
  for (const [label, p] of [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['max', 100]] as const) md.appendMarkdown(row(label, pct(cur, p), pct(base, p)));
  md.appendMarkdown(row('requests', cur?.count?.toString() ?? '—', base?.count?.toString() ?? '—'));
  const er = (s: typeof cur) => {
    const r = s ? errorRateOf(s) : null;
    return r === null ? '—' : formatPercent(r);
  };
  md.appendMarkdown(row('error rate', er(cur), er(base)));
  const tp = (s: typeof cur) => (s?.throughputPerSec == null ? '—' : `${formatNumber(s.throughputPerSec)}/s`);
  md.appendMarkdown(row('throughput', tp(cur), tp(base)));
  const budgets = result.verdicts.map((v) => `${v.metric} ${formatMetricValue(v.metric, v.budget)}`).join(', ');
  md.appendMarkdown(`\nBudget: ${mdText(budgets)}  \n`);
  if (cur) {
    const files = cur.source.split(', ');
    md.appendMarkdown(`Results: ${files.map((f) => fileLink(f, model)).join(', ')} (${cur.exact ? 'as printed by the tool' : 'from the full histogram'}), read ${model.readAt.toLocaleTimeString()}  \n`);
  } else {
    md.appendMarkdown('Results: no series matches this handler  \n');
  }
  if (model.baselineFrom) md.appendMarkdown(`Baseline: ${mdText(model.baselineFrom)}  \n`);
  const actions: string[] = [];
  if (panelCommand) actions.push(commandLink('Open comparison panel', panelCommand, [{ folder: model.folder.uri.toString(), handler: result.budget.handler }]));
  if (cur) actions.push(commandLink('Open result file', 'vscode.open', [vscode.Uri.file(path.resolve(model.folder.uri.fsPath, cur.source.split(', ')[0]!))]));
  if (benchmark) actions.push(commandLink('Run this benchmark', COMMANDS.runBenchmark, [{ folder: model.folder.uri.toString(), benchmark }]));
  if (actions.length) md.appendMarkdown(`\n${actions.join(' · ')}`);
  return md;
}

function fileLink(file: string, model: BudgetsModel): string {
  const uri = vscode.Uri.file(path.resolve(model.folder.uri.fsPath, file));
  return `[${mdText(file)}](${uri.toString()})`;
}
