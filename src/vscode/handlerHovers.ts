import * as vscode from 'vscode';
import type { BudgetsRegistry } from './budgetsRegistry';
import type { HandlerLocator } from './handlerLocator';
import { handlerViews } from './handlerViews';
import { hoverFor } from './hoverContent';
import { mdText } from './hoverMarkdown';

/** The hover on a handler's line: its numbers, budget, baseline and actions. */
export function registerHandlerHovers(registry: BudgetsRegistry, locator: HandlerLocator, panelCommand?: string): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    { scheme: 'file' },
    {
      async provideHover(doc, position) {
        const views = (await handlerViews(registry, locator, doc)).filter((v) => v.line === position.line);
        if (views.length === 0) return undefined;
        const contents = views.map((v) => {
          const md = hoverFor(v.result, v.folder.model!, v.result.current?.benchmark, panelCommand);
          if (v.stale) md.appendMarkdown(`\n\n$(history) Stale: ${mdText(v.stale)}`);
          return md;
        });
        return new vscode.Hover(contents, doc.lineAt(position.line).range);
      },
    },
  );
}
