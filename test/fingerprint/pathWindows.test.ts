import { describe, expect, it } from 'vitest';
import { stableToken } from '../../src/fingerprint/normalise.js';
import { PathWindows } from '../../src/fingerprint/pathWindows.js';

/** The classes part of an element token by its definition: split at /\s+/, stable tokens, sorted, three. */
function referenceClassPart(cls: string): string {
  const classes = cls
    .split(/\s+/)
    .map((c) => stableToken(c))
    .filter((t): t is string => Boolean(t))
    .sort();
  return classes
    .slice(0, 3)
    .map((c) => `.${c}`)
    .join('');
}

describe('PathWindows element tokens', () => {
  it('spells the classes of an element as split at any white space, ASCII or not', () => {
    const alphabet = ['a', 'B', 'row', 'odd', 'nav-item', 'x1', 'col-12', 'deadbeefcafe1234', ' ', '  ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u00e9t\u00e9', 'Logo'];
    let s = 7;
    const values: string[] = ['', ' ', 'a', ' a ', 'a b', 'b a', 'c b a d'];
    for (let k = 0; k < 2000; k++) {
      let v = '';
      const parts = 1 + (k % 7);
      for (let p = 0; p < parts; p++) {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0;
        v += alphabet[(s >>> 8) % alphabet.length];
      }
      values.push(v);
    }
    for (const cls of values) {
      const windows = new PathWindows(4);
      windows.child(0, 'div', null, cls);
      expect([...windows.counts().keys()], JSON.stringify(cls)).toEqual([`div${referenceClassPart(cls)}`]);
    }
  });

  it('counts thousands of windows as their spelt paths count', () => {
    // past the windows a table is made for (it grows), against paths spelt and counted in a map
    const windows = new PathWindows(3);
    const want = new Map<string, number>();
    let seed = 3;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 16) % n;
    };
    const stack: Array<{ w: number; path: string[] }> = [{ w: 0, path: [] }];
    for (let k = 0; k < 6_000; k++) {
      if (stack.length > 1 && next(3) === 0) {
        stack.pop();
        continue;
      }
      const parent = stack[stack.length - 1]!;
      const tag = ['div', 'li', 'a', 'span', 'td', 'p'][next(6)]!;
      // letters only: digit runs fold to '#' in a token
      const cls = next(2) === 0 ? null : `c${'abcdefgh'[next(8)]!}${'klmnop'[next(6)]!}`;
      const id = next(3) === 0 ? `i${'qrstuvw'[next(7)]!}` : null;
      const w = windows.child(parent.w, tag, id, cls);
      const path = [...parent.path, `${tag}${id ? `#${id}` : ''}${cls ? `.${cls}` : ''}`].slice(-3);
      const spelt = path.join('>');
      want.set(spelt, (want.get(spelt) ?? 0) + 1);
      if (stack.length < 12) stack.push({ w, path });
    }
    expect(windows.size).toBe(want.size);
    expect(new Map(windows.counts())).toEqual(want);
    expect(want.size).toBeGreaterThan(1_000);
  });
});
