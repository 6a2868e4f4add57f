import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeError, HopwatchError } from '../../errors.js';
import { fingerprintPage } from '../../fingerprint/fingerprintPage.js';
import { addReference, emptyReferenceSet, readReferenceSet, writeReferenceSet, type ReferenceSet } from '../../match/referenceSet.js';
import { addConfirmed, readConfirmation, type ConfirmationFile } from './refsConfirmed.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type Command } from '../io.js';
import { readPageFile } from '../pageFile.js';

const usage = `Usage: hopwatch refs add --refs PATH --site ID [--name NAME] [--domain HOST]... [--url URL] [--confirmed FILE] PAGE...

Create the reference-set file PATH, or extend it, with the fingerprints of saved
pages of one blocked site. Only content pages are accepted: a challenge, parked,
default-server, error or empty page would teach the matcher a provider's page.

Options:
  --refs PATH      the reference-set file (created if missing)
  --site ID        site id: lower-case letters, digits, . _ - (e.g. limetorrents)
  --name NAME      display name of the site (default: the id)
  --domain HOST    a known domain of the site (repeatable)
  --url URL        the URL the pages were captured at (its path is probed on candidates)
  --confirmed FILE the pages were confirmed in review: FILE is JSON {decision, at,
                   evidenceManifest, reviewer[, pageType]}, kept as their provenance; the
                   site keeps its oldest and newest pages per page type (at most 8)
  -h, --help       show this help`;

const SITE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export const refsCommand: Command = {
  name: 'refs',
  summary: 'create or extend a reference-set file from saved pages',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub !== 'add') throw usageError(sub === undefined ? 'missing subcommand: refs add' : `unknown subcommand "${sub}"`);
    const { values, positionals } = parseCommandArgs(rest, {
      refs: { type: 'string' },
      site: { type: 'string' },
      name: { type: 'string' },
      domain: { type: 'string', multiple: true },
      url: { type: 'string' },
      confirmed: { type: 'string' },
    });
    if (!values.refs) throw usageError('--refs PATH is required');
    if (!values.site || !SITE_ID.test(values.site)) throw usageError('--site ID is required: lower-case letters, digits, . _ - (at most 64)');
    if (positionals.length === 0) throw usageError('give at least one saved page');
    if (values.url !== undefined && !URL.canParse(values.url)) throw usageError(`--url is not a URL: ${values.url}`);
    for (const d of values.domain ?? []) if (!/^[a-z0-9.-]{1,253}$/i.test(d)) throw usageError(`--domain must be a host name, got "${d}"`);

    const confirmation: ConfirmationFile | null = values.confirmed ? await readConfirmation(values.confirmed) : null;
    let set: ReferenceSet;
    try {
      await access(values.refs);
      set = await readReferenceSet(values.refs);
    } catch (err) {
      if (err instanceof HopwatchError) throw err;
      set = emptyReferenceSet();
    }
    let added = 0;
    let failed = false;
    for (const page of positionals) {
      try {
        const body = await readPageFile(page);
        const fingerprint = fingerprintPage({ body, ...(values.url ? { url: values.url } : {}) });
        if (fingerprint.pageKind !== 'ok') {
          throw new HopwatchError('REFS_NOT_CONTENT', `${page} is a ${fingerprint.pageKind} page (${fingerprint.pageKindReason}), not a page of the site`);
        }
        const siteRecord = { id: values.site, ...(values.name ? { name: values.name } : {}), domains: (values.domain ?? []).map((d) => ({ domain: d.toLowerCase(), firstSeen: null })) };
        const ref = { id: `${values.site}/${basename(page)}`, site: values.site, pageType: 'other', capturedUrl: values.url ?? null, provenance: { file: basename(page), sha256: fingerprint.sha256 }, fingerprint };
        set = confirmation ? addConfirmed(set, siteRecord, ref, confirmation) : addReference(set, siteRecord, ref);
        added++;
      } catch (err) {
        if (!(err instanceof HopwatchError)) throw err;
        failed = true;
        writeLine(io.stderr, `hopwatch refs: ${describeError(err)}`);
      }
    }
    if (added > 0) await writeReferenceSet(values.refs, set);
    writeLine(io.stdout, `${values.refs}: ${added} page(s) added to ${values.site}; ${set.references.length} reference page(s), ${set.sites.length} site(s) in all`);
    return failed ? ExitCode.inputError : ExitCode.ok;
  },
};
