/**
 * What the review service needs of the evidence directory: find and read files by hash. It
 * only ever reads; the evidence store (src/evidence/evidenceStore.ts, which owns the layout and
 * the never-overwrite writes) satisfies this interface and is what `openEvidenceReader` opens.
 */
import { isSha256Hex, openEvidenceStore } from '../evidence/evidenceStore.js';

export interface EvidenceFile {
  path: string;
  ext: string;
  bytes: number;
}

export interface EvidenceReader {
  find(sha256: string): Promise<EvidenceFile | null>;
  read(sha256: string): Promise<Uint8Array | null>;
}

export function isSha256(value: string): boolean {
  return isSha256Hex(value);
}

export function openEvidenceReader(root: string): EvidenceReader {
  return openEvidenceStore(root);
}
