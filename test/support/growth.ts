/**
 * How work grows with input size, measured in-process and compared as a ratio (never an absolute
 * time): time(8n) / time(n) is about 8 for linear work (measured up to ~25 on a loaded 2-core
 * machine once the larger input falls out of the CPU caches) and about 64 for quadratic work, so a
 * bound of 32 separates them. Each size
 * is run until at least `minMs` has passed and the best of three per-call times is taken, so a busy
 * machine inflates both sides alike.
 */
import { performance } from 'node:perf_hooks';

function perCall(fn: () => unknown, minMs: number): number {
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    fn();
    calls++;
    elapsed = performance.now() - start;
  } while (elapsed < minMs);
  return elapsed / calls;
}

function best(fn: () => unknown, minMs: number): number {
  return Math.min(perCall(fn, minMs), perCall(fn, minMs), perCall(fn, minMs));
}

/** `unit` repeated to about `chars` characters. */
export function repeated(unit: string, chars: number): string {
  return unit.repeat(Math.max(1, Math.ceil(chars / unit.length))).slice(0, chars);
}

export const GROWTH_FACTOR = 8;
export const LINEAR_RATIO_LIMIT = 32;

/**
 * time(8n)/time(n) for `run` over `unit` repeated; re-measured up to `tries` times and the lowest
 * ratio kept, so one scheduling hiccup cannot fail a linear function (a quadratic one fails every time).
 */
export function growthRatio(run: (input: string) => unknown, unit: string, n: number, options: { minMs?: number; tries?: number; limit?: number } = {}): number {
  const small = repeated(unit, n);
  const large = repeated(unit, GROWTH_FACTOR * n);
  return inputGrowthRatio(run, small, large, options);
}

/** The same for two inputs built by the caller, the second `GROWTH_FACTOR` times the first. */
export function inputGrowthRatio(run: (input: string) => unknown, small: string, large: string, options: { minMs?: number; tries?: number; limit?: number } = {}): number {
  const minMs = options.minMs ?? 5;
  let lowest = Infinity;
  for (let i = 0; i < (options.tries ?? 3); i++) {
    // the small input's floor: below ~0.02 ms per call the ratio is timer noise, not growth
    const ratio = best(() => run(large), minMs) / Math.max(best(() => run(small), minMs), 0.02);
    lowest = Math.min(lowest, ratio);
    if (lowest < (options.limit ?? LINEAR_RATIO_LIMIT)) break;
  }
  return lowest;
}

/**
 * Prefixes of each witness (a string the pattern matches), deduplicated: the units to repeat. Every
 * prefix up to `dense` characters (where a pattern's alternatives part ways), then every `step`-th
 * and the whole witness: a pattern that backtracks over a run does so on every longer prefix too.
 */
export function prefixesOf(witnesses: readonly string[], dense = 10, step = 3): string[] {
  const out = new Set<string>();
  for (const w of witnesses) {
    for (let i = 1; i <= w.length; i++) if (i <= dense || i % step === 0 || i === w.length) out.add(w.slice(0, i));
  }
  return [...out];
}
