/**
 * The HTML the world serves for its sites. Placeholders until the lead's generator
 * (test/fixtures/pageFamily.ts) lands; the world only depends on this interface.
 */

export interface WorldPages {
  /** the blocked site's home page, as captured for the reference set */
  originalHome(): string;
  /** a listing / search page of the blocked site (a probe path) */
  originalListing(): string;
  /** the same site on another domain, other listings */
  mirrorHome(): string;
  /** the original fetched through a proxy: links rewritten to the proxy host, a banner injected */
  proxiedHome(proxyHost: string): string;
  /** a landing page that is not the site (an "enter" splash): not decisive on its own */
  splashHome(): string;
  unrelatedHome(): string;
  challengePage(): string;
  parkedPage(domain: string): string;
  defaultServerPage(): string;
  /** text for 451 / 403 / 503 answers */
  statusPage(status: number): string;
}

const SITE = 'TorrentHaven';

function listingRows(seed: number, count: number): string {
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = (seed * 7919 + i * 104729) % 100000;
    rows.push(
      `<tr class="row"><td class="name"><a href="/torrent/${n}/release-${n}/">Release ${n} 1080p WEB</a></td>` +
        `<td class="size">${(n % 9) + 1}.${n % 10} GB</td><td class="seeds">${n % 500}</td><td class="leech">${n % 77}</td>` +
        `<td class="magnet"><a href="magnet:?xt=urn:btih:${n.toString(16).padStart(40, '0')}&tr=udp%3A%2F%2Ftracker.haven.test%3A1337%2Fannounce">magnet</a></td></tr>`,
    );
  }
  return rows.join('\n');
}

function sitePage(options: { seed: number; base?: string; banner?: string; title?: string }): string {
  const base = options.base ?? '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>${options.title ?? `${SITE} - Download movies, TV, games`}</title>
<meta property="og:site_name" content="${SITE}">
<link rel="stylesheet" href="${base}/static/css/haven.min.css?v=${options.seed}">
<script src="${base}/static/js/haven.js"></script>
<script>window.dataLayer=[];gtag('config','G-HAVEN12345');</script>
</head><body>
${options.banner ?? ''}
<header id="top"><a class="logo" href="${base}/"><img src="${base}/static/img/logo.png" alt="${SITE}"></a>
<nav class="main-nav"><a href="${base}/movies/">Movies</a><a href="${base}/tv/">TV</a><a href="${base}/games/">Games</a><a href="${base}/music/">Music</a><a href="${base}/top100/">Top 100</a></nav>
<form class="search" action="${base}/search/"><input name="q" placeholder="Search torrents"><button>Search</button></form></header>
<main><h1>Latest torrents</h1><table class="listing"><thead><tr><th>Name</th><th>Size</th><th>SE</th><th>LE</th><th></th></tr></thead><tbody>
${listingRows(options.seed, 30)}
</tbody></table></main>
<footer class="site-footer"><p>${SITE} does not host any files. Telegram: @torrenthaven_official</p>
<p>Donate BTC: bc1qhaven0example0address0000000000000000</p></footer>
</body></html>`;
}

export const placeholderPages: WorldPages = {
  originalHome: () => sitePage({ seed: 1 }),
  originalListing: () => sitePage({ seed: 2, title: `Search results - ${SITE}` }),
  mirrorHome: () => sitePage({ seed: 3 }),
  proxiedHome: (proxyHost) =>
    sitePage({ seed: 4, base: `https://${proxyHost}/browse.php?u=https%3A%2F%2Forig.test`, banner: '<div id="proxy-banner">You are browsing through UnblockIt proxy. <a href="/">Remove frame</a></div>' }),
  splashHome: () =>
    `<!DOCTYPE html><html><head><title>Welcome</title></head><body><div class="splash"><p>Click to enter.</p><a href="/search/">Enter</a></div></body></html>`,
  unrelatedHome: () =>
    `<!DOCTYPE html><html><head><title>Garden Tips Weekly</title></head><body><header><h1>Garden Tips</h1><nav><a href="/roses">Roses</a><a href="/soil">Soil</a></nav></header>` +
    `<main>${Array.from({ length: 20 }, (_, i) => `<article><h2>Tip ${i}</h2><p>Water your plants in the morning, tip number ${i}.</p></article>`).join('')}</main><footer>Garden Tips Weekly</footer></body></html>`,
  challengePage: () =>
    `<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><div id="challenge-running">Checking if the site connection is secure</div>` +
    `<div class="cf-browser-verification">Enable JavaScript and cookies to continue</div><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1"></script></body></html>`,
  parkedPage: (domain) =>
    `<!DOCTYPE html><html><head><title>${domain} is for sale</title></head><body><h1>${domain}</h1><p>This domain may be for sale. Buy this domain.</p>` +
    `<p>Related searches: movies, torrents, downloads</p><script src="https://parking.example.test/park.js"></script></body></html>`,
  defaultServerPage: () =>
    `<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1><p>If you see this page, the nginx web server is successfully installed and working.</p></body></html>`,
  statusPage: (status) => `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>${status}</h1><p>Unavailable.</p></body></html>`,
};
