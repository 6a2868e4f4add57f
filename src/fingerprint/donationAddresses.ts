import { createHash } from 'node:crypto';
import type { RawTextHits, RunLengths } from './rawTextScan.js';

/**
 * Cryptocurrency donation addresses, validated by their own checksums so random base58-looking
 * strings (torrent info-hashes, tokens) are not taken for addresses.
 */
const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const BASE58_INDEX = new Map([...BASE58].map((c, i) => [c, i]));

function base58Decode(s: string): Uint8Array | null {
  let n = 0n;
  for (const c of s) {
    const v = BASE58_INDEX.get(c);
    if (v === undefined) return null;
    n = n * 58n + BigInt(v);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.unshift(Number(n & 0xffn));
    n >>= 8n;
  }
  for (const c of s) {
    if (c !== '1') break;
    bytes.unshift(0);
  }
  return Uint8Array.from(bytes);
}

function sha256(b: Uint8Array): Buffer {
  return createHash('sha256').update(b).digest();
}

/** Base58Check with the given version bytes (Bitcoin P2PKH 0x00 / P2SH 0x05, Litecoin 0x30 / 0x32, Dogecoin 0x1e / 0x16). */
function base58CheckVersion(s: string): number | null {
  const raw = base58Decode(s);
  if (!raw || raw.length !== 25) return null;
  const payload = raw.subarray(0, 21);
  const check = sha256(sha256(payload)).subarray(0, 4);
  for (let i = 0; i < 4; i++) if (check[i] !== raw[21 + i]) return null;
  return raw[0]!;
}

const BECH32_CHARSET = 'qpzry9x8gf2tvdw0s3jn54khce6mua7l';

function bech32Valid(addr: string): boolean {
  const s = addr.toLowerCase();
  const sep = s.lastIndexOf('1');
  if (sep < 1 || sep + 7 > s.length || s.length > 90) return false;
  const hrp = s.slice(0, sep);
  const values: number[] = [];
  for (const c of s.slice(sep + 1)) {
    const v = BECH32_CHARSET.indexOf(c);
    if (v < 0) return false;
    values.push(v);
  }
  const GEN = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
  let chk = 1;
  const polymod = (v: number): void => {
    const top = chk >>> 25;
    chk = ((chk & 0x1ffffff) << 5) ^ v;
    for (let i = 0; i < 5; i++) if ((top >>> i) & 1) chk ^= GEN[i]!;
  };
  for (const c of hrp) polymod(c.charCodeAt(0) >>> 5);
  polymod(0);
  for (const c of hrp) polymod(c.charCodeAt(0) & 31);
  for (const v of values) polymod(v);
  // bech32 (1) and bech32m (0x2bc830a3) are both in use for segwit versions 0 and 1+
  return chk === 1 || chk === 0x2bc830a3;
}

export interface DonationAddress {
  currency: string;
  address: string;
}

/**
 * Each shape is bounded by non-alphanumerics on both sides (`(?<![A-Za-z0-9])...(?![A-Za-z0-9])`
 * in a whole-text regex), so a candidate is a whole maximal run of [A-Za-z0-9]: the raw-text scan
 * hands over the runs of a possible length, and each is tested against the shapes in full.
 */
export const BASE58_CANDIDATE = /^[13LMD9A][1-9A-HJ-NP-Za-km-z]{25,34}$/;
export const BECH32_CANDIDATE = /^(?:bc|ltc)1[02-9ac-hj-np-z]{11,71}$/i;
export const ETH_CANDIDATE = /^0x[0-9a-fA-F]{40}$/;
export const XMR_CANDIDATE = /^[48][0-9AB][1-9A-HJ-NP-Za-km-z]{93}$/;
/** Lengths of the runs the shapes above can be: bech32 14..75, base58 26..35, eth 42, xmr 95. */
export const DONATION_RUN_LENGTHS: RunLengths = { min: 14, max: 95 };
/** An Ethereum-style hex string is only an address for donations when the page says so nearby. */
const DONATION_CONTEXT = /donat|bitcoin|btc|ethereum|\beth\b|crypto|wallet|support us|monero|xmr/i;

const VERSION_CURRENCY: Record<number, string> = { 0x00: 'btc', 0x05: 'btc', 0x30: 'ltc', 0x32: 'ltc', 0x1e: 'doge', 0x16: 'doge' };

/** Checksums cost a bignum decode each: a page of base58-looking noise gets this many, no more. */
const MAX_CANDIDATES_CHECKED = 2_000;

/** What the candidate shapes require of a run's length and first characters (BASE58_, BECH32_, XMR_, ETH_CANDIDATE). */
export function mayBeAddress(text: string, start: number, length: number): boolean {
  const c = text.charCodeAt(start);
  // 1 3 9 A D L M
  if (length >= 26 && length <= 35 && (c === 49 || c === 51 || c === 57 || c === 65 || c === 68 || c === 76 || c === 77)) return true;
  if (length >= 14 && length <= 75 && hasBech32Prefix(text, start)) return true;
  if (length === 95 && (c === 52 || c === 56)) return true;
  return length === 42 && c === 48 && text.charCodeAt(start + 1) === 120;
}

/** `text` has bc1 or ltc1 at `start`, in any case (`x | 32` is a letter's lower case; of other characters only the letter's own maps there) */
function hasBech32Prefix(text: string, start: number): boolean {
  const first = text.charCodeAt(start) | 32;
  const second = text.charCodeAt(start + 1) | 32;
  if (first === 98) return second === 99 && text.charCodeAt(start + 2) === 49;
  return first === 108 && second === 116 && (text.charCodeAt(start + 2) | 32) === 99 && text.charCodeAt(start + 3) === 49;
}

/** `raw`: the page's raw-text scan (`scanRawText`), which kept runs of DONATION_RUN_LENGTHS. */
export function findDonationAddresses(raw: RawTextHits, max = 50): DonationAddress[] {
  const text = raw.text;
  // a listing's runs are mostly info-hashes (40 hex digits), which no shape below can be: a run
  // is sliced only when its length and first characters allow one of them (each regex requires
  // them), so the loops see the same candidates in the same order
  const runs: Array<{ start: number; run: string }> = [];
  const bounds = raw.runBounds();
  for (let k = 0; k < bounds.length; k += 2) {
    const start = bounds[k]!;
    const end = bounds[k + 1]!;
    if (mayBeAddress(text, start, end - start)) runs.push({ start, run: text.slice(start, end) });
  }
  const out = new Map<string, DonationAddress>();
  let checked = 0;
  // shape by shape, as separate whole-text scans did: the bounds (max, checks) fall where they fell
  for (const { run } of runs) {
    if (!BASE58_CANDIDATE.test(run)) continue;
    if (out.size >= max || ++checked > MAX_CANDIDATES_CHECKED) break;
    const version = base58CheckVersion(run);
    const currency = version === null ? undefined : VERSION_CURRENCY[version];
    if (currency) out.set(run, { currency, address: run });
  }
  for (const { run } of runs) {
    if (!BECH32_CANDIDATE.test(run)) continue;
    if (out.size >= max) break;
    if (bech32Valid(run)) out.set(run.toLowerCase(), { currency: run.toLowerCase().startsWith('ltc') ? 'ltc' : 'btc', address: run.toLowerCase() });
  }
  for (const { run } of runs) {
    if (!XMR_CANDIDATE.test(run)) continue;
    if (out.size >= max) break;
    out.set(run, { currency: 'xmr', address: run });
  }
  for (const { start, run } of runs) {
    if (!ETH_CANDIDATE.test(run)) continue;
    if (out.size >= max) break;
    const around = text.slice(Math.max(0, start - 300), start + 342);
    if (DONATION_CONTEXT.test(around)) out.set(run.toLowerCase(), { currency: 'eth', address: run.toLowerCase() });
  }
  return [...out.values()];
}
