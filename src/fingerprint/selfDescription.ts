import type { CopyrightSigns } from './copyrightSigns.js';
import type { DomFeatures } from './domFeatures.js';
import { getDomainWithoutSuffix } from 'tldts';
import { brandKey, urlHost } from './normalise.js';
import type { SelfDescription, SelfHost, SelfName, SelfNameSlot } from './types.js';

/**
 * What a page says about itself: the names it gives itself (the title's site-name segment,
 * og:site_name, application-name, logo text, the footer's copyright holder) and the hosts it
 * points at (links, canonical, og:url, form actions, asset hosts). Collected here and compared
 * with the blocked sites' names and known domains in src/match/selfEvidence.ts; nothing in this
 * file knows any site. Pure and bounded.
 */

const MAX_NAMES = 12;
const MAX_HOSTS = 500;
const MAX_NAME_CHARS = 120;
const MAX_COPYRIGHT_NOTICES = 5;

/** Title separators between a page's own subject and the site's name ("Search - AniDex", "KAT | Home"). */
const TITLE_SEPARATOR = /\s+(?:[|\-–—»·•]|::?)\s+|\s*[|»·•]\s*|\s*::\s*/;

/** An optional year range after a copyright sign (copyrightSigns.ts); the holder's name follows. */
const LEADING_YEARS = /^(?:\d{4}\s*(?:[-–]\s*\d{4})?\s*,?\s*)+/;
/** Where a holder's name ends: a sentence stop, a bar, "All rights reserved". */
const HOLDER_END = /[.|\n]|\ball rights\b/i;

export function titleSegments(title: string): string[] {
  return title
    .split(TITLE_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean)
    .slice(0, 12);
}

function clip(s: string): string {
  return s.trim().replace(/\s+/g, ' ').slice(0, MAX_NAME_CHARS);
}

function copyrightHolders(signs: CopyrightSigns): string[] {
  const out: string[] = [];
  const visibleText = signs.text;
  for (let k = 0; signs.has(k); k++) {
    const start = signs.end(k);
    let rest = visibleText.slice(start, start + 100).replace(LEADING_YEARS, '');
    const end = HOLDER_END.exec(rest);
    if (end) rest = rest.slice(0, end.index);
    const holder = clip(rest);
    if (holder.length >= 2) out.push(holder);
    if (out.length >= MAX_COPYRIGHT_NOTICES) break;
  }
  return out;
}

export function extractSelfDescription(dom: DomFeatures): SelfDescription {
  const names: SelfName[] = [];
  const add = (slot: SelfNameSlot, text: string | undefined): void => {
    if (!text || names.length >= MAX_NAMES) return;
    const t = clip(text);
    if (t.length >= 2 && !names.some((n) => n.slot === slot && n.text === t)) names.push({ slot, text: t });
  };
  for (const meta of dom.metas) if (meta.name === 'og:site_name' || meta.name === 'application-name') add(meta.name, meta.content);
  for (const t of dom.logoTexts.slice(0, 4)) add('logo', t);
  for (const h of copyrightHolders(dom.copyrightSigns)) add('copyright', h);
  // By convention the site's name is the title's last segment ("Anime - AniDex"), or the whole
  // title when it has one segment. When the last segment is a tagline instead (five or more
  // words, or only dressing words: "The Pirate Bay - The galaxy's most resilient bittorrent
  // site", "EZTV - ... | Official"), the name is the first. Otherwise the first segment is often
  // the page's subject ("Mozilla - Wikipedia"), so it counts only when another of the page's own
  // name slots says the same.
  const segments = titleSegments(dom.title);
  if (segments.length > 0) add('title', segments[segments.length - 1]);
  if (segments.length > 1) {
    const first = segments[0]!;
    const firstKeys = nameKeys(first);
    const others = new Set(names.filter((n) => n.slot !== 'title').flatMap((n) => nameKeys(n.text)));
    const last = segments[segments.length - 1]!;
    // a last segment that is the label of the page's own canonical host is the page's name, not a tagline
    const ownLabel = canonicalLabel(dom);
    const lastIsOwnHost = ownLabel !== null && nameKeys(last).includes(ownLabel);
    if ((isTagline(last) && !lastIsOwnHost) || firstKeys.some((k) => others.has(k))) add('title', first);
  }

  const hosts = new Map<string, SelfHost['via']>();
  const keepHost = (host: string | null | undefined, via: SelfHost['via']): void => {
    if (host && hosts.size < MAX_HOSTS && !hosts.has(host)) hosts.set(host, via);
  };
  const addHost = (raw: string | null | undefined, via: SelfHost['via']): void => keepHost(raw ? urlHost(raw) : null, via);
  addHost(dom.canonicalHref, 'canonical');
  addHost(dom.metas.find((m) => m.name === 'og:url')?.content, 'og:url');
  // hrefs hold anchors, form actions and script/style/image sources alike; their hosts were read in the pass
  for (const host of dom.hrefHosts) keepHost(host, 'link');
  for (const host of dom.linkedHosts) if (hosts.size < MAX_HOSTS && !hosts.has(host)) hosts.set(host, 'link');
  return { names, hosts: [...hosts].map(([host, via]) => ({ host, via })) };
}

/**
 * Words that dress a name without being one ("rarbg torrents", "AniDex Tracker", "Project X",
 * "X Official"): dropped at the edges of a name before it is compared. Genre words only, no name.
 */
const DRESSING_WORDS = new Set(
  'the a an torrent torrents tracker trackers search engine download downloads official project site website web online free community network team group inc ltd llc home page index welcome verified bittorrent p2p logo logotype img image icon banner png svg gif jpg'.split(' '),
);
function canonicalLabel(dom: DomFeatures): string | null {
  const host = urlHost(dom.canonicalHref ?? dom.metas.find((m) => m.name === 'og:url')?.content ?? '');
  const label = host ? getDomainWithoutSuffix(host) : null;
  return label ? brandKey(label) : null;
}

/**
 * A title segment that describes rather than names: five or more words (a publication's name is
 * rarely that long: "The New York Times" is four), or dressing words only ("Official").
 */
function isTagline(segment: string): boolean {
  const words = segment.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w));
  return words.length >= 5 || words.every((w) => DRESSING_WORDS.has(brandKey(w)));
}

const HOST_LIKE = /^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.[a-z]{2,}$/iu;
const NAME_SPLIT = /\s+(?:[|\-–—»·•:]|::)\s+|\s*[|»·•]\s*/;

/**
 * The comparable forms of a name as a page writes it: each separated part, lower-case letters
 * and digits only (digits are part of a brand: "newpct1" is not "newpct"), a host name reduced to
 * its label ("LimeTorrents.cc" → "limetorrents"), and the part without dressing words at its
 * edges. Short keys (under 3 characters) are dropped: they name nothing reliably.
 */
export function nameKeys(text: string): string[] {
  const out = new Set<string>();
  const keep = (k: string): void => {
    if (k.length >= 3 && k.length <= 40) out.add(k);
  };
  for (const part of text.split(NAME_SPLIT).slice(0, 8)) {
    const words = part.trim().split(/\s+/).filter(Boolean).slice(0, 12);
    if (words.length === 0) continue;
    const asLabel = (w: string): string => (HOST_LIKE.test(w) ? (getDomainWithoutSuffix(w.toLowerCase()) ?? w) : w);
    keep(brandKey(words.join(' ')));
    const labelled = words.map(asLabel);
    keep(brandKey(labelled.join(' ')));
    let a = 0;
    let b = labelled.length;
    while (a < b && DRESSING_WORDS.has(brandKey(labelled[a]!))) a++;
    while (b > a && DRESSING_WORDS.has(brandKey(labelled[b - 1]!))) b--;
    if (a < b) keep(brandKey(labelled.slice(a, b).join(' ')));
  }
  return [...out];
}
