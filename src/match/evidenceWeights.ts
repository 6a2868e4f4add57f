/**
 * How much one shared identifier says that two pages are the same site (0..1), by kind.
 * Tracking and verification IDs are configured per site and survive domain hops; brand strings and
 * tracker lists are weaker (clones copy them). Kinds not listed count for DEFAULT_SITE_WEIGHT.
 */
const SITE_WEIGHTS: Array<[RegExp, number]> = [
  // a verification token is issued to one property's owner and has no use on anyone else's page
  [/^verification:/, 0.9],
  // an analytics property is one site's reporting bucket: a copy keeps it only if the owner wants the traffic
  [/^ga-property$|^ga4$/, 0.9],
  // a tag container or counter is also one site's, but is more often pasted from tutorials and templates
  [/^gtm$|^yandex-metrika$|^cloudflare-analytics$/, 0.85],
  // a donation address is where the operator's money goes; a thief rarely keeps it, a news story might quote it
  [/^donation:/, 0.85],
  // small hit counters: one site's, but abandoned and reused more than the big analytics suites
  [/^histats$|^statcounter$|^clicky$/, 0.8],
  // self-hosted or social-platform app IDs: set per site, yet shared across an operator's properties
  [/^matomo$|^facebook-app$|^fb-admins$|^fb-page_id$/, 0.7],
  // a social handle is linked to by fans, news and lists as often as by the site itself
  [/^social:/, 0.6],
  // LiveInternet counters are named by free-text labels that several sites choose alike
  [/^liveinternet$/, 0.5],
  // below LIKELY_SCORE on its own: a name can be copied, or be a common word
  [/^brand$/, 0.45],
  // public tracker lists are shared by many sites; a site's own list is a trait, not a proof
  [/^announce-set$/, 0.3],
  // an icon path is a template trait that clones copy with the template
  [/^favicon$/, 0.15],
];
/** An identifier kind not listed: half-way, neither a proof nor nothing, until it is given a reason. */
const DEFAULT_SITE_WEIGHT = 0.5;

/** Weight of an operator-level identifier (an analytics or ad account behind several sites). */
export const OPERATOR_WEIGHT = 0.6;

/**
 * Kinds that support a match but never make one: a name, an icon path, a public tracker list or a
 * host name can be copied by anyone. Without a decisive identifier or page similarity, together
 * they stay below LIKELY_SCORE (SUPPORT_ONLY_CAP, just under it), with one exception: the page's
 * own name and its links to the same site's own domains, two independent claims that agree,
 * may reach `likely` (never `mirror`).
 */
export const SUPPORTING_KINDS = new Set(['brand', 'favicon', 'announce-set', 'domain-brand', 'known-domain', 'own-domain']);
export const SUPPORT_ONLY_CAP = 0.45;

/**
 * What a page says about itself. Each claim is one anyone can copy, so each alone stays below
 * LIKELY_SCORE; two independent claims that agree (the name it gives itself and the site's own
 * domains it points at) reach it: 1 - (1 - 0.45)^2 = 0.70. Neither ever makes a `mirror`.
 * - SELF_NAME_WEIGHT: the page's own name (title's site-name segment, og:site_name,
 *   application-name, logo text, copyright holder) is one of the site's names; the same weight
 *   as a brand string shared with a reference page, because it is the same kind of claim.
 * - OWN_DOMAIN_WEIGHT: the page's links, canonical, form actions or assets point at the site's
 *   known domains, their subdomains, the mirror list the site publishes, or a proxy's rewriting
 *   of them, and the page's own name agrees.
 * - OWN_DOMAIN_ALONE_WEIGHT: the same links from a page that does not call itself that site:
 *   torrent sites link to each other's listings and news stories link the sites they report on,
 *   so it is shown to the reviewer but stays a hint.
 */
export const SELF_NAME_WEIGHT = 0.45;
export const OWN_DOMAIN_WEIGHT = 0.45;
export const OWN_DOMAIN_ALONE_WEIGHT = 0.2;

/** A candidate host whose label carries a blocked site's brand label: supporting, never decisive. */
export const DOMAIN_BRAND_WEIGHT = 0.3;

/** An identifier at least this strong counts as an independent, strong link. */
export const STRONG_IDENTIFIER = 0.5;

export function identifierWeight(kind: string): number {
  for (const [re, w] of SITE_WEIGHTS) if (re.test(kind)) return w;
  return DEFAULT_SITE_WEIGHT;
}

/**
 * Combined simhash distance (structure + text + resources, 0..192) to similarity strength 0..1.
 * Unrelated pages sit near 96 (each 64-bit family ~ Binomial(64, 1/2)); on the real corpus the
 * closest pair of different torrent sites is at 59, while captures of one site years apart are
 * mostly below 45. Full strength at or below 32, none at or above 62.
 */
export const SIMILARITY_FULL_AT = 32;
export const SIMILARITY_NONE_AT = 62;

export function similarityStrength(combinedDistance: number): number {
  if (combinedDistance <= SIMILARITY_FULL_AT) return 1;
  if (combinedDistance >= SIMILARITY_NONE_AT) return 0;
  return (SIMILARITY_NONE_AT - combinedDistance) / (SIMILARITY_NONE_AT - SIMILARITY_FULL_AT);
}

/** Near-duplicate on its own: every family close, as copies and proxies of one template are. */
export const NEAR_DUPLICATE_STRENGTH = 0.85;

/**
 * One identifier alone is enough for `likely` only if it is one a site configures for itself
 * (an analytics property, a verification token, a donation address). Social handles and app IDs
 * are linked to and copied by others (a news story about a site links its accounts).
 */
export const LONE_IDENTIFIER_FOR_LIKELY = 0.8;

/** Verdict thresholds on the combined score. */
export const MIRROR_SCORE = 0.9;
export const LIKELY_SCORE = 0.5;

/** A family hashed from fewer features than this is too thin to compare (an empty footer, no scripts). */
export const MIN_FAMILY_FEATURES = 8;
