import { hash } from 'node:crypto';
import { decodeBody } from './decodeBody.js';
import { DEFAULT_DOM_LIMITS, extractDomFeatures, type DomFeatures, type DomLimits } from './domFeatures.js';
import { extractIdentifiers } from './identifiers.js';
import { classifyPage, preParseKind } from './pageKind.js';
import { scanRawText } from './rawPatterns.js';
import { EMPTY_HASH } from './featureFamily.js';
import { extractSelfDescription } from './selfDescription.js';
import { FINGERPRINT_SCHEMA } from './schema.js';
import type { PageFingerprint, PageInput } from './types.js';

export interface FingerprintLimits extends DomLimits {
  /** bytes of the body that are looked at; the rest is ignored (pages are capped before parsing) */
  maxBodyBytes: number;
}

export const DEFAULT_FINGERPRINT_LIMITS: FingerprintLimits = { ...DEFAULT_DOM_LIMITS, maxBodyBytes: 8 * 1024 * 1024 };

/** The simhash of a feature map (the definition; the bench times it beside the families' own route). */
export { familyHash } from './featureFamily.js';

/**
 * The fingerprint of one page: pure (bytes in, fingerprint out; no network, no clock).
 * Never throws on page content: malformed, binary or hostile input gets a page kind instead.
 */
export function fingerprintPage(input: PageInput, limits: FingerprintLimits = DEFAULT_FINGERPRINT_LIMITS): PageFingerprint {
  const raw = typeof input.body === 'string' ? null : input.body;
  const bytes = raw && raw.byteLength > limits.maxBodyBytes ? raw.subarray(0, limits.maxBodyBytes) : raw;
  // the one-shot hash (Node 20.12+) makes no Hash object per page
  const sha256 = hash('sha256', raw ?? input.body, 'hex');
  const byteLength = raw ? raw.byteLength : Buffer.byteLength(input.body as string);
  const decoded = decodeBody(bytes ?? input.body, input.contentType);
  let text = decoded.text;
  if (text.length > limits.maxBodyBytes) text = text.slice(0, limits.maxBodyBytes);

  const base = { schema: FINGERPRINT_SCHEMA, bytes: byteLength, sha256 };
  // UTF-16 and UTF-32 text is full of NUL bytes: the binary test then looks at the decoded text
  const wide = /^utf-(?:16|32)/.test(decoded.charset);
  const kindInput = { contentType: input.contentType, status: input.status, bytes: wide ? null : bytes, text };
  const early = preParseKind(kindInput);
  if (early) return emptyFingerprint(base, early.kind, early.reason);

  const dom = extractDomFeatures(text, limits);
  const scan = scanRawText(text);
  const kind = classifyPage(kindInput, dom, scan);
  return {
    ...base,
    pageKind: kind.kind,
    pageKindReason: dom.truncated ? `${kind.reason} (page cut at ${limits.maxElements} elements, ${limits.maxNestingDepth} levels of nesting or ${limits.maxAttributes} attributes per tag)` : kind.reason,
    title: dom.title,
    simhash: { structure: dom.structure.simhashHex(), text: dom.text.simhashHex(), resources: dom.resources.simhashHex() },
    featureCounts: { structure: dom.structure.size, text: dom.text.size, resources: dom.resources.size },
    identifiers: extractIdentifiers(scan, dom),
    canonicalUrl: canonicalUrlOf(dom),
    linkedHosts: linkedHostsOf(dom, input.url),
    selfDescription: extractSelfDescription(dom),
  };
}

function canonicalUrlOf(dom: DomFeatures): string | null {
  const raw = dom.canonicalHref ?? dom.metas.find((m) => m.name === 'og:url')?.content ?? null;
  if (!raw) return null;
  const absolute = raw.startsWith('//') ? `https:${raw}` : raw;
  return URL.canParse(absolute) ? absolute : null;
}

function linkedHostsOf(dom: DomFeatures, url: string | undefined): string[] {
  let own: string | null = null;
  if (url) {
    try {
      own = new URL(url).hostname.toLowerCase();
    } catch {
      own = null;
    }
  }
  return [...dom.linkedHosts].filter((h) => h !== own).sort();
}

function emptyFingerprint(base: { schema: number; bytes: number; sha256: string }, kind: PageFingerprint['pageKind'], reason: string): PageFingerprint {
  return {
    ...base,
    pageKind: kind,
    pageKindReason: reason,
    title: '',
    simhash: { structure: EMPTY_HASH, text: EMPTY_HASH, resources: EMPTY_HASH },
    featureCounts: { structure: 0, text: 0, resources: 0 },
    identifiers: [],
    canonicalUrl: null,
    linkedHosts: [],
  };
}
