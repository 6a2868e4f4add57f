import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMatchQuery } from '../../src/review/matchQuery.js';
import { startReviewWorld, type ReviewWorld } from '../feed/reviewHarness.js';

describe('listing keeps summaries between calls', () => {
  let world: ReviewWorld;
  beforeAll(async () => {
    world = await startReviewWorld();
  });
  afterAll(async () => {
    await world.close();
  });

  const domains = async () => (await world.service.listMatches(parseMatchQuery({ sort: 'recorded' }))).items.map((m) => `${m.domain}:${m.state}`);

  it('sees entries added since the last call, current states, and drops what the feed trimmed', async () => {
    const a = await world.record({ domain: 'one.test', site: 'harbor' });
    const b = await world.record({ domain: 'two.test', site: 'harbor' });
    expect(await domains()).toEqual(['one.test:unreviewed', 'two.test:unreviewed']);
    await world.record({ domain: 'three.test', site: 'harbor' });
    await world.service.decide(b, 'reject', 'not the site', 'alice');
    expect(await domains()).toEqual(['one.test:unreviewed', 'two.test:rejected', 'three.test:unreviewed']);
    await world.redis.xtrim(world.reviewStore.keys.feed, 'MINID', b);
    expect(await domains()).toEqual(['two.test:rejected', 'three.test:unreviewed']);
    void a;
  });
});
