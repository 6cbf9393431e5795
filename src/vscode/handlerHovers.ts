import * as vscode from 'vscode';
import type { BudgetsRegistry } from './budgetsRegistry';
import type { HandlerLocator } from './handlerLocator';
import { handlerViews } from './handlerViews';
import type { ProductionSources } from './productionSource';
import { hoverFor } from './hoverContent';
import { mdText, noVerdictMarkdown } from './hoverMarkdown';
import { type NoVerdictExplainer, spotCommand } from './whyNoVerdict';
import type { RegressionCauses } from './whyRegressed';

/** The hover on a handler's line: its numbers, budget, baseline and actions; or why it has none. */
export function registerHandlerHovers(
  registry: BudgetsRegistry,
  locator: HandlerLocator,
  panelCommand?: string,
  noVerdict?: NoVerdictExplainer,
  causes?: RegressionCauses,
  production?: ProductionSources,
): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { scheme: 'file' },
    {
      async provideHover(doc, position) {
        const views = (await handlerViews(registry, locator, doc)).filter((v) => v.line === position.line);
        const contents: vscode.MarkdownString[] = [];
        for (const v of views) {
          // With a production source: its line beside this run's numbers.
          const prod = production?.hover(v.folder, v.result.budget.handler);
          const md = hoverFor(v.result, v.folder.model!, v.result.current?.benchmark, panelCommand, prod);
          if (v.stale) md.appendMarkdown(`\n\n$(history) Stale: ${mdText(v.stale)}`);
          contents.push(md);
          // At a regressed handler: the commits (and uncommitted hunks) that changed it.
          const why = await causes?.markdown(v).catch(() => undefined);
          if (why) contents.push(why);
        }
        // Why a handler has no p95 comes first: it is the one line that says what to do.
        const why: vscode.MarkdownString[] = [];
        for (const spot of (await noVerdict?.spotsAt(doc.uri, position.line)) ?? []) {
          const { value, enabledCommands } = noVerdictMarkdown(spot.text, spotCommand(spot));
          const md = new vscode.MarkdownString(value, true);
          md.isTrusted = { enabledCommands };
          md.supportHtml = false;
          why.push(md);
        }
        if (why.length + contents.length === 0) return undefined;
        return new vscode.Hover([...why, ...contents], doc.lineAt(position.line).range);
      },
    },
  );
}
