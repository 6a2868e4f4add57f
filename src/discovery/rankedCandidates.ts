import { DomainSlots } from './domainSlots.js';
import { MAX_REASON_FORMATS, type ReasonFormat, type ReasonParts } from './reasonFormat.js';
import type { Candidate, CandidateSource } from './types.js';

/** Where sources put candidates; it keeps only what can still make the budget. */
export interface CandidateSink {
  /** false when a candidate of this score can no longer make the budget: a source may stop early */
  wants(score: number): boolean;
  /**
   * The reason is `reason(...parts)`, called only when the candidate is printed: no string
   * and no closure per candidate while ranking (see `ReasonFormat`).
   */
  add<P extends ReasonParts>(domain: string, site: string, source: CandidateSource, score: number, reason: ReasonFormat<P>, ...parts: P): void;
}

export interface RankingOptions {
  /**
   * Keep each held candidate's reason (default true). A caller that prints only domains
   * passes false: no format or part indices are kept (17 bytes a slot), none is formatted.
   */
  reasons?: boolean;
}

const labelPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function isValidName(domain: string): boolean {
  if (domain.length > 253) return false;
  return domain.split('.').every((label) => labelPattern.test(label) || (label.startsWith('xn--') && label.length <= 63));
}

/** Small tables of the few distinct sites, sources, reason formats and parts, so a held candidate stores an index. */
class Interned<T> {
  readonly list: T[] = [];
  private readonly index = new Map<T, number>();
  of(value: T): number {
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(value);
      this.index.set(value, i);
    }
    return i;
  }
}

/** slots allocated at the first add: up to this many, the budget itself */
const PREALLOCATE_SLOTS = 1 << 20;

/** part indices per slot: a format has at most four holes */
const PARTS = 4;

/** Any format, as the ranking calls it: every hole filled, unused ones with '' (ignored). */
type AnyReasonFormat = (a: string, b: string, c: string, d: string) => string;

/**
 * The best `budget` candidates, one per domain (the first call with its best score wins),
 * never a known domain. A binary heap of at most `budget` slots with the worst on top,
 * and a table from domain to slot (`DomainSlots`). A slot is a row in typed arrays (score,
 * site, source, heap position, reason format and its part indices) plus the domain string:
 * no object, no closure and no reason string per held candidate, O(budget) memory; the
 * reason is formatted as the ranking is read. Once the heap is full, the worst held score
 * is the bar a new candidate must reach.
 *
 * The result equals the former "hold twice the budget, sort, cut" ranking: both keep the
 * best `budget` of {domain → its best score}, ties by name; the bar here only rises
 * sooner, so sources stop earlier without losing anything that could make the cut.
 */
export class RankedCandidates implements CandidateSink {
  private readonly keepReasons: boolean;
  private readonly byDomain = new DomainSlots((slot) => this.domains[slot]!);
  private readonly sites = new Interned<string>();
  private readonly sources = new Interned<string>();
  private readonly formats = new Interned<AnyReasonFormat>();
  /** every distinct reason part: sites, labels, TLDs, lists, a few thousand for a real history */
  private readonly parts = new Interned<string>();
  private domains: string[] = [];
  private raw = new Float64Array(0);
  private site = new Uint32Array(0);
  private source = new Uint8Array(0);
  /** per slot, when reasons are kept: its format, and `PARTS` part indices from slot * PARTS */
  private format = new Uint8Array(0);
  private part = new Uint32Array(0);
  /** heap position → slot, and slot → heap position */
  private heap = new Int32Array(0);
  private position = new Int32Array(0);
  private size = 0;
  private bar = 0;

  constructor(
    private readonly budget: number,
    private readonly known: ReadonlySet<string>,
    options: RankingOptions = {},
  ) {
    this.keepReasons = options.reasons ?? true;
  }

  wants(score: number): boolean {
    return score > 0 && score >= this.bar;
  }

  add<P extends ReasonParts>(domain: string, site: string, source: CandidateSource, raw: number, reason: ReasonFormat<P>, ...parts: P): void;
  // positional parts, not a rest array: no allocation per call on the hot path
  add(domain: string, site: string, source: CandidateSource, raw: number, reason: ReasonFormat<never>, a: string, b = '', c = '', d = ''): void {
    if (this.budget <= 0 || !this.wants(raw) || this.known.has(domain)) return;
    const hash = DomainSlots.hash(domain);
    const held = this.byDomain.find(domain, hash);
    if (held >= 0) {
      if (this.raw[held]! >= raw) return;
      this.fill(held, domain, site, source, raw, reason, a, b, c, d);
      this.down(this.position[held]!); // better: further from the worst
    } else {
      if (!isValidName(domain)) return;
      if (this.size < this.budget) {
        if (this.size >= this.raw.length) this.grow();
        const slot = this.size++;
        this.fill(slot, domain, site, source, raw, reason, a, b, c, d);
        this.byDomain.insert(slot, hash);
        this.heap[slot] = slot;
        this.position[slot] = slot;
        this.up(slot);
      } else {
        const slot = this.heap[0]!;
        // not better than the worst held: higher score wins, then the smaller name
        if (raw < this.raw[slot]! || (raw === this.raw[slot]! && domain >= this.domains[slot]!)) return;
        this.byDomain.remove(slot);
        this.fill(slot, domain, site, source, raw, reason, a, b, c, d);
        this.byDomain.insert(slot, hash);
        this.down(0);
      }
    }
    if (this.size === this.budget) this.bar = this.raw[this.heap[0]!]!;
  }

  private fill(slot: number, domain: string, site: string, source: CandidateSource, raw: number, reason: ReasonFormat<never>, a: string, b: string, c: string, d: string): void {
    this.domains[slot] = domain;
    this.raw[slot] = raw;
    this.site[slot] = this.sites.of(site);
    this.source[slot] = this.sources.of(source);
    if (!this.keepReasons) return;
    // the overload let the caller fill exactly the format's holes; called with four, it ignores the rest
    this.format[slot] = this.formatIndex(reason as unknown as AnyReasonFormat);
    const at = slot * PARTS;
    this.part[at] = this.parts.of(a);
    this.part[at + 1] = this.parts.of(b);
    this.part[at + 2] = this.parts.of(c);
    this.part[at + 3] = this.parts.of(d);
  }

  private formatIndex(format: AnyReasonFormat): number {
    const i = this.formats.of(format);
    if (i >= MAX_REASON_FORMATS) {
      // a bug in a source, not an input error
      throw new Error(`more than ${MAX_REASON_FORMATS} reason formats: a source makes one per call instead of passing a module-level function`);
    }
    return i;
  }

  private reasonOf(slot: number): string {
    const at = slot * PARTS;
    const part = this.parts.list;
    return this.formats.list[this.format[slot]!]!(part[this.part[at]!]!, part[this.part[at + 1]!]!, part[this.part[at + 2]!]!, part[this.part[at + 3]!]!);
  }

  /**
   * Room for more slots: the whole budget at once up to a million (no doubling, so no
   * dead copies waiting for a major GC at the peak), doubling beyond that.
   */
  private grow(): void {
    const capacity = Math.min(this.budget, Math.max(PREALLOCATE_SLOTS, this.raw.length * 2));
    const widen = <A extends Float64Array | Uint32Array | Uint8Array | Int32Array>(old: A, make: (n: number) => A): A => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.raw = widen(this.raw, (n) => new Float64Array(n));
    this.site = widen(this.site, (n) => new Uint32Array(n));
    this.source = widen(this.source, (n) => new Uint8Array(n));
    this.heap = widen(this.heap, (n) => new Int32Array(n));
    this.position = widen(this.position, (n) => new Int32Array(n));
    if (this.keepReasons) {
      this.format = widen(this.format, (n) => new Uint8Array(n));
      this.part = widen(this.part, (n) => new Uint32Array(n * PARTS));
    }
    // a packed array of the full length (`new Array(n)` of a large n would be a slow dictionary)
    const domains = Array.from({ length: capacity }, (_, i) => this.domains[i] ?? '');
    this.domains = domains;
    this.byDomain.resize(capacity, this.size);
  }

  /** Ranking order: higher score first, then the smaller name. Negative when slot `a` ranks above `b`. */
  private compare(a: number, b: number): number {
    const d = this.raw[b]! - this.raw[a]!;
    if (d !== 0) return d;
    const x = this.domains[a]!;
    const y = this.domains[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  private place(slot: number, at: number): void {
    this.heap[at] = slot;
    this.position[slot] = at;
  }

  private up(at: number): void {
    const slot = this.heap[at]!;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (this.compare(slot, this.heap[parent]!) <= 0) break; // not worse than its parent
      this.place(this.heap[parent]!, at);
      at = parent;
    }
    this.place(slot, at);
  }

  private down(at: number): void {
    const slot = this.heap[at]!;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.compare(this.heap[child + 1]!, this.heap[child]!) > 0) child += 1;
      if (this.compare(this.heap[child]!, slot) <= 0) break; // the worse child is not worse than this
      this.place(this.heap[child]!, at);
      at = child;
    }
    this.place(slot, at);
  }

  /**
   * The final ranking, one candidate at a time (a caller printing a million need not hold
   * a million objects). Call once: the domain table is dropped first, nothing more is added.
   * Scores are squashed into (0, 1] (1 − e^−raw keeps the order).
   */
  *ranked(): Generator<Candidate> {
    this.byDomain.clear();
    this.bar = Infinity;
    // sorted in place: the heap is not needed any more, and a copy would be another array at the peak
    const order = this.heap.subarray(0, this.size).sort((a, b) => this.compare(a, b));
    for (const slot of order) {
      yield {
        domain: this.domains[slot]!,
        site: this.sites.list[this.site[slot]!]!,
        source: this.sources.list[this.source[slot]!] as CandidateSource,
        reason: this.keepReasons ? this.reasonOf(slot) : '',
        score: Number((1 - Math.exp(-this.raw[slot]!)).toPrecision(6)) || Number.MIN_VALUE,
      };
    }
  }

  /** The final ranking as a list (see `ranked`). */
  result(): Candidate[] {
    return [...this.ranked()];
  }
}
