import { domainToASCII } from 'node:url';
import { getPublicSuffix } from 'tldts';
// tldts keeps the public suffix list as a flat trie and does not export a list of TLDs.
// Its data module is a stable file of the published package (no `exports` map forbids
// the deep import); every TLD read from it is checked against tldts's public API below,
// so a change of layout fails loudly instead of yielding a wrong list.
import * as trieModule from 'tldts/dist/cjs/src/data/trie.js';

/** The shape of tldts's trie data module (its own .d.ts sits elsewhere in the package). */
interface SuffixTrieData {
  nodeFlags: Uint8Array;
  edgeStart: Uint16Array | Uint32Array;
  edgeLength: Uint8Array;
  edgeChild: Uint16Array | Uint32Array;
  labelText: string;
  rulesRoot: number;
}
const trie = trieModule as unknown as SuffixTrieData;

const ICANN_RULE = 1;
const PRIVATE_RULE = 2;

let cached: readonly string[] | undefined;

/**
 * Every top-level ICANN suffix under which a name can be registered directly
 * (`label.tld` is a registrable domain), in ASCII (punycode) form, sorted.
 * The public suffix list is the only TLD source: nothing here is hard-coded.
 */
export function registrableTlds(): readonly string[] {
  if (cached) return cached;
  const { nodeFlags, edgeStart, edgeLength, edgeChild, labelText, rulesRoot } = trie;
  // Edges are stored in node order with their labels concatenated in labelText.
  const offsets = new Uint32Array(edgeLength.length);
  for (let edge = 0, offset = 0; edge < edgeLength.length; edge += 1) {
    offsets[edge] = offset;
    offset += edgeLength[edge]!;
  }
  const tlds = new Set<string>();
  for (let edge = edgeStart[rulesRoot]!; edge < edgeStart[rulesRoot + 1]!; edge += 1) {
    if (nodeFlags[edgeChild[edge]!] !== ICANN_RULE) continue;
    const label = labelText.slice(offsets[edge]!, offsets[edge]! + edgeLength[edge]!);
    const ascii = domainToASCII(label);
    if (ascii === '' || ascii.includes('.')) continue;
    // Keep only TLDs where `probe.tld` is registrable (drops `*.pg`-style wildcard TLDs).
    if (getPublicSuffix(`hopwatch-probe.${ascii}`, { allowPrivateDomains: false }) !== ascii) continue;
    tlds.add(ascii);
  }
  if (tlds.size < 500) {
    throw new Error(`public suffix list read from tldts holds only ${tlds.size} TLDs: its data layout changed`);
  }
  cached = Object.freeze([...tlds].sort());
  return cached;
}

let privateCounts: ReadonlyMap<string, number> | undefined;

/**
 * For each TLD, how many rules of the list's PRIVATE section sit under it (`github.io`,
 * `blogspot.com`...): a mark of a TLD that services and the public actually register
 * in, as opposed to a brand or dormant TLD. Read from the same trie; a TLD absent from
 * the map has none.
 */
export function privateRuleCounts(): ReadonlyMap<string, number> {
  if (privateCounts) return privateCounts;
  const { nodeFlags, edgeStart, edgeLength, edgeChild, labelText, rulesRoot } = trie;
  const offsets = new Uint32Array(edgeLength.length);
  for (let edge = 0, offset = 0; edge < edgeLength.length; edge += 1) {
    offsets[edge] = offset;
    offset += edgeLength[edge]!;
  }
  const countUnder = (node: number): number => {
    let total = 0;
    const stack = [node];
    while (stack.length > 0) {
      const at = stack.pop()!;
      for (let edge = edgeStart[at]!; edge < edgeStart[at + 1]!; edge += 1) {
        const child = edgeChild[edge]!;
        if (nodeFlags[child] === PRIVATE_RULE) total += 1;
        stack.push(child);
      }
    }
    return total;
  };
  const counts = new Map<string, number>();
  for (let edge = edgeStart[rulesRoot]!; edge < edgeStart[rulesRoot + 1]!; edge += 1) {
    const ascii = domainToASCII(labelText.slice(offsets[edge]!, offsets[edge]! + edgeLength[edge]!));
    if (ascii === '' || ascii.includes('.')) continue;
    const n = countUnder(edgeChild[edge]!);
    if (n > 0) counts.set(ascii, n);
  }
  privateCounts = counts;
  return counts;
}
