/**
 * A PNG of a candidate page as it was fetched, for the evidence package and the review page.
 *
 * The SAVED body is rendered, never the live site: the document request is answered from the
 * bytes we hold, every other request (images, scripts, styles, frames, a meta refresh) is
 * aborted, JavaScript is off, and the browser resolves no host name at all (host-resolver rule),
 * so not even a preconnect or DNS prefetch the page asks for leaves the machine.
 *
 * One headless Chromium per process, started on first use and shut by `closeScreenshotBrowser()`.
 * Debian's /usr/bin/chromium is used; playwright-core never downloads a browser. No browser
 * installed → `null` (screenshots are optional evidence).
 */
import { access, constants } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';
import { HopwatchError } from '../errors.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

/** What the page is shown at: a common laptop screen, enough for the header and the first listings. */
export const SCREENSHOT_VIEWPORT = Object.freeze({ width: 1280, height: 900 });

const DEFAULT_TIMEOUT_MS = 15_000;
/** Pages rendered at once: each is a renderer process on a small machine. */
const MAX_CONCURRENT_PAGES = 2;

export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  // every host name fails to resolve: defence in depth behind the request route below
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--dns-prefetch-disable',
]);

/**
 * The saved page is rendered as a sandboxed document, as the review page's /view shows it: no
 * script, no form, no navigation (a `<meta http-equiv=refresh>` would otherwise leave the page
 * for an aborted request and spoil the picture), nothing loaded but inline styles and data: images.
 */
export const RENDER_CSP = "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'";

export interface ScreenshotOptions {
  /** the URL the body was fetched from: the document's base URL (relative links), never fetched */
  url: string;
  /** the body's charset, as decoded by the crawler */
  charset: string;
  timeoutMs?: number;
}

let browser: Promise<Browser | null> | null = null;
let active = 0;
const waiting: Array<() => void> = [];

async function browserInstalled(): Promise<boolean> {
  try {
    await access(CHROMIUM_PATH, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function sharedBrowser(): Promise<Browser | null> {
  if (!browser) {
    browser = (async () => {
      if (!(await browserInstalled())) return null;
      const started = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS], headless: true });
      // a crashed browser is started again on the next call instead of failing every later one
      started.once('disconnected', () => {
        browser = null;
      });
      return started;
    })();
    browser.catch(() => {
      browser = null;
    });
  }
  return browser;
}

async function slot(): Promise<() => void> {
  if (active >= MAX_CONCURRENT_PAGES) await new Promise<void>((resolve) => waiting.push(resolve));
  active += 1;
  return () => {
    active -= 1;
    waiting.shift()?.();
  };
}

/** The document URL: only http(s) can be the base of a rendered page; anything else gets a name that means nothing. */
function documentUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.protocol === 'http:' || parsed.protocol === 'https:') {
      parsed.hash = '';
      return parsed.href;
    }
  } catch {
    // fall through
  }
  return 'https://saved-page.invalid/';
}

/** Charset names go into a header value: keep to the characters charset labels use. */
function safeCharset(charset: string): string {
  return /^[A-Za-z0-9._:-]{1,40}$/.test(charset) ? charset : 'utf-8';
}

export async function captureScreenshot(body: Uint8Array, opts: ScreenshotOptions): Promise<Uint8Array | null> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const shared = await sharedBrowser();
  if (!shared) return null;
  const release = await slot();
  const url = documentUrl(opts.url);
  const context = await shared.newContext({
    javaScriptEnabled: false,
    viewport: SCREENSHOT_VIEWPORT,
    serviceWorkers: 'block',
    acceptDownloads: false,
    bypassCSP: false,
  });
  try {
    const page = await context.newPage();
    let served = false;
    await page.route('**/*', async (route) => {
      const request = route.request();
      // the saved body answers the first navigation of the top frame, once; nothing else is loaded
      if (!served && request.isNavigationRequest() && request.frame() === page.mainFrame() && request.url() === url) {
        served = true;
        await route.fulfill({ status: 200, headers: { 'content-type': `text/html; charset=${safeCharset(opts.charset)}`, 'content-security-policy': RENDER_CSP }, body: Buffer.from(body) });
        return;
      }
      await route.abort('blockedbyclient');
    });
    await page.goto(url, { waitUntil: 'load', timeout: timeoutMs });
    const png = await page.screenshot({ type: 'png', timeout: timeoutMs, animations: 'disabled' });
    // a picture of anything but the saved document (an error page after a refresh) is no evidence
    if (page.url() !== url) throw new Error(`the page navigated away to ${page.url().slice(0, 200)}`);
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
  } catch (err) {
    throw new HopwatchError('SCREENSHOT_FAILED', `the saved page of ${url} could not be rendered: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { action: 'retry', cause: err });
  } finally {
    await context.close().catch(() => undefined);
    release();
  }
}

/** Shut the shared browser (a later call starts a new one). */
export async function closeScreenshotBrowser(): Promise<void> {
  const current = browser;
  browser = null;
  const started = await current?.catch(() => null);
  await started?.close();
}
