import Fastify from 'fastify';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHELL_CSP, reviewPagePlugin } from '../../src/feed/reviewPage.js';

describe('reviewPagePlugin', () => {
  let dir: string;
  const app = Fastify();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'hopwatch-page-'));
    await writeFile(path.join(dir, 'main.js'), 'export {};\n');
    await writeFile(path.join(dir, 'style.css'), 'body {}\n');
    await writeFile(path.join(dir, 'notes.txt'), 'not an asset\n');
    await app.register(reviewPagePlugin, { assetsDir: dir });
  });

  afterAll(async () => {
    await app.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the shell without a token, under a CSP that allows no inline script and nothing from elsewhere', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['content-security-policy']).toBe(SHELL_CSP);
    expect(SHELL_CSP).toContain("default-src 'self'");
    expect(SHELL_CSP).toContain("script-src 'self'");
    expect(SHELL_CSP).not.toContain('unsafe-inline');
    expect(SHELL_CSP).not.toContain('unsafe-eval');
    expect(SHELL_CSP).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    // the one script is an external module from this origin; the shell holds no data
    expect(res.body.match(/<script\b[^>]*>/g)).toEqual(['<script type="module" src="/assets/main.js">']);
    expect(res.body).not.toMatch(/<script[^>]*>[^<]+<\/script>/);
  });

  it('serves the built modules and styles with their types, and nothing else', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/main.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    const css = await app.inject({ method: 'GET', url: '/assets/style.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    for (const url of ['/assets/notes.txt', '/assets/..%2fmain.js', '/assets/%2e%2e%2fpackage.json', '/assets/missing.js']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });

  it('an unbuilt page still serves its shell (which says how to build it)', async () => {
    const bare = Fastify();
    await bare.register(reviewPagePlugin, { assetsDir: path.join(dir, 'does-not-exist') });
    const res = await bare.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run build');
    expect((await bare.inject({ method: 'GET', url: '/assets/main.js' })).statusCode).toBe(404);
    await bare.close();
  });
});
