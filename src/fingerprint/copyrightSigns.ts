/**
 * A copyright sign and the white space after it; the holder's name follows (a footer's
 * "© 2011-2017 Name"). Patterns read with `matches` begin with it (`signLed`).
 */
const COPYRIGHT_SIGN_SOURCE = String.raw`(?:©|&copy;|\(c\)|copyright)\s*`;

/** A sticky, case-insensitive pattern: a copyright sign, then `rest` (a regex source), for `CopyrightSigns.matches`. */
export function signLed(rest: string): RegExp {
  return new RegExp(COPYRIGHT_SIGN_SOURCE + rest, 'iy');
}

/**
 * Where the copyright signs of a page's visible text stand, found on demand, in order, and
 * kept: two readers want what follows them (the self-description's copyright holders and the
 * identifiers' brand strings), and each had scanned the whole visible text (up to 200,000
 * characters) with its own pattern. Every match of a pattern that begins with a sign begins at
 * one of these: no sign begins inside another, or inside the white space after one, so the scan
 * finds every sign of the text.
 */
export class CopyrightSigns {
  private readonly re = new RegExp(COPYRIGHT_SIGN_SOURCE, 'gi');
  /** start, and end after the white space, of each sign found so far */
  private readonly bounds: number[] = [];
  private done = false;

  constructor(readonly text: string) {}

  /** Whether the text has a k-th sign (0-based); scans on to it if need be. */
  has(k: number): boolean {
    while (!this.done && this.bounds.length <= 2 * k) {
      const m = this.re.exec(this.text);
      if (m === null) this.done = true;
      else this.bounds.push(m.index, m.index + m[0].length);
    }
    return 2 * k < this.bounds.length;
  }

  /** Where the k-th sign begins (`has(k)` first). */
  start(k: number): number {
    return this.bounds[2 * k]!;
  }

  /** Where what follows the k-th sign and its white space begins (`has(k)` first). */
  end(k: number): number {
    return this.bounds[2 * k + 1]!;
  }

  /**
   * The first `max` matches of `pattern` (sticky), every match of which begins with a sign: those
   * `text.matchAll` finds with the pattern made global, leftmost and not overlapping, found by
   * trying it at each sign past the last match's end.
   */
  matches(pattern: RegExp, max: number): RegExpExecArray[] {
    if (!pattern.sticky) throw new TypeError('matches wants a sticky pattern');
    const out: RegExpExecArray[] = [];
    let end = 0;
    for (let k = 0; out.length < max && this.has(k); k++) {
      const at = this.start(k);
      if (at < end) continue;
      pattern.lastIndex = at;
      const m = pattern.exec(this.text);
      if (m === null) continue;
      out.push(m);
      end = at + Math.max(1, m[0].length);
    }
    return out;
  }
}
