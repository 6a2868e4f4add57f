import { fileURLToPath } from 'node:url';
import { ReferenceIndex } from '../match/referenceIndex.js';
import { readReferenceSet } from '../match/referenceSet.js';

/** The reference set shipped in seeds/: the blocked sites and their reference fingerprints. */
export const BUNDLED_REFERENCE_SET = fileURLToPath(new URL('../../seeds/reference-set.json', import.meta.url));

/** Load and index a reference set; no path means the bundled seeds. */
export async function loadReferenceIndex(path?: string): Promise<ReferenceIndex> {
  return ReferenceIndex.build(await readReferenceSet(path ?? BUNDLED_REFERENCE_SET));
}
