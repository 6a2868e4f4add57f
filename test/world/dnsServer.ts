/**
 * A small authoritative DNS server on 127.0.0.1 (UDP) for the test world.
 *
 * It answers A and AAAA from an in-memory table so that tests and discovery code can use a
 * real resolver (`dns.Resolver#setServers`) without reaching beyond loopback:
 * - a key is a full name (`a.example.test`) or a wildcard (`*.parking.test`), which answers
 *   every name below `parking.test` (not `parking.test` itself, as in RFC 4592), the way
 *   parking registrars answer;
 * - an exact name beats a wildcard, a longer wildcard beats a shorter one;
 * - a known name without records of the asked type gets NOERROR with no answers (NODATA),
 *   an unknown name gets NXDOMAIN, so resolvers see the same distinction as on the Internet.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import dnsPacket from 'dns-packet';

export interface DnsServerOptions {
  /** name or `*.zone` → IPv4 / IPv6 addresses */
  records: Record<string, string[]>;
  /** TTL put on every answer, seconds; default 5 (tests change records at run time) */
  ttlSeconds?: number;
}

export interface DnsServer {
  host: string;
  port: number;
  /** replace the addresses of one name or wildcard; an empty list removes it (NXDOMAIN again) */
  set(name: string, addresses: string[]): void;
  close(): Promise<void>;
}

const RCODE_NXDOMAIN = 3;
const RCODE_FORMERR = 1;
const RCODE_NOTIMP = 4;

function normaliseName(name: string): string {
  return name.trim().toLowerCase().replace(/\.+$/, '');
}

function validateAddresses(name: string, addresses: string[]): string[] {
  for (const address of addresses) {
    if (net.isIP(address) === 0) throw new TypeError(`dnsServer: "${address}" for ${name} is not an IP address`);
  }
  return [...addresses];
}

/** Exact name first, then the longest wildcard that covers it. */
function lookupName(table: Map<string, string[]>, name: string): string[] | undefined {
  const exact = table.get(name);
  if (exact) return exact;
  const labels = name.split('.');
  for (let i = 1; i < labels.length; i++) {
    const wildcard = table.get(`*.${labels.slice(i).join('.')}`);
    if (wildcard) return wildcard;
  }
  return undefined;
}

export async function startDnsServer(options: DnsServerOptions): Promise<DnsServer> {
  const ttl = options.ttlSeconds ?? 5;
  const table = new Map<string, string[]>();
  const set = (name: string, addresses: string[]): void => {
    const key = normaliseName(name);
    if (addresses.length === 0) table.delete(key);
    else table.set(key, validateAddresses(key, addresses));
  };
  for (const [name, addresses] of Object.entries(options.records)) set(name, addresses);

  const socket = dgram.createSocket('udp4');

  socket.on('message', (message, remote) => {
    let query: dnsPacket.DecodedPacket;
    try {
      query = dnsPacket.decode(message);
    } catch {
      return; // not DNS: drop it, as a real server would
    }
    if (query.type !== 'query') return;
    const question = query.questions?.[0];
    const reply = (rcode: number, answers: dnsPacket.Answer[]): void => {
      const response = dnsPacket.encode({
        type: 'response',
        id: query.id ?? 0,
        // AA, echo RD, and the RCODE in the low four bits
        flags: dnsPacket.AUTHORITATIVE_ANSWER | ((query.flags ?? 0) & dnsPacket.RECURSION_DESIRED) | rcode,
        questions: question ? [question] : [],
        answers,
      });
      socket.send(response, remote.port, remote.address);
    };
    if (!question) return reply(RCODE_FORMERR, []);
    const name = normaliseName(question.name);
    const addresses = lookupName(table, name);
    if (!addresses) return reply(RCODE_NXDOMAIN, []);
    if (question.type !== 'A' && question.type !== 'AAAA') {
      // ANY and others: we only serve addresses; other types are NODATA for known names
      return reply(question.type === ('ANY' as string) ? RCODE_NOTIMP : 0, []);
    }
    const family = question.type === 'A' ? 4 : 6;
    const answers: dnsPacket.Answer[] = addresses
      .filter((address) => net.isIP(address) === family)
      .map((address) => ({ type: question.type as 'A' | 'AAAA', name: question.name, ttl, class: 'IN' as const, data: address }));
    reply(0, answers);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const { port } = socket.address();

  let closed: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    set,
    close() {
      closed ??= new Promise<void>((resolve) => socket.close(() => resolve()));
      return closed;
    },
  };
}
