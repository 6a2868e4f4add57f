/**
 * Content-addressed evidence files: `<root>/<h0h1>/<sha256>.<ext>`, the name being the SHA-256
 * of the file's own bytes, so a file's name is its integrity check and the same bytes are
 * stored once.
 *
 * A file is written to a temporary name in its final directory, fsynced, then linked to its
 * final name (link(2) fails when the name exists, where rename(2) would replace it: an existing
 * file is never overwritten, even by two writers racing), and the directory fsynced so the new
 * name survives a power cut. A crash leaves at worst a `.tmp-*` file, never a half-written
 * evidence file under a hash name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { HopwatchError } from '../errors.js';

export const EVIDENCE_EXTENSIONS = ['warc.gz', 'manifest.json', 'html', 'png'] as const;
export type EvidenceExt = (typeof EVIDENCE_EXTENSIONS)[number];

export interface StoredFile {
  sha256: string;
  path: string;
  bytes: number;
}

export interface FoundFile {
  path: string;
  ext: EvidenceExt;
  bytes: number;
}

export interface EvidenceStore {
  readonly root: string;
  put(bytes: Uint8Array, ext: EvidenceExt): Promise<StoredFile>;
  find(sha256: string): Promise<FoundFile | null>;
  read(sha256: string): Promise<Uint8Array | null>;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function isSha256Hex(text: string): boolean {
  return SHA256_HEX.test(text);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Where a file of this hash and extension lives; the hash is checked first, so no input can reach outside the root. */
export function evidencePath(root: string, sha256: string, ext: EvidenceExt): string {
  if (!isSha256Hex(sha256)) throw new HopwatchError('EVIDENCE_BAD_HASH', `"${sha256.slice(0, 80)}" is not a SHA-256 (64 lower-case hex digits)`);
  return path.join(root, sha256.slice(0, 2), `${sha256}.${ext}`);
}

/** `<sha256>.<ext>` → its parts, or null for any other name. */
export function parseEvidenceName(fileName: string): { sha256: string; ext: EvidenceExt } | null {
  const m = /^([0-9a-f]{64})\.(.+)$/.exec(fileName);
  if (!m || !(EVIDENCE_EXTENSIONS as readonly string[]).includes(m[2]!)) return null;
  return { sha256: m[1]!, ext: m[2] as EvidenceExt };
}

async function exists(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // some file systems refuse fsync on a directory; the file itself is synced already
  } finally {
    await handle.close();
  }
}

function writeError(file: string, err: unknown): HopwatchError {
  return new HopwatchError('EVIDENCE_WRITE_FAILED', `cannot write evidence file ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { action: 'retry', cause: err });
}

export function openEvidenceStore(root: string): EvidenceStore {
  const absoluteRoot = path.resolve(root);

  async function put(bytes: Uint8Array, ext: EvidenceExt): Promise<StoredFile> {
    if (!(EVIDENCE_EXTENSIONS as readonly string[]).includes(ext)) throw new HopwatchError('EVIDENCE_BAD_HASH', `unknown evidence file type "${ext}"`);
    const sha256 = sha256Hex(bytes);
    const file = evidencePath(absoluteRoot, sha256, ext);
    const dir = path.dirname(file);
    try {
      if ((await exists(file)) !== null) return { sha256, path: file, bytes: bytes.byteLength };
      await mkdir(dir, { recursive: true });
      const temp = path.join(dir, `.tmp-${sha256.slice(0, 16)}-${process.pid}-${randomBytes(6).toString('hex')}`);
      const handle = await open(temp, 'wx', 0o444);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await link(temp, file);
        await unlink(temp);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') {
          // another writer stored the same bytes first: same hash, same content
          await unlink(temp);
        } else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') {
          // no hard links on this file system: rename, after checking again that the name is free
          if ((await exists(file)) === null) await rename(temp, file);
          else await unlink(temp);
        } else {
          await unlink(temp).catch(() => undefined);
          throw err;
        }
      }
      await fsyncDir(dir);
      return { sha256, path: file, bytes: bytes.byteLength };
    } catch (err) {
      if (err instanceof HopwatchError) throw err;
      throw writeError(file, err);
    }
  }

  async function find(sha256: string): Promise<FoundFile | null> {
    // nothing is stored under a name that is not a hash (and no such name may reach the file system)
    if (!isSha256Hex(sha256)) return null;
    for (const ext of EVIDENCE_EXTENSIONS) {
      const file = evidencePath(absoluteRoot, sha256, ext);
      const size = await exists(file);
      if (size !== null) return { path: file, ext, bytes: size };
    }
    return null;
  }

  async function read(sha256: string): Promise<Uint8Array | null> {
    const found = await find(sha256);
    if (!found) return null;
    return new Uint8Array(await readFile(found.path));
  }

  return { root: absoluteRoot, put, find, read };
}
