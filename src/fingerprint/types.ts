/** What a page is, decided before any similarity: only `ok` pages can match a site. */
export type PageKind = 'ok' | 'challenge' | 'parked' | 'default-server' | 'error' | 'empty' | 'not-html';

/**
 * How far an identifier reaches. `site`: names one site (a GA property, a verification token, a
 * brand). `operator`: shared by every site one operator runs (a GA account, an AdSense publisher),
 * so it links sites without making one a mirror of the other.
 */
export type IdentifierScope = 'site' | 'operator';

export interface Identifier {
  /** vendor / family, e.g. `ga-property`, `ga-account`, `ga4`, `gtm`, `yandex-metrika`, `announce-set` */
  kind: string;
  /** normalised value, e.g. `UA-652486-46`, or a hash for set-valued features */
  value: string;
  scope: IdentifierScope;
  /** human-readable form for evidence (the announce URLs, the brand string as written) */
  display?: string;
}

/** 64-bit simhash as 16 lower-case hex digits: JSON-safe and sortable. */
export type Simhash64Hex = string;

export type FeatureFamily = 'structure' | 'text' | 'resources';

export interface PageFingerprint {
  /** fingerprint format version; a reference set records which version built it */
  schema: number;
  pageKind: PageKind;
  /** why the page got its kind (shown to reviewers) */
  pageKindReason: string;
  title: string;
  simhash: Record<FeatureFamily, Simhash64Hex>;
  /** distinct features hashed per family; a tiny family makes its simhash unreliable */
  featureCounts: Record<FeatureFamily, number>;
  identifiers: Identifier[];
  /** the page's own idea of its URL (rel=canonical, og:url): a proxy or copy often still names the original */
  canonicalUrl: string | null;
  /** hosts the page links to (for discovery: mirrors, "new domain" notices) */
  linkedHosts: string[];
  bytes: number;
  sha256: string;
  /**
   * What the page says about itself (its names, the hosts it points at), compared with the
   * blocked sites' names and known domains. Absent in fingerprints stored before it existed.
   */
  selfDescription?: SelfDescription;
}

/** Where a page names itself. */
export type SelfNameSlot = 'title' | 'og:site_name' | 'application-name' | 'logo' | 'copyright';

export interface SelfName {
  slot: SelfNameSlot;
  /** as written on the page (trimmed, bounded) */
  text: string;
}

export interface SelfHost {
  host: string;
  /** `canonical` / `og:url`: the page's own idea of its URL; `link`: an anchor, form action or asset */
  via: 'canonical' | 'og:url' | 'link';
}

export interface SelfDescription {
  names: SelfName[];
  hosts: SelfHost[];
}

/** What the fingerprinter is given: the body as fetched, and what the fetch knew. */
export interface PageInput {
  body: Uint8Array | string;
  /** Content-Type header, if any; decides `not-html` and the charset */
  contentType?: string;
  /** HTTP status, if fetched; 4xx/5xx pages are `error` unless they are a challenge */
  status?: number;
  /** final URL, if known; used to resolve relative links and to drop the page's own host */
  url?: string;
}
