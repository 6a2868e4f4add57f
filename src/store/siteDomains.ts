/**
 * The domain histories that grow while the fleet runs: every domain confirmed in review and
 * every redirect target of a confirmed mirror is added to its site's known domains with its
 * date, so the next discovery run learns from it (`hopwatch candidates --known redis:` reads the
 * same history).
 *
 * Keys (under the fleet prefix): a hash per site, domain → `{"date","source"}` (the first add
 * wins: a domain's date is when it was first known); a set of the sites; a version counter that
 * every new domain bumps, so a worker re-reads the history only when it changed. Bounded: at most
 * `maxDomainsPerSite` domains per site and `maxSites` sites (an add beyond is refused, counted by
 * the caller, never silently overwriting).
 */
import type { Redis } from 'ioredis';
import { HopwatchError } from '../errors.js';
import { normaliseHost } from '../discovery/domainName.js';
import { isProposableHost } from '../discovery/proposableHost.js';
import type { HistoryEntry } from '../discovery/types.js';
import type { RedisKeys } from './redisKeys.js';

export type KnownDomainSource = 'review' | 'redirect-of-confirmed' | 'import';

export interface KnownDomain {
  site: string;
  domain: string;
  /** YYYY-MM-DD, the day it became known */
  date: string;
  source: KnownDomainSource;
}

export interface SiteDomainLimits {
  maxDomainsPerSite: number;
  maxSites: number;
}

export const SITE_DOMAIN_LIMITS: SiteDomainLimits = Object.freeze({ maxDomainsPerSite: 10_000, maxSites: 10_000 });

const sitePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;

// KEYS: siteHash sites version   ARGV: domain json site maxDomains maxSites
const ADD_KNOWN = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('SISMEMBER', KEYS[2], ARGV[3]) == 0 and redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[5]) then return -1 end
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[4]) then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
redis.call('INCR', KEYS[3])
return 1
`;

/** A redirect target as a URL or a bare host. */
function hostOfTarget(target: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(target)) return target;
  try {
    return new URL(target).hostname;
  } catch {
    return '';
  }
}

export type AddOutcome = 'added' | 'known' | 'full';

export class SiteDomains {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly limits: SiteDomainLimits = SITE_DOMAIN_LIMITS,
  ) {}

  private siteKey(site: string): string {
    return `${this.keys.bullPrefix}:sitedomains:site:${site}`;
  }

  private get sitesKey(): string {
    return `${this.keys.bullPrefix}:sitedomains:sites`;
  }

  private get versionKey(): string {
    return `${this.keys.bullPrefix}:sitedomains:version`;
  }

  /**
   * Add a domain to a site's known domains (once: a domain already known keeps its first date).
   * Where review confirms a domain, it calls this with source `review`.
   */
  async addKnownDomain(site: string, domain: string, date: string, source: KnownDomainSource): Promise<AddOutcome> {
    if (!sitePattern.test(site)) throw new HopwatchError('STORE_BAD_KNOWN_DOMAIN', `"${site.slice(0, 100)}" is not a site name`);
    if (!datePattern.test(date)) throw new HopwatchError('STORE_BAD_KNOWN_DOMAIN', `"${date.slice(0, 40)}" is not a date (YYYY-MM-DD)`);
    const host = normaliseHost(domain);
    if (!host || !isProposableHost(host)) throw new HopwatchError('STORE_BAD_KNOWN_DOMAIN', `"${domain.slice(0, 200)}" is not a domain that can be a site's`);
    const reply = Number(await this.redis.eval(ADD_KNOWN, 3, this.siteKey(site), this.sitesKey, this.versionKey, host, JSON.stringify({ date, source }), site, String(this.limits.maxDomainsPerSite), String(this.limits.maxSites)));
    return reply === 1 ? 'added' : reply === 0 ? 'known' : 'full';
  }

  /** A confirmed mirror and where it redirected to: both become known domains of the site. */
  async addConfirmed(site: string, domain: string, date: string, redirectTargets: readonly string[] = []): Promise<AddOutcome[]> {
    const outcomes = [await this.addKnownDomain(site, domain, date, 'review')];
    for (const target of redirectTargets) {
      const host = normaliseHost(hostOfTarget(target));
      if (host && host !== normaliseHost(domain) && isProposableHost(host)) outcomes.push(await this.addKnownDomain(site, host, date, 'redirect-of-confirmed'));
    }
    return outcomes;
  }

  async has(site: string, domain: string): Promise<boolean> {
    const host = normaliseHost(domain);
    return host !== undefined && (await this.redis.hexists(this.siteKey(site), host)) === 1;
  }

  /** Changes whenever a domain is added; cheap to ask on every job. */
  async version(): Promise<string> {
    return (await this.redis.get(this.versionKey)) ?? '0';
  }

  async sites(): Promise<string[]> {
    return (await this.redis.smembers(this.sitesKey)).sort();
  }

  async domains(site: string): Promise<KnownDomain[]> {
    const out: KnownDomain[] = [];
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(this.siteKey(site), cursor, 'COUNT', 1000);
      cursor = next;
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const { date, source } = JSON.parse(flat[i + 1]!) as { date: string; source: KnownDomainSource };
        out.push({ site, domain: flat[i]!, date, source });
      }
    } while (cursor !== '0');
    return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.domain < b.domain ? -1 : 1));
  }

  /** Every site's known domains as history lines, in date order within each site. */
  async history(): Promise<HistoryEntry[]> {
    const entries: HistoryEntry[] = [];
    for (const site of await this.sites()) {
      for (const d of await this.domains(site)) entries.push({ date: d.date, domain: d.domain, site, origin: `redis:${d.source}` });
    }
    return entries;
  }
}
