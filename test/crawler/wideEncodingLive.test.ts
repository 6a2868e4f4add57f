import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomain } from '../../src/check/checkDomain.js';
import { startWorld, type World } from '../world/world.js';
import { buildWorldReferenceIndex } from '../world/worldReferences.js';

describe('a mirror served as UTF-16 with a BOM', () => {
  let world: World;
  beforeAll(async () => {
    world = await startWorld({ gzipBombBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    await world.close();
  });

  it('is fetched, decoded and matched as the mirror it is, not judged not-html', async () => {
    const result = await checkDomain('utf16-mirror.test', buildWorldReferenceIndex(), { crawler: world.crawlerOptions({ totalTimeoutMs: 5000 }), maxProbePaths: 0 });
    expect(result).toMatchObject({ verdict: 'mirror', pageKind: 'ok', site: 'harbor' });
    expect(result.fetch.charset).toBe('utf-16le');
  });
});
