/**
 * The collateral-damage guard every export passes through. Blocking systems have blacked out
 * tens of thousands of unrelated sites by listing one shared CDN address (Cloudflare, 24 Feb
 * 2024) and a whole platform by listing its download host (Google Drive, 19 Oct 2024). So:
 * - an address inside a shared CDN or cloud range (MISP warninglists, shipped in data/) is never
 *   listed: a domain behind a CDN is blocked by name, never by the CDN's address;
 * - a host under the public suffix list's private section (`x.pages.dev`, `x.github.io`: one
 *   platform, many tenants) or on the shipped list of shared platforms' hosts is left out;
 * - an address that is not public (loopback, private, documentation ...) is never listed;
 * every exclusion carries its reason. This is data about platforms, not a rule about a site.
 */
import { BlockList, isIP } from 'node:net';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { parse } from 'tldts';
import { z } from 'zod';
import { classifyAddress } from '../crawler/addressGuard.js';
import { HopwatchError } from '../errors.js';

export const DEFAULT_GUARD_DATA_DIR = fileURLToPath(new URL('../../data', import.meta.url));

const warninglistSchema = z.object({
  name: z.string(),
  type: z.literal('cidr'),
  version: z.number().int(),
  description: z.string().default(''),
  list: z.array(z.string().max(64)).max(100_000),
});

const sourcesSchema = z.object({
  retrievedAt: z.string(),
  lists: z.array(z.object({ file: z.string().regex(/^[a-z0-9-]+\.json$/), misp: z.string(), commit: z.string().optional(), version: z.number().int() })).max(200),
});

const platformsSchema = z.object({
  version: z.string(),
  hosts: z.array(z.object({ host: z.string().min(1).max(253), reason: z.string().min(1).max(500) })).max(100_000),
});

interface Range {
  cidr: string;
  block: BlockList;
}

/** One warninglist: all its ranges in one BlockList (the fast test), and each alone (to name the one hit). */
interface RangeList {
  label: string;
  all: BlockList;
  ranges: Range[];
}

export interface GuardSource {
  name: string;
  file: string;
  version: string;
  entries: number;
}

export interface GuardVerdict {
  excluded: boolean;
  reason: string | null;
}

const OK: GuardVerdict = Object.freeze({ excluded: false, reason: null });

function addCidr(blocks: BlockList[], cidr: string, listFile: string): void {
  const [net, bits] = cidr.split('/');
  const family = isIP(net ?? '');
  const prefix = Number(bits);
  if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 4 ? 32 : 128)) {
    throw new HopwatchError('REVIEW_GUARD_DATA_INVALID', `${listFile}: "${cidr}" is not a CIDR range`);
  }
  for (const block of blocks) block.addSubnet(net!, prefix, family === 4 ? 'ipv4' : 'ipv6');
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (err) {
    throw new HopwatchError('REVIEW_GUARD_DATA_INVALID', `cannot read guard data ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

export class ExportGuard {
  private constructor(
    private readonly lists: RangeList[],
    private readonly platforms: Map<string, string>,
    readonly sources: GuardSource[],
  ) {}

  /** Loads data/warninglists/*.json (listed in SOURCES.json) and data/shared-platforms.json once. */
  static load(dataDir = DEFAULT_GUARD_DATA_DIR): ExportGuard {
    const sources = sourcesSchema.safeParse(readJson(join(dataDir, 'warninglists', 'SOURCES.json')));
    if (!sources.success) throw new HopwatchError('REVIEW_GUARD_DATA_INVALID', `warninglists/SOURCES.json: ${sources.error.issues[0]?.message ?? 'invalid'}`);
    const lists: RangeList[] = [];
    const described: GuardSource[] = [];
    for (const entry of sources.data.lists) {
      const parsed = warninglistSchema.safeParse(readJson(join(dataDir, 'warninglists', entry.file)));
      if (!parsed.success) throw new HopwatchError('REVIEW_GUARD_DATA_INVALID', `warninglists/${entry.file}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
      const list: RangeList = { label: `${parsed.data.name} (MISP warninglist ${entry.file.replace(/\.json$/, '')}, version ${parsed.data.version})`, all: new BlockList(), ranges: [] };
      for (const cidr of parsed.data.list) {
        const block = new BlockList();
        addCidr([list.all, block], cidr, entry.file);
        list.ranges.push({ cidr, block });
      }
      lists.push(list);
      described.push({ name: parsed.data.name, file: `warninglists/${entry.file}`, version: String(parsed.data.version), entries: parsed.data.list.length });
    }
    const platforms = platformsSchema.safeParse(readJson(join(dataDir, 'shared-platforms.json')));
    if (!platforms.success) throw new HopwatchError('REVIEW_GUARD_DATA_INVALID', `shared-platforms.json: ${platforms.error.issues[0]?.message ?? 'invalid'}`);
    described.push({ name: 'shared platform hosts', file: 'shared-platforms.json', version: platforms.data.version, entries: platforms.data.hosts.length });
    return new ExportGuard(lists, new Map(platforms.data.hosts.map((h) => [h.host.toLowerCase(), h.reason])), described);
  }

  /** Whether an address may go into an IP blocklist. */
  checkAddress(address: string): GuardVerdict {
    const family = isIP(address);
    if (family === 0) return { excluded: true, reason: 'not an IP address' };
    // the crawler's one definition of a public address: a loopback, private or documentation
    // address in a blocklist blocks something else in every network that applies it
    const kind = classifyAddress(address);
    if (kind !== 'public') return { excluded: true, reason: `not a public address (${kind})` };
    const type = family === 4 ? 'ipv4' : 'ipv6';
    for (const list of this.lists) {
      if (!list.all.check(address, type)) continue;
      const range = list.ranges.find((r) => r.block.check(address, type));
      return { excluded: true, reason: `inside a shared CDN/cloud range: ${range?.cidr ?? '?'} of ${list.label}; blocking it would black out unrelated sites` };
    }
    return OK;
  }

  /** Whether a host may go into a domain blocklist. */
  checkHost(host: string): GuardVerdict {
    const name = host.toLowerCase().replace(/\.$/, '');
    for (let h = name; h.includes('.'); h = h.slice(h.indexOf('.') + 1)) {
      const reason = this.platforms.get(h);
      if (reason !== undefined) return { excluded: true, reason: `shared platform host ${h}${h === name ? '' : ` (parent of ${name})`}: ${reason}` };
    }
    const parsed = parse(name, { allowPrivateDomains: true });
    if (parsed.isIp) return { excluded: true, reason: 'an IP address, not a domain name' };
    if (parsed.isPrivate) return { excluded: true, reason: `under ${parsed.publicSuffix}, a shared platform suffix in the public suffix list's private section: its hosts belong to unrelated users` };
    return OK;
  }
}
