/**
 * What the browser tests review: a server with matches recorded, two tokens (a reviewer and a
 * viewer), and a loopback canary the hostile candidate page would call.
 */
import { startCanary, hostilePage, type Canary } from './canary.js';
import { startContractStub } from './contractStub.js';

export interface FixtureMatch { id: string; domain: string }

export interface ReviewFixture {
  url: string;
  tokens: { reviewer: string; viewer: string };
  reviewerName: string;
  siteId: string;
  canary: Canary;
  /** matches the first tests open one by one */
  plain: FixtureMatch[];
  hostile: FixtureMatch;
  /** a domain glob whose matches the keyboard test walks (at least 4) */
  keyboardGlob: string;
  /** a domain glob; its first match by domain shares site and identifiers with exactly `bulk` */
  bulkGlob: string;
  bulk: FixtureMatch[];
  domainOf(id: string): string;
  close(): Promise<void>;
}

const HARBOR_IDS = ['UA-4455661', 'ca-pub-7788990011'];

export async function startReviewFixture(): Promise<ReviewFixture> {
  const canary = await startCanary();
  const page = (host: string) => `<!DOCTYPE html><html><head><title>Harbor Torrents</title></head><body><h1>Harbor Torrents</h1><p>${host}</p></body></html>`;
  const specs = [
    ...['mirror-one.test', 'mirror-two.test', 'mirror-three.test'].map((domain) => ({ domain, site: 'harbor', identifiers: HARBOR_IDS, title: 'Harbor Torrents', html: page(domain) })),
    ...[1, 2, 3, 4, 5].map((n) => ({ domain: `kb-${n}.keys.test`, site: 'harbor', identifiers: HARBOR_IDS, title: 'Harbor Torrents', html: page(`kb-${n}`) })),
    ...['a', 'b', 'c', 'd'].map((l) => ({ domain: `${l}.unblockit.test`, site: 'harbor', identifiers: ['UA-4455661'], title: 'Harbor Torrents (proxy)', html: page(l) })),
    { domain: 'z.unblockit.test', site: 'harbor', identifiers: ['UA-9999999'], title: 'Harbor Torrents (proxy)', html: page('z') },
    { domain: 'hostile.test', site: 'harbor', identifiers: HARBOR_IDS, title: `Harbor <script>fetch("${canary.url}/title")</script><img src=x onerror=alert(1)>`, html: hostilePage(canary.url) },
  ];
  const stub = await startContractStub({ matches: 0, specs });
  const all = await (await fetch(`${stub.url}/api/matches?limit=100&state=`, { headers: { authorization: `Bearer ${stub.tokens.alice}` } })).json() as { items: FixtureMatch[] };
  const byDomain = new Map(all.items.map((m): [string, FixtureMatch] => [m.domain, { id: m.id, domain: m.domain }]));
  const get = (domain: string): FixtureMatch => byDomain.get(domain)!;
  return {
    url: stub.url,
    tokens: { reviewer: stub.tokens.alice!, viewer: stub.tokens.victor! },
    reviewerName: 'alice',
    siteId: 'harbor',
    canary,
    plain: ['mirror-one.test', 'mirror-two.test', 'mirror-three.test'].map(get),
    hostile: get('hostile.test'),
    keyboardGlob: '*.keys.test',
    bulkGlob: '*.unblockit.*',
    bulk: ['a', 'b', 'c', 'd'].map((l) => get(`${l}.unblockit.test`)),
    domainOf: (id) => all.items.find((m) => m.id === id)?.domain ?? '',
    close: async () => {
      await stub.app.close();
      await canary.close();
    },
  };
}
