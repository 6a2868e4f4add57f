import { afterAll, describe, expect, it } from 'vitest';
import { SCREENSHOT_VIEWPORT, captureScreenshot, closeScreenshotBrowser } from '../../src/evidence/screenshot.js';
import { HAVE_CHROMIUM } from '../page/browser.js';
import { startCanary } from '../page/canary.js';
import { hostilePage } from '../page/canary.js';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  // IHDR is the first chunk: width and height at bytes 16..23
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describe.skipIf(!HAVE_CHROMIUM)('captureScreenshot', () => {
  afterAll(async () => {
    await closeScreenshotBrowser();
  });

  it('renders the saved body to a PNG of the viewport', async () => {
    const html = '<!DOCTYPE html><html><head><title>Harbor</title></head><body><h1>Harbor Torrents</h1></body></html>';
    const png = await captureScreenshot(new TextEncoder().encode(html), { url: 'https://mirror-one.test/', charset: 'utf-8' });
    expect(png).not.toBeNull();
    expect([...png!.subarray(0, 8)]).toEqual(PNG_MAGIC);
    expect(pngSize(png!)).toEqual(SCREENSHOT_VIEWPORT);
  });

  it('a hostile saved page loads nothing and runs nothing while it is rendered', async () => {
    const canary = await startCanary();
    try {
      const html = hostilePage(canary.url);
      // the page claims to live on the canary itself: even its own origin is never asked
      const png = await captureScreenshot(new TextEncoder().encode(html), { url: `${canary.url}/`, charset: 'utf-8' });
      expect(png).not.toBeNull();
      expect(canary.hits()).toEqual([]);
    } finally {
      await canary.close();
    }
  });

  it('a page in a legacy charset is rendered with that charset, and a non-http URL is no base', async () => {
    const bytes = Uint8Array.from([...new TextEncoder().encode('<html><body><p>'), 0xcf, 0xf0, 0xe8, ...new TextEncoder().encode('</p></body></html>')]);
    const png = await captureScreenshot(bytes, { url: 'file:///etc/passwd', charset: 'windows-1251' });
    expect(png).not.toBeNull();
  });
});
