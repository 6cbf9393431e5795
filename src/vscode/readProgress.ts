import * as vscode from 'vscode';
import { formatBytes } from '../core/units';

/** A read still running after this long gets a progress notification. */
export const PROGRESS_AFTER_MS = 1000;
/** A file at least this big gets the notification as soon as its read starts. */
export const PROGRESS_MIN_BYTES = 256 << 20;

/**
 * The progress of one read of a folder's results, shown as a cancellable notification
 * ("Reading perf/results/big.jtl — 340 MB / 2.15 GB") once the read has taken PROGRESS_AFTER_MS
 * or reaches a file of PROGRESS_MIN_BYTES; never for a quick read. Cancel calls `onCancel`.
 * Disposing (the read ended) closes the notification.
 */
export class ReadProgressNotice implements vscode.Disposable {
  private readonly timer: NodeJS.Timeout;
  private last: { file: string; bytes: number; total: number } | undefined;
  private shown: { progress: vscode.Progress<{ message?: string; increment?: number }>; close: () => void } | undefined;
  private showing = false;
  private done = false;
  private reported = { file: '', percent: 0 };

  constructor(
    private readonly title: string,
    private readonly onCancel: () => void,
    /** Each message as the notification shows it. */
    private readonly onMessage: (message: string) => void,
  ) {
    this.timer = setTimeout(() => this.show(), PROGRESS_AFTER_MS);
  }

  update(file: string, bytes: number, total: number): void {
    this.last = { file, bytes, total };
    if (!this.showing && total >= PROGRESS_MIN_BYTES) this.show();
    else this.report();
  }

  dispose(): void {
    this.done = true;
    clearTimeout(this.timer);
    this.shown?.close();
  }

  private show(): void {
    if (this.showing || this.done) return;
    this.showing = true;
    clearTimeout(this.timer);
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: this.title, cancellable: true }, (progress, token) => {
      token.onCancellationRequested(() => this.onCancel());
      return new Promise<void>((resolve) => {
        this.shown = { progress, close: resolve };
        if (this.done) resolve();
        else this.report();
      });
    });
  }

  private report(): void {
    if (!this.shown || this.done) return;
    const last = this.last;
    const message = last ? vscode.l10n.t('Reading {0} — {1} / {2}', last.file, formatBytes(last.bytes), formatBytes(last.total)) : vscode.l10n.t('Reading results…');
    // The bar follows the file being read; a next file starts it again (VS Code keeps it full).
    const percent = last && last.total > 0 ? (100 * last.bytes) / last.total : 0;
    if (last && last.file !== this.reported.file) this.reported = { file: last.file, percent: 0 };
    const increment = Math.max(0, percent - this.reported.percent);
    this.reported.percent = Math.max(percent, this.reported.percent);
    this.shown.progress.report({ message, ...(increment > 0 ? { increment } : {}) });
    this.onMessage(message);
  }
}
