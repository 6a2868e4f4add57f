import { createHash } from 'node:crypto';
import { signLed, type CopyrightSigns } from './copyrightSigns.js';
import { findDonationAddresses } from './donationAddresses.js';
import type { DomFeatures } from './domFeatures.js';
import type { AnchoredPattern, RawTextHits } from './rawTextScan.js';
import { brandKey, pathShape } from './normalise.js';
import type { Identifier, IdentifierScope } from './types.js';

/**
 * Exact identifiers: the tracking, verification and payment IDs a site operator configures once
 * and carries from domain to domain. Each is a vendor's public format, not a particular site.
 * `operator` scope marks IDs that name an account shared by all of one operator's sites.
 */
interface Pattern extends AnchoredPattern {
  kind: string;
  scope: IdentifierScope;
  /** turns the match into the normalised value; default: capture group 1 */
  value?: (m: RegExpMatchArray) => string | null;
}

// `anchors`: the literals every match begins with (see rawTextScan.ts)
const PATTERNS: Pattern[] = [
  // Universal Analytics: UA-account-property. The property names a site; the account, its owner.
  { kind: 'ga-property', scope: 'site', anchors: ['UA-'], re: /\b(UA-\d{4,10}-\d{1,4})\b/ },
  { kind: 'ga-account', scope: 'operator', anchors: ['UA-'], re: /\bUA-(\d{4,10})-\d{1,4}\b/, value: (m) => `UA-${m[1]}` },
  // GA4 measurement IDs look like any "G-XXXX" word, so only where gtag loads or configures them
  { kind: 'ga4', scope: 'site', anchors: ['gtag'], re: /(?:gtag\/js\?id=|gtag\(\s*['"]config['"]\s*,\s*['"])(G-[A-Z0-9]{6,14})\b/ },
  { kind: 'gtm', scope: 'site', anchors: ['GTM-'], re: /\b(GTM-[A-Z0-9]{4,9})\b/ },
  { kind: 'google-ads', scope: 'operator', anchors: ['AW-'], re: /\b(AW-\d{6,12})\b/ },
  { kind: 'adsense', scope: 'operator', anchors: ['ca-pub-', 'pub-'], re: /\b(?:ca-)?(pub-\d{10,20})\b/ },
  { kind: 'yandex-metrika', scope: 'site', anchors: ['mc.yandex.', 'ym(', 'yaCounter'], re: /(?:mc\.yandex\.(?:ru|com)\/(?:watch|informer)\/|\bym\(\s*|yaCounter)(\d{5,12})/ },
  // every run below is bounded and cannot overlap what follows it, so a failed attempt costs a constant: linear on any page
  { kind: 'histats', scope: 'site', anchors: ['Histats.start', 'histats.com/'], re: /(?:Histats\.start['"]\s*,\s*['"]\d{1,9},|histats\.com\/[^"'\s?]{0,300}\?)(\d{5,9})\b/ },
  { kind: 'liveinternet', scope: 'site', anchors: ['liveinternet.ru/click', 'yadro.ru/hit'], re: /(?:liveinternet\.ru\/click|yadro\.ru\/hit);([a-z0-9._-]{3,64})/i, value: (m) => m[1]!.toLowerCase() },
  { kind: 'facebook-pixel', scope: 'operator', anchors: ['fbq('], re: /fbq\(\s*['"]init['"]\s*,\s*['"](\d{6,20})['"]/ },
  { kind: 'statcounter', scope: 'site', anchors: ['sc_project'], re: /sc_project\s*=\s*(\d{5,10})/ },
  { kind: 'clicky', scope: 'site', anchors: ['clicky'], re: /clicky(?:_site_ids?\.push\(|\.init\(|\.com\/)(\d{6,10})/ },
  { kind: 'cloudflare-analytics', scope: 'site', anchors: ['data-cf-beacon='], re: /data-cf-beacon=['"]\{[^}]{0,500}?&quot;token&quot;:\s{0,20}&quot;([0-9a-f]{32})|data-cf-beacon='\{"token":\s{0,20}"([0-9a-f]{32})"/, value: (m) => m[1] ?? m[2] ?? null },
  { kind: 'matomo', scope: 'site', anchors: ['setSiteId'], re: /setSiteId['"]\s*,\s*['"]?(\d{1,6})['"]?\s*\]\);[\s\S]{0,400}?u\s*=\s*['"]([^'"]+)['"]/, value: (m) => `${m[2]}#${m[1]}` },
];

/** A magnet link with its parameters: where a site's tracker list is read. */
const MAGNET: AnchoredPattern = { anchors: ['magnet:?'], re: /magnet:\?[^"'<>\s]{20,8192}/ };

/** The raw-text patterns this module reads from a page's scan (src/fingerprint/rawPatterns.ts). */
export const IDENTIFIER_PATTERNS: readonly AnchoredPattern[] = [...PATTERNS, MAGNET];

const VERIFICATION_META = /(?:^|[-_.:])(?:site-?verification|verify|verification|validate)(?:$|[-_.:\d])|^msvalidate|^p:domain_verify$/i;
const SOCIAL_HOSTS: Record<string, string> = {
  't.me': 'telegram',
  'telegram.me': 'telegram',
  'twitter.com': 'twitter',
  'x.com': 'twitter',
  'facebook.com': 'facebook',
  'instagram.com': 'instagram',
  'vk.com': 'vk',
  'discord.gg': 'discord',
  'reddit.com': 'reddit',
  'youtube.com': 'youtube',
};
/** Path words that are a social network's own pages, not an account. */
const SOCIAL_NOT_HANDLE = /^(share|sharer|intent|home|login|signup|dialog|plugins|tr|hashtag|search|watch|embed|i|p|explore|about|help|policies|privacy|legal|settings|groups|pages|people|joinchat|s|submit|sharing|ads|business|watch_videos|playlist|results)$/i;

/** Words sites use as titles or logo texts that name no one (checked after brandKey folding). */
const GENERIC_NAMES = new Set(
  'torrent torrents search home index download downloads movie movies film films series serie tv music game games software apps books anime video videos free online best new latest top official welcome main page site web portal browse results recherche descargas buscar busqueda inicio accueil startseite error login'.split(' '),
);

const MAX_IDENTIFIERS = 2_000;

/** `raw`: the page's raw-text scan (`scanRawText`), which found IDENTIFIER_PATTERNS and address-length runs. */
export function extractIdentifiers(raw: RawTextHits, dom: DomFeatures): Identifier[] {
  const found = new Map<string, Identifier>();
  const add = (id: Identifier): void => {
    if (found.size < MAX_IDENTIFIERS) found.set(`${id.kind}\u0000${id.value}`, id);
  };

  for (const p of PATTERNS) {
    for (const m of raw.matches(p)) {
      const value = p.value ? p.value(m) : (m[1] ?? null);
      if (value) add({ kind: p.kind, value, scope: p.scope });
    }
  }

  for (const meta of dom.metas) {
    const content = meta.content.trim();
    if (!content || content.length > 200) continue;
    if (VERIFICATION_META.test(meta.name)) add({ kind: `verification:${meta.name}`, value: content, scope: 'site' });
    else if (meta.name === 'fb:app_id' && /^\d{6,20}$/.test(content)) add({ kind: 'facebook-app', value: content, scope: 'site' });
    else if (meta.name === 'fb:admins' || meta.name === 'fb:page_id') add({ kind: meta.name.replace(':', '-'), value: content, scope: 'site' });
    else if (meta.name === 'twitter:site' || meta.name === 'twitter:creator') {
      const handle = content.replace(/^@/, '').toLowerCase();
      if (/^[a-z0-9_]{2,30}$/.test(handle)) add({ kind: 'social:twitter', value: handle, scope: 'site' });
    }
  }

  for (const d of findDonationAddresses(raw)) add({ kind: `donation:${d.currency}`, value: d.address, scope: 'site' });

  for (let k = 0; k < dom.hrefs.length; k++) {
    const social = socialHandle(dom.hrefs[k]!, dom.hrefHosts[k] ?? null);
    if (social) add({ kind: `social:${social.network}`, value: social.handle, scope: 'site' });
  }

  const announce = announceSet(raw);
  if (announce) add(announce);

  const favicon = faviconShape(dom);
  if (favicon) add({ kind: 'favicon', value: favicon, scope: 'site' });

  for (const brand of brandStrings(dom)) add({ kind: 'brand', value: brandKey(brand), scope: 'site', display: brand });

  return [...found.values()].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** `href`'s handle on a social network; `host` is urlHost(href), read in the pass. */
function socialHandle(href: string, host: string | null): { network: string; handle: string } | null {
  if (!host) return null;
  const bare = host.replace(/^(www|m|mobile|old|new)\./, '');
  if (!Object.hasOwn(SOCIAL_HOSTS, bare)) return null;
  const network = SOCIAL_HOSTS[bare]!;
  const path = /^[^/]*\/\/[^/]+\/([^?#]*)/.exec(href.trim())?.[1] ?? '';
  const parts = path.split('/').filter(Boolean);
  let handle: string | undefined;
  if (network === 'reddit') handle = parts[0] === 'r' || parts[0] === 'u' || parts[0] === 'user' ? parts[1] : undefined;
  else if (network === 'youtube') handle = parts[0]?.startsWith('@') ? parts[0] : ['channel', 'c', 'user'].includes(parts[0] ?? '') ? parts[1] : undefined;
  else handle = parts[0];
  if (!handle || SOCIAL_NOT_HANDLE.test(handle) || /\.php$|^v\d/i.test(handle)) return null;
  handle = handle.replace(/^@/, '').toLowerCase();
  if (!/^[\p{L}\p{N}_.-]{2,64}$/u.test(handle)) return null;
  return { network, handle };
}

const TRACKER = /(?:&amp;|&)tr=([^&"'<>\s]+)/g;
/** the same pattern, not global: `exec` finds the first tracker parameter */
const FIRST_TRACKER = new RegExp(TRACKER.source);
/** magnets read per page: enough to see which tracker list most of a listing shares */
const MAX_MAGNETS = 500;

/**
 * The tracker set a site appends to its magnet links. Individual magnets vary (each upload brings
 * its own trackers), so the set shared by most magnets on the page is taken as the site's.
 */
function announceSet(raw: RawTextHits): Identifier | null {
  const counts = new Map<string, number>();
  // a listing's magnets differ in hash and name but end in the same tracker parameters: the set
  // is read once per distinct tail (from the first tr= on), not once per magnet; as many tails
  // as magnets read at most
  const setOfTail = new Map<string, string | null>();
  let magnets = 0;
  for (const m of raw.matches(MAGNET)) {
    if (++magnets > MAX_MAGNETS) break;
    const first = FIRST_TRACKER.exec(m[0]);
    if (first === null) continue;
    // the matches from the first one on are the matches of the whole magnet
    const tail = m[0].slice(first.index);
    let key = setOfTail.get(tail);
    if (key === undefined) {
      key = trackerSetKey(tail);
      setOfTail.set(tail, key);
    }
    if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [key, n] of counts) if (n > bestCount || (n === bestCount && best !== null && key < best)) [best, bestCount] = [key, n];
  // one magnet's tracker list says nothing about the site; a list shared by several does
  if (best === null || bestCount < 2) return null;
  const value = createHash('sha256').update(best).digest('hex').slice(0, 16);
  return { kind: 'announce-set', value, scope: 'site', display: best.split('\n').join(' ') };
}

/** The sorted, distinct tracker URLs of a magnet's parameters joined by newlines, or null for none. */
function trackerSetKey(params: string): string | null {
  const trackers = new Set<string>();
  for (const t of params.matchAll(TRACKER)) {
    let url: string;
    try {
      url = decodeURIComponent(t[1]!).trim().toLowerCase();
    } catch {
      continue;
    }
    if (url.length < 8 || url.length > 300) continue;
    trackers.add(url.replace(/\/+$/, ''));
  }
  return trackers.size === 0 ? null : [...trackers].sort().join('\n');
}

/** Icon links: a favicon, an .ico file, an Apple touch icon. */
const ICON_HREF = /favicon|\.ico(?:$|\?)|apple-touch-icon/i;
/** what every ICON_HREF match contains; a page's hrefs are mostly not icons, and this is the quicker test (measured) */
const ICON_MARK = /ico/i;

function faviconShape(dom: DomFeatures): string | null {
  for (const href of dom.hrefs) {
    if (!ICON_MARK.test(href) || !ICON_HREF.test(href)) continue;
    const shape = pathShape(href);
    // the default locations say nothing about who runs the site
    if (shape && !/^\/favicon\.\w+$/.test(shape)) return shape;
  }
  return null;
}

/**
 * Brand strings: what the site calls itself in og:site_name, application-name and logo text, and a
 * title segment when the page repeats it elsewhere (a logo, a footer), so a page's own headline
 * is not mistaken for a brand.
 */
function brandStrings(dom: DomFeatures): string[] {
  const out = new Set<string>();
  const consider = (s: string | undefined): void => {
    if (!s) return;
    // logo alt texts say "logo" or "image" around the name: keep the name
    const t = s.replace(/\b(?:logo(?:type)?|img|image|icon|banner)\b/gi, ' ').trim().replace(/\s+/g, ' ');
    const key = brandKey(t);
    if (key.length >= 3 && key.length <= 40 && t.split(' ').length <= 5 && !GENERIC_NAMES.has(key)) out.add(t);
  };
  for (const meta of dom.metas) if (meta.name === 'og:site_name' || meta.name === 'application-name') consider(meta.content);
  for (const t of dom.logoTexts) consider(t);
  const segments = dom.title.split(/\s+[|\-–—:»·•]\s+|\s*[|»·•]\s*/).map((s) => s.trim()).filter(Boolean);
  // read from the visible text (up to 200,000 characters) only when a title segment needs it
  let copyrightKeys: string[] | null = null;
  for (const seg of [segments[0], segments[segments.length - 1]]) {
    if (!seg) continue;
    const key = brandKey(seg);
    if (key.length < 3) continue;
    // a title segment is a brand only when the page names itself that way elsewhere (logo, footer)
    if ([...out].some((b) => brandKey(b) === key) || (copyrightKeys ??= copyrightNames(dom.copyrightSigns)).some((c) => c.includes(key))) consider(seg);
  }
  return [...out].slice(0, 5);
}

/** A copyright sign, an optional year range and the name after them, tried at each sign (copyrightSigns.ts). */
const COPYRIGHT_NAME = signLed(String.raw`(?:\d{4}\s*(?:[-–]\s*\d{4})?)?\s*([^\n.|]{2,60})`);

/** What follows a copyright sign: where a site names itself in its footer. */
function copyrightNames(signs: CopyrightSigns): string[] {
  return signs.matches(COPYRIGHT_NAME, 20).map((m) => brandKey(m[1]!));
}
