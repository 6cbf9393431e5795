// Headless Debian Chromium driven by playwright-core (no browser download: /usr/bin/chromium).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { stopTree, track } from './processes.mjs';

export const CHROMIUM = process.env.PERF_BUDGETS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

/**
 * Launch Chromium as a server we hold the PID of, and connect to it.
 * Returns { browser, page, pid, close() }; close() always leaves no Chromium process behind.
 */
export async function launchBrowser({ viewport = { width: 1400, height: 900 } } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: apt-get install -y chromium`);
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: ARGS, headless: true, timeout: 60_000, handleSIGINT: false, handleSIGTERM: false });
  const pid = server.process().pid;
  track(pid);
  const browser = await chromium.connect(server.wsEndpoint(), { timeout: 30_000 });
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  console.log(`[browser] chromium pid ${pid}`);
  return {
    browser,
    context,
    page,
    pid,
    async close() {
      await browser.close().catch(() => {});
      await Promise.race([server.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000))]);
      await stopTree(pid, { graceMs: 2000 });
      console.log(`[browser] chromium pid ${pid} stopped`);
    },
  };
}
