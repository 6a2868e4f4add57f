import { access } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseDomainInput } from '../../check/domainInput.js';
import { openEvidenceStore } from '../../evidence/evidenceStore.js';
import { describeError, HopwatchError } from '../../errors.js';
import { fingerprintPage } from '../../fingerprint/fingerprintPage.js';
import { addReference, emptyReferenceSet, readReferenceSet, writeReferenceSet, type ReferenceSet } from '../../match/referenceSet.js';
import { addConfirmed, readConfirmation, type ConfirmationFile } from './refsConfirmed.js';
import { refsFollowUsage, runRefsFollow } from './refsFollow.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';
import { readPageFile } from '../pageFile.js';

const usage = `Usage: hopwatch refs add --refs PATH --site ID [--name NAME] [--domain HOST]... [--url URL] [--confirmed FILE]
                     [--evidence-dir DIR] PAGE...

Create the reference-set file PATH, or extend it, with the fingerprints of saved
pages of one blocked site. Only content pages are accepted: a challenge, parked,
default-server, error or empty page would teach the matcher a provider's page.

Options:
  --refs PATH      the reference-set file (created if missing)
  --site ID        site id: lower-case letters, digits, . _ - (e.g. limetorrents)
  --name NAME      display name of the site (default: the id)
  --domain HOST    a known domain of the site (repeatable)
  --url URL        the URL the pages were captured at (its path is probed on candidates);
                   kept when the same page is added again without it
  --confirmed FILE the pages were confirmed in review: FILE is JSON {decision, at,
                   evidenceManifest, reviewer[, pageType]}, kept as their provenance; the
                   site keeps its oldest and newest pages per page type (at most 8)
  --evidence-dir DIR
                   also keep each page's bytes in the evidence directory (content-addressed,
                   never overwritten; default HOPWATCH_EVIDENCE_DIR if set), so the review
                   page can show the reference beside a candidate (sandboxed, as saved)
  -h, --help       show this help

Each page is identified by its content: id SITE/<first 16 hex digits of its SHA-256>,
so two captures with the same file name are two pages, and the same capture added
again replaces itself (said on stderr). Provenance keeps the full file path, the
SHA-256, the URL and when it was added. A page already a reference of another site
is refused (REFS_DUPLICATE_PAGE).

${refsFollowUsage}`;

const SITE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A reference page's stable id: its site and its content (16 hex digits of the body's SHA-256). */
export function referencePageId(site: string, sha256: string): string {
  return `${site}/${sha256.slice(0, 16)}`;
}

export const refsCommand: Command = {
  name: 'refs',
  summary: 'create or extend a reference-set file from saved pages',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'follow') return runRefsFollow(rest, io);
    if (sub !== 'add') throw usageError(sub === undefined ? 'missing subcommand: refs add' : `unknown subcommand "${sub}"`);
    const { values, positionals } = parseCommandArgs(rest, {
      refs: { type: 'string' },
      site: { type: 'string' },
      name: { type: 'string' },
      domain: { type: 'string', multiple: true },
      url: { type: 'string' },
      confirmed: { type: 'string' },
      'evidence-dir': { type: 'string' },
    });
    if (!values.refs) throw usageError('--refs PATH is required');
    if (!values.site || !SITE_ID.test(values.site)) throw usageError('--site ID is required: lower-case letters, digits, . _ - (at most 64)');
    if (positionals.length === 0) throw usageError('give at least one saved page');
    if (values.url !== undefined && !URL.canParse(values.url)) throw usageError(`--url is not a URL: ${values.url}`);
    for (const d of values.domain ?? []) {
      const parsed = parseDomainInput(d);
      if (!parsed.ok || parsed.url) throw usageError(`--domain must be a host name, got "${parsed.ok ? d : parsed.display}"`);
    }
    const domains = (values.domain ?? []).map((d) => (parseDomainInput(d) as { host: string }).host);

    const confirmation: ConfirmationFile | null = values.confirmed ? await readConfirmation(values.confirmed) : null;
    let set: ReferenceSet;
    try {
      await access(values.refs);
      set = await readReferenceSet(values.refs);
    } catch (err) {
      if (err instanceof HopwatchError) throw err;
      set = emptyReferenceSet();
    }
    // Each page is identified by its content (site id + the first 16 hex digits of the body's
    // SHA-256): two captures both called index.html are two pages, the same capture added again
    // is the same page (replaced, and said so), whatever the files are called.
    const evidenceDir = values['evidence-dir'] ?? (io.env.HOPWATCH_EVIDENCE_DIR || undefined);
    const evidence = evidenceDir ? openEvidenceStore(evidenceDir) : null;
    const counts = { added: 0, replaced: 0 };
    let failed = false;
    const thisRun = new Map<string, string>();
    for (const page of positionals) {
      try {
        const body = await readPageFile(page);
        const fingerprint = fingerprintPage({ body, ...(values.url ? { url: values.url } : {}) });
        if (fingerprint.pageKind !== 'ok') {
          throw new HopwatchError('REFS_NOT_CONTENT', `${page} is a ${fingerprint.pageKind} page (${fingerprint.pageKindReason}), not a page of the site`);
        }
        const id = referencePageId(values.site, fingerprint.sha256);
        const sameRun = thisRun.get(fingerprint.sha256);
        if (sameRun !== undefined) throw new HopwatchError('REFS_DUPLICATE_PAGE', `${page} has the same content as ${sameRun} (sha256 ${fingerprint.sha256.slice(0, 16)}…): added once`);
        const earlier = set.references.find((r) => r.fingerprint.sha256 === fingerprint.sha256);
        if (earlier && earlier.site !== values.site) {
          throw new HopwatchError('REFS_DUPLICATE_PAGE', `${page} is already reference ${earlier.id} of site ${earlier.site} (same content): not added to ${values.site}`);
        }
        thisRun.set(fingerprint.sha256, page);
        // the page as saved, under its own SHA-256 (= fingerprint.sha256): what the review page shows
        if (evidence) await evidence.put(body, 'html');
        // re-adding without --url keeps the URL the page was captured at
        const capturedUrl = values.url ?? earlier?.capturedUrl ?? null;
        const provenance: Record<string, string> = {
          ...(earlier?.provenance ?? {}),
          file: resolve(page),
          sha256: fingerprint.sha256,
          addedAt: new Date().toISOString(),
          ...(capturedUrl ? { url: capturedUrl } : {}),
        };
        if (earlier) set = { ...set, references: set.references.filter((r) => r !== earlier) };
        const siteRecord = { id: values.site, ...(values.name ? { name: values.name } : {}), domains: domains.map((d) => ({ domain: d, firstSeen: null })) };
        const ref = { id, site: values.site, pageType: earlier?.pageType ?? 'other', capturedUrl, provenance, fingerprint };
        set = confirmation ? addConfirmed(set, siteRecord, ref, confirmation) : addReference(set, siteRecord, ref);
        if (earlier) {
          counts.replaced++;
          writeLine(io.stderr, `hopwatch refs: ${page}: replaced reference ${earlier.id} (same content${earlier.id !== id ? `, now ${id}` : ''})`);
        } else counts.added++;
      } catch (err) {
        if (!(err instanceof HopwatchError)) throw err;
        failed = true;
        writeLine(io.stderr, `hopwatch refs: ${describeError(err)}`);
      }
    }
    if (counts.added + counts.replaced > 0) await writeReferenceSet(values.refs, set);
    writeLine(io.stdout, `${values.refs}: ${counts.added} page(s) added to ${values.site}, ${counts.replaced} replaced; ${set.references.length} reference page(s), ${set.sites.length} site(s) in all`);
    return failed ? ExitCode.inputError : ExitCode.ok;
  },
};
