/**
 * Read-only access to the content-addressed evidence directory, laid out as the evidence
 * contract fixes it: `<root>/<first two hex digits>/<sha256>.<ext>`. The review service only
 * ever reads evidence; writing (temp name, fsync, rename, never overwrite) is the evidence
 * module's job, and its store satisfies this interface too.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export const EVIDENCE_EXTENSIONS = ['manifest.json', 'warc.gz', 'html', 'png'] as const;
export type EvidenceExtension = (typeof EVIDENCE_EXTENSIONS)[number];

export interface EvidenceFile {
  path: string;
  ext: string;
  bytes: number;
}

export interface EvidenceReader {
  find(sha256: string): Promise<EvidenceFile | null>;
  read(sha256: string): Promise<Uint8Array | null>;
}

const SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return SHA256.test(value);
}

export function openEvidenceReader(root: string): EvidenceReader {
  async function find(sha256: string): Promise<EvidenceFile | null> {
    // the hash is checked before it touches a path: nothing outside the root can be named
    if (!isSha256(sha256)) return null;
    for (const ext of EVIDENCE_EXTENSIONS) {
      const path = join(root, sha256.slice(0, 2), `${sha256}.${ext}`);
      try {
        const s = await stat(path);
        if (s.isFile()) return { path, ext, bytes: s.size };
      } catch {
        // not this extension
      }
    }
    return null;
  }
  return {
    find,
    async read(sha256) {
      const file = await find(sha256);
      return file ? new Uint8Array(await readFile(file.path)) : null;
    },
  };
}
