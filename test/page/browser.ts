/**
 * One headless Chromium for a test file (Debian's /usr/bin/chromium through playwright-core;
 * never a downloaded browser), and a fresh context per test so tokens never leak between them.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Dialog, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../src/evidence/screenshot.js';

/**
 * Browser tests run when Debian's Chromium is installed. Under CI they always run: .ci/run
 * installs it, and a CI that silently skipped the page tests would pass without them.
 */
export const HAVE_CHROMIUM = existsSync(CHROMIUM_PATH) || process.env.CI === 'true';

export async function launchBrowser(): Promise<Browser> {
  // the same switches as the screenshot browser, minus the resolver rule: the page must reach the server on loopback
  const args = CHROMIUM_ARGS.filter((arg) => !arg.startsWith('--host-resolver-rules'));
  return chromium.launch({ executablePath: CHROMIUM_PATH, args, headless: true });
}

export interface ReviewTab {
  context: BrowserContext;
  page: Page;
  /** every dialog (alert, confirm, prompt, beforeunload) any frame opened */
  dialogs: Dialog[];
  /** uncaught errors of the page's own code */
  errors: string[];
}

export async function openTab(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<ReviewTab> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  // a wait that cannot succeed fails with its selector well inside the test's own timeout
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const dialogs: Dialog[] = [];
  const errors: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog);
    void dialog.dismiss().catch(() => undefined);
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return { context, page, dialogs, errors };
}

export async function signIn(tab: ReviewTab, baseUrl: string, token: string): Promise<void> {
  await tab.page.goto(`${baseUrl}/`);
  await tab.page.fill('#token', token);
  await tab.page.press('#token', 'Enter');
  await tab.page.waitForSelector('.who .reviewer');
}

/**
 * Click a control of the page like a person would: scrolled into view first, clicked once the
 * scroll has settled. Chromium hit-tests out-of-process frames (our sandboxed iframes are
 * isolated in their own process) from compositor data that lags a programmatic scroll by a few
 * frames; a click sent in the same instant as the scroll can land in the frame's old place.
 */
export async function clickWhenSettled(page: Page, selector: string): Promise<void> {
  const target = page.locator(selector).first();
  await target.scrollIntoViewIfNeeded();
  await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))))');
  await target.click();
}
