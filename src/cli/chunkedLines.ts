import { once } from 'node:events';

/** About this many characters per write: large enough that a million lines are a few hundred writes. */
const CHUNK_CHARS = 64 * 1024;

/**
 * Lines gathered into chunks, one `write` per chunk instead of one per line (a file or
 * pipe on stdout costs a system call per write: 100,000 lines were 100,000 write(2)s).
 * `flush` waits for 'drain' when the stream says it is full, so memory stays one chunk.
 */
export class ChunkedLines {
  private parts: string[] = [];
  private chars = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly chunkChars = CHUNK_CHARS,
  ) {}

  /** Adds a line; true when a chunk is full and `flush` should be awaited. */
  push(line: string): boolean {
    this.parts.push(line);
    this.chars += line.length + 1;
    return this.chars >= this.chunkChars;
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = `${this.parts.join('\n')}\n`;
    this.parts = [];
    this.chars = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}
