/**
 * Where results go and how they look: stdout or `-o FILE`, colour only on a terminal (never
 * under NO_COLOR, TERM=dumb or a pipe), CSV fields safe for spreadsheets, and the one final
 * summary line every result-printing command ends with (naming the matched domains).
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { HopwatchError } from '../errors.js';
import type { CheckResult } from '../match/types.js';
import type { CliIo } from './io.js';

export interface ResultSink {
  stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** colour codes allowed on this stream */
  colour: boolean;
  close(): Promise<void>;
}

export function colourAllowed(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

/** stdout, or a file created (truncated) for `-o FILE`; the file is flushed and closed by close(). */
export async function openResultSink(io: CliIo, output: string | null): Promise<ResultSink> {
  if (output === null || output === '-') return { stream: io.stdout, colour: colourAllowed(io.stdout, io.env), close: async () => undefined };
  const file = createWriteStream(output, { flags: 'w' });
  try {
    await once(file, 'open');
  } catch (err) {
    throw new HopwatchError('OUTPUT_UNWRITABLE', `cannot write ${output}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err });
  }
  return {
    stream: file,
    colour: false,
    close: () => new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(new HopwatchError('OUTPUT_UNWRITABLE', `cannot write ${output}: ${err.message}`)) : resolve()))),
  };
}

const VERDICT_COLOUR: Record<string, string> = { mirror: '\x1b[1;31m', likely: '\x1b[33m', unrelated: '\x1b[32m', inconclusive: '\x1b[2m' };

export function paintVerdict(text: string, verdict: string, colour: boolean): string {
  return colour && VERDICT_COLOUR[verdict] ? `${VERDICT_COLOUR[verdict]}${text}\x1b[0m` : text;
}

export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // a leading = + - @ would be a formula in a spreadsheet: these values come from hostile hosts
  const safe = /^[=+@\t\r]|^-./.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The evidence of a result in one CSV cell: `feature=matched (weight)` joined by `; `. */
export function evidenceCell(r: CheckResult, max = 8): string {
  return r.evidence.slice(0, max).map((e) => `${e.feature}=${e.matched} (${e.weight})`).join('; ');
}

/** Counts of a run and the inputs that matched, for the final summary line. */
export class RunTally {
  total = 0;
  failed = 0;
  readonly verdicts: Record<string, number> = { mirror: 0, likely: 0, unrelated: 0, inconclusive: 0 };
  readonly matchedNames: string[] = [];
  private static readonly NAMES_SHOWN = 20;
  private matchedCount = 0;

  add(r: CheckResult): void {
    this.total++;
    this.verdicts[r.verdict] = (this.verdicts[r.verdict] ?? 0) + 1;
    if (r.error) this.failed++;
    if (r.verdict === 'mirror' || r.verdict === 'likely') {
      this.matchedCount++;
      if (this.matchedNames.length < RunTally.NAMES_SHOWN) this.matchedNames.push(r.input);
    }
  }

  get matched(): number {
    return this.matchedCount;
  }

  summary(what = 'checked'): string {
    const v = this.verdicts;
    const head = `${what} ${this.total}: mirror ${v.mirror}, likely ${v.likely}, unrelated ${v.unrelated}, inconclusive ${v.inconclusive}${this.failed ? `; ${this.failed} could not be read or fetched` : ''}`;
    if (this.matchedCount === 0) return `${head}; no match`;
    const more = this.matchedCount > this.matchedNames.length ? ` and ${this.matchedCount - this.matchedNames.length} more` : '';
    return `${head}; matched: ${this.matchedNames.join(', ')}${more}`;
  }
}
