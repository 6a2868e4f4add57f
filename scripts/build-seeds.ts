/**
 * Rebuilds seeds/reference-set.json from seeds/sites.json and the shared data:
 *   npm run seeds -- ../shared
 * Known domains come from shared/domains, reference fingerprints from shared/corpus pages of the
 * site, each with its provenance. Only the derived JSON is committed, never the pages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fingerprintPage } from '../src/fingerprint/fingerprintPage.js';
import { addReference, emptyReferenceSet, writeReferenceSet, type LegalReference } from '../src/match/referenceSet.js';

interface SeedSite {
  id: string;
  name: string;
  domainsFile: string;
  corpusFolder: string | null;
  legal: LegalReference[];
}

const shared = process.argv[2] ?? '../shared';
const out = process.argv[3] ?? 'seeds/reference-set.json';
const { sites } = JSON.parse(readFileSync('seeds/sites.json', 'utf8')) as { sites: SeedSite[] };

const manifest = readFileSync(join(shared, 'corpus', 'MANIFEST.tsv'), 'utf8').trim().split('\n');
const header = manifest[0]!.split('\t');
const rows = manifest.slice(1).map((line) => Object.fromEntries(line.split('\t').map((v, i) => [header[i]!, v])) as Record<string, string>);

let set = emptyReferenceSet();
for (const site of sites) {
  const domains = readFileSync(join(shared, site.domainsFile), 'utf8')
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((p) => p.length >= 2 && /^\d{4}-\d{2}-\d{2}$/.test(p[0]!))
    .map(([date, domain]) => ({ domain: domain!.toLowerCase(), firstSeen: date! }));
  const siteRecord = { id: site.id, name: site.name, domains, legal: site.legal };
  set = addReference(set, siteRecord, null);
  const pages = site.corpusFolder ? rows.filter((r) => r.site === site.corpusFolder) : [];
  for (const row of pages) {
    const path = row.local_path!;
    const fingerprint = fingerprintPage({ body: readFileSync(join(shared, 'corpus', path)) });
    if (fingerprint.pageKind !== 'ok') {
      process.stderr.write(`skipped ${path}: ${fingerprint.pageKind}\n`);
      continue;
    }
    const seenHost = (row.domain_seen ?? '').split(';')[0];
    set = addReference(set, siteRecord, {
      id: `${site.id}/${path.split('/').pop()!.replace(/\.html$/, '')}`,
      site: site.id,
      pageType: row.page_type ?? 'other',
      capturedUrl: fingerprint.canonicalUrl ?? (seenHost ? `https://${seenHost}/` : null),
      provenance: {
        corpusPath: path,
        sourceRepo: row.source_repo ?? '',
        sourcePath: row.source_path ?? '',
        commit: row.commit ?? '',
        savedDate: row.saved_date ?? '',
        sha1: row.sha1 ?? '',
        notes: row.notes ?? '',
      },
      fingerprint,
    });
  }
  process.stderr.write(`${site.id}: ${domains.length} domains, ${pages.length} reference pages\n`);
}
await writeReferenceSet(out, set);
process.stderr.write(`wrote ${out}\n`);
