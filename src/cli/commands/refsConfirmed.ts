import { z } from 'zod';
import { readBoundedFile } from '../../boundedFile.js';
import { HopwatchError } from '../../errors.js';
import { addConfirmedReference, confirmationSchema, type ReferencePage, type ReferenceSet, type SiteRecord } from '../../match/referenceSet.js';

/**
 * `refs add --confirmed FILE`: the decision a page was confirmed by, read from a small JSON file,
 * so that a reviewed page becomes a reference with its provenance. Kept apart from refs.ts so the
 * page-id logic there can change without touching this.
 */
const confirmationFileSchema = confirmationSchema.extend({
  /** page type of the confirmed pages (list, search, detail, home, other); the bound is per type */
  pageType: z.enum(['home', 'list', 'search', 'detail', 'other']).default('other'),
});
export type ConfirmationFile = z.infer<typeof confirmationFileSchema>;

/** A decision file is a few hundred bytes; the cap keeps a wrong path from being read whole. */
const MAX_CONFIRMATION_BYTES = 64 * 1024;

export async function readConfirmation(path: string): Promise<ConfirmationFile> {
  // counted while reading: a wrong path (/dev/zero, a disk image) stops at the cap
  const text = (await readBoundedFile(path, MAX_CONFIRMATION_BYTES, { unreadable: 'REFS_CONFIRMATION_INVALID', tooLarge: 'REFS_CONFIRMATION_INVALID', notText: 'REFS_CONFIRMATION_INVALID' }, `confirmation ${path}`)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HopwatchError('REFS_CONFIRMATION_INVALID', `${path} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  const parsed = confirmationFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HopwatchError('REFS_CONFIRMATION_INVALID', `${path} is not a confirmation${issue ? ` (at ${issue.path.join('.') || 'top'}: ${issue.message})` : ''}: expected {decision, at, evidenceManifest, reviewer[, pageType]}`);
  }
  return parsed.data;
}

export function addConfirmed(set: ReferenceSet, site: Pick<SiteRecord, 'id'> & Partial<SiteRecord>, page: ReferencePage, file: ConfirmationFile): ReferenceSet {
  const { pageType, ...confirmation } = file;
  return addConfirmedReference(set, site, { ...page, pageType }, confirmation);
}
