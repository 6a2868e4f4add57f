import { splitHost } from './domainName.js';
import type { DiscoveryKnowledge } from './knowledge.js';
import { registrableTlds } from './publicSuffixTlds.js';

/**
 * Generators to compare hopwatch with in the replay. They know nothing about how these
 * sites move: the TLD order is the public suffix list's (alphabetical), sites share the
 * budget in turn.
 */

/** Take from each list in turn until `budget` unique, unknown names are taken. */
function roundRobin(lists: readonly (readonly string[])[], known: ReadonlySet<string>, budget: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const cursors = lists.map(() => 0);
  let progress = true;
  while (out.length < budget && progress) {
    progress = false;
    lists.forEach((list, i) => {
      while (cursors[i]! < list.length && out.length < budget) {
        const name = list[cursors[i]!]!;
        cursors[i]! += 1;
        progress = true;
        if (seen.has(name) || known.has(name)) continue;
        seen.add(name);
        out.push(name);
        break;
      }
    });
  }
  return out;
}

function latestDomains(knowledge: DiscoveryKnowledge): { label: string; suffix: string }[] {
  const rows: { label: string; suffix: string }[] = [];
  for (const site of [...knowledge.sites.values()].sort((a, b) => (a.site < b.site ? -1 : 1))) {
    const parts = site.latestOwnDomain === undefined ? undefined : splitHost(site.latestOwnDomain);
    if (parts) rows.push({ label: parts.label, suffix: parts.suffix });
  }
  return rows;
}

function tldSwaps(label: string, suffix: string, tlds: readonly string[]): string[] {
  return tlds.filter((t) => t !== suffix).map((t) => `${label}.${t}`);
}

const keyboard: Record<string, string> = {
  '1': '2q', '2': '3wq1', '3': '4ew2', '4': '5re3', '5': '6tr4', '6': '7yt5', '7': '8uy6', '8': '9iu7', '9': '0oi8', '0': 'po9',
  q: '12wa', w: '3esaq2', e: '4rdsw3', r: '5tfde4', t: '6ygfr5', y: '7uhgt6', u: '8ijhy7', i: '9okju8', o: '0plki9', p: 'lo0',
  a: 'qwsz', s: 'edxzaw', d: 'rfcxse', f: 'tgvcdr', g: 'yhbvft', h: 'ujnbgy', j: 'ikmnhu', k: 'olmji', l: 'kop',
  z: 'asx', x: 'zsdc', c: 'xdfv', v: 'cfgb', b: 'vghn', n: 'bhjm', m: 'njk',
};
const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-';
const homoglyphs: Record<string, string[]> = { a: ['4'], e: ['3'], i: ['1', 'l'], l: ['1', 'i'], o: ['0'], s: ['5'], '0': ['o'], '1': ['l', 'i'], m: ['rn'], w: ['vv'] };

/** dnstwist's fuzzers on one label (addition, bitsquatting, homoglyph, hyphenation, insertion, omission, repetition, replacement, transposition, vowel-swap). */
export function typoLabels(label: string): string[] {
  const out: string[] = [];
  for (const c of alphabet) if (c !== '-') out.push(label + c);
  for (let i = 0; i < label.length; i += 1) {
    const code = label.charCodeAt(i);
    for (let bit = 0; bit < 8; bit += 1) {
      const flipped = String.fromCharCode(code ^ (1 << bit));
      if (/[a-z0-9-]/.test(flipped)) out.push(label.slice(0, i) + flipped + label.slice(i + 1));
    }
  }
  for (let i = 0; i < label.length; i += 1) for (const g of homoglyphs[label[i]!] ?? []) out.push(label.slice(0, i) + g + label.slice(i + 1));
  for (let i = 1; i < label.length; i += 1) out.push(`${label.slice(0, i)}-${label.slice(i)}`);
  for (let i = 0; i < label.length; i += 1) for (const k of keyboard[label[i]!] ?? '') out.push(label.slice(0, i + 1) + k + label.slice(i + 1), label.slice(0, i) + k + label.slice(i));
  for (let i = 0; i < label.length; i += 1) out.push(label.slice(0, i) + label.slice(i + 1));
  for (let i = 0; i < label.length; i += 1) out.push(label.slice(0, i + 1) + label[i] + label.slice(i + 1));
  for (let i = 0; i < label.length; i += 1) for (const k of keyboard[label[i]!] ?? '') out.push(label.slice(0, i) + k + label.slice(i + 1));
  for (let i = 0; i + 1 < label.length; i += 1) out.push(label.slice(0, i) + label[i + 1] + label[i] + label.slice(i + 2));
  for (let i = 0; i < label.length; i += 1) if ('aeiou'.includes(label[i]!)) for (const v of 'aeiou') if (v !== label[i]) out.push(label.slice(0, i) + v + label.slice(i + 1));
  return [...new Set(out)].filter((l) => l !== label && /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(l));
}

/** TLD swap of each site's latest own domain. */
export function tldSwapBaseline(knowledge: DiscoveryKnowledge, budget: number): string[] {
  const tlds = registrableTlds();
  return roundRobin(latestDomains(knowledge).map((d) => tldSwaps(d.label, d.suffix, tlds)), knowledge.known, budget);
}

/** dnstwist's typo permutations of each site's latest own domain. */
export function typoBaseline(knowledge: DiscoveryKnowledge, budget: number): string[] {
  return roundRobin(latestDomains(knowledge).map((d) => typoLabels(d.label).map((l) => `${l}.${d.suffix}`)), knowledge.known, budget);
}

/** dnstwist-style: the typos, then the TLD swaps, of each site's latest own domain. */
export function dnstwistBaseline(knowledge: DiscoveryKnowledge, budget: number): string[] {
  const tlds = registrableTlds();
  return roundRobin(latestDomains(knowledge).map((d) => [...typoLabels(d.label).map((l) => `${l}.${d.suffix}`), ...tldSwaps(d.label, d.suffix, tlds)]), knowledge.known, budget);
}

/** Every known brand (subdomain label seen on a proxy base) × every known proxy base × every TLD. */
export function brandsBasesTldsBaseline(knowledge: DiscoveryKnowledge, budget: number): string[] {
  const proxies = [...knowledge.bases.values()].filter((b) => b.isProxy).map((b) => b.label).sort();
  const brands = new Set<string>();
  for (const base of knowledge.bases.values()) if (base.isProxy) for (const d of base.domains) for (const sub of d.brands.values()) brands.add(sub);
  const brandList = [...brands].sort();
  const out: string[] = [];
  for (const tld of registrableTlds()) {
    for (const base of proxies) {
      for (const brand of brandList) {
        const name = `${brand}.${base}.${tld}`;
        if (knowledge.known.has(name)) continue;
        out.push(name);
        if (out.length >= budget) return out;
      }
    }
  }
  return out;
}
