import type { DomFeatures } from './domFeatures.js';
import type { AnchoredPattern, RawTextHits } from './rawTextScan.js';
import type { PageKind } from './types.js';

/**
 * What a page is, before any similarity. Challenge, parked and default-server pages are made by a
 * provider for thousands of domains; they look alike across sites and carry the provider's own IDs,
 * so matching them would accuse the wrong party. The signals are vendors' product markers and the
 * phrases of their templates — never a particular site.
 */
export interface PageKindResult {
  kind: PageKind;
  reason: string;
}

const HTML_TYPES = /^(text\/html|application\/xhtml\+xml)\b/i;

/**
 * Markers of anti-bot interstitials: Cloudflare, DDoS-Guard, Sucuri, StackPath, Imperva, generic JS
 * challenges. `anchors`: the literals each match begins with (see rawTextScan.ts).
 */
const CHALLENGE_MARKERS: Array<[AnchoredPattern, string]> = [
  [
    {
      anchors: ['cf-browser-verification', 'cf_chl_', '__cf_chl', 'jschl', 'cf-challenge', '/cdn-cgi/challenge-platform', 'challenge-form', 'cf-im-under-attack', 'cf-error-details', 'cf_captcha_kind', 'challenges.cloudflare.com/turnstile', 'cf-turnstile'],
      re: /cf-browser-verification|cf_chl_|__cf_chl|jschl[-_](?:vc|answer)|cf-challenge|\/cdn-cgi\/challenge-platform|challenge-form|cf-im-under-attack|cf-error-details|cf_captcha_kind|challenges\.cloudflare\.com\/turnstile|cf-turnstile/i,
    },
    'Cloudflare challenge markup',
  ],
  [{ anchors: ['ddos-guard', 'ddosguard'], re: /ddos-guard|ddosguard/i }, 'DDoS-Guard challenge markup'],
  [{ anchors: ['sucuri', 'cloudproxy'], re: /sucuri[\s_-]?(?:website firewall|cloudproxy)|cloudproxy/i }, 'Sucuri firewall page'],
  [{ anchors: ['_Incapsula_Resource', 'incapsula incident'], re: /_Incapsula_Resource|incapsula incident/i }, 'Imperva/Incapsula challenge'],
  [{ anchors: ['sgcaptcha', 'stackpath'], re: /sgcaptcha|stackpath/i }, 'host anti-bot challenge'],
];
const CHALLENGE_TITLES = /^(just a moment|attention required|please wait|one more step|checking your browser|ddos protection|security check|access denied|are you human|verify you are human|bot verification)\b/i;
const CHALLENGE_PHRASES = /checking your browser before accessing|checking if the site connection is secure|enable javascript and cookies to continue|verify(?:ing)? you are (?:a )?human|complete the security check|ddos protection by|this process is automatic\. your browser will redirect|needs to review the security of your connection/i;

export const PARKED_PHRASES = /(?:domain|this site)\s+(?:is\s+)?parked|(?:domain|domaine|dominio|domein)\s+(?:\S+\s+){0,3}(?:zu verkaufen|à vendre|in vendita|en venta|te koop|kaufen|à acheter)|this domain (?:name )?has expired|domain (?:name )?(?:is )?expired and|parked (?:free|domain|by)|this domain (?:name )?(?:may be|is) for sale|buy this domain|domain (?:is )?for sale|make an offer on this domain|inquire about this domain|this domain has (?:just )?been registered|domain name (?:has been )?registered (?:at|with|by)|parking page|the domain owner (?:may|might)|get this domain/i;
/**
 * Words every PARKED_PHRASES match holds (each alternative has one), tested on the title and the
 * visible text apart: none holds a space, so none can straddle the space that joins them. Most
 * pages have none, and the gate's five words cost about a third of the phrases' long
 * alternation (1.5 against 0.45 ms a round over the corpus's pages under the size bound).
 */
export const PARKED_GATE = /domain|dominio|domein|parked|parking/i;
const PARKED_MARKERS: AnchoredPattern = {
  anchors: ['window.park', 'parking', '/park', 'caf.js', 'sedoparking', 'bodis', 'dan.com', 'afternic', 'parklogic', 'above.com/marketplace'],
  re: /window\.park\b|parking[-_]?(?:lander|crew|page)|\/park(?:ing)?\.js|caf\.js|sedoparking|bodis|dan\.com|afternic|parklogic|above\.com\/marketplace/i,
};
/** The raw-text patterns this module reads from a page's scan (src/fingerprint/rawPatterns.ts). */
export const PAGE_KIND_PATTERNS: readonly AnchoredPattern[] = [...CHALLENGE_MARKERS.map(([p]) => p), PARKED_MARKERS];
/** Markup markers are looked for in the head of the page, where interstitials put them. */
const MARKUP_HEAD_CHARS = 200_000;

export const DEFAULT_SERVER: Array<[RegExp, string]> = [
  [/welcome to nginx|faithfully yours, nginx/i, 'nginx default page'],
  [/apache2? (?:debian|ubuntu|centos)? ?default page|test page for (?:the )?apache|it works! ?<\/h1>|<h1>it works!/i, 'Apache default page'],
  [/iis windows server|internet information services|welcome to iis|iisstart/i, 'IIS default page'],
  [/caddy works!|congratulations! your (?:website|site) is up and running|welcome to openresty|welcome to (?:centos|fedora|red hat)|test page for (?:the )?(?:nginx|http server)|default web site page|plesk default page|cpanel default page|web server's default page|this is the default (?:welcome )?page|index of \//i, 'web server or hosting panel default page'],
];

/**
 * Words every DEFAULT_SERVER match holds (each alternative of each pattern has one): the four
 * patterns run only on a title or text that has one (2.2 against 0.8 ms a round over the corpus).
 */
export const DEFAULT_SERVER_GATE = /nginx|apache|default page|it works!|iis|internet information services|caddy works!|congratulations!|welcome to |test page for|default web site page|the default |index of \//i;

const ERROR_TITLE = /^\s*(?:error\b|\d{3}\s+[a-z]|(?:page )?not found|forbidden|bad gateway|service unavailable|gateway time-?out|internal server error|access denied|unavailable for legal reasons|this site can.t be reached|site not found|account suspended|website (?:is )?(?:unavailable|suspended))/i;

/** Bytes that never occur in real text: NUL and most C0 controls. */
function looksBinary(bytes: Uint8Array | null, text: string): boolean {
  if (bytes) {
    const n = Math.min(bytes.length, 4096);
    let bad = 0;
    for (let i = 0; i < n; i++) {
      const b = bytes[i]!;
      if (b === 0) return true;
      if (b < 9 || (b > 13 && b < 32)) bad++;
    }
    return n > 0 && bad / n > 0.05;
  }
  const head = text.slice(0, 4096);
  // U+FFFD floods mean the bytes were not text in any charset
  const bad = (head.match(/[\u0000-\u0008\u000e-\u001f\ufffd]/g) ?? []).length;
  return head.length > 0 && bad / head.length > 0.05;
}

export interface PageKindInput {
  contentType?: string;
  status?: number;
  bytes: Uint8Array | null;
  text: string;
}

/** Kinds decided before parsing: not HTML at all, or nothing there. */
export function preParseKind(input: PageKindInput): PageKindResult | null {
  if (input.contentType && !HTML_TYPES.test(input.contentType.trim()) && !/^text\/plain/i.test(input.contentType)) {
    return { kind: 'not-html', reason: `content type ${input.contentType.split(';')[0]}` };
  }
  if (input.text.trim().length === 0) return { kind: 'empty', reason: 'no content' };
  if (looksBinary(input.bytes, input.text)) return { kind: 'not-html', reason: 'binary content' };
  if (!/<[a-z!]/i.test(input.text.slice(0, 65536))) return { kind: 'not-html', reason: 'no markup in the first 64 KiB' };
  return null;
}

/** `raw`: the page's raw-text scan (`scanRawText`), which found PAGE_KIND_PATTERNS. */
export function classifyPage(input: PageKindInput, dom: DomFeatures, raw: RawTextHits): PageKindResult {
  const title = dom.title;
  const visible = dom.visibleText;
  const chars = dom.visibleTextChars;

  for (const [marker, why] of CHALLENGE_MARKERS) if (raw.test(marker, MARKUP_HEAD_CHARS)) return { kind: 'challenge', reason: why };
  // each size bound is checked before its phrase regex: same answers, and a long page is not searched for a short page's wording
  if (CHALLENGE_TITLES.test(title) && (chars < 3000 || CHALLENGE_PHRASES.test(visible))) return { kind: 'challenge', reason: `challenge title "${title}"` };
  if (chars < 5000 && CHALLENGE_PHRASES.test(visible)) return { kind: 'challenge', reason: 'challenge wording' };

  const titleMayBeDefault = DEFAULT_SERVER_GATE.test(title);
  const textMayBeDefault = chars < 12_000 && DEFAULT_SERVER_GATE.test(visible);
  if (titleMayBeDefault || textMayBeDefault) {
    for (const [re, why] of DEFAULT_SERVER) if ((titleMayBeDefault && re.test(title)) || (textMayBeDefault && re.test(visible))) return { kind: 'default-server', reason: why };
  }

  const parkedText = chars < 20_000 && (PARKED_GATE.test(title) || PARKED_GATE.test(visible)) ? PARKED_PHRASES.exec(`${title} ${visible}`) : null;
  if (parkedText) return { kind: 'parked', reason: `parking wording "${parkedText[0]}"` };
  if (chars < 5_000 && raw.test(PARKED_MARKERS, MARKUP_HEAD_CHARS)) return { kind: 'parked', reason: 'parking service markup' };

  if (input.status !== undefined && input.status >= 400) return { kind: 'error', reason: `HTTP ${input.status}` };
  if (ERROR_TITLE.test(title) && chars < 3_000) return { kind: 'error', reason: `error title "${title}"` };

  if (dom.elementCount < 8 && chars < 80) return { kind: 'empty', reason: `${dom.elementCount} elements, ${chars} characters of text` };
  return { kind: 'ok', reason: 'content page' };
}
