/**
 * Encode text in a legacy charset (windows-1251, shift_jis) for pages the world serves in them.
 * Node ships decoders for these but no encoders, so the reverse table is built by decoding every
 * one- and two-byte sequence once.
 */
const tables = new Map<string, Map<string, number[]>>();

function reverseTable(encoding: string): Map<string, number[]> {
  const cached = tables.get(encoding);
  if (cached) return cached;
  const decoder = new TextDecoder(encoding, { fatal: true });
  const table = new Map<string, number[]>();
  const tryBytes = (bytes: number[]): void => {
    try {
      const char = decoder.decode(new Uint8Array(bytes));
      if ([...char].length === 1 && !table.has(char)) table.set(char, bytes);
    } catch {
      // not a valid sequence in this encoding
    }
  };
  for (let b = 0; b < 256; b++) tryBytes([b]);
  if (encoding !== 'windows-1251') {
    for (let lead = 0x81; lead <= 0xfe; lead++) for (let trail = 0x40; trail <= 0xfe; trail++) tryBytes([lead, trail]);
  }
  tables.set(encoding, table);
  return table;
}

export function encodeLegacy(text: string, encoding: 'windows-1251' | 'shift_jis'): Uint8Array {
  const table = reverseTable(encoding);
  const out: number[] = [];
  for (const char of text) {
    const bytes = table.get(char);
    if (bytes) out.push(...bytes);
    else out.push(...Buffer.from(`&#${char.codePointAt(0)};`, 'latin1'));
  }
  return new Uint8Array(out);
}
