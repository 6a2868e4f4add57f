/**
 * A small Aho–Corasick automaton over a fixed set of short patterns (brand labels, proxy
 * bases): one pass over a text finds every occurrence of every pattern, so matching a host
 * costs its length, not its length times the number of brands. Built once, then read-only.
 *
 * The transition table is a full DFA (failure links folded in) over the characters the
 * patterns use; any other character sends the walk back to the root, which is exact
 * because no pattern contains it. Texts are ASCII (normalised host names); a pattern with
 * other characters keeps its id but is never reported.
 */
export class AhoCorasick {
  /** character code (< 128) → column; 0 = a character no pattern uses */
  private readonly column = new Uint8Array(128);
  private readonly width: number;
  private readonly next: Int32Array;
  /** per state: offset into `outputs` of its pattern ids (own and by suffix link), ends at outputStart[s + 1] */
  private readonly outputStart: Int32Array;
  private readonly outputs: Int32Array;
  /** lengths of the patterns, by id */
  readonly lengths: Int32Array;

  constructor(patterns: readonly string[]) {
    let columns = 1;
    const ascii = patterns.map((p) => !/[^\x00-\x7f]/.test(p));
    patterns.forEach((p, id) => {
      if (!ascii[id]) return;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        if (this.column[c] === 0) this.column[c] = columns++;
      }
    });
    this.width = columns;
    this.lengths = Int32Array.from(patterns, (p) => p.length);

    // trie
    const goto: number[][] = [new Array<number>(columns).fill(-1)];
    const own: number[][] = [[]];
    patterns.forEach((p, id) => {
      // a non-ASCII pattern keeps its id but is never found: texts are ASCII host names
      if (!ascii[id] || p.length === 0) return;
      let s = 0;
      for (let i = 0; i < p.length; i++) {
        const col = this.column[p.charCodeAt(i)]!;
        let t = goto[s]![col]!;
        if (t < 0) {
          t = goto.length;
          goto.push(new Array<number>(columns).fill(-1));
          own.push([]);
          goto[s]![col] = t;
        }
        s = t;
      }
      own[s]!.push(id);
    });

    // breadth-first: failure links, folded into a full transition table
    const states = goto.length;
    const fail = new Int32Array(states);
    const out: number[][] = own.map((o) => [...o]);
    const queue: number[] = [];
    for (let col = 0; col < columns; col++) {
      const t = goto[0]![col]!;
      if (t < 0) goto[0]![col] = 0;
      else queue.push(t);
    }
    goto[0]![0] = 0;
    for (let head = 0; head < queue.length; head++) {
      const s = queue[head]!;
      out[s]!.push(...out[fail[s]!]!);
      for (let col = 0; col < columns; col++) {
        const t = goto[s]![col]!;
        if (t < 0) {
          goto[s]![col] = col === 0 ? 0 : goto[fail[s]!]![col]!;
        } else {
          fail[t] = goto[fail[s]!]![col]!;
          queue.push(t);
        }
      }
    }
    this.next = new Int32Array(states * columns);
    for (let s = 0; s < states; s++) for (let col = 0; col < columns; col++) this.next[s * columns + col] = goto[s]![col]!;
    this.outputStart = new Int32Array(states + 1);
    let total = 0;
    for (let s = 0; s < states; s++) {
      this.outputStart[s] = total;
      total += out[s]!.length;
    }
    this.outputStart[states] = total;
    this.outputs = new Int32Array(total);
    for (let s = 0, k = 0; s < states; s++) for (const id of out[s]!) this.outputs[k++] = id;
  }

  private step(state: number, code: number): number {
    const col = code < 128 ? this.column[code]! : 0;
    return this.next[state * this.width + col]!;
  }

  /** Whether any pattern occurs in `text`: the cheap test most names fail. */
  occursIn(text: string): boolean {
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      s = this.step(s, text.charCodeAt(i));
      if (this.outputStart[s + 1]! > this.outputStart[s]!) return true;
    }
    return false;
  }

  /** Calls `found(id, start)` for every occurrence in `text[from, to)`, in order of where it ends. */
  forEachOccurrence(text: string, from: number, to: number, found: (id: number, start: number) => void): void {
    let s = 0;
    for (let i = from; i < to; i++) {
      s = this.step(s, text.charCodeAt(i));
      for (let k = this.outputStart[s]!, end = this.outputStart[s + 1]!; k < end; k++) {
        const id = this.outputs[k]!;
        found(id, i + 1 - this.lengths[id]!);
      }
    }
  }
}
