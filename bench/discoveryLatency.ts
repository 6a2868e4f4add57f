/**
 * `npm run bench:discovery-latency`: how long a new mirror takes from going live to its feed
 * entry, with nobody enqueuing anything. Starts the test world (loopback only), its certstream
 * server and a fleet of workers with the default settings (discovery on, the world site's
 * history as `--known`), then brings up new mirrors of four kinds at random moments:
 *
 * - `new-tld`: the brand on a TLD it never used (found by the scheduled generation);
 * - `proxy-new-base`: the brand on a proxy service's new base TLD (scheduled generation);
 * - `ct-only`: a name announced only in a certificate on the CT stream;
 * - `link-only`: a name only linked from a mirror; it goes live with the new-TLD mirror of its
 *   round, whose page links to it (a link on a long-known mirror is seen at that mirror's next
 *   re-check, HOPWATCH_RECHECK_INTERVAL_MS, a day by default).
 *
 * Reports per kind and overall the latency (p50, p95, max), and the checks the fleet spent per
 * found mirror (every check it ran, over the mirrors found). Prints a table on stderr and JSON on
 * stdout; asserts no time. Flags: --rounds N (default 3; each round brings up one of each kind),
 * --window-ms N (the moments are uniform in [0, N), default 90 000), --workers N (default 2),
 * --timeout-ms N (give up on a mirror after this long, default 180 000).
 */
import { randomBytes } from 'node:crypto';
import { loadSettings } from '../src/config/settings.js';
import { generateCandidates } from '../src/discovery/generate.js';
import { learnKnowledge } from '../src/discovery/knowledge.js';
import { startCheckWorker, type CheckWorker } from '../src/queue/checkWorker.js';
import { isoDay } from '../src/queue/knowledgeSource.js';
import { startCertstreamWorld } from '../test/world/certstream.js';
import { WORLD_BRAND, WORLD_PROXY_BASE, worldHistory } from '../test/world/discoveryHistory.js';
import { startWorld } from '../test/world/world.js';
import { DISCOVERY_HOSTS, mirrorLinking, plainMirror, proxiedMirror, type DiscoveryRole, type WorldHost } from '../test/world/worldHosts.js';
import { buildWorldReferenceIndex } from '../test/world/worldReferences.js';
import { dropPrefix } from '../test/queue/queueHarness.js';
import { parseBenchArgs } from './benchArgs.js';

const opts = parseBenchArgs(process.argv.slice(2), { rounds: 3, windowMs: 90_000, workers: 2, timeoutMs: 180_000, json: false }, {
  '--rounds': { key: 'rounds', min: 1 },
  '--window-ms': { key: 'windowMs', min: 1 },
  '--workers': { key: 'workers', min: 1 },
  '--timeout-ms': { key: 'timeoutMs', min: 1000 },
});

interface Planned {
  kind: DiscoveryRole;
  host: WorldHost;
  atMs: number;
  liveAt?: number;
  feedAt?: number;
  source?: string;
}

const history = worldHistory();
const knowledge = learnKnowledge(history, { asOf: isoDay(Date.now()) });
const generated = generateCandidates(knowledge, 1000);
const staticNames = new Set(DISCOVERY_HOSTS.map((h) => h.name));
// names the generator proposes within its default budget, not the ones the test world already serves
const newTld = generated.filter((c) => c.site === 'harbor' && c.source === 'tld-swap' && !staticNames.has(c.domain)).map((c) => c.domain);
const newBase = generated.filter((c) => c.source === 'proxy-hop' && c.domain.startsWith(`${WORLD_BRAND}.${WORLD_PROXY_BASE}.`) && !staticNames.has(c.domain)).map((c) => c.domain);
if (newTld.length < opts.rounds || newBase.length < opts.rounds) throw new Error(`the generator proposes only ${newTld.length} new-TLD and ${newBase.length} new-base names; lower --rounds`);

const plan: Planned[] = [];
const rand = () => Math.floor(Math.random() * opts.windowMs);
for (let r = 0; r < opts.rounds; r++) {
  const linked = `get${r}-${WORLD_BRAND}.site`;
  const mirrorAt = rand();
  plan.push({ kind: 'new-tld', host: { name: newTld[r]!, role: 'mirror', serve: 'both', handler: mirrorLinking(linked) }, atMs: mirrorAt });
  plan.push({ kind: 'link-only', host: { name: linked, role: 'mirror', serve: 'both', handler: plainMirror() }, atMs: mirrorAt });
  plan.push({ kind: 'proxy-new-base', host: { name: newBase[r]!, role: 'proxy', serve: 'both', handler: proxiedMirror() }, atMs: rand() });
  plan.push({ kind: 'ct-only', host: { name: `${WORLD_BRAND}${r}hd.info`, role: 'mirror', serve: 'both', handler: plainMirror() }, atMs: rand() });
}
const zones = [...new Set(plan.map((p) => p.host.name.slice(p.host.name.lastIndexOf('.') + 1)))];

const settings = loadSettings(process.env, { keyPrefix: `hwbench-${randomBytes(5).toString('hex')}` });
const world = await startWorld({ gzipBombBytes: 1024 * 1024, connectZones: zones, withoutDiscoveryHosts: true });
const ct = await startCertstreamWorld();
const workers: CheckWorker[] = [];
const index = buildWorldReferenceIndex();
try {
  for (let w = 0; w < opts.workers; w++) {
    workers.push(await startCheckWorker({
      // one worker reads the CT stream (each would see every certificate; dedupe makes more harmless but wasteful)
      settings: w === 0 ? { ...settings, ctStreamUrl: ct.url } : settings,
      index,
      domainCheck: { crawler: world.crawlerOptions(), maxProbePaths: 2 },
      discovery: { fileHistory: history },
    }));
  }
  const store = workers[0]!.store;
  while (ct.clients() < 1) await new Promise((r) => setTimeout(r, 50));
  const started = Date.now();
  for (const p of plan) {
    setTimeout(() => {
      world.addHost(p.host);
      p.liveAt = Date.now();
      if (p.kind === 'ct-only') ct.emit([p.host.name, `www.${p.host.name}`]);
    }, p.atMs);
  }
  const deadline = started + opts.windowMs + opts.timeoutMs;
  while (Date.now() < deadline && plan.some((p) => p.feedAt === undefined)) {
    await new Promise((r) => setTimeout(r, 200));
    for (const entry of await store.feed(10_000)) {
      const p = plan.find((x) => x.host.name === entry.fields.domain && x.feedAt === undefined);
      if (p && p.liveAt !== undefined) {
        p.feedAt = Date.now();
        p.source = entry.fields.source ?? '';
      }
    }
  }
  // every check the fleet ran: the candidates' check counts
  let checks = 0;
  for (const domain of await store.redisClient.zrange(store.keys.candidates, '0', '-1')) checks += (await store.candidate(domain))?.checks ?? 0;

  const quantile = (xs: number[], q: number) => (xs.length === 0 ? null : [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]!);
  const summary = (rows: Planned[]) => {
    const latencies = rows.filter((p) => p.feedAt !== undefined).map((p) => (p.feedAt! - p.liveAt!) / 1000);
    return { mirrors: rows.length, found: latencies.length, p50S: quantile(latencies, 0.5), p95S: quantile(latencies, 0.95), maxS: latencies.length ? Math.max(...latencies) : null };
  };
  const kinds: DiscoveryRole[] = ['new-tld', 'proxy-new-base', 'ct-only', 'link-only'];
  const found = plan.filter((p) => p.feedAt !== undefined).length;
  const result = {
    settings: { workers: opts.workers, rounds: opts.rounds, windowMs: opts.windowMs, discoveryIntervalMs: settings.discoveryIntervalMs, discoveryBudget: settings.discoveryBudget, politenessDelayMs: settings.politenessDelayMs, workerConcurrency: settings.workerConcurrency },
    all: summary(plan),
    byKind: Object.fromEntries(kinds.map((k) => [k, { ...summary(plan.filter((p) => p.kind === k)), sources: [...new Set(plan.filter((p) => p.kind === k && p.source).map((p) => p.source))] }])),
    checks,
    checksPerFoundMirror: found === 0 ? null : Number((checks / found).toFixed(2)),
    mirrors: plan.map((p) => ({ kind: p.kind, domain: p.host.name, liveAfterMs: p.atMs, latencyS: p.feedAt === undefined ? null : (p.feedAt - p.liveAt!) / 1000, source: p.source ?? null })),
  };
  const fmt = (x: number | null) => (x === null ? '–' : x.toFixed(1));
  const table = [
    '| kind | found | p50 s | p95 s | max s | found by |',
    '|---|---:|---:|---:|---:|---|',
    ...kinds.map((k) => {
      const s = result.byKind[k]!;
      return `| ${k} | ${s.found}/${s.mirrors} | ${fmt(s.p50S)} | ${fmt(s.p95S)} | ${fmt(s.maxS)} | ${s.sources.join(', ')} |`;
    }),
    `| **all** | ${result.all.found}/${result.all.mirrors} | ${fmt(result.all.p50S)} | ${fmt(result.all.p95S)} | ${fmt(result.all.maxS)} | |`,
    '',
    `checks spent: ${checks}, per found mirror: ${result.checksPerFoundMirror ?? '–'} (${opts.workers} workers, discovery every ${settings.discoveryIntervalMs} ms at budget ${settings.discoveryBudget}, politeness ${settings.politenessDelayMs} ms)`,
  ];
  process.stderr.write(`${table.join('\n')}\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await Promise.all(workers.map((w) => w.close()));
  await dropPrefix(settings);
  await ct.close();
  await world.close();
}
