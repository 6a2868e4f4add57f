/**
 * Domain → slot for the ranking: open addressing with linear probing in one Int32Array,
 * kept at most half full. A `Map` of a million domains was 59 MB of heap (its table
 * doubles, and deleted entries hold their place until it is rebuilt); this is 8 MB for the
 * table plus 4 MB of cached hashes, outside the JS heap. Deleting shifts the following
 * entries back (no tombstones), so evictions never make probes longer.
 */
export class DomainSlots {
  /** slot + 1 per table position, 0 when empty */
  private table = new Int32Array(0);
  private mask = -1;
  /** each held slot's hash, so a move or a rebuild does not hash its domain again */
  private hashes = new Uint32Array(0);

  /** `domainOf(slot)` is the domain a held slot holds (the ranking's own array). */
  constructor(private readonly domainOf: (slot: number) => string) {}

  /** FNV-1a over the UTF-16 code units: cheap, and spreads names that differ in one digit. */
  static hash(domain: string): number {
    let h = 0x811c9dc5;
    for (let i = 0; i < domain.length; i++) h = Math.imul(h ^ domain.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  /**
   * Room for `slotCapacity` slots: a table of at least twice as many positions, with the
   * `held` slots 0 … held − 1 entered again.
   */
  resize(slotCapacity: number, held: number): void {
    let size = 16;
    while (size < 2 * slotCapacity) size *= 2;
    const hashes = new Uint32Array(slotCapacity);
    hashes.set(this.hashes.subarray(0, Math.min(held, slotCapacity)));
    this.hashes = hashes;
    this.table = new Int32Array(size);
    this.mask = size - 1;
    for (let slot = 0; slot < held; slot++) this.insert(slot, this.hashes[slot]!);
  }

  /** The slot holding `domain` (whose hash is `hash`), or −1. */
  find(domain: string, hash: number): number {
    if (this.table.length === 0) return -1;
    for (let at = hash & this.mask; ; at = (at + 1) & this.mask) {
      const entry = this.table[at]!;
      if (entry === 0) return -1;
      const slot = entry - 1;
      if (this.hashes[slot] === hash && this.domainOf(slot) === domain) return slot;
    }
  }

  /** Enter a slot whose domain is not held. */
  insert(slot: number, hash: number): void {
    this.hashes[slot] = hash;
    let at = hash & this.mask;
    while (this.table[at] !== 0) at = (at + 1) & this.mask;
    this.table[at] = slot + 1;
  }

  /** Take a held slot out; the entries after it in its run move back to keep every probe unbroken. */
  remove(slot: number): void {
    let hole = this.hashes[slot]! & this.mask;
    while (this.table[hole] !== slot + 1) hole = (hole + 1) & this.mask;
    for (let at = (hole + 1) & this.mask; ; at = (at + 1) & this.mask) {
      const entry = this.table[at]!;
      if (entry === 0) break;
      const home = this.hashes[entry - 1]! & this.mask;
      // the entry may fill the hole unless its home lies cyclically in (hole, at]
      const stays = hole <= at ? home > hole && home <= at : home > hole || home <= at;
      if (stays) continue;
      this.table[hole] = entry;
      hole = at;
    }
    this.table[hole] = 0;
  }

  /** Drop the table (the ranking is being read out; nothing is looked up any more). */
  clear(): void {
    this.table = new Int32Array(0);
    this.hashes = new Uint32Array(0);
    this.mask = -1;
  }
}
