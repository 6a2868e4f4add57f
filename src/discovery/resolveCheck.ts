import { randomBytes } from 'node:crypto';
import { Resolver } from 'node:dns/promises';
import { HopwatchError } from '../errors.js';
import type { Candidate } from './types.js';

/** The part of a DNS resolver the pre-check uses; tests and the CLI inject a real one. */
export interface NameResolver {
  resolve4(name: string): Promise<string[]>;
}

export type ResolveStatus =
  /** resolves, and not merely because its parent answers every name */
  | 'live'
  /** NXDOMAIN or no address */
  | 'absent'
  /** the parent zone answers any name (registrar, parking) with the same addresses */
  | 'wildcard'
  /** the resolver failed (timeout, SERVFAIL): unknown, not crawled this round */
  | 'error';

export interface ResolveResult {
  candidate: Candidate;
  status: ResolveStatus;
  addresses: string[];
}

export interface ResolveCheckOptions {
  /** lookups in flight at once; default 16 */
  concurrency?: number;
  /** a label no one registered, for the wildcard probe; default 16 random hex chars */
  probeLabel?: () => string;
}

const absentCodes = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'NODATA']);

async function lookup(resolver: NameResolver, name: string): Promise<{ ok: true; addresses: string[] } | { ok: false; absent: boolean }> {
  try {
    const addresses = await resolver.resolve4(name);
    return addresses.length > 0 ? { ok: true, addresses } : { ok: false, absent: true };
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    return { ok: false, absent: absentCodes.has(code) };
  }
}

/** The zone whose wildcard would answer `name`: drop the first label. */
function parentOf(name: string): string {
  return name.slice(name.indexOf('.') + 1);
}

/**
 * Resolve each candidate, at most `concurrency` at a time, and tell live names from
 * names that only resolve because their parent has a wildcard: a random label under the
 * same parent is resolved once per parent; if it answers, a candidate counts as live only
 * when its addresses differ from the wildcard's.
 */
export async function resolveCheck(candidates: readonly Candidate[], resolver: NameResolver, options: ResolveCheckOptions = {}): Promise<ResolveResult[]> {
  const concurrency = Math.max(1, options.concurrency ?? 16);
  const probeLabel = options.probeLabel ?? (() => `hw-${randomBytes(8).toString('hex')}`);
  const wildcards = new Map<string, Promise<Set<string> | undefined>>();
  const wildcardOf = (parent: string) => {
    let pending = wildcards.get(parent);
    if (!pending) {
      pending = lookup(resolver, `${probeLabel()}.${parent}`).then((r) => (r.ok ? new Set(r.addresses) : undefined));
      wildcards.set(parent, pending);
    }
    return pending;
  };
  const results: ResolveResult[] = new Array(candidates.length);
  let next = 0;
  const worker = async () => {
    while (next < candidates.length) {
      const index = next;
      next += 1;
      const candidate = candidates[index]!;
      const answer = await lookup(resolver, candidate.domain);
      if (!answer.ok) {
        results[index] = { candidate, status: answer.absent ? 'absent' : 'error', addresses: [] };
        continue;
      }
      const wildcard = await wildcardOf(parentOf(candidate.domain));
      const onlyWildcard = wildcard !== undefined && answer.addresses.every((a) => wildcard.has(a));
      results[index] = { candidate, status: onlyWildcard ? 'wildcard' : 'live', addresses: answer.addresses };
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, candidates.length) }, worker));
  return results;
}

/** A node resolver that asks one server (`HOST:PORT`, `HOST` or `[v6]:PORT`). */
export function resolverFor(server: string, timeoutMs = 2000): NameResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  try {
    resolver.setServers([server]);
  } catch (err) {
    throw new HopwatchError('DISCOVERY_BAD_DNS_SERVER', `"${server}" is not a DNS server address (HOST:PORT)`, { cause: err });
  }
  return resolver;
}
