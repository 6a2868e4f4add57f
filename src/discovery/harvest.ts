import { brandMatcher } from './brandMatch.js';
import { normaliseHost, splitHost } from './domainName.js';
import { isProposableHost } from './proposableHost.js';
import type { DiscoveryKnowledge } from './knowledge.js';
import type { Candidate } from './types.js';

/** What the crawler saw on one fetch. */
export interface HarvestInput {
  requestedUrl: string;
  finalUrl?: string;
  redirects?: string[];
  linkedHosts?: string[];
  text?: string;
  certificateSans?: string[];
}

/** Text scanned for notices, and hosts taken from it: bounded, since pages are hostile input. */
const MAX_TEXT_CHARS = 500_000;
const MAX_HOSTS_PER_LIST = 5_000;

/**
 * "our new domain is x", "moved to x", "nuovo dominio: x"...: a phrase announcing an
 * address, then a host within a few words. The phrases are language, not domains.
 */
const noticePattern =
  /(?:new|current|official|alternative|backup|mirror)\s+(?:domain|address|url|link|site|home)s?|moved\s+to|now\s+(?:at|on|available\s+at)|nuovo\s+(?:dominio|indirizzo)|nouvelle?\s+(?:adresse|domaine)|neue\s+(?:domain|adresse)|nuevo\s+dominio/gi;
/**
 * Runs of host-name characters, each taken whole and checked afterwards. A pattern that matches
 * the labels themselves (`(?:label\.)+tld`) restarts inside every dotted run it fails on, which is
 * quadratic in the run (`a.a.a.a…`); a run is consumed once, and longer runs are split at 253.
 */
const HOST_RUN = /[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?/gi;
const TLD = /^[a-z]{2,63}$/;

/** Host names written in a text, in order, at most `max`, each a proposable candidate. */
export function hostsInText(text: string, max: number): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(HOST_RUN)) {
    const run = m[0];
    const lastDot = run.lastIndexOf('.');
    if (lastDot < 0 || !TLD.test(run.slice(lastDot + 1))) continue;
    const host = run.toLowerCase();
    if (!isProposableHost(host)) continue;
    out.push(host);
    if (out.length >= max) break;
  }
  return out;
}

function hostOf(url: string): string | undefined {
  try {
    return normaliseHost(new URL(url).hostname);
  } catch {
    return normaliseHost(url);
  }
}

/**
 * Candidates from one fetch: where it redirected, certificate SANs, hosts named in a
 * "new domain" notice, and outbound links to hosts that carry a brand. Pure; known
 * domains and the fetched host itself are left out.
 */
export function harvestCandidates(input: HarvestInput, knowledge: DiscoveryKnowledge): Candidate[] {
  const matcher = brandMatcher(knowledge);
  const requested = hostOf(input.requestedUrl);
  const requestedSite = requested === undefined ? undefined : matcher.match(requested)?.site;
  const best = new Map<string, Candidate>();
  const offer = (rawHost: string, score: number, why: (site: string, brandReason?: string) => string, needsBrand: boolean) => {
    const host = hostOf(rawHost);
    // addresses, local-only and invalid names are never candidates, wherever the page put them
    if (host === undefined || host === requested || !isProposableHost(host) || knowledge.known.has(host) || !splitHost(host)) return;
    const hit = matcher.match(host);
    if (needsBrand && !hit) return;
    const site = hit?.site ?? requestedSite ?? 'unknown';
    const candidate: Candidate = { domain: host, site, source: 'harvest', reason: why(site, hit?.reason), score: hit ? score : score * 0.6 };
    const current = best.get(host);
    if (!current || current.score < candidate.score) best.set(host, candidate);
  };
  const from = requested ?? input.requestedUrl;
  for (const url of [...(input.redirects ?? []).slice(0, MAX_HOSTS_PER_LIST), ...(input.finalUrl ? [input.finalUrl] : [])]) {
    offer(url, 0.9, (_s, b) => `redirect from ${from}${b ? ` (${b})` : ''}`, false);
  }
  for (const san of (input.certificateSans ?? []).slice(0, MAX_HOSTS_PER_LIST)) {
    offer(san, 0.7, (_s, b) => `on the same TLS certificate as ${from}${b ? ` (${b})` : ''}`, false);
  }
  const text = (input.text ?? '').slice(0, MAX_TEXT_CHARS);
  for (const notice of text.matchAll(noticePattern)) {
    const after = text.slice(notice.index + notice[0].length, notice.index + notice[0].length + 120);
    const first = hostsInText(after, 1)[0];
    if (first) offer(first, 0.85, (_s, b) => `"${notice[0]}" notice on ${from}${b ? ` (${b})` : ''}`, false);
  }
  for (const found of hostsInText(text, MAX_HOSTS_PER_LIST)) {
    offer(found, 0.5, (_s, b) => `named in the text of ${from} (${b})`, true);
  }
  for (const host of (input.linkedHosts ?? []).slice(0, MAX_HOSTS_PER_LIST)) {
    offer(host, 0.6, (_s, b) => `linked from ${from} (${b})`, true);
  }
  return [...best.values()].sort((a, b) => b.score - a.score || (a.domain < b.domain ? -1 : 1));
}
