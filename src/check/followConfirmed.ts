import type { EvidenceStore } from '../evidence/evidenceStore.js';
import { sha256Hex } from '../evidence/evidenceStore.js';
import { manifestSchema } from '../evidence/manifest.js';
import { fingerprintPage } from '../fingerprint/fingerprintPage.js';
import { addConfirmedReference, MAX_REFERENCES_PER_PAGE_TYPE, type ReferencePage, type ReferenceSet } from '../match/referenceSet.js';
import type { ConfirmationDetail } from '../store/reviewStore.js';

/**
 * Confirmed matches become references: for every match a reviewer confirmed, the page body kept
 * in its evidence package is fingerprinted and added to its site's references with the decision
 * as provenance, so the next redesign is compared with last month's page. Reads the review
 * store's confirmations (any object with the two methods below: `ReviewStore` has them) and
 * the evidence directory; writes nothing; returns the new set and what was skipped, and why.
 */
export interface ConfirmationSource {
  confirmedSites(): Promise<string[]>;
  confirmationDetails(siteId: string): Promise<ConfirmationDetail[]>;
}

export interface FollowOutcome {
  set: ReferenceSet;
  /** reference page ids added */
  added: string[];
  skipped: Array<{ site: string; matchId: string; reason: string }>;
}

export interface FollowOptions {
  maxPerPageType?: number;
  /** confirmations read per site, newest first; older ones would be pruned by the bound anyway */
  maxPerSite?: number;
}

/** An evidence manifest is a few kilobytes; a larger file under that name is not one. */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export async function followConfirmedMatches(set: ReferenceSet, source: ConfirmationSource, evidence: EvidenceStore, options: FollowOptions = {}): Promise<FollowOutcome> {
  const maxPerSite = options.maxPerSite ?? 100;
  const known = new Set(set.sites.map((s) => s.id));
  const added: string[] = [];
  const skipped: FollowOutcome['skipped'] = [];
  let out = set;
  for (const site of await source.confirmedSites()) {
    if (!known.has(site)) continue;
    const details = (await source.confirmationDetails(site)).slice(-maxPerSite);
    for (const d of details) {
      const skip = (reason: string): void => {
        skipped.push({ site, matchId: d.matchId, reason });
      };
      if (!d.manifest) {
        skip('no evidence package');
        continue;
      }
      const manifestBytes = await evidence.read(d.manifest);
      if (!manifestBytes) {
        skip(`evidence manifest ${d.manifest} not in the evidence directory`);
        continue;
      }
      if (manifestBytes.byteLength > MAX_MANIFEST_BYTES || sha256Hex(manifestBytes) !== d.manifest) {
        skip(`evidence manifest ${d.manifest} does not match its hash`);
        continue;
      }
      let manifest;
      try {
        manifest = manifestSchema.parse(JSON.parse(Buffer.from(manifestBytes).toString('utf8')));
      } catch {
        skip(`evidence manifest ${d.manifest} is not a hopwatch manifest`);
        continue;
      }
      const bodySha = manifest.body.sha256;
      const body = await evidence.read(bodySha);
      if (!body || sha256Hex(body) !== bodySha) {
        skip(`page body ${bodySha} missing or altered`);
        continue;
      }
      const contentType = typeof manifest.body.contentType === 'string' ? manifest.body.contentType : undefined;
      const fingerprint = fingerprintPage({ body, ...(contentType ? { contentType } : {}), url: manifest.finalUrl });
      if (fingerprint.pageKind !== 'ok') {
        skip(`the confirmed page is a ${fingerprint.pageKind} page`);
        continue;
      }
      const id = `${site}/confirmed-${bodySha.slice(0, 16)}`;
      if (out.references.some((r) => r.id === id)) continue;
      const referencePageId = typeof manifest.reference === 'object' && manifest.reference !== null ? String((manifest.reference as { pageId?: unknown }).pageId ?? '') : '';
      // the page type of the reference page it matched: a confirmed listing replaces listings
      const pageType = out.references.find((r) => r.id === referencePageId)?.pageType ?? 'other';
      const page: ReferencePage = {
        id,
        site,
        pageType,
        capturedUrl: manifest.finalUrl,
        provenance: { domain: d.domain, matchId: d.matchId, sha256: bodySha },
        fingerprint,
      };
      out = addConfirmedReference(
        out,
        { id: site },
        page,
        { decision: `confirm ${d.matchId}`, at: d.confirmedAt, evidenceManifest: d.manifest, reviewer: d.confirmers.join(', ') || 'unknown' },
        options.maxPerPageType ?? MAX_REFERENCES_PER_PAGE_TYPE,
      );
      added.push(id);
    }
  }
  return { set: out, added: added.filter((id) => out.references.some((r) => r.id === id)), skipped };
}
