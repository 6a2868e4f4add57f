/**
 * The review page's shell and assets, served by `hopwatch serve` at `/` and `/assets/*`.
 *
 * The shell holds no data and needs no token; every data call the page makes carries the token
 * in a header (see src/feed/page/api.ts). The shell's Content-Security-Policy allows scripts,
 * styles and connections to this origin only (no inline script, no eval), images from here and
 * from blob: (screenshots are fetched with the token, then shown), and frames from here (the
 * sandboxed /view/ documents); nothing may frame the shell itself.
 *
 * Assets are the browser modules `npm run build` compiles into dist/page/ (tsconfig.page.json),
 * read once at start-up: a fixed set of names, never a path from the request.
 */
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/** dist/page/ from both src/feed/ (tests, tsx) and dist/feed/ (the built CLI): two levels up. */
export const PAGE_ASSETS_DIR = fileURLToPath(new URL('../../dist/page/', import.meta.url));

export const SHELL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob:",
  "frame-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ASSET_NAME = /^[a-zA-Z][a-zA-Z0-9_-]{0,63}\.(js|css)$/;
const CONTENT_TYPES: Record<string, string> = { js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8' };
/** the built page is a few dozen KB; a bound keeps a stray file from being held in memory */
const MAX_ASSET_BYTES = 2 * 1024 * 1024;

const SHELL = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>hopwatch review</title>
<link rel="stylesheet" href="/assets/style.css">
<script type="module" src="/assets/main.js"></script>
</head>
<body>
<header id="top" class="top"><span class="brand">hopwatch <span>review</span></span></header>
<div id="status" class="status" role="status" aria-live="polite"></div>
<main id="app"><p class="muted">Loading… (if this stays, the page's scripts were not built: run <code>npm run build</code>)</p></main>
</body>
</html>
`;

export interface ReviewPageOptions {
  /** where the built page lives (default: dist/page/ of this package) */
  assetsDir?: string;
}

async function loadAssets(dir: string): Promise<Map<string, { body: Buffer; type: string }>> {
  const assets = new Map<string, { body: Buffer; type: string }>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return assets; // not built: the shell says so
  }
  for (const name of names) {
    const ext = ASSET_NAME.exec(name)?.[1];
    if (!ext) continue;
    const body = await readFile(path.join(dir, name));
    if (body.byteLength <= MAX_ASSET_BYTES) assets.set(name, { body, type: CONTENT_TYPES[ext]! });
  }
  return assets;
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', SHELL_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('cross-origin-resource-policy', 'same-origin');
}

export const reviewPagePlugin: FastifyPluginAsync<ReviewPageOptions> = async (app, options) => {
  const assets = await loadAssets(options.assetsDir ?? PAGE_ASSETS_DIR);
  if (!assets.has('main.js')) app.log.warn({ dir: options.assetsDir ?? PAGE_ASSETS_DIR }, 'review page not built (npm run build): / serves the shell only');

  app.get('/', async (_request, reply) => {
    secure(reply).header('cache-control', 'no-cache').type('text/html; charset=utf-8');
    return SHELL;
  });

  // browsers ask for it on their own; an empty answer keeps the console and the access log clean
  app.get('/favicon.ico', async (_request, reply) => secure(reply).code(204).send());

  app.get<{ Params: { name: string } }>('/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset) {
      secure(reply).code(404).type('text/plain; charset=utf-8');
      return 'not found';
    }
    // no-cache: revalidated each load, so a rebuilt page is never mixed with stale modules
    secure(reply).header('cache-control', 'no-cache').type(asset.type);
    return asset.body;
  });
};
