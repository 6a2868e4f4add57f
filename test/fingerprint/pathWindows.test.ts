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
});
