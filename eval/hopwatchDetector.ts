import { fingerprintPage } from '../src/fingerprint/fingerprintPage.js';
import type { PageFingerprint, PageInput } from '../src/fingerprint/types.js';
import { ReferenceIndex } from '../src/match/referenceIndex.js';
import { SiteSelfKnowledge } from '../src/match/selfEvidence.js';
import { decide, scoreSite } from '../src/match/siteEvidence.js';
import { addReference, emptyReferenceSet, type ReferenceSet } from '../src/match/referenceSet.js';
import type { Evidence, MatchResult } from '../src/match/types.js';
import { requestUrlOf, statusOf, type CorpusPage } from './corpusProtocol.js';

/**
 * hopwatch as a detector on the corpus: reference pages become a ReferenceSet (site id = folder
 * name), candidates are fingerprinted and matched. A site's known domains are what its reference
 * pages tell (`domain_seen`: the host each was served from and the own-brand hosts it links to),
 * as a seed file would know them at reference time. The candidate gets no `domain` hint and no
 * URL, so a match can only come from what the page itself carries.
 */

export interface HopwatchAnswer {
  /** the site named as this page (verdict mirror/likely with relation mirror), else null */
  named: string | null;
  /** a `same-operator` lead: another site linked by an operator-level identifier */
  lead: string | null;
  pageKind: PageFingerprint['pageKind'] | 'error';
  pageKindReason: string;
  result: MatchResult | null;
  /** set when fingerprinting or matching threw: the eval goes on, the page counts as unnamed */
  error: string | null;
}

/**
 * What the fingerprinter is told about a corpus page: the bytes, that it is HTML, and the HTTP
 * status when the manifest recorded one. No URL: a candidate served from its original host would
 * share that host with its references, which a site on a new domain never does.
 */
export function pageInputOf(page: CorpusPage, body: Uint8Array): PageInput {
  const status = statusOf(page);
  return { body, contentType: 'text/html', ...(status === undefined ? {} : { status }) };
}

/** "Names a site": a claim that the page is that site. A same-operator lead is not such a claim. */
export function namedSiteOf(result: MatchResult): string | null {
  if (result.site === null || result.relation !== 'mirror') return null;
  return result.verdict === 'mirror' || result.verdict === 'likely' ? result.site : null;
}

export function buildReferenceSet(references: ReadonlyArray<{ page: CorpusPage; fingerprint: PageFingerprint }>): ReferenceSet {
  let set = emptyReferenceSet();
  for (const { page, fingerprint } of references) {
    set = addReference(
      set,
      { id: page.site, name: page.site, domains: page.domainsSeen.map((domain) => ({ domain, firstSeen: page.saved.day })) },
      {
        id: page.localPath,
        site: page.site,
        pageType: page.pageType,
        capturedUrl: requestUrlOf(page),
        provenance: {
          corpusPath: page.localPath,
          sourceRepo: page.sourceRepo,
          sourcePath: page.sourcePath,
          commit: page.commit,
          savedDate: page.savedDate,
        },
        fingerprint,
      },
    );
  }
  return set;
}

export function fingerprintOrError(input: PageInput): { fingerprint: PageFingerprint | null; error: string | null } {
  try {
    return { fingerprint: fingerprintPage(input), error: null };
  } catch (err) {
    return { fingerprint: null, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
  }
}

export class HopwatchDetector {
  private selfKnowledge: SiteSelfKnowledge | null = null;

  private constructor(private readonly index: ReferenceIndex, readonly referenceSet: ReferenceSet) {}

  static build(referenceSet: ReferenceSet): HopwatchDetector {
    return new HopwatchDetector(ReferenceIndex.build(referenceSet), referenceSet);
  }

  /**
   * Ablation: the site named from what the page says about itself alone (brand and own-domain
   * evidence), with page similarity and identifiers shared with reference pages left out. The
   * same scoring rule decides; nothing in it was set by looking at which reference page is close.
   */
  selfDescriptionOnly(fingerprint: PageFingerprint | null): string | null {
    if (fingerprint === null || fingerprint.pageKind !== 'ok') return null;
    this.selfKnowledge ??= new SiteSelfKnowledge(this.referenceSet.sites, this.referenceSet.references);
    const scores = [...this.selfKnowledge.evidence(fingerprint)].map(([site, links]) => scoreSite({ site, bestDistance: null, bestDistances: null, bestReference: null, links, operatorLinks: [] }));
    return namedSiteOf(decide(scores));
  }

  answer(fingerprint: PageFingerprint | null, fingerprintError: string | null): HopwatchAnswer {
    if (fingerprint === null) {
      return { named: null, lead: null, pageKind: 'error', pageKindReason: '', result: null, error: fingerprintError ?? 'no fingerprint' };
    }
    try {
      const result = this.index.match(fingerprint, { domain: null });
      return {
        named: namedSiteOf(result),
        lead: result.relation === 'same-operator' ? result.site : null,
        pageKind: fingerprint.pageKind,
        pageKindReason: fingerprint.pageKindReason,
        result,
        error: null,
      };
    } catch (err) {
      const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { named: null, lead: null, pageKind: fingerprint.pageKind, pageKindReason: fingerprint.pageKindReason, result: null, error: message };
    }
  }
}

/** The strongest evidence first, as one short line per item. */
export function topEvidence(evidence: readonly Evidence[], limit = 3): string[] {
  return [...evidence]
    .sort((a, b) => b.weight - a.weight)
    .slice(0, limit)
    .map((e) => `${e.feature}: ${e.matched} (${e.weight.toFixed(2)}${e.reference ? `, ${e.reference}` : ''})`);
}
