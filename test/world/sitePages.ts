/**
 * The HTML the world serves for its sites, from the project's page family
 * (test/fixtures/pageFamily.ts: "Harbor Torrents", its copies, and the pages that must not match).
 * The world depends only on the WorldPages interface, so a test can swap the pages.
 */
import * as family from '../fixtures/pageFamily.js';

export interface WorldPages {
  /** the blocked site's home page, as captured for the reference set */
  originalHome(): string;
  /** a listing / search page of the blocked site, captured at the probe path */
  originalListing(): string;
  /** the same site on another domain, other listings */
  mirrorHome(host: string): string;
  /** the original fetched through a proxy: links rewritten to the proxy host, a banner injected */
  proxiedHome(proxyHost: string): string;
  /** the site after a redesign: new markup, same operator IDs */
  redesignHome(host: string): string;
  /** the operator's other site: shares only the analytics account */
  sisterHome(host: string): string;
  /** a landing page that is not the site (an "enter" splash): not decisive on its own */
  splashHome(): string;
  /** another torrent site: a hard negative */
  unrelatedHome(host: string): string;
  /** an ordinary site using the same CDN libraries as everyone */
  ordinaryHome(host: string): string;
  challengePage(host: string): string;
  parkedPage(host: string): string;
  defaultServerPage(): string;
  /** text for 451 / 403 / 503 answers */
  statusPage(status: number): string;
}

export const ORIGINAL_CAPTURE_HOST = 'orig.test';

/** Stable seed per host name, so each host shows its own listings, the same on every request. */
function seedOf(host: string): number {
  let h = 2166136261;
  for (const c of host) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return (h % 100_000) + 10;
}

export const familyPages: WorldPages = {
  originalHome: () => family.harborListing({ host: ORIGINAL_CAPTURE_HOST, seed: 1 }),
  originalListing: () => family.harborListing({ host: ORIGINAL_CAPTURE_HOST, seed: 2 }),
  mirrorHome: (host) => family.harborMoved({ host, seed: seedOf(host) }),
  proxiedHome: (proxyHost) => family.harborProxied({ host: proxyHost, seed: seedOf(proxyHost), originalHost: ORIGINAL_CAPTURE_HOST }),
  redesignHome: (host) => family.harborRedesign({ host, seed: seedOf(host) }),
  sisterHome: (host) => family.harborSister({ host, seed: seedOf(host) }),
  splashHome: () =>
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Welcome</title></head><body><div class="splash"><p>You must be 18 or older to enter.</p><a href="/search/">Enter</a></div></body></html>',
  unrelatedHome: (host) => family.otherTorrentSite({ host, seed: seedOf(host) }),
  ordinaryHome: (host) => family.ordinaryCdnSite({ host, seed: seedOf(host) }),
  challengePage: (host) => family.challengePage({ host, seed: seedOf(host) }),
  parkedPage: (host) => family.parkedPage({ host, seed: seedOf(host) }),
  defaultServerPage: () => family.nginxDefaultPage(),
  statusPage: (status) =>
    `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${status}</h1><p>${status === 451 ? 'Unavailable for legal reasons: blocked by court order.' : 'Unavailable.'}</p></body></html>`,
};
