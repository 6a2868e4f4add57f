/**
 * What `serve` and the review CLI commands open: Redis (checked for a safe eviction policy), the
 * review store, the reference set (sites, orders, reference pages), the guard data, and the
 * evidence directory if one is configured. One place, so the server and the CLI apply the same rules.
 */
import type { Redis } from 'ioredis';
import type { Settings } from '../config/settings.js';
import { BUNDLED_REFERENCE_SET } from '../check/referenceSource.js';
import { openEvidenceReader, type EvidenceReader } from '../feed/evidenceReader.js';
import { readReferenceSet } from '../match/referenceSet.js';
import { checkRedisServer, closeRedis, connectRedis } from '../store/redisConnection.js';
import { redisKeys, type RedisKeys } from '../store/redisKeys.js';
import { ReviewStore } from '../store/reviewStore.js';
import { version } from '../version.js';
import { ExportGuard } from './guard.js';
import { ReviewService } from './reviewService.js';

export interface OpenedReview {
  redis: Redis;
  keys: RedisKeys;
  service: ReviewService;
  evidence: EvidenceReader | null;
  warnings: string[];
  close(): Promise<void>;
}

export async function openReview(settings: Settings, options: { refsPath?: string; maxRetriesPerRequest?: number | null } = {}): Promise<OpenedReview> {
  // load the files first: a bad reference set or guard file fails before anything connects
  const referenceSet = await readReferenceSet(options.refsPath ?? BUNDLED_REFERENCE_SET);
  const guard = ExportGuard.load();
  const redis = connectRedis(settings.redisUrl, { maxRetriesPerRequest: options.maxRetriesPerRequest === undefined ? 3 : options.maxRetriesPerRequest });
  try {
    const server = await checkRedisServer(redis, settings.redisUrl);
    const keys = redisKeys(settings.keyPrefix);
    const evidence = settings.evidenceDir ? openEvidenceReader(settings.evidenceDir) : null;
    const service = new ReviewService({ store: new ReviewStore(redis, keys), referenceSet, guard, fourEyesSites: settings.reviewFourEyesSites, evidence, hopwatchVersion: version });
    return { redis, keys, service, evidence, warnings: server.warnings, close: () => closeRedis(redis) };
  } catch (err) {
    await closeRedis(redis);
    throw err;
  }
}
