import { followConfirmedMatches } from '../../check/followConfirmed.js';
import { fleetSettings } from '../../config/commandSettings.js';
import { openEvidenceStore } from '../../evidence/evidenceStore.js';
import { readReferenceSet, writeReferenceSet } from '../../match/referenceSet.js';
import { checkRedisServer, closeRedis, connectRedis } from '../../store/redisConnection.js';
import { redisKeys } from '../../store/redisKeys.js';
import { ReviewStore } from '../../store/reviewStore.js';
import { parseCommandArgs, usageError } from '../args.js';
import { ExitCode, writeLine, type CliIo } from '../io.js';

export const refsFollowUsage = `Usage: hopwatch refs follow --refs PATH [--evidence-dir DIR]

Add every match confirmed in review (Redis: REDIS_URL, HOPWATCH_KEY_PREFIX) to the reference-set
file PATH: the page body of its evidence package (DIR, or HOPWATCH_EVIDENCE_DIR) becomes a
reference of its site, with the decision, its time, the manifest hash and the reviewers as
provenance. Each site keeps its oldest and newest pages per page type (at most 8). Running it
again adds only what is new; skipped confirmations are listed on stderr with the reason.`;

/** `hopwatch refs follow`: kept apart from `refs add` so the two change for their own reasons. */
export async function runRefsFollow(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { refs: { type: 'string' }, 'evidence-dir': { type: 'string' } });
  if (!values.refs) throw usageError('--refs PATH is required');
  if (positionals.length > 0) throw usageError(`refs follow takes no pages, got ${positionals[0]}`);
  const settings = fleetSettings(io.env, values['evidence-dir'] ? { evidenceDir: values['evidence-dir'] } : {});
  if (!settings.evidenceDir) throw usageError('give --evidence-dir DIR or set HOPWATCH_EVIDENCE_DIR: the page bodies are read from the evidence packages');
  // read the file first: a bad reference set fails before anything connects
  const set = await readReferenceSet(values.refs);
  const redis = connectRedis(settings.redisUrl, { maxRetriesPerRequest: 3 });
  try {
    await checkRedisServer(redis, settings.redisUrl);
    const outcome = await followConfirmedMatches(set, new ReviewStore(redis, redisKeys(settings.keyPrefix)), openEvidenceStore(settings.evidenceDir));
    if (outcome.added.length > 0) await writeReferenceSet(values.refs, outcome.set);
    for (const s of outcome.skipped) writeLine(io.stderr, `hopwatch refs follow: skipped ${s.site} match ${s.matchId}: ${s.reason}`);
    writeLine(io.stdout, `${values.refs}: ${outcome.added.length} confirmed page(s) added; ${outcome.skipped.length} skipped; ${outcome.set.references.length} reference page(s) in all`);
    return ExitCode.ok;
  } finally {
    await closeRedis(redis);
  }
}
