/**
 * `data.leaf_cert.all_domains` of a certstream JSON line without building the whole object.
 *
 * A certstream message is mostly fields we never read (subject, extensions, the chain,
 * fingerprints); JSON.parse would allocate all of them for every certificate. This scanner
 * checks the whole line against the JSON grammar (so a truncated or broken line is refused
 * exactly as JSON.parse refuses it), allocates nothing for the fields it skips, and parses
 * only the `all_domains` array. It answers only when the answer is certain to be the one
 * JSON.parse would give: the top value is an object with exactly one `data` key holding an
 * object with exactly one `leaf_cert` key holding an object with exactly one `all_domains`
 * key holding an array, and no key anywhere is written with an escape (`"d\u0061ta"` is
 * `data` to JSON.parse). Otherwise it returns undefined and the caller parses the line.
 */

// unrolled (`normal* (escape normal*)*`): linear, no alternation inside the loop
const controlCharacter = /[\x00-\x1f]/;
/** deeper lines are left to JSON.parse rather than risking this scanner's stack */
const MAX_DEPTH = 64;

/** Thrown (one shared value, no stack captured) when JSON.parse must decide. */
const unsure = Symbol('unsure');

interface Found {
  start: number;
  end: number;
}
interface Path {
  data?: Found;
  leaf?: Found;
  domains?: Found;
}
/** the key wanted at each step of data → leaf_cert → all_domains, quoted as it appears in the text */
const WANTED = ['"data"', '"leaf_cert"', '"all_domains"'] as const;
const SLOT = ['data', 'leaf', 'domains'] as const;

const isHex = (c: number): boolean => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/**
 * A JSON grammar check by character codes (no regular expressions, no substrings: this
 * runs over every byte of the stream and must cost less than JSON.parse does).
 */
class Scanner {
  i = 0;
  constructor(private readonly text: string) {
    this.backslash = text.indexOf('\\');
  }

  skipSpace(): void {
    const t = this.text;
    let i = this.i;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  /** index of the next backslash at or after the scan position (-1: none left) */
  private backslash: number;

  /** Skips the string at `i`; true when it holds an escape. Jumps quote to quote: most of a line is string content. */
  string(): boolean {
    const t = this.text;
    let i = this.i + 1;
    let escaped = false;
    for (;;) {
      const quote = t.indexOf('"', i);
      if (quote < 0) throw unsure;
      if (this.backslash < i && this.backslash >= 0) this.backslash = t.indexOf('\\', i);
      if (this.backslash < 0 || this.backslash > quote) {
        i = quote;
        break;
      }
      // an escape before the quote: check it, step over it, look again
      escaped = true;
      const at = this.backslash;
      const e = t.charCodeAt(at + 1);
      if (e === 117 /* u */) {
        if (!(isHex(t.charCodeAt(at + 2)) && isHex(t.charCodeAt(at + 3)) && isHex(t.charCodeAt(at + 4)) && isHex(t.charCodeAt(at + 5)))) throw unsure;
        i = at + 6;
      } else if (e === 34 || e === 92 || e === 47 || e === 98 || e === 102 || e === 110 || e === 114 || e === 116) {
        i = at + 2;
      } else {
        throw unsure;
      }
      this.backslash = t.indexOf('\\', i);
    }
    this.i = i + 1;
    return escaped;
  }

  number(): void {
    const t = this.text;
    let i = this.i;
    if (t.charCodeAt(i) === 45) i++;
    if (t.charCodeAt(i) === 48) i++;
    else if (isDigit(t.charCodeAt(i))) while (isDigit(t.charCodeAt(i))) i++;
    else throw unsure;
    if (t.charCodeAt(i) === 46) {
      i++;
      if (!isDigit(t.charCodeAt(i))) throw unsure;
      while (isDigit(t.charCodeAt(i))) i++;
    }
    const e = t.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      const sign = t.charCodeAt(i);
      if (sign === 43 || sign === 45) i++;
      if (!isDigit(t.charCodeAt(i))) throw unsure;
      while (isDigit(t.charCodeAt(i))) i++;
    }
    this.i = i;
  }

  /**
   * Skips one value. `path` is how far along data → leaf_cert → all_domains this value
   * sits (0: the top object, 1: data, 2: leaf_cert); -1 when off that path.
   */
  value(depth: number, path: number, found: Path): void {
    if (depth > MAX_DEPTH) throw unsure;
    this.skipSpace();
    const c = this.text.charCodeAt(this.i);
    if (c === 123 /* { */) this.object(depth, path, found);
    else if (c === 91 /* [ */) this.array(depth, found);
    else if (c === 34 /* " */) this.string();
    else if (c === 116 && this.text.startsWith('true', this.i)) this.i += 4;
    else if (c === 102 && this.text.startsWith('false', this.i)) this.i += 5;
    else if (c === 110 && this.text.startsWith('null', this.i)) this.i += 4;
    else this.number();
  }

  private object(depth: number, path: number, found: Path): void {
    const t = this.text;
    this.i++;
    this.skipSpace();
    if (t.charCodeAt(this.i) === 125 /* } */) {
      this.i++;
      return;
    }
    const wanted = path >= 0 && path < 3 ? WANTED[path]! : undefined;
    for (;;) {
      this.skipSpace();
      if (t.charCodeAt(this.i) !== 34) throw unsure;
      const keyStart = this.i;
      // an escaped key may spell a wanted one (JSON.parse decodes it): not ours to judge
      if (this.string()) throw unsure;
      const isWanted = wanted !== undefined && this.i - keyStart === wanted.length && t.startsWith(wanted, keyStart);
      this.skipSpace();
      if (t.charCodeAt(this.i) !== 58 /* : */) throw unsure;
      this.i++;
      if (isWanted) {
        const slot = SLOT[path]!;
        if (found[slot] !== undefined) throw unsure; // a repeated key: JSON.parse keeps the last
        this.skipSpace();
        const at = this.i;
        this.value(depth + 1, path + 1, found);
        found[slot] = { start: at, end: this.i };
      } else {
        this.value(depth + 1, -1, found);
      }
      this.skipSpace();
      const sep = t.charCodeAt(this.i++);
      if (sep === 125 /* } */) return;
      if (sep !== 44 /* , */) throw unsure;
    }
  }

  private array(depth: number, found: Path): void {
    this.i++;
    this.skipSpace();
    if (this.text.charCodeAt(this.i) === 93 /* ] */) {
      this.i++;
      return;
    }
    for (;;) {
      this.value(depth + 1, -1, found);
      this.skipSpace();
      const sep = this.text.charCodeAt(this.i++);
      if (sep === 93) return;
      if (sep !== 44) throw unsure;
    }
  }
}

/**
 * The string entries of `data.leaf_cert.all_domains` when the line is certainly a JSON
 * object holding it (see above); undefined when JSON.parse must decide. `text` is trimmed.
 */
export function certstreamDomains(text: string): string[] | undefined {
  if (text.charCodeAt(0) !== 123 || !text.includes('"all_domains"')) return undefined;
  // JSON.parse refuses control characters inside strings; the scanner jumps over string
  // content, so a line with any (a tab or CR between tokens is legal, but rare) goes to JSON.parse
  if (controlCharacter.test(text)) return undefined;
  const scanner = new Scanner(text);
  const found: Path = {};
  try {
    scanner.value(0, 0, found);
    scanner.skipSpace();
    if (scanner.i !== text.length) return undefined;
  } catch {
    // `unsure`, or a stack limit on a monster line: JSON.parse decides
    return undefined;
  }
  const { data, leaf, domains } = found;
  if (!data || !leaf || !domains) return undefined;
  // each must be the object/array it is nested in (a `data` that is a string holds no leaf_cert)
  if (text.charCodeAt(data.start) !== 123 || text.charCodeAt(leaf.start) !== 123 || text.charCodeAt(domains.start) !== 91) return undefined;
  const list = JSON.parse(text.slice(domains.start, domains.end)) as unknown[];
  return list.filter((v): v is string => typeof v === 'string');
}
