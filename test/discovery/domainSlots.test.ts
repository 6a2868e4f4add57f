import { describe, expect, it } from 'vitest';
import { DomainSlots } from '../../src/discovery/domainSlots.js';
import { seededRandom } from '../fixtures/ctWorkload.js';

describe('the domain → slot table', () => {
  it('finds what a Map would, through random entries, removals and a rebuild', () => {
    const rnd = seededRandom(7);
    const capacity = 64;
    const domains: string[] = Array.from({ length: capacity }, () => '');
    const slots = new DomainSlots((slot) => domains[slot]!);
    const reference = new Map<string, number>();
    const free: number[] = [];
    let used = 0;
    slots.resize(capacity / 2, 0);
    for (let step = 0; step < 20_000; step++) {
      if (step === 10_000) {
        // a rebuild into a larger table keeps every held slot (slots 0 … used − 1 are all held here)
        while (free.length > 0) {
          const slot = free.pop()!;
          const domain = `refill${slot}.example`;
          domains[slot] = domain;
          slots.insert(slot, DomainSlots.hash(domain));
          reference.set(domain, slot);
        }
        slots.resize(capacity, used);
      }
      const domain = `d${Math.floor(rnd() * 80)}.example`;
      const found = slots.find(domain, DomainSlots.hash(domain));
      expect(found, domain).toBe(reference.get(domain) ?? -1);
      if (found >= 0 && rnd() < 0.5) {
        slots.remove(found);
        reference.delete(domain);
        free.push(found);
      } else if (found < 0 && (free.length > 0 || used < capacity / 2)) {
        const slot = free.pop() ?? used++;
        domains[slot] = domain;
        slots.insert(slot, DomainSlots.hash(domain));
        reference.set(domain, slot);
      }
    }
    for (const [domain, slot] of reference) expect(slots.find(domain, DomainSlots.hash(domain))).toBe(slot);
  });

  it('tells apart domains whose hashes collide in the table', () => {
    const domains = ['a.example', 'b.example', 'c.example'];
    const slots = new DomainSlots((slot) => domains[slot]!);
    slots.resize(3, 0);
    // the same hash for all three: one run of three, then a removal from its middle
    for (let slot = 0; slot < 3; slot++) slots.insert(slot, 5);
    expect(domains.map((d) => slots.find(d, 5))).toEqual([0, 1, 2]);
    slots.remove(1);
    expect(domains.map((d) => slots.find(d, 5))).toEqual([0, -1, 2]);
    slots.remove(0);
    expect(domains.map((d) => slots.find(d, 5))).toEqual([-1, -1, 2]);
  });
});
