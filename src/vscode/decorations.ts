import * as vscode from 'vscode';
import { inlineParts, type DisplayStatus } from '../core/report/inline';
import type { BenchmarkRunner } from './benchmarkRunner';
import type { BudgetsRegistry } from './budgetsRegistry';
import { Disposable } from './dispose';
import type { HandlerLocator } from './handlerLocator';
import { COLORS, TEXT_COLOR } from './ids';
import { handlerViews } from './handlerViews';
import { readSettings, affectsSettings } from './settings';

const STATUSES: readonly DisplayStatus[] = ['pass', 'warn', 'fail', 'missing', 'stale'];


/**
 * The end-of-line text at each handler, muted like an inlay hint (italic, in
 * perfBudgets.decorationForeground), with only the verdict mark before it in the verdict's
 * colour: "✗ p95 726 ms > 500 ms · regressed +45%". One metric by default, the worst
 * (perfBudgets.decorations.metrics); "≈" and "(n=12)" on a percentile its sample does not
 * support; "detailed" adds the margin and the change from the baseline. Stale results say so
 * first: "stale ✗ …". Decoration types are created once per (status, gutter) and kept in a map;
 * an editor is cleared by rendering it with no handlers. Updates are throttled.
 */
export class HandlerDecorations extends Disposable {
  private readonly types = new Map<string, vscode.TextEditorDecorationType>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registry: BudgetsRegistry,
    private readonly locator: HandlerLocator,
    private readonly extensionUri: vscode.Uri,
    runner: BenchmarkRunner,
  ) {
    super();
    this.register({ dispose: () => this.types.forEach((t) => t.dispose()) });
    this.register({ dispose: () => this.timer && clearTimeout(this.timer) });
    this.register(registry.onDidChange(() => this.schedule()));
    this.register(locator.onDidChange(() => this.schedule()));
    this.register(runner.onDidChangeRunning(() => this.schedule()));
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.schedule()));
    this.register(vscode.workspace.onDidSaveTextDocument(() => this.schedule()));
    this.register(vscode.workspace.onDidChangeConfiguration((e) => affectsSettings(e) && this.schedule()));
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.renderAll();
    }, 100);
  }

  private type(status: DisplayStatus, gutter: boolean): vscode.TextEditorDecorationType {
    const key = `${status}:${gutter}`;
    let t = this.types.get(key);
    if (!t) {
      t = vscode.window.createTextEditorDecorationType({
        // The mark (before) and the text (after) sit at the same point, the end of the line.
        before: { color: new vscode.ThemeColor(COLORS[status]), margin: '0 0 0 3em', fontStyle: 'normal' },
        after: { color: new vscode.ThemeColor(TEXT_COLOR), margin: '0 0 0 0.5em', fontStyle: 'italic' },
        rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        ...(gutter ? { gutterIconPath: vscode.Uri.joinPath(this.extensionUri, 'media', 'icons', `${status}.svg`), gutterIconSize: '70%' } : {}),
      });
      this.types.set(key, t);
    }
    return t;
  }

  private async renderAll(): Promise<void> {
    for (const editor of vscode.window.visibleTextEditors) {
      try {
        await this.render(editor);
      } catch {
        /* an editor closed mid-render */
      }
    }
  }

  private async render(editor: vscode.TextEditor): Promise<void> {
    const settings = readSettings(editor.document.uri);
    const views = await handlerViews(this.registry, this.locator, editor.document);
    const byType = new Map<vscode.TextEditorDecorationType, vscode.DecorationOptions[]>();
    for (const status of STATUSES) for (const g of [false, true]) byType.set(this.type(status, g), []);
    for (const v of views) {
      const parts = inlineParts(v.result, settings.decorationMetrics, settings.decorationDetail);
      const status: DisplayStatus = v.stale ? 'stale' : parts.status;
      const line = Math.min(v.line, editor.document.lineCount - 1);
      const end = editor.document.lineAt(line).range.end;
      // "stale" first: the end of a long line is what the editor's edge cuts off.
      const mark = v.stale ? `${vscode.l10n.t('stale')} ${parts.mark}` : parts.mark;
      byType
        .get(this.type(status, settings.gutterIcons))!
        .push({ range: new vscode.Range(end, end), renderOptions: { before: { contentText: mark }, after: { contentText: parts.text } } });
    }
    for (const [type, options] of byType) editor.setDecorations(type, options);
  }
}
