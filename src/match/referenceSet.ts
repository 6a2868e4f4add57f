import { writeFile, rename } from 'node:fs/promises';
import { readBoundedFile } from '../boundedFile.js';
import { z } from 'zod';
import { HopwatchError } from '../errors.js';
import { FINGERPRINT_SCHEMA } from '../fingerprint/schema.js';
import type { PageFingerprint } from '../fingerprint/types.js';

/**
 * The reference-set file: the blocked sites, their known domains and legal references, and the
 * fingerprints of their reference pages with provenance. Versioned, so an old file is refused
 * with a clear message instead of being matched with the wrong features.
 */
export const REFERENCE_SET_FORMAT = 'hopwatch-reference-set';
export const REFERENCE_SET_VERSION = 1;

const hex64 = z.string().regex(/^[0-9a-f]{16}$/);

const identifierSchema = z.object({
  kind: z.string().min(1).max(64),
  value: z.string().min(1).max(512),
  scope: z.enum(['site', 'operator']),
  display: z.string().max(2048).optional(),
});

const fingerprintSchema = z.object({
  schema: z.number().int(),
  pageKind: z.enum(['ok', 'challenge', 'parked', 'default-server', 'error', 'empty', 'not-html']),
  pageKindReason: z.string(),
  title: z.string(),
  simhash: z.object({ structure: hex64, text: hex64, resources: hex64 }),
  featureCounts: z.object({ structure: z.number().int().nonnegative(), text: z.number().int().nonnegative(), resources: z.number().int().nonnegative() }),
  identifiers: z.array(identifierSchema).max(10_000),
  canonicalUrl: z.string().max(4096).nullable(),
  linkedHosts: z.array(z.string()).max(10_000),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  selfDescription: z
    .object({
      names: z.array(z.object({ slot: z.enum(['title', 'og:site_name', 'application-name', 'logo', 'copyright']), text: z.string().max(500) })).max(100),
      hosts: z.array(z.object({ host: z.string().max(253), via: z.enum(['canonical', 'og:url', 'link']) })).max(10_000),
    })
    .optional(),
});

const legalReferenceSchema = z.object({
  authority: z.string(),
  date: z.string(),
  caseRef: z.string().optional(),
  parties: z.string().optional(),
  scope: z.string(),
  note: z.string().optional(),
});

const siteSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/),
  name: z.string().min(1).max(200),
  domains: z.array(z.object({ domain: z.string().min(1).max(253), firstSeen: z.string().nullable() })).max(100_000),
  legal: z.array(legalReferenceSchema).default([]),
});

const referencePageSchema = z.object({
  id: z.string().min(1).max(300),
  site: z.string(),
  pageType: z.string().default('other'),
  /** the URL the page was captured at, if known: its path is probed on candidate hosts */
  capturedUrl: z.string().nullable().default(null),
  provenance: z.record(z.string(), z.string()).default({}),
  fingerprint: fingerprintSchema,
});

const referenceSetSchema = z.object({
  format: z.literal(REFERENCE_SET_FORMAT),
  version: z.literal(REFERENCE_SET_VERSION),
  fingerprintSchema: z.number().int(),
  sites: z.array(siteSchema).max(10_000),
  references: z.array(referencePageSchema).max(1_000_000),
});

export type SiteRecord = z.infer<typeof siteSchema>;
export type LegalReference = z.infer<typeof legalReferenceSchema>;
export type ReferencePage = Omit<z.infer<typeof referencePageSchema>, 'fingerprint'> & { fingerprint: PageFingerprint };
export type ReferenceSet = Omit<z.infer<typeof referenceSetSchema>, 'references'> & { references: ReferencePage[] };

export function emptyReferenceSet(): ReferenceSet {
  return { format: REFERENCE_SET_FORMAT, version: REFERENCE_SET_VERSION, fingerprintSchema: FINGERPRINT_SCHEMA, sites: [], references: [] };
}

/** Validate parsed JSON as a reference set; every problem becomes REFS_INVALID with the path. */
export function parseReferenceSet(json: unknown, source = 'reference set'): ReferenceSet {
  const parsed = referenceSetSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw new HopwatchError('REFS_INVALID', `${source} is not a valid reference set${where ? ` (at ${where})` : ''}: ${issue?.message ?? 'invalid'}`);
  }
  const set = parsed.data as ReferenceSet;
  if (set.fingerprintSchema !== FINGERPRINT_SCHEMA) {
    throw new HopwatchError(
      'REFS_SCHEMA_MISMATCH',
      `${source} was built with fingerprint schema ${set.fingerprintSchema}, this hopwatch uses ${FINGERPRINT_SCHEMA}: rebuild it with \`hopwatch refs add\``,
    );
  }
  const siteIds = new Set(set.sites.map((s) => s.id));
  for (const ref of set.references) {
    if (!siteIds.has(ref.site)) throw new HopwatchError('REFS_INVALID', `${source}: reference ${ref.id} names unknown site ${ref.site}`);
  }
  return set;
}

/** Reference sets are small JSON files; the cap keeps a wrong path (a disk image, a log) from eating memory. */
const MAX_REFERENCE_SET_BYTES = 512 * 1024 * 1024;

export async function readReferenceSet(path: string): Promise<ReferenceSet> {
  // counted while reading: `check --refs /dev/zero` must stop at the cap, not grow to gigabytes
  const text = (await readBoundedFile(path, MAX_REFERENCE_SET_BYTES, { unreadable: 'REFS_UNREADABLE', tooLarge: 'REFS_TOO_LARGE', notText: 'REFS_INVALID' }, `reference set ${path}`)).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HopwatchError('REFS_INVALID', `${path} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  return parseReferenceSet(json, path);
}

/** Write atomically (temp file + rename) so an interrupted `refs add` never leaves half a file. */
export async function writeReferenceSet(path: string, set: ReferenceSet): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(set, null, 1)}\n`);
  await rename(tmp, path);
}

/** Add the site if new (or merge its domains), then add or replace (by id) a reference page. Returns a new set. */
export function addReference(set: ReferenceSet, site: Pick<SiteRecord, 'id'> & Partial<SiteRecord>, page: ReferencePage | null): ReferenceSet {
  const sites = [...set.sites];
  const i = sites.findIndex((s) => s.id === site.id);
  if (i < 0) {
    sites.push({ id: site.id, name: site.name ?? site.id, domains: site.domains ?? [], legal: site.legal ?? [] });
  } else {
    const old = sites[i]!;
    const known = new Set(old.domains.map((d) => d.domain));
    const domains = [...old.domains, ...(site.domains ?? []).filter((d) => !known.has(d.domain))];
    sites[i] = { ...old, name: site.name ?? old.name, domains, legal: site.legal ?? old.legal };
  }
  if (!page) return { ...set, sites };
  const references = set.references.filter((r) => r.id !== page.id);
  references.push(page);
  return { ...set, sites, references };
}

/**
 * Why a page became a reference after the seeds: a reviewer's decision on a match (or, as an
 * option, an automatic `mirror` with a strong identifier), with the time and the hash of the
 * evidence manifest the decision was taken on, so a reference can always be traced to its proof.
 */
export const confirmationSchema = z.object({
  /** the decision's id or kind, e.g. a review-decision id, or `auto-mirror` */
  decision: z.string().min(1).max(200),
  /** when it was decided, ISO 8601 UTC */
  at: z.string().datetime({ offset: true }),
  /** SHA-256 (hex) of the evidence manifest the decision refers to */
  evidenceManifest: z.string().regex(/^[0-9a-f]{64}$/),
  reviewer: z.string().min(1).max(200),
});
export type Confirmation = z.infer<typeof confirmationSchema>;

/**
 * Pages kept per site and page type. A site that redesigns is compared with its recent pages,
 * so the newest are kept; the oldest is kept too, because it is the one the legal reference was
 * built on and the one that still matches copies made from the old template.
 */
export const MAX_REFERENCES_PER_PAGE_TYPE = 8;
const KEEP_OLDEST = 1;

/** A reference's time for ordering: its confirmation, else none (a seed, older than any confirmation). */
function referenceTime(page: ReferencePage): number {
  const at = page.provenance.confirmedAt;
  const t = at ? Date.parse(at) : Number.NaN;
  return Number.isFinite(t) ? t : Number.NEGATIVE_INFINITY;
}

/**
 * Add a confirmed page to its site's references with the confirmation as provenance, then keep at
 * most `maxPerPageType` pages of that site and page type: the oldest and the newest. Pure: returns
 * a new set. Other sites and page types are left as they are.
 */
export function addConfirmedReference(
  set: ReferenceSet,
  site: Pick<SiteRecord, 'id'> & Partial<SiteRecord>,
  page: ReferencePage,
  confirmation: Confirmation,
  maxPerPageType = MAX_REFERENCES_PER_PAGE_TYPE,
): ReferenceSet {
  const parsed = confirmationSchema.safeParse(confirmation);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new HopwatchError('REFS_CONFIRMATION_INVALID', `not a confirmation${issue ? ` (at ${issue.path.join('.') || 'top'}: ${issue.message})` : ''}`);
  }
  const c = parsed.data;
  if (!Number.isInteger(maxPerPageType) || maxPerPageType < KEEP_OLDEST + 1) throw new HopwatchError('REFS_INVALID', `maxPerPageType must be an integer ≥ ${KEEP_OLDEST + 1}, got ${maxPerPageType}`);
  const confirmed: ReferencePage = {
    ...page,
    provenance: { ...page.provenance, decision: c.decision, confirmedAt: new Date(c.at).toISOString(), evidenceManifest: c.evidenceManifest, reviewer: c.reviewer },
  };
  const added = addReference(set, site, confirmed);
  const group = added.references
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.site === confirmed.site && r.pageType === confirmed.pageType)
    .sort((a, b) => referenceTime(a.r) - referenceTime(b.r) || a.i - b.i);
  if (group.length <= maxPerPageType) return added;
  const keep = new Set([...group.slice(0, KEEP_OLDEST), ...group.slice(group.length - (maxPerPageType - KEEP_OLDEST))].map(({ i }) => i));
  const dropped = new Set(group.map(({ i }) => i).filter((i) => !keep.has(i)));
  return { ...added, references: added.references.filter((_, i) => !dropped.has(i)) };
}
