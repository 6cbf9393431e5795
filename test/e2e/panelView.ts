// The comparison panel as the e2e suites reach it (test/e2e/panel*.test.ts): its tab, its
// webview document, and git in a fixture's temp copy.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import type { Frame, FrameLocator } from 'playwright-core';
import { page, runCommand } from './workbench';

export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Perf Budgets e2e', '-c', 'user.email=e2e@perf-budgets.invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, encoding: 'utf8' });
}

/** The panel's content: the webview's outer iframe, then its inner `active-frame` document. */
export function panel(): FrameLocator {
  return page().frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}

/** The inner document as a Frame (for evaluate). */
export async function panelFrame(): Promise<Frame> {
  const handle = await page().frameLocator('iframe.webview.ready').locator('iframe#active-frame').elementHandle({ timeout: 15_000 });
  const frame = await handle?.contentFrame();
  assert.ok(frame, 'the webview inner frame');
  return frame;
}

export const panelTab = () => page().locator('.tabs-container .tab', { hasText: 'Perf Budgets: Comparison' });

/** Opens the panel from the palette, as a user does, and waits for its tab. */
export async function openPanel(): Promise<void> {
  await runCommand('Perf Budgets: Open Comparison Panel');
  await panelTab().waitFor({ state: 'visible', timeout: 15_000 });
}

/** A suite's before hook that dismisses and records every dialog (alert) the page opens. */
export function recordDialogs(): string[] {
  const dialogs: string[] = [];
  before(() => page().on('dialog', (d) => void d.dismiss().then(() => dialogs.push(d.message()))));
  return dialogs;
}

/** A baseline v1 document with the given p95s (other percentiles scaled from them; Locust-like). */
export function baselineDoc([get, post]: readonly [number, number], commit: string): string {
  const entry = (p95: number) => ({
    count: 200,
    durationSec: 10,
    errors: 0,
    exact: true,
    format: 'locust-csv',
    latencyMs: { max: p95 * 2, mean: p95 / 2, min: p95 / 8, p50: p95 / 2, p90: p95 * 0.9, p95, p99: p95 * 1.5, p99_9: p95 * 2 },
    throughputPerSec: 20,
  });
  const machine = { cores: 2, cpu: 'Fixture CPU', fingerprint: 'f1x7ure00000', os: 'linux x64' };
  return `${JSON.stringify({ version: 1, createdAt: '2026-01-02T03:04:05.000Z', commit, tool: 'e2e', machine, series: { 'GET /api/items': entry(get), 'POST /api/items': entry(post) } }, null, 2)}\n`;
}

/** The text of a panel table cell: the row of `handler`, the column `column` (td.col-COLUMN). */
export async function cell(handler: string, column: string): Promise<string> {
  return (await panel().locator(`tbody tr.row[data-handler="${handler.replace(/"/g, '\\"')}"] td.col-${column}`).textContent({ timeout: 5000 }))?.trim() ?? '';
}
