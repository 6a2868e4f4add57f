/**
 * Whether a host may ever be offered as a candidate domain (to print, to enqueue, to check).
 *
 * Candidates come from attacker-controlled places: redirect targets, certificate SANs, links and
 * text of hostile pages, CT lines. The crawler's SSRF guard refuses addresses when it connects,
 * but a candidate list that says "new candidate: 169.254.169.254" is already wrong: it misleads a
 * reader, costs a job, and a list fed elsewhere (another tool, an ISP) has no guard. So a
 * candidate is a registered-looking DNS name and nothing else:
 * - a syntactically valid host name (RFC 1035/1123 labels of 1..63 letters, digits, hyphens,
 *   underscores inside; at most 253 characters; no empty label);
 * - at least two labels, the last not all digits (which also rules out every IPv4 notation:
 *   dotted, decimal, octal, hex, `127.1`), no `:` (IPv6, `::ffff:` forms), no brackets;
 * - not a name that by definition never leaves the local network or a cloud host's own metadata
 *   service: `localhost` (RFC 6761), `.local` (mDNS, RFC 6762), `.internal` (ICANN's private-use
 *   TLD, where `metadata.google.internal` lives), `.arpa` (reverse DNS, `home.arpa`), `.invalid`.
 *   `.test` (RFC 6761) stays allowed: it is what test networks, this project's world included,
 *   use; no public resolver answers for it, so it cannot reach anything real.
 */
const label = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
const LOCAL_ONLY_TLDS = new Set(['localhost', 'local', 'internal', 'arpa', 'invalid']);
export const MAX_HOST_CHARS = 253;

export function isProposableHost(host: string): boolean {
  if (host.length === 0 || host.length > MAX_HOST_CHARS + 1) return false;
  const name = host.toLowerCase().replace(/\.$/, '');
  if (name.length > MAX_HOST_CHARS) return false;
  const labels = name.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((l) => label.test(l))) return false;
  const tld = labels[labels.length - 1]!;
  if (/^[0-9]+$/.test(tld) || /^0x[0-9a-f]*$/.test(tld)) return false;
  if (LOCAL_ONLY_TLDS.has(tld)) return false;
  return true;
}
