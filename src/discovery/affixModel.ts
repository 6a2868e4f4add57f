import type { LabelUse, SiteKnowledge } from './knowledge.js';

/**
 * Affixes the history shows sites adding to their names: `x1337x` from `1337x`,
 * `thepiratebay10` from `thepiratebay`, `thepiratebays`, `eztv1`... Learned by comparing
 * the labels of one site with each other; digit runs are generalised to `#`.
 */
export interface Affix {
  prefix: string;
  suffix: string;
  /** share of all affix events */
  weight: number;
}

export interface AffixModel {
  affixes: Affix[];
  /** share of a site's new labels that came from an affix (vs. the same label on a new TLD) */
  affixRate: number;
  /** digit strings seen in affixes, most used first, with their share */
  digits: { text: string; weight: number }[];
}

const MAX_AFFIX_LENGTH = 4;
const MIN_STEM_LENGTH = 3;

function generalise(text: string): string {
  return text.replace(/\d+/g, '#');
}

export function learnAffixes(sites: ReadonlyMap<string, SiteKnowledge>): AffixModel {
  const counts = new Map<string, number>();
  const digitCounts = new Map<string, number>();
  let affixedLabels = 0;
  let labelsTotal = 0;
  for (const site of [...sites.values()].sort((a, b) => (a.site < b.site ? -1 : 1))) {
    const labels = [...new Set([...site.ownLabels.keys(), ...site.subLabels.keys()])].sort();
    const ownLabels = new Set(site.ownLabels.keys());
    for (const label of labels) {
      let derived = false;
      // the shortest stem explains the label best (`thepiratebay10` ← `thepiratebay`, not ← `piratebay`)
      const stems = labels.filter((s) => s !== label && s.length >= MIN_STEM_LENGTH && label.includes(s)).sort((a, b) => b.length - a.length);
      const stem = stems[0];
      if (stem !== undefined) {
        const at = label.indexOf(stem);
        const prefix = label.slice(0, at);
        const suffix = label.slice(at + stem.length);
        if (prefix.length + suffix.length <= MAX_AFFIX_LENGTH) {
          const key = `${generalise(prefix)}|${generalise(suffix)}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          for (const run of `${prefix} ${suffix}`.match(/\d+/g) ?? []) digitCounts.set(run, (digitCounts.get(run) ?? 0) + 1);
          derived = true;
        }
      }
      if (ownLabels.has(label)) {
        labelsTotal += 1;
        if (derived) affixedLabels += 1;
      }
    }
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const affixes = [...counts.entries()]
    .map(([key, count]) => {
      const [prefix = '', suffix = ''] = key.split('|');
      return { prefix, suffix, weight: count / Math.max(1, total) };
    })
    .sort((a, b) => b.weight - a.weight || (`${a.prefix}|${a.suffix}` < `${b.prefix}|${b.suffix}` ? -1 : 1));
  return {
    affixes,
    affixRate: (affixedLabels + 0.5) / (labelsTotal + 1),
    digits: digitWeights(digitCounts),
  };
}

/**
 * Digits seen get their observed share; unseen small numbers share a smoothing mass
 * that falls with their value (sites count up: 1, 2, 3... more often than 87).
 */
function digitWeights(seen: ReadonlyMap<string, number>): { text: string; weight: number }[] {
  const observed = [...seen.values()].reduce((a, b) => a + b, 0);
  const smoothing = 1;
  const rows: { text: string; weight: number }[] = [];
  let harmonic = 0;
  for (let n = 0; n < 100; n += 1) harmonic += 1 / (n + 1);
  for (let n = 0; n < 100; n += 1) {
    const text = String(n);
    const prior = (1 / (n + 1)) / harmonic;
    rows.push({ text, weight: ((seen.get(text) ?? 0) + smoothing * prior) / (observed + smoothing) });
  }
  return rows.sort((a, b) => b.weight - a.weight || Number(a.text) - Number(b.text));
}

/** Expand a generalised affix (`#`) with digit strings, best first. */
export function expandAffix(text: string, digits: AffixModel['digits'], limit: number): { text: string; weight: number }[] {
  if (!text.includes('#')) return [{ text, weight: 1 }];
  return digits.slice(0, limit).map((d) => ({ text: text.replace(/#/g, d.text), weight: d.weight }));
}

export type { LabelUse };
