/**
 * A feed entry's evidence JSON cut to fit its byte limit without losing any piece of evidence:
 * long strings (hostile URLs of 30 KB, long titles) are shortened and long lists (redirects,
 * probes, SANs) trimmed, progressively, until it fits; every evidence item stays, and `cut` says
 * how many strings and list items were shortened. The full record is in the evidence package.
 */
export interface EvidenceCut {
  strings: number;
  /** characters removed from strings */
  chars: number;
  /** list items removed (never from `evidence`) */
  items: number;
}

/** Tried in order: each step shortens more, until the JSON fits. */
const STEPS: ReadonlyArray<[maxString: number, maxItems: number]> = [
  [4096, 1000],
  [1024, 200],
  [256, 50],
  [96, 20],
  [48, 10],
  [24, 5],
];

/** Lists whose every item is kept whatever the limit: the match's evidence itself. */
const KEEP_ALL = new Set(['evidence']);
const MAX_DEPTH = 12;

function shrink(value: unknown, maxString: number, maxItems: number, cut: EvidenceCut, key: string, depth: number): unknown {
  if (typeof value === 'string') {
    if (value.length <= maxString) return value;
    cut.strings++;
    cut.chars += value.length - maxString;
    return `${value.slice(0, maxString)}…`;
  }
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) {
    const keep = KEEP_ALL.has(key) ? value.length : Math.min(value.length, maxItems);
    cut.items += value.length - keep;
    return value.slice(0, keep).map((v) => shrink(v, maxString, maxItems, cut, '', depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = shrink(v, maxString, maxItems, cut, k, depth + 1);
  return out;
}

/** `value` as JSON of at most `maxBytes` (UTF-8) when cutting strings and lists can make it so. */
export function fitEvidence(value: unknown, maxBytes: number): string {
  const whole = JSON.stringify(value);
  if (Buffer.byteLength(whole) <= maxBytes) return whole;
  let json = whole;
  for (const [maxString, maxItems] of STEPS) {
    const cut: EvidenceCut = { strings: 0, chars: 0, items: 0 };
    const copy = shrink(value, maxString, maxItems, cut, '', 0);
    json = JSON.stringify(copy !== null && typeof copy === 'object' && !Array.isArray(copy) ? { ...copy, cut } : { value: copy, cut });
    if (Buffer.byteLength(json) <= maxBytes) return json;
  }
  // every item kept at the shortest strings: bounded by the number of items, which the matcher bounds
  return json;
}
