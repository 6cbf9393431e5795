import * as path from 'node:path';
import * as z from 'zod/mini';
import type { FromWebview } from '../core/protocol';

/**
 * Every message from the panel's webview is validated before use: a compromised or confused
 * webview can only ask for the few actions below, never name a file, a command or a benchmark.
 */
const Message = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('openHandler'), handler: z.string().check(z.minLength(1), z.maxLength(2000)) }),
  z.strictObject({ type: z.literal('updateBaseline') }),
  z.strictObject({ type: z.literal('runAgain') }),
  z.strictObject({ type: z.literal('exportReport') }),
  z.strictObject({ type: z.literal('pickBaseline') }),
  z.strictObject({ type: z.literal('addBudget'), series: z.string().check(z.minLength(1), z.maxLength(2048)) }),
]);

export function parseWebviewMessage(raw: unknown): FromWebview | undefined {
  const r = Message.safeParse(raw);
  return r.success ? (r.data as FromWebview) : undefined;
}

/** What the extension knows of the panel's folder when a message arrives (all from the config and code, none from the webview). */
export interface PanelFacts {
  /** Absolute path of the workspace folder. */
  root: string;
  /** Absolute path of the config's baseline file (already checked to be inside the folder), or an error why not. */
  baselineFile: string | Error;
  /** Benchmarks configured in perf-budgets.json, in config order. */
  configured: readonly string[];
  /** Benchmarks whose results the panel shows. */
  shown: readonly string[];
  /** Series in the results that no budget claims (the only ones "Add budget" may add). */
  unclaimed?: readonly string[];
  /** Where a handler's code is (relative or absolute file, 0-based line/column), if known. */
  locate(handler: string): { file: string; line: number; column: number } | undefined;
}

export type PanelAction =
  | { kind: 'refresh' }
  | { kind: 'open'; file: string; line: number; column: number }
  | { kind: 'writeBaseline'; file: string }
  | { kind: 'run'; benchmarks: string[] }
  | { kind: 'export' }
  | { kind: 'pickBaseline' }
  | { kind: 'addBudget'; series: string }
  | { kind: 'refuse'; reason: string };

/**
 * A raw webview message -> the one action the extension may take. Files and benchmarks come
 * from `facts` only: the baseline write goes to the config's baseline path, a handler opens only
 * inside the workspace folder, and "Run again" runs configured benchmarks only (those shown, or
 * all of them when the shown results name none that is configured).
 */
export function planWebviewAction(raw: unknown, facts: PanelFacts): PanelAction {
  const msg = parseWebviewMessage(raw);
  if (!msg) return { kind: 'refuse', reason: 'a malformed message' };
  switch (msg.type) {
    case 'ready':
      return { kind: 'refresh' };
    case 'openHandler': {
      const at = facts.locate(msg.handler);
      if (!at) return { kind: 'refuse', reason: 'no code location for that handler' };
      const file = path.resolve(facts.root, at.file);
      if (!isInside(facts.root, file)) return { kind: 'refuse', reason: `${at.file} is outside the workspace folder` };
      return { kind: 'open', file, line: at.line, column: at.column };
    }
    case 'updateBaseline':
      if (facts.baselineFile instanceof Error) return { kind: 'refuse', reason: facts.baselineFile.message };
      if (!isInside(facts.root, facts.baselineFile)) return { kind: 'refuse', reason: 'the baseline path is outside the workspace folder' };
      return { kind: 'writeBaseline', file: facts.baselineFile };
    case 'runAgain': {
      const shown = facts.configured.filter((b) => facts.shown.includes(b));
      const benchmarks = shown.length ? shown : [...facts.configured];
      return benchmarks.length ? { kind: 'run', benchmarks } : { kind: 'refuse', reason: 'no benchmarks are configured' };
    }
    case 'exportReport':
      return { kind: 'export' };
    case 'pickBaseline':
      return { kind: 'pickBaseline' };
    case 'addBudget':
      return facts.unclaimed?.includes(msg.series) ? { kind: 'addBudget', series: msg.series } : { kind: 'refuse', reason: 'that series is not one no budget claims' };
  }
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}
