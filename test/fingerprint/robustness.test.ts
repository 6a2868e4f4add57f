import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintPage } from '../../src/fingerprint/fingerprintPage.js';
import { ReferenceIndex } from '../../src/match/referenceIndex.js';
import { addReference, emptyReferenceSet } from '../../src/match/referenceSet.js';
import { harborListing } from '../fixtures/pageFamily.js';

const index = ReferenceIndex.build(
  addReference(emptyReferenceSet(), { id: 'harbor' }, { id: 'harbor/1', site: 'harbor', pageType: 'list', capturedUrl: null, provenance: {}, fingerprint: fingerprintPage({ body: harborListing({ host: 'h.example', seed: 1 }) }) }),
);

/** Markup-ish noise: tags, attributes, entities, scripts and broken fragments mixed at random. */
const markup = fc
  .array(
    fc.oneof(
      fc.constantFrom('<div>', '</div>', '<a href="', '">', '<script>', '</script>', '<!--', '-->', '<meta name="google-site-verification" content="', '&amp;', '<table><tr><td>', 'UA-1234-5', 'magnet:?xt=urn:btih:', '&tr=udp%3A%2F%2Fx', '<title>', '</title>', '<', '>', '"', "'", '\u0000', '\ufffd'),
      fc.string({ maxLength: 20 }),
    ),
    { maxLength: 200 },
  )
  .map((parts) => parts.join(''));

describe('fingerprinting never throws on hostile input', () => {
  it('random markup-like text gets a fingerprint and a verdict', () => {
    fc.assert(
      fc.property(markup, (html) => {
        const fp = fingerprintPage({ body: html });
        expect(fp.simhash.structure).toMatch(/^[0-9a-f]{16}$/);
        expect(['mirror', 'likely', 'unrelated', 'inconclusive']).toContain(index.match(fp).verdict);
      }),
      { numRuns: 300 },
    );
  });

  it('random bytes with any declared content type get a fingerprint', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.constantFrom(undefined, 'text/html', 'text/html; charset=shift_jis', 'text/html; charset=bogus', 'application/octet-stream'), (bytes, contentType) => {
        const fp = fingerprintPage({ body: bytes, ...(contentType ? { contentType } : {}) });
        expect(fp.sha256).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 300 },
    );
  });
});
