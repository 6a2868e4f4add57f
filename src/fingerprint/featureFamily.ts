import { hashToHex, simhashOf, type SimhashAccumulator } from './simhash64.js';

/**
 * One family of a page's features (tag paths, boilerplate text, resources): how many distinct
 * features it has and its simhash. The structure and text families are counted by their
 * feature hashes and never spelt out on the fingerprint's path (pathWindows.ts,
 * shingleTable.ts); `spelt()` builds the map of feature strings and counts on demand, for
 * tests and for a reader who wants to see them, and `familyHash(f.spelt())` is the family's
 * simhash by its definition.
 */
export interface FeatureFamily {
  /** distinct features */
  readonly size: number;
  /** the simhash, as 16 hex digits (all zeros for an empty family) */
  simhashHex(): string;
  /** feature -> occurrence count, in first-occurrence order */
  spelt(): Map<string, number>;
}

export const EMPTY_HASH = '0000000000000000';

/**
 * Repeats count, but sub-linearly: a listing row repeated 100 times is one template trait,
 * not a hundred. log2 keeps "appears many times" above "appears once" without drowning the rest.
 */
export function weightOf(count: number): number {
  return 1 + Math.log2(count);
}

/** The simhash of a feature map, as hex: the definition every family's `simhashHex` keeps to. */
export function familyHash(features: Map<string, number>): string {
  if (features.size === 0) return EMPTY_HASH;
  return hashToHex(simhashOf((acc) => features.forEach((n, f) => acc.add(f, weightOf(n)))));
}

/** A family held as a map of feature strings (resources: few, and their strings are made anyway). */
export class MapFamily implements FeatureFamily {
  constructor(private readonly features: Map<string, number>) {}

  get size(): number {
    return this.features.size;
  }

  simhashHex(): string {
    return familyHash(this.features);
  }

  spelt(): Map<string, number> {
    return this.features;
  }
}

/** A family held by feature hashes: `into` adds each feature's hash with weightOf(count), in first-occurrence order. */
export class HashedFamily implements FeatureFamily {
  constructor(
    readonly size: number,
    private readonly into: (acc: SimhashAccumulator, weight: (count: number) => number) => void,
    private readonly spell: () => Map<string, number>,
  ) {}

  simhashHex(): string {
    if (this.size === 0) return EMPTY_HASH;
    return hashToHex(simhashOf((acc) => this.into(acc, weightOf)));
  }

  spelt(): Map<string, number> {
    return this.spell();
  }
}
