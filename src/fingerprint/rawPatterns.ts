import { DONATION_RUN_LENGTHS } from './donationAddresses.js';
import { IDENTIFIER_PATTERNS } from './identifiers.js';
import { PAGE_KIND_PATTERNS } from './pageKind.js';
import { RawTextScanner, type RawTextHits } from './rawTextScan.js';

/**
 * The one raw-text scan of a page: every pattern that identifiers and page kinds look for, and
 * the runs donation addresses can be, found in a single walk (src/fingerprint/rawTextScan.ts).
 */

/** Characters of a page read by the raw-text patterns: a bound on hostile pages, far above real ones. */
export const RAW_SCAN_CHARS = 4_000_000;

const SCANNER = new RawTextScanner([...IDENTIFIER_PATTERNS, ...PAGE_KIND_PATTERNS], DONATION_RUN_LENGTHS);

export function scanRawText(text: string): RawTextHits {
  return SCANNER.scan(text.length > RAW_SCAN_CHARS ? text.slice(0, RAW_SCAN_CHARS) : text);
}
