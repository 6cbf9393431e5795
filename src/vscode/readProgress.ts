import * as vscode from 'vscode';
import { formatBytes } from '../core/units';
import type { ReadFilesProgress } from '../node/read/readFiles';

/** A read still running after this long gets a progress notification. */
export const PROGRESS_AFTER_MS = 1000;
/** A read of files at least this big together gets the notification as soon as it starts. */
export const PROGRESS_MIN_BYTES = 256 << 20;

/** The rate is shown once the read has run this long (before, it says little). */
const RATE_AFTER_MS = 500;

/**
 * The progress of one read of a folder's results, over all its files, shown as a cancellable
 * notification ("Reading perf/results/big.jtl — 340 MB of 2.15 GB · 1.4 GB/s"; for several
 * files "Reading 8 files (3 done) — …") once the read has taken PROGRESS_AFTER_MS or its files
 * reach PROGRESS_MIN_BYTES together; never for a quick read. The rate is the bytes read over the
 * time since the first file's read started; the bar follows the bytes of all files. Cancel calls `onCancel`.
 * Disposing (the read ended) closes the notification.
 */
export class ReadProgressNotice implements vscode.Disposable {
  private readonly timer: NodeJS.Timeout;
  /** When the first file's read started (the first update): the rate's clock. */
  private started = 0;
  private last: ReadFilesProgress | undefined;
  private shown: { progress: vscode.Progress<{ message?: string; increment?: number }>; close: () => void } | undefined;
  private showing = false;
  private done = false;
  private reportedPercent = 0;
  /** The one file's name, kept once its read ends (`reading` is empty then). */
  private name = '';

  constructor(
    private readonly title: string,
    private readonly onCancel: () => void,
    /** Each message as the notification shows it. */
    private readonly onMessage: (message: string) => void,
  ) {
    this.timer = setTimeout(() => this.show(), PROGRESS_AFTER_MS);
  }

  update(progress: ReadFilesProgress): void {
    this.started ||= Date.now();
    this.last = progress;
    if (!this.showing && progress.totalBytes >= PROGRESS_MIN_BYTES) this.show();
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
    const message = last ? this.message(last) : vscode.l10n.t('Reading results…');
    // VS Code's bar only grows: each report adds what the bytes read grew by since the last one.
    const percent = last && last.totalBytes > 0 ? (100 * last.bytesRead) / last.totalBytes : 0;
    const increment = Math.max(0, percent - this.reportedPercent);
    this.reportedPercent = Math.max(percent, this.reportedPercent);
    this.shown.progress.report({ message, ...(increment > 0 ? { increment } : {}) });
    this.onMessage(message);
  }

  private message(p: ReadFilesProgress): string {
    if (p.reading.length > 0) this.name = p.reading[0]!;
    const [read, total] = [formatBytes(p.bytesRead), formatBytes(p.totalBytes)];
    const amount = p.files === 1 ? vscode.l10n.t('Reading {0} — {1} of {2}', this.name, read, total) : vscode.l10n.t('Reading {0} files ({1} done) — {2} of {3}', p.files, p.done, read, total);
    const elapsed = Date.now() - this.started;
    return elapsed >= RATE_AFTER_MS && p.bytesRead > 0 ? vscode.l10n.t('{0} · {1}/s', amount, formatBytes((1000 * p.bytesRead) / elapsed)) : amount;
  }
}
