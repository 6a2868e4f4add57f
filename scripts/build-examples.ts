/**
 * Writes the bundled example that `npm start` checks: pages of the project's own test family
 * (never real sites' pages) and a reference set built from the "original" captures.
 *   npm run examples
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fingerprintPage } from '../src/fingerprint/fingerprintPage.js';
import { addReference, emptyReferenceSet, writeReferenceSet } from '../src/match/referenceSet.js';
import * as family from '../test/fixtures/pageFamily.js';

const dir = 'examples/pages';
mkdirSync(dir, { recursive: true });
const original = 'harbor-torrents.example';
const pages: Record<string, string> = {
  '01-moved-to-new-domain.html': family.harborMoved({ host: 'harbor-torrents.new', seed: 202 }),
  '02-proxied-copy.html': family.harborProxied({ host: 'harbor.unblock-proxy.example', originalHost: original, seed: 303 }),
  '03-redesign.html': family.harborRedesign({ host: 'harbor.re', seed: 404 }),
  '04-same-operator-site.html': family.harborSister({ host: 'quay-subtitles.example', seed: 5 }),
  '05-other-torrent-site.html': family.otherTorrentSite({ host: 'nimbus.example', seed: 6 }),
  '06-challenge-page.html': family.challengePage({ host: 'harbor-torrents.new', seed: 7 }),
  '07-parked-domain.html': family.parkedPage({ host: 'harbor-torrents.biz', seed: 8 }),
  '08-ordinary-site-same-cdn.html': family.ordinaryCdnSite({ host: 'bakery.example', seed: 9 }),
  '09-rebuilt-site-names-itself.html': family.harborRebuilt({ host: 'harbor-v3.example', seed: 10, knownHost: original, mirrors: ['harbor-torrents.net', 'harbor-torrents-example.unblock-proxy.example'] }),
  '10-other-site-linking-to-it.html': family.otherSiteLinkingTo({ host: 'nimbus.example', seed: 11, knownHost: original }),
};
for (const [name, html] of Object.entries(pages)) writeFileSync(`${dir}/${name}`, html);

let set = emptyReferenceSet();
const site = { id: 'harbor', name: 'Harbor Torrents (example)', domains: [{ domain: original, firstSeen: '2024-01-01' }] };
for (const seed of [1, 2]) {
  const html = family.harborListing({ host: original, seed });
  set = addReference(set, site, {
    id: `harbor/listing-${seed}`,
    site: 'harbor',
    pageType: 'list',
    capturedUrl: `https://${original}/browse/latest`,
    provenance: { generator: 'test/fixtures/pageFamily.ts harborListing', seed: String(seed) },
    fingerprint: fingerprintPage({ body: html, url: `https://${original}/browse/latest` }),
  });
}
await writeReferenceSet('examples/reference-set.json', set);
process.stderr.write(`wrote ${Object.keys(pages).length} pages to ${dir} and examples/reference-set.json\n`);
