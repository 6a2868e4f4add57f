import { afterEach, describe, expect, it } from 'vitest';
import { createPagePool } from '../../src/check/pagePool.js';
import { inlinePageJudge, type PageJudge } from '../../src/check/pageJudge.js';
import { familyPages } from '../world/sitePages.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';
import { STALL_MARKER, STALLING_THREAD } from './stallMarker.js';

/** Ordinary markup, about `bytes` long: linear to fingerprint, but at 8 MiB well over 250 ms of work and a 16 MB heap (the one-pass fingerprint made it cheaper, so the limits below are tighter than they were). */
function bigPage(bytes: number): string {
  const rows: string[] = ['<!DOCTYPE html><html><head><title>big</title></head><body>'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const row = `<div class="r${i % 7}" data-k="${i}"><a href="/t/${i}">t ${i}</a><span>${i}</span></div>`;
    rows.push(row);
    size += row.length;
  }
  rows.push('</body></html>');
  return rows.join('');
}

describe('the fingerprint thread pool', () => {
  const index = buildWorldReferenceIndex();
  let pool: PageJudge | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('judges a page exactly as the calling thread does', async () => {
    pool = createPagePool(index, { threads: 2, deadlineMs: 20_000 });
    const page = { body: familyPages.mirrorHome('mirror-one.test'), url: 'https://mirror-one.test/' };
    const meta = { input: 'mirror-one.test', domain: 'mirror-one.test' };
    const [pooled, inline] = await Promise.all([pool.judge(page, meta), inlinePageJudge(index).judge(page, meta)]);
    expect(pooled.result.verdict).toBe('mirror');
    expect(pooled).toEqual(inline);
  });

  it('a page past its deadline gets FINGERPRINT_TIMEOUT at once, the thread is replaced, the event loop never stops', async () => {
    // the thread never finishes a marked page: the deadline is tested by what it guarantees, on any machine
    pool = createPagePool(index, { threads: 1, deadlineMs: 700, threadModule: STALLING_THREAD });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 20);
    const slow = await pool.judge({ body: `<html><body>${STALL_MARKER}<p>never finished</p></body></html>` }, { input: 'slow.test', domain: 'slow.test' });
    clearInterval(ticker);
    expect(slow.result).toMatchObject({ input: 'slow.test', pageKind: 'error', verdict: 'inconclusive', error: { code: 'FINGERPRINT_TIMEOUT' } });
    expect(slow.fingerprint).toBeNull();
    // the main thread ran its timers while the thread worked: it was never blocked for the page
    expect(ticks).toBeGreaterThan(5);
    const next = await pool.judge({ body: familyPages.mirrorHome('mirror-two.test') }, { input: 'mirror-two.test', domain: 'mirror-two.test' });
    expect(next.result.verdict).toBe('mirror');
  });

  it('a page that exhausts its thread heap gets FINGERPRINT_FAILED, and the pool goes on', async () => {
    pool = createPagePool(index, { threads: 1, deadlineMs: 60_000, maxThreadHeapMb: 16 });
    const huge = await pool.judge({ body: bigPage(8 * 1024 * 1024) }, { input: 'huge.test' });
    expect(huge.result).toMatchObject({ pageKind: 'error', verdict: 'inconclusive', error: { code: 'FINGERPRINT_FAILED' } });
    const next = await pool.judge({ body: familyPages.mirrorHome('mirror-two.test') }, { input: 'mirror-two.test' });
    expect(next.result.verdict).toBe('mirror');
  });

  it('more pages than threads queue up and all get their result; a closed pool answers FINGERPRINT_POOL_CLOSED', async () => {
    const judge = createPagePool(index, { threads: 2, deadlineMs: 20_000 });
    const hosts = ['a.test', 'b.test', 'c.test', 'd.test', 'e.test'];
    const results = await Promise.all(hosts.map((h) => judge.judge({ body: familyPages.mirrorHome(h) }, { input: h, domain: h })));
    expect(results.map((r) => r.result.verdict)).toEqual(hosts.map(() => 'mirror'));
    await judge.close();
    const after = await judge.judge({ body: familyPages.mirrorHome('f.test') }, { input: 'f.test' });
    expect(after.result.error?.code).toBe('FINGERPRINT_POOL_CLOSED');
  });
});
