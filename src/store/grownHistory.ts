/**
 * The domain history that grows in Redis, as discovery reads it: the domains review confirmed
 * (`ReviewStore.confirmedDomains`, dated by their confirmation) and the sites' known domains
 * (`SiteDomains`: imports, redirect targets of confirmed mirrors). Its version changes with every
 * review decision and every added domain, so a worker re-reads the lines only then.
 */
import type { Redis } from 'ioredis';
import type { HistoryEntry } from '../discovery/types.js';
import type { RedisKeys } from './redisKeys.js';
import { ReviewStore } from './reviewStore.js';
import { SiteDomains } from './siteDomains.js';

export interface GrownHistory {
  version(): Promise<string>;
  history(): Promise<HistoryEntry[]>;
  /** the domain is one of the site's: confirmed in review or already in its known domains */
  isSitesDomain(site: string, domain: string): Promise<boolean>;
  siteDomains: SiteDomains;
}

export function grownHistory(redis: Redis, keys: RedisKeys, siteDomains = new SiteDomains(redis, keys)): GrownHistory {
  const reviews = new ReviewStore(redis, keys);
  return {
    siteDomains,
    async version() {
      const [known, decisions] = await Promise.all([siteDomains.version(), redis.llen(keys.auditLog)]);
      return `${known}:${decisions}`;
    },
    async history() {
      const entries: HistoryEntry[] = [];
      for (const site of await reviews.confirmedSites()) {
        for (const c of await reviews.confirmedDomains(site)) entries.push({ date: c.confirmedAt.slice(0, 10), domain: c.domain, site, origin: 'redis:review' });
      }
      // one push per entry: spreading a long history overflows the call stack
      for (const entry of await siteDomains.history()) entries.push(entry);
      return entries;
    },
    async isSitesDomain(site, domain) {
      if (await siteDomains.has(site, domain)) return true;
      return (await redis.zscore(keys.confirmedDomains(site), domain)) !== null;
    },
  };
}
